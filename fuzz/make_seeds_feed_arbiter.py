#!/usr/bin/env python3
"""Writes the hand-made seeds of the `feed_arbiter` fuzz target into
fuzz/corpus/feed_arbiter/seed-* (the program format is documented in
fuzz/checks/feed_arbiter.rs). Run from the repository root."""

import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "feed_arbiter")


def header(window=8, wait=20, horizon=0, surface=False, maxlen=40):
    # reorder_window = 1 + b0 % 16, max_wait_ns = 1 + b1 * 50,
    # dup_horizon = 64 << (b2 % 4), bit 7 of b2 = Surface, max_len = 8 + b3 % 56
    return bytes([window - 1, wait, horizon | (0x80 if surface else 0), maxlen - 8])


def pkt(line, mode, arg=0, length=16, dt=10, raw=None):
    b = bytes([0, (0x80 if line == "B" else 0) | mode, arg, length, dt])
    if mode == 7:
        b += (raw or 0).to_bytes(4, "little")
    return b


def timeout(dt):
    return bytes([5]) + dt.to_bytes(2, "little")


def at_deadline():
    return bytes([6, 0])


def kernel(line, n):
    return bytes([7, 1 if line == "B" else 0, n])


def seq(line, s, **kw):
    return pkt(line, 7, raw=s, **kw)


seeds = {}
# Clean A/B: each packet on A then B.
seeds["ab-clean"] = header() + b"".join(
    seq("A", s) + seq("B", s, dt=1) for s in range(100, 130)
)
# Loss on A only, B lagging.
seeds["loss-a-only"] = header() + b"".join(
    (b"" if s % 5 == 0 else seq("A", s)) + seq("B", s, dt=3) for s in range(1, 40)
)
# Loss on both, then the timer.
seeds["loss-both-timer"] = header() + b"".join(
    seq("A", s) + seq("B", s, dt=1) for s in [1, 2, 3, 5, 6, 9, 10]
) + timeout(2000) + at_deadline() + seq("A", 11)
# Reordering within the window, duplicates, a late packet surfaced.
seeds["reorder-dup-late"] = header(surface=True) + b"".join(
    seq("A", s) for s in [1, 3, 2, 2, 6, 5, 4, 4, 8]
) + timeout(5000) + seq("B", 7) + seq("B", 7)
# A jump beyond the window, then a weekly reset with stragglers.
seeds["jump-reset"] = header(window=4, horizon=0) + seq("A", 10) + seq("A", 50) + seq(
    "A", 5000
) + seq("A", 5001) + seq("A", 1) + seq("B", 5000) + seq("B", 1) + seq("A", 2)
# Top of the sequence space, too-long copies, kernel drops, relative modes.
seeds["top-too-long-relative"] = header(maxlen=20) + seq("A", 0xFFFFFFFE) + seq(
    "B", 0xFFFFFFFF, length=60
) + seq("A", 0xFFFFFFFF) + kernel("B", 7) + pkt("A", 5, 3) + pkt("A", 1) + pkt(
    "B", 0, 0xFE
) + pkt("A", 3, 9) + pkt("B", 4, 2) + pkt("A", 2, 1) + pkt("B", 6, 1) + at_deadline()

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, "seed-" + name), "wb") as f:
        f.write(data)
print(f"wrote {len(seeds)} seeds to {OUT}")
