#!/usr/bin/env python3
"""Writes the hand-made seed files (`seed-*`) of fuzz/corpus/<target>/.

Run from anywhere: `python3 fuzz/make_seeds.py`. Existing `seed-*` files are
replaced; inputs the fuzzer found (named by their SHA-1) are left alone.

Seeds are small FIX messages and streams built with a correct BodyLength (9)
and CheckSum (10) unless they are meant to be wrong. A few dozen are derived
from the `I` lines of QuickFIX's FIX 4.4 server acceptance definitions in
../shared/conformance (when present), templated as QuickFIX's runner does:
`<TIME>` becomes a fixed timestamp, 9= and 10= are added where missing.
"""

import hashlib
import os
import pathlib
import random
import re

ROOT = pathlib.Path(__file__).resolve().parent
DEFS = ROOT.parent.parent / "shared/conformance/quickfix/test/definitions/server/fix44"
TIME = b"20260316-14:30:00.123"
SOH = b"\x01"
# Acceptance-derived seeds kept (the corpus stays a few dozen files).
MAX_DEF_SEEDS = 24


def sohs(s):
    """`|` stands for SOH in the literals below."""
    if isinstance(s, str):
        s = s.encode("latin-1")
    return s.replace(b"|", SOH)


def checksum(b):
    return sum(b) % 256


def msg(begin, body, body_length=None, sum_digits=None):
    """A message with BodyLength and CheckSum computed unless given."""
    body = sohs(body)
    n = len(body) if body_length is None else body_length
    head = b"8=" + begin.encode() + SOH + b"9=" + str(n).encode() + SOH + body
    if sum_digits is None:
        sum_digits = b"%03d" % checksum(head)
    return head + b"10=" + sum_digits + SOH


def fill(m):
    """QuickFIX's runner: add 9= after the first field and 10= at the end when missing."""
    if SOH + b"9=" not in m:
        first = m.index(SOH) + 1
        end = m.find(SOH + b"10=")
        end = len(m) if end < 0 else end + 1
        m = m[:first] + b"9=" + str(end - first).encode() + SOH + m[first:]
    if SOH + b"10=" not in m:
        m = m + b"10=" + b"%03d" % checksum(m) + SOH
    return m


def def_messages():
    """Distinct `I` lines of the acceptance definitions, materialized."""
    if not DEFS.is_dir():
        print(f"skipping acceptance-derived seeds: {DEFS} is missing")
        return []
    seen, shapes = [], set()
    for path in sorted(DEFS.glob("*.def")):
        for line in path.read_bytes().split(b"\n"):
            line = line.rstrip(b"\r")
            if not line.startswith(b"I8="):
                continue
            m = fill(re.sub(rb"<TIME[^>]*>", TIME, line[1:]))
            # One message per tag sequence (values mostly differ in MsgSeqNum).
            shape = re.sub(rb"=[^\x01]*", b"", m)
            if shape not in shapes:
                shapes.add(shape)
                seen.append(m)
    return seen[:MAX_DEF_SEEDS]


H44 = "35={t}|34=2|49=TW44|52=20260316-14:30:00.123|56=ISLD|"
NOS = H44.format(t="D") + "11=ID|21=1|38=002000.00|40=2|44=12.50|54=1|55=INTC|60=20260316-14:30:00|"
HB = msg("FIX.4.4", H44.format(t="0"))
W = msg(
    "FIX.4.4",
    H44.format(t="W") + "55=EUR/USD|268=2|269=0|270=1.1|271=100|269=1|270=1.2|271=200|",
)


def bad_sum(m):
    d = int(m[-4:-1]) if m[-4:-1].isdigit() else 0
    return m[:-4] + b"%03d" % ((d + 1) % 256) + SOH


