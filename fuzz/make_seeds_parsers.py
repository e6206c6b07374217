#!/usr/bin/env python3
"""Writes the seeds of the parser fuzz targets `fix_dictionary_xml`,
`sbe_schema_xml` and `pcap_read` into fuzz/corpus/<target>/seed-* (input formats
in fuzz/checks/<target>.rs). Every seed is synthetic: hand-written documents and
captures, pseudo-random generator programs with fixed seeds, and a subset of
fixgate's own specs/fix/FIXGATE44.xml. Run from the repository root."""

import os
import random
import struct
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def programs(target, n, length, seed):
    """Generator programs: an odd mode byte, then fixed pseudo-random bytes."""
    rng = random.Random(seed)
    for i in range(n):
        body = bytes(rng.randrange(256) for _ in range(length))
        write(target, "program-%02d" % i, bytes([1 + 2 * (i % 8)]) + body)


# --- fix_dictionary_xml -------------------------------------------------------

def fixgate44_subset(types):
    """FIXGATE44.xml with only the messages of `types` and what they use."""
    tree = ET.parse(os.path.join(ROOT, "specs", "fix", "FIXGATE44.xml"))
    fix = tree.getroot()
    msgs = fix.find("messages")
    for m in list(msgs):
        if m.get("msgtype") not in types:
            msgs.remove(m)
    comps = {c.get("name"): c for c in fix.find("components")}
    used_fields, used_comps = set(), set()

    def walk(el):
        for c in el:
            if c.tag in ("field", "group"):
                used_fields.add(c.get("name"))
            if c.tag == "component" and c.get("name") not in used_comps:
                used_comps.add(c.get("name"))
                walk(comps[c.get("name")])
            walk(c)

    for sec in ("header", "trailer", "messages"):
        walk(fix.find(sec))
    for c in list(fix.find("components")):
        if c.get("name") not in used_comps:
            fix.find("components").remove(c)
    for f in list(fix.find("fields")):
        if f.get("name") not in used_fields:
            fix.find("fields").remove(f)
    return ET.tostring(fix)


DICTS = {
    "minimal": b"""<fix type="FIX" major="4" minor="4" servicepack="0">
<header><field name="BeginString" required="Y"/><field name="BodyLength" required="Y"/>
<field name="MsgType" required="Y"/></header>
<trailer><field name="CheckSum" required="Y"/></trailer>
<messages><message name="Heartbeat" msgtype="0" msgcat="admin">
<field name="TestReqID" required="N"/></message></messages>
<components/>
<fields><field number="8" name="BeginString" type="STRING"/>
<field number="9" name="BodyLength" type="LENGTH"/>
<field number="35" name="MsgType" type="STRING"><value enum="0" description="HEARTBEAT"/></field>
<field number="10" name="CheckSum" type="STRING"/>
<field number="112" name="TestReqID" type="STRING"/></fields></fix>""",
    "groups": b"""<fix type="FIXT" major="1" minor="1">
<header><field name="BeginString" required="Y"/><field name="MsgType" required="Y"/>
<component name="Hop" required="N"/></header><trailer/>
<messages><message name="Order" msgtype="D" msgcat="app">
<field name="Side" required="Y"/><component name="Parties" required="Y"/>
<field name="RawDataLength" required="N"/><field name="RawData" required="N"/></message></messages>
<components><component name="Parties"><group name="NoPartyIDs" required="Y">
<field name="PartyID" required="Y"/><group name="NoPartySubIDs" required="N">
<field name="PartySubID" required="Y"/></group></group></component>
<component name="Hop"><group name="NoHops" required="N"><field name="HopCompID"/></group></component>
</components>
<fields><field number="8" name="BeginString" type="STRING"/>
<field number="35" name="MsgType" type="STRING"/>
<field number="54" name="Side" type="CHAR"><value enum="1"/><value enum="2"/></field>
<field number="453" name="NoPartyIDs" type="NUMINGROUP"/>
<field number="448" name="PartyID" type="STRING"/>
<field number="802" name="NoPartySubIDs" type="NUMINGROUP"/>
<field number="523" name="PartySubID" type="STRING"/>
<field number="627" name="NoHops" type="NUMINGROUP"/>
<field number="628" name="HopCompID" type="STRING"/>
<field number="95" name="RawDataLength" type="LENGTH"/>
<field number="96" name="RawData" type="DATA"/></fields></fix>""",
    "cycle": b"""<fix major="4" minor="2"><messages><message name="M" msgtype="D">
<component name="A" required="Y"/></message></messages>
<components><component name="A"><field name="F"/><component name="B" required="Y"/></component>
<component name="B"><component name="A" required="Y"/></component></components>
<fields><field number="1" name="F" type="INT"/></fields></fix>""",
    "self": b"""<fix><messages><message name="M" msgtype="X"><component name="A"/></message></messages>
<components><component name="A"><component name="A"/></component></components><fields/></fix>""",
    "dangling": b"""<fix><messages><message name="M" msgtype="X"><field name="Nope"/></message></messages>
<fields/></fix>""",
    "empty-group": b"""<fix><messages><message name="M" msgtype="X"><group name="N"/></message></messages>
<fields><field number="5" name="N" type="NUMINGROUP"/></fields></fix>""",
    "bad-number": b"""<fix><fields><field number="4294967296" name="Big" type="INT"/></fields></fix>""",
    "bad-msgtype": b"""<fix><messages><message name="M" msgtype="TOOLONG"/></messages></fix>""",
    "unclosed": b"""<fix><messages><message name="M" msgtype="X">""",
    "no-root": b"""<dictionary/>""",
    "high-data": b"<fix><fields>" + b"".join(
        b'<field number="%d" name="D%d" type="DATA"/>' % (3000 + i, i) for i in range(18)
    ) + b"</fields></fix>",
}


