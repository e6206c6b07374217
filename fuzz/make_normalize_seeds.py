#!/usr/bin/env python3
"""Writes the hand-made seed files (`seed-*`) of fuzz/corpus/normalize_books/.

Run from anywhere: `python3 fuzz/make_normalize_seeds.py`. Existing `seed-*`
files are replaced; inputs the fuzzer found (named by their SHA-1) are left
alone. The byte format is documented in fuzz/checks/normalize_books.rs.
"""

import pathlib

OUT = pathlib.Path(__file__).resolve().parent / "corpus" / "normalize_books"

# Instrument selectors: id = 1 + sel % 5.
I1, I2, I3, I4 = 0, 1, 2, 3
ADD, MODIFY, DELETE = 0, 1, 2
NEW, CHANGE, DEL, THRU, FROM, OVERLAY = range(6)
BID, ASK, NOSIDE = 0, 1, 2
NULL = 255


def definition(sel, action=ADD, outright=5, implied=2, group=0):
    return [0, sel, action, outright, implied, group]


def level(sel, action, side, lvl, price, qty, implied=False):
    flags = (1 if implied else 0) | (side << 1) | (action << 3)
    return [1, sel, flags, lvl, price, qty]


def order(sel, action, oid, side, price, qty, prio):
    return [4, sel, action, oid, side, price, qty, prio]


def trade(sel, bust, price, qty, tid, aggressor):
    return [6, sel, 1 if bust else 0, price, qty, tid, aggressor]


def stat(sel, index, delete, price, qty):
    return [7, sel, index, 1 if delete else 0, price, qty]


def status(scope, state, reset):
    return [8, scope, state, 1 if reset else 0]


def book_op(sel, kind):
    return [9, sel, kind]


CHANNEL_RESET = [10]
END = [11, 1]
MESSAGE_END = [11, 0]


def defs():
    return definition(I1) + definition(I2, group=1) + definition(I3, outright=3)


def ladder(sel):
    """Bids 10, 8, 6, 4, 2 and asks 11, 13, 15, 17, 19 (ticks of the grid)."""
    out = []
    for n in range(5):
        out += level(sel, NEW, BID, n + 1, 10 - 2 * n, 5 + n)
        out += level(sel, NEW, ASK, n + 1, 11 + 2 * n, 5 + n)
    return out


SEEDS = {
    # Every MBP action on a full 5-deep ladder, then refusals.
    "mbp-actions": [7] + defs() + ladder(I1) + END
    + level(I1, NEW, BID, 1, 12, 1)  # new best bid; 2 falls out of the 5-deep book
    + level(I1, CHANGE, BID, 2, 10, 9)
    + level(I1, CHANGE, BID, 3, 7, 9)  # another price: delete + insert
    + level(I1, OVERLAY, ASK, 2, 14, 4)
    + level(I1, DEL, BID, 1, 12, 0)
    + level(I1, FROM, ASK, 2, NULL, 0)
    + MESSAGE_END
    + level(I1, THRU, BID, 0, NULL, 0)
    + level(I1, NEW, ASK, 7, 15, 1)  # out of range
    + level(I1, DEL, ASK, 1, 3, 0)  # price mismatch
    + END,
    # Implied beside outright, the quote consolidating both.
    "implied": [3] + defs()
    + level(I2, NEW, BID, 1, 10, 5)
    + level(I2, NEW, BID, 1, 10, 3, implied=True)
    + level(I2, NEW, ASK, 1, 12, 2, implied=True)
    + level(I2, NEW, ASK, 1, 13, 2)
    + level(I2, NEW, ASK, 3, 14, 2, implied=True)  # past implied depth 2
    + END
    + level(I2, DEL, ASK, 1, 12, 0, implied=True)
    + END,
    # Orders: new, update, delete, unknown, duplicate, past capacity.
    "orders": [5] + defs()
    + order(I1, 0, 1, BID, 10, 5, 1)
    + order(I1, 0, 2, BID, 10, 3, 2)
    + order(I1, 1, 1, BID, 11, 4, 3)
    + order(I1, 2, 2, NOSIDE, 0, 0, 0)
    + order(I1, 2, 9, BID, 0, 0, 0)
    + order(I1, 0, 1, ASK, 12, 1, 4)
    + sum((order(I2, 0, n, n % 2, 10 + n % 3, 1, n) for n in range(14)), [])
    + END,
    # Trades, busts, statistics, a group halt that resets statistics.
    "market": [8] + defs() + ladder(I1)
    + trade(I1, False, 10, 2, 77, 1)
    + trade(I1, True, 10, 2, 77, 1)
    + trade(I1, True, 10, 2, 0, 1)
    + stat(I1, 2, False, 10, NULL)
    + stat(I1, 8, False, NULL, 40)
    + stat(I1, 12, False, NULL, NULL)
    + status(1, 5, True)
    + status(0, 3, False)
    + END,
    # Resets: book reset, suspect and good marks, channel reset.
    "resets": [4] + defs() + ladder(I1) + ladder(I2)
    + order(I1, 0, 1, BID, 10, 5, 1) + END
    + book_op(I1, 1) + level(I1, CHANGE, BID, 1, 10, 1) + book_op(I1, 2) + END
    + book_op(I2, 0) + END
    + CHANNEL_RESET + level(I1, NEW, BID, 1, 10, 1) + END,
    # Definitions: registry full, depth changes, deletes, re-adds, refusals.
    "definitions": [2] + defs() + ladder(I1)
    + definition(I4)  # full
    + definition(I1, MODIFY, outright=2)  # drops levels 3-5
    + definition(I3, DELETE)
    + definition(I4)
    + definition(I1, MODIFY, outright=6)  # too deep
    + definition(I2, ADD, implied=3)  # too deep
    + END
    + definition(I1, DELETE) + definition(I1) + ladder(I1) + END,
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("seed-*"):
        old.unlink()
    for name, program in SEEDS.items():
        data = bytes(program)
        (OUT / f"seed-{name}").write_bytes(data)
        print(f"seed-{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