def one_message_seeds():
    """Single messages: what fix_index_validate takes, and streams for fix_framer."""
    s = {
        "fix44-heartbeat": HB,
        "fix44-logon": msg("FIX.4.4", H44.format(t="A") + "98=0|108=30|"),
        "fix42-nos": msg("FIX.4.2", NOS.replace("38=002000.00", "38=100")),
        "fixt-logon": msg("FIXT.1.1", H44.format(t="A") + "98=0|108=30|1137=9|"),
        "fixt-nos-applverid": msg("FIXT.1.1", "35=D|1128=9|" + NOS[5:]),
        "fix44-nos": msg("FIX.4.4", NOS),
        "nos-trading-sessions": msg("FIX.4.4", NOS + "386=2|336=1|625=A|336=2|"),
        "nos-trading-sessions-count-high": msg("FIX.4.4", NOS + "386=3|336=1|336=2|"),
        "nos-parties-allocs-nested": msg(
            "FIX.4.4",
            NOS + "453=2|448=A|447=D|452=1|448=B|447=D|452=3|78=1|79=ACC|539=1|524=X|525=D|538=1|80=10|",
        ),
        "snapshot-w": W,
        "snapshot-w-count-low": msg(
            "FIX.4.4", H44.format(t="W") + "55=X|268=1|269=0|270=1.1|269=1|270=1.2|"
        ),
        "snapshot-w-zero-entries": msg("FIX.4.4", H44.format(t="W") + "55=X|268=0|"),
        "incremental-x": msg(
            "FIX.4.4",
            H44.format(t="X") + "268=2|279=0|269=0|55=A|270=1.1|271=100|279=2|269=1|278=7|",
        ),
        "incremental-x-count-bad": msg("FIX.4.4", H44.format(t="X") + "268=x|279=0|"),
        "rawdata-with-soh": msg("FIX.4.4", H44.format(t="A") + "98=0|108=30|95=5|96=a|b=c|"),
        "rawdata-length-mismatch": msg("FIX.4.4", H44.format(t="A") + "95=9|96=abc|98=0|"),
        "rawdata-without-length": msg("FIX.4.4", H44.format(t="A") + "96=abc|98=0|"),
        "xmldata-header": msg("FIX.4.4", "35=0|212=8|213=<a>|</a>|34=2|49=A|56=B|52=20260316-14:30:00|"),
        "signature-trailer": msg("FIX.4.4", H44.format(t="0") + "93=4|89=||=||"),
        "text-with-8=FIX": msg("FIX.4.4", H44.format(t="j") + "45=1|380=0|58=8=FIX.4.4|9=5|35=0|"),
        "negative-and-zero-tags": msg("FIX.4.4", H44.format(t="0") + "-1=HI|0=zero|-0=|"),
        "empty-values": msg("FIX.4.4", "35=0|34=|49=|56=ISLD|52=|58=|"),
        "repeated-tag": msg("FIX.4.4", H44.format(t="0") + "34=3|"),
        "header-after-body": msg("FIX.4.4", "35=D|11=ID|34=2|49=TW44|56=ISLD|52=20260316-14:30:00|"),
        "long-tag": msg("FIX.4.4", H44.format(t="0") + "1234567890=x|"),
        "garbled-tag": msg("FIX.4.4", H44.format(t="0") + "4garbled9=TW|"),
        "no-equals": msg("FIX.4.4", H44.format(t="0") + "58|"),
        "msgtype-5-bytes": msg("FIX.4.4", H44.format(t="ABCDE")),
        "non-utf8-text": msg("FIX.4.4", H44.format(t="0") + "58=\xff\xfe\x80|"),
        "timestamps": msg(
            "FIX.4.4",
            H44.format(t="0")
            + "60=20260316-14:30:60|122=20260316-14:30:00.123456789|"
            + "126=19691231-23:59:59|432=20240229|273=23:59:60.5|",
        ),
        "prices": msg(
            "FIX.4.4",
            H44.format(t="D")
            + "44=-0.000000001|99=9223372036.854775807|38=.5|110=7.|111=1.0000000001|"
            + "140=-|211=--1|",
        ),
        "bad-checksum": bad_sum(HB),
        "checksum-not-digits": HB[:-4] + b"1a3" + SOH,
        "checksum-short": HB[:-4] + b"12" + SOH,
        "body-length-short": msg("FIX.4.4", H44.format(t="0"), body_length=20),
        "body-length-long": msg("FIX.4.4", H44.format(t="0"), body_length=70),
        "body-length-huge": b"8=FIX.4.4|9=999999999|35=0|".replace(b"|", SOH),
        "body-length-not-digits": b"8=FIX.4.4|9=4x|35=0|10=000|".replace(b"|", SOH),
        "first-three-out-of-order": fill(sohs("8=FIX.4.4|35=0|9=5|34=2|")),
        "begin-string-long": msg("FIX.4.4.12345678901", "35=0|"),
        "truncated-half": W[: len(W) // 2],
        "truncated-in-body-length": b"8=FIX.4.4\x019=1",
        "truncated-before-trailer-soh": HB[:-1],
    }
    return s


def chunk_header(i):
    """Four chunk-size bytes for fix_framer (see fuzz/checks/fix_framer.rs)."""
    headers = [b"\x00\x00\x00\x00", b"\x07\x0f\x1f\x3f", b"\xff\xff\xff\xff", b"\x02\x05\xef\x00"]
    return headers[i % len(headers)]


def stream_seeds(single):
    """Byte streams for fix_framer: several messages, garbage, resync cases."""
    nos = single["fix44-nos"]
    text = single["text-with-8=FIX"]
    return {
        "three-messages": HB + nos + W,
        "garbage-then-message": b"garbage|58=8 FIX rules|8=FI".replace(b"|", SOH) + HB,
        "bad-checksum-between": HB + bad_sum(nos) + W,
        "truncated-then-message": W[:40] + HB,
        "too-long-then-message": msg("FIX.4.4", H44.format(t="0"), body_length=5000) + HB,
        "text-8=FIX-then-message": text + HB,
        "partial-8=FIX-at-end": HB + b"8=FI",
        "data-with-soh-then-message": single["rawdata-with-soh"] + HB,
        "fixt-and-fix42": single["fixt-logon"] + single["fix42-nos"],
    }


def encode_seeds():
    """Programs for fix_encode_parse (see fuzz/checks/fix_encode_parse.rs): the
    first byte picks free-form (even) or structured (odd) mode, the rest are
    choices. Pseudo-random but fixed, plus one free-form program per field kind."""
    rng = random.Random(20260316)
    seeds = {}
    for i in range(10):
        n = rng.choice([24, 64, 160, 400])
        seeds[f"free-form-{i}"] = bytes([0]) + bytes(rng.randrange(256) for _ in range(n))
        seeds[f"structured-{i}"] = bytes([1]) + bytes(rng.randrange(256) for _ in range(n))
    # BeginString FIX.4.4, MsgType D, a 4096-byte buffer, then nine fields: one per
    # kind (0 field ... 9 data), each with tag 58 + kind and four bytes of value.
    prog = bytearray([0, 4, 1, 2, 0])
    for kind in range(10):
        prog += bytes([kind, 0, 58 + kind, 0]) + bytes([4, 0x41, 0x42, 0x43, 0x44, 9, 9, 9, 9])
    seeds["free-form-every-kind"] = bytes(prog)
    # A tiny buffer: BufferTooSmall.
    seeds["free-form-small-buffer"] = bytes([0, 4, 1, 0, 250, 40, 0]) + bytes(prog[5:])
    # An empty and an overlong BeginString.
    seeds["free-form-empty-begin"] = bytes([0, 2, 0, 1, 0, 0]) + bytes(prog[5:])
    seeds["free-form-long-begin"] = bytes([0, 2, 20]) + b"FIX.4.4.FIX.4.4.FIX." + bytes([1, 0, 0])
    return seeds


def write(dir_, name, data):
    dir_.mkdir(parents=True, exist_ok=True)
    (dir_ / f"seed-{name}").write_bytes(data)


def main():
    single = one_message_seeds()
    defs = def_messages()
    for t in ["fix_index_validate", "fix_framer", "fix_encode_parse"]:
        d = ROOT / "corpus" / t
        for old in d.glob("seed-*"):
            old.unlink()
    iv = ROOT / "corpus" / "fix_index_validate"
    fr = ROOT / "corpus" / "fix_framer"
    for i, (name, data) in enumerate(single.items()):
        write(iv, name, data)
        write(fr, name, chunk_header(i) + data)
    for i, (name, data) in enumerate(stream_seeds(single).items()):
        write(fr, name, chunk_header(i) + data)
    for i, m in enumerate(defs):
        tag = hashlib.sha1(m).hexdigest()[:8]
        write(iv, f"qf44-{tag}", m)
    for name, data in encode_seeds().items():
        write(ROOT / "corpus" / "fix_encode_parse", name, data)
    # The acceptance messages as one stream, in definition order.
    write(fr, "qf44-stream", chunk_header(1) + b"".join(defs[:40]))
    print(f"{len(single)} messages, {len(defs)} acceptance-derived, written under {ROOT / 'corpus'}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