def chain(n, fan):
    """Components C0..C(n-1), each including the next `fan` times."""
    comps = b"".join(
        b'<component name="C%d">' % i
        + b'<component name="C%d" required="Y"/>' % (i + 1) * fan
        + b"</component>"
        for i in range(n - 1)
    )
    comps += b'<component name="C%d"><field name="F" required="Y"/></component>' % (n - 1)
    return (b'<fix><messages><message name="M" msgtype="X"><component name="C0" required="Y"/>'
            b"</message></messages><components>" + comps
            + b'</components><fields><field number="1" name="F" type="INT"/></fields></fix>')


def dictionary_seeds():
    t = "fix_dictionary_xml"
    write(t, "fixgate44-subset", b"\x00" + fixgate44_subset({"0", "A", "5", "D"}))
    for name, xml in DICTS.items():
        write(t, name, b"\x00" + xml)
    write(t, "chain-12x2", b"\x00" + chain(12, 2))
    write(t, "deep-nesting", b"\x00<fix>" + b"<a>" * 2000 + b"</a>" * 2000 + b"</fix>")
    programs(t, 24, 160, 4401)


# --- sbe_schema_xml -----------------------------------------------------------

SCHEMA = b"""<?xml version="1.0" encoding="UTF-8"?>
<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" package="demo" id="7" version="3">
<types>
<composite name="messageHeader"><type name="blockLength" primitiveType="uint16"/>
<type name="templateId" primitiveType="uint16"/><type name="schemaId" primitiveType="uint16"/>
<type name="version" primitiveType="uint16"/></composite>
<composite name="groupSize"><type name="blockLength" primitiveType="uint16"/>
<type name="numInGroup" primitiveType="uint8"/></composite>
<composite name="groupSizeEncoding"><type name="blockLength" primitiveType="uint16"/>
<type name="numInGroup" primitiveType="uint16"/></composite>
<composite name="PRICE9"><type name="mantissa" primitiveType="int64"/>
<type name="exponent" primitiveType="int8" presence="constant">-9</type></composite>
<composite name="MaturityMonthYear"><type name="year" primitiveType="uint16" presence="optional" nullValue="65535"/>
<type name="month" primitiveType="uint8" presence="optional" nullValue="255"/></composite>
<type name="Int32NULL" primitiveType="int32" presence="optional" nullValue="2147483647"/>
<type name="uInt64" primitiveType="uint64"/>
<type name="Symbol" primitiveType="char" length="20"/>
<type name="SecurityExchange" primitiveType="char" length="4" presence="constant">XCME</type>
<enum name="Side" encodingType="uint8"><validValue name="Buy">1</validValue>
<validValue name="Sell">2</validValue></enum>
<enum name="EntryType" encodingType="char"><validValue name="Bid">0</validValue>
<validValue name="Offer">1</validValue></enum>
<set name="Indicator" encodingType="uint8"><choice name="LastTrade">0</choice>
<choice name="EndOfEvent">7</choice></set>
</types>
<sbe:message name="Trade" id="1" blockLength="21">
<field name="TransactTime" id="60" type="uInt64" offset="0"/>
<field name="Indicator" id="5799" type="Indicator" offset="8"/>
<field name="Exchange" id="207" type="SecurityExchange"/>
<field name="Qty" id="32" type="Int32NULL" offset="9"/>
<field name="Side" id="54" type="Side" offset="13" sinceVersion="2"/>
<group name="Entries" id="268" dimensionType="groupSize" blockLength="10">
<field name="Px" id="270" type="PRICE9" offset="0"/>
<field name="Type" id="269" type="EntryType" offset="8"/>
<group name="Orders" id="37705" dimensionType="groupSizeEncoding" blockLength="8">
<field name="OrderID" id="37" type="uInt64" offset="0"/></group>
</group>
</sbe:message>
<sbe:message name="Definition" id="2" blockLength="23">
<field name="Symbol" id="55" type="Symbol" offset="0"/>
<field name="Maturity" id="200" type="MaturityMonthYear" offset="20"/>
</sbe:message>
</sbe:messageSchema>"""


