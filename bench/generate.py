"""A deterministic generator of large CODECO/IFTSTA interchanges for the parse benchmark.

One interchange (UNA, UNB ``UNOC:3``) of alternating CODECO gate reports and IFTSTA status
messages in directories D.95B, D.00B and D.01B, with free text that needs the release
character (``?+``, ``?:``, ``?'``, ``??``). The segment sequence of each message is one that
is valid in all three directories (the common path through their segment groups), and the
coded values come from the directories' code lists, so a validator has real work and no
excuse. Same seed, same size: same bytes.

    python -m bench.generate 10 /tmp/codeco-iftsta-10mb.edi      # megabytes, path
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from typing import BinaryIO

VERSIONS = ("D95B", "D00B", "D01B")
PORTS = ("CNSHA", "CNNGB", "CNSZX", "CNTAO", "CNTXG", "SGSIN", "NLRTM", "DEHAM", "BEANR", "USLAX", "KRPUS", "JPTYO")
CARRIERS = ("COSU", "MAEU", "MSCU", "CMDU", "HLCU", "ONEY", "EGLV", "YMLU")
VESSELS = ("COSCO SHIPPING ARIES", "MAERSK EINDHOVEN", "MSC GULSUN", "CMA CGM MARCO POLO", "EVER GIVEN")
SIZE_TYPES = ("22G1", "42G1", "45G1", "22R1", "45R1", "22U1")
FREE_TEXT = (
    "DOOR SEAL CHECKED AT GATE",
    "HANDLE WITH CARE?: FRAGILE",
    "CONSIGNEE?'S REQUEST?: DELIVER AFTER 14?:00",
    "REEFER SET TO -18C ?+/- 1",
    "DAMAGE REPORTED?? SEE SURVEY",
    "PRE-GATE OK, TRUCK PLATE HU 4521",
    "Released by customs (ref. 2026/118) ?+ inspected",
)


def _check_digit(owner_serial: str) -> str:
    """ISO 6346 check digit of a container number's first ten characters."""
    values = {}
    n = 10
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if n % 11 == 0:
            n += 1
        values[ch] = n
        n += 1
    total = sum((values[c] if c.isalpha() else int(c)) * (2**i) for i, c in enumerate(owner_serial))
    return str(total % 11 % 10)


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def container(self) -> str:
        base = self.rng.choice(CARRIERS)[:3] + "U" + f"{self.rng.randrange(1_000_000):06d}"
        return base + _check_digit(base)

    def stamp(self) -> str:
        r = self.rng
        # a year past: actual events dated ahead of their receipt are refused (edi: code 12), and "now" moves
        return f"2025{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 23):02d}{r.randint(0, 59):02d}"

    def codeco(self, ref: int, version: str) -> list[str]:
        r = self.rng
        gate_in = r.random() < 0.5
        segs = [
            f"UNH+{ref}+CODECO:D:{version[1:]}:UN:ITG14",
            f"BGM+{'34' if gate_in else '36'}+GATE{ref:08d}+9",
            f"FTX+AAI+++{r.choice(FREE_TEXT)}",
            f"TDT+1+{r.randint(100, 999)}E+1++{r.choice(CARRIERS)}:172:20",
            f"LOC+9+{r.choice(PORTS)}:139:6",
            f"NAD+CF+{r.choice(CARRIERS)}:160:20",
        ]
        count = r.randint(1, 4)
        for _ in range(count):
            segs += [
                f"EQD+CN+{self.container()}+{r.choice(SIZE_TYPES)}:102:5++{r.choice('23')}+{r.choice('45')}",
                f"RFF+BN:BKG{r.randrange(10**8):08d}",
                f"DTM+7:{self.stamp()}:203",
                f"LOC+11+{r.choice(PORTS)}:139:6+TERMINAL {r.randint(1, 9)}:TER:ZZZ",
                f"MEA+AAE+G+KGM:{r.randint(2200, 32000)}",
                f"SEL+{r.randrange(10**7):07d}+CA",
                f"FTX+AAA+++{r.choice(FREE_TEXT)}",
                f"TDT+1++3+31+{r.choice(CARRIERS)}:172:20",
                f"LOC+8+{r.choice(PORTS)}:139:6",
            ]
        segs.append(f"CNT+16:{count}")
        segs.append(f"UNT+{len(segs) + 1}+{ref}")
        return segs

    def iftsta(self, ref: int, version: str) -> list[str]:
        r = self.rng
        segs = [
            f"UNH+{ref}+IFTSTA:D:{version[1:]}:UN",
            f"BGM+23+STS{ref:08d}+9",
            f"DTM+137:{self.stamp()}:203",
            f"NAD+CA+{r.choice(CARRIERS)}:160:20",
            f"CNI+1+BL{r.randrange(10**9):09d}",
        ]
        for _ in range(r.randint(1, 3)):
            segs += [
                f"STS+1+{r.choice(('1', '2', '3', '5', '6'))}",
                f"RFF+BM:BL{r.randrange(10**9):09d}",
                f"DTM+7:{self.stamp()}:203",
                f"FTX+AAI+++{r.choice(FREE_TEXT)}",
                f"LOC+5+{r.choice(PORTS)}:139:6",
                f"TDT+20+{r.randint(100, 999)}W+1++{r.choice(CARRIERS)}:172:20+++:::{r.choice(VESSELS)}",
                f"EQD+CN+{self.container()}+{r.choice(SIZE_TYPES)}:102:5",
                f"MEA+AAE+G+KGM:{r.randint(2200, 32000)}",
                f"SEL+{r.randrange(10**7):07d}+CA",
            ]
        segs.append(f"UNT+{len(segs) + 1}+{ref}")
        return segs


def iter_interchange(size_bytes: int, seed: int = 20261125) -> Iterator[str]:
    """Yield the interchange in pieces (UNA..UNZ) until about ``size_bytes`` have been produced."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    control = f"{seed % 10**9:09d}"
    head = f"UNA:+.? 'UNB+UNOC:3+LOGIHUB:ZZZ+PORTCOMMUNITY:ZZZ+261125:1200+{control}++IFTSTA'\n"
    yield head
    produced = len(head)
    messages = 0
    while produced < size_bytes - 64:
        messages += 1
        version = VERSIONS[messages % len(VERSIONS)]
        segs = writer.codeco(messages, version) if messages % 2 else writer.iftsta(messages, version)
        text = "'\n".join(segs) + "'\n"
        produced += len(text)
        yield text
    yield f"UNZ+{messages}+{control}'\n"


def generate(size_bytes: int = 10_000_000, seed: int = 20261125) -> bytes:
    """The whole interchange as bytes (ISO 8859-1, as UNOC declares)."""
    return "".join(iter_interchange(size_bytes, seed)).encode("latin-1")


def write(out: BinaryIO, size_bytes: int, seed: int = 20261125) -> int:
    """Stream the interchange to a binary file; returns the number of bytes written."""
    written = 0
    batch: list[str] = []
    for piece in iter_interchange(size_bytes, seed):
        batch.append(piece)
        if len(batch) >= 1000:
            written += out.write("".join(batch).encode("latin-1"))
            batch.clear()
    written += out.write("".join(batch).encode("latin-1"))
    return written


if __name__ == "__main__":
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    path = sys.argv[2] if len(sys.argv) > 2 else "/dev/stdout"
    with open(path, "wb") as handle:
        size = write(handle, int(megabytes * 1_000_000))
    print(f"{size} bytes written to {path}", file=sys.stderr)
