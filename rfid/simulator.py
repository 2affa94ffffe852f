"""Realistic read bursts of trucks passing a gate, in the three payload shapes. Pure; used by
``simulate_gate`` and ``bench/rfid.py``.

A passing truck is read for a couple of seconds: its windscreen tag and each container tag are
inventoried many times a second on every antenna, the RSSI rising as it approaches and falling as
it leaves; reads come out of order within a report, and the odd stray tag of the next lane shows up.

    >>> reads = burst([truck_tag, box_tag], start=now, rng=random.Random(7))
    >>> for body in batches(reads, reader="GATE1-OUT-L1", size=100): ...
"""

from __future__ import annotations

import base64
import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from stdnum import iso6346


def container_number(rng: random.Random, owner: str = "SIMU") -> str:
    serial = f"{rng.randrange(10**6):06d}"
    return owner + serial + iso6346.calc_check_digit(owner + serial)


def container_tag(number: str) -> str:
    """The EPC bank of an ISO 17363-style container tag: the number in 6-bit characters, 96 bits."""
    bits = "".join(format(ord(c) & 0x3F, "06b") for c in number).ljust(96, "0")
    return format(int(bits, 2), "024X")


def truck_tag(rng: random.Random) -> str:
    """A GRAI-96 windscreen tag (company 0614141, asset type 12345, a random serial)."""
    serial = rng.randrange(1, 2**38)
    bits = "00110011" + "000" + "101" + format(614141, "024b") + format(12345, "020b") + format(serial, "038b")
    return format(int(bits, 2), "024X")


def burst(
    tags: list[str],
    *,
    start: datetime,
    rng: random.Random,
    seconds: float = 2.0,
    reads_per_tag_second: int = 60,
    antennas: int = 4,
) -> list[dict]:
    """Generic reads of ``tags`` passing the antennas over ``seconds``, in reader report order."""
    out = []
    per_tag = max(1, int(seconds * reads_per_tag_second))
    for tag in tags:
        for i in range(per_tag):
            phase = i / per_tag
            rssi = -75 + 30 * math.sin(math.pi * phase) + rng.uniform(-3, 3)
            at = start + timedelta(seconds=seconds * phase + rng.uniform(-0.05, 0.05))
            out.append(
                {"epc": tag, "antenna": rng.randint(1, antennas), "rssi": round(rssi, 1), "time": at.isoformat()}
            )
    rng.shuffle(out)
    return out


def batches(reads: list[dict], *, reader: str, size: int = 100) -> Iterator[dict]:
    """The reads in generic posts of ``size``."""
    for first in range(0, len(reads), size):
        yield {"reader": reader, "reads": reads[first : first + size]}


def as_impinj(reads: list[dict], hostname: str = "impinj-sim") -> list[dict]:
    """The same reads as Impinj R700 IoT device interface tag-inventory events."""
    return [
        {
            "timestamp": r["time"],
            "hostname": hostname,
            "eventType": "tagInventory",
            "tagInventoryEvent": {
                "epc": base64.b64encode(bytes.fromhex(r["epc"])).decode(),
                "epcHex": r["epc"],
                "antennaPort": r["antenna"],
                "antennaName": f"Antenna {r['antenna']}",
                "peakRssiCdbm": int(r["rssi"] * 100),
                "lastSeenTime": r["time"],
            },
        }
        for r in reads
    ]


def as_zebra(reads: list[dict]) -> list[dict]:
    """The same reads as Zebra FX IoT Connector data events."""
    return [
        {
            "type": "SIMPLE",
            "timestamp": r["time"],
            "data": {
                "eventNum": n,
                "format": "epc",
                "idHex": r["epc"],
                "antenna": r["antenna"],
                "peakRssi": r["rssi"],
                "reads": 1,
            },
        }
        for n, r in enumerate(reads, start=1)
    ]