def trade_message():
    body = struct.pack("<QBiB", 1_700_000_000_000_000_000, 0x81, 5, 2) + bytes(7)
    body += struct.pack("<HB", 10, 2)
    for px, kind in ((101_250_000_000, b"0"), (101_500_000_000, b"1")):
        body += struct.pack("<q", px) + kind + b"\x00"
        body += struct.pack("<HH", 8, 1) + struct.pack("<Q", 42)
    return struct.pack("<HHHH", 21, 1, 7, 3) + body


def definition_message():
    body = b"ESZ6".ljust(20, b"\x00") + struct.pack("<HB", 2026, 12)
    return struct.pack("<HHHH", 23, 2, 7, 3) + body


def schema_seeds():
    t = "sbe_schema_xml"
    write(t, "demo-trade", b"\x00" + SCHEMA + b"\x00" + trade_message())
    write(t, "demo-definition", b"\x00" + SCHEMA + b"\x00" + definition_message())
    write(t, "demo-old-version", b"\x00" + SCHEMA + b"\x00" + trade_message()[:6] + b"\x01\x00"
          + trade_message()[8:])
    write(t, "demo-truncated", b"\x00" + SCHEMA + b"\x00" + trade_message()[:30])
    for name, bad in (
        ("float", b'<messageSchema><types><type name="F" primitiveType="float"/></types></messageSchema>'),
        ("data", b'<messageSchema><types/><message name="M" id="1"><data name="D" id="9" type="x"/></message></messageSchema>'),
        ("unknown-type", b'<messageSchema><types/><message name="M" id="1"><field name="f" id="1" type="Nope"/></message></messageSchema>'),
        ("no-id", b'<messageSchema><types/><message name="M"/></messageSchema>'),
        ("bad-offset", b'<messageSchema><types><type name="T" primitiveType="uint8"/></types><message name="M" id="1"><field name="f" id="1" type="T" offset="x"/></message></messageSchema>'),
        ("huge-offset", b'<messageSchema><types><composite name="messageHeader"><type name="blockLength" primitiveType="uint16"/><type name="templateId" primitiveType="uint16"/><type name="schemaId" primitiveType="uint16"/><type name="version" primitiveType="uint16"/></composite><type name="T" primitiveType="uint8"/></types><message name="M" id="1"><field name="f" id="1" type="T" offset="18446744073709551615"/></message></messageSchema>\x00\x00\x00\x01\x00\x00\x00\x00\x00'),
        ("no-root", b"<types/>"),
    ):
        write(t, name, b"\x00" + bad)
    programs(t, 24, 200, 9009)


# --- pcap_read ----------------------------------------------------------------

def udp_frame(payload, sport=14310, dport=14310):
    eth = bytes(12) + b"\x08\x00"
    total = 20 + 8 + len(payload)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 1, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([224, 0, 31, 1]))
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0)
    return eth + ip + udp + payload


def pcap(frames, endian="<", magic=0xA1B2C3D4, snaplen=65535, linktype=1):
    out = struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)
    for i, f in enumerate(frames):
        incl = min(len(f), snaplen)
        out += struct.pack(endian + "IIII", 1_700_000_000 + i, 500 * i, incl, len(f)) + f[:incl]
    return out


def block(kind, body):
    body += bytes(-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", kind, n) + body + struct.pack("<I", n)


def option(code, value):
    return struct.pack("<HH", code, len(value)) + value + bytes(-len(value) % 4)


def shb():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(linktype=1, options=b""):
    if options:
        options += option(0, b"")
    return block(1, struct.pack("<HHI", linktype, 0, 65535) + options)


def epb(interface, ticks, data):
    return block(6, struct.pack("<IIIII", interface, ticks >> 32, ticks & 0xFFFFFFFF,
                                len(data), len(data)) + data)


def spb(data):
    return block(3, struct.pack("<I", len(data)) + data)


def obsolete_pb(interface, ticks, data):
    return block(2, struct.pack("<HHIIII", interface, 0, ticks >> 32, ticks & 0xFFFFFFFF,
                                len(data), len(data)) + data)


def pcap_seeds():
    t = "pcap_read"
    frames = [udp_frame(b"\x01\x00\x00\x00" + bytes(range(i, i + 20))) for i in range(3)]
    write(t, "pcap-usec-le", pcap(frames))
    write(t, "pcap-usec-be", pcap(frames, endian=">"))
    write(t, "pcap-nsec-le", pcap(frames, magic=0xA1B23C4D))
    write(t, "pcap-snaplen-40", pcap(frames, snaplen=40))
    write(t, "pcap-raw-ipv4", pcap([f[14:] for f in frames], linktype=228))
    write(t, "pcap-truncated", pcap(frames)[:-7])
    write(t, "pcap-header-only", pcap([]))
    write(t, "pcapng-nsec", shb() + idb(1, option(9, b"\x09") + option(14, struct.pack("<q", 3)))
          + epb(0, 1_700_000_000_123_456_789, frames[0]) + spb(frames[1])
          + obsolete_pb(0, 1_700_000_000_000_000_001, frames[2]))
    write(t, "pcapng-usec-2pow", shb() + idb(1) + idb(113, option(9, b"\x94"))
          + epb(1, 1 << 40, frames[0]) + epb(0, 1_700_000_000_000_000, frames[1]))
    write(t, "pcapng-two-sections", shb() + idb(1) + epb(0, 5, frames[0]) + shb()
          + epb(0, 6, frames[1]))
    write(t, "pcapng-unknown-interface", shb() + idb(1) + epb(3, 5, frames[0]))
    write(t, "pcapng-truncated", (shb() + idb(1) + epb(0, 5, frames[0]))[:-3])
    write(t, "empty", b"")
    write(t, "garbage", b"not a capture file")


if __name__ == "__main__":
    dictionary_seeds()
    schema_seeds()
    pcap_seeds()
