"""EDIFACT read and validate speed against pydifact 0.2.3, and the memory of a 100 MB validation.

On one generated 10 MB CODECO/IFTSTA interchange (:mod:`bench.generate`), in the same run:

* baseline: pydifact's stock ``Interchange.from_str(text)`` plus iterating every segment;
* ours, read alone: ``read_interchange(bytes)`` iterated to the last message (decoding, UNA,
  release characters, envelope counts and references); targets 5x pydifact, in MB/s and messages/s;
* ours, read + full directory validation (``edi.validate.validate_interchange``): target 2x;
* memory: a 100 MB interchange written to a temporary file and validated streaming in a child
  process; its peak resident set must stay under 500 MB.

    python -m bench.edi_parse            # prints the figures, returns them from run()
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from bench.generate import generate
from bench.harness import main_for, measure, result

SIZE = 10_000_000
MEMORY_SIZE = 100_000_000
MEMORY_LIMIT_MB = 500
MEMORY_TIMEOUT_S = 300
ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import resource, sys, time
from bench.generate import write
from edi.validate import validate_interchange
path = sys.argv[1]
with open(path, "wb") as out:
    size = write(out, int(sys.argv[2]))
started = time.perf_counter()
with open(path, "rb") as handle:
    result = validate_interchange(handle)
elapsed = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(size, len(result.messages), len(result.errors), elapsed, peak_kb)
"""


def _pydifact_parse(text: str) -> int:
    from pydifact.segmentcollection import Interchange

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns for every segment about segments.xml it lacks
        interchange = Interchange.from_str(text)
        return sum(1 for _ in interchange.segments)


def _read(data: bytes) -> int:
    from edi.parse.interchange import read_interchange

    return sum(1 for _ in read_interchange(data))


def _validate(data: bytes) -> int:
    from edi.validate import validate_interchange

    return len(validate_interchange(data).messages)


def _memory() -> tuple[float, str]:
    """Peak RSS (MB) of a child that writes and validates a 100 MB interchange from a file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "interchange-100mb.edi")
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, path, str(MEMORY_SIZE)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=MEMORY_TIMEOUT_S,
            check=True,
        )
    size, messages, errors, elapsed, peak_kb = done.stdout.split()
    note = f"{int(size) / 1e6:.0f} MB, {messages} messages, {errors} errors, validated in {float(elapsed):.1f} s"
    return int(peak_kb) / 1024, note


def run(size: int = SIZE, memory: bool = True) -> list[dict]:
    data = generate(size)
    text = data.decode("latin-1")
    mb = len(data) / 1e6
    messages = _read(data)

    base = measure(lambda: _pydifact_parse(text), repeat=2)  # best of two: fair to the baseline under load
    read = measure(lambda: _read(data), repeat=3)
    full = measure(lambda: _validate(data), repeat=2)
    base_rate, base_msgs = mb / base, messages / base
    print(
        f"   {mb:.1f} MB, {messages} messages: pydifact {base_rate:.2f} MB/s ({base_msgs:.0f} msg/s); "
        f"read {mb / read:.2f} MB/s ({messages / read:.0f} msg/s, {base / read:.1f}x, target 5x); "
        f"read+validate {mb / full:.2f} MB/s ({messages / full:.0f} msg/s, {base / full:.1f}x, target 2x)",
        flush=True,
    )
    label = "pydifact 0.2.3 Interchange.from_str + iterate segments"
    figures = [
        result(
            f"edi read {mb:.0f} MB CODECO/IFTSTA (MB/s)",
            mb / read,
            "MB/s",
            baseline=label,
            baseline_value=base_rate,
            target=">= 5x pydifact",
            met=base / read >= 5,
        ),
        result(
            "edi read messages/s",
            messages / read,
            "messages/s",
            baseline=label,
            baseline_value=base_msgs,
            target=">= 5x pydifact",
            met=base / read >= 5,
        ),
        result(
            "edi read + directory validation (MB/s)",
            mb / full,
            "MB/s",
            baseline=label,
            baseline_value=base_rate,
            target=">= 2x pydifact",
            met=base / full >= 2,
        ),
        result(
            "edi read + directory validation messages/s",
            messages / full,
            "messages/s",
            baseline=label,
            baseline_value=base_msgs,
            target=">= 2x pydifact",
            met=base / full >= 2,
        ),
    ]
    if memory:
        peak, note = _memory()
        print(f"   memory check: {note}, peak RSS {peak:.0f} MB", flush=True)
        figures.append(
            result(
                "edi validate 100 MB streaming, peak RSS",
                peak,
                "MB",
                baseline="limit",
                baseline_value=MEMORY_LIMIT_MB,
                target=f"< {MEMORY_LIMIT_MB} MB",
                met=peak < MEMORY_LIMIT_MB,
            )
        )
    return figures


def main() -> None:
    """``python -m bench.edi_parse [MEGABYTES]``: print the figures (10 MB unless told)."""
    size = int(float(sys.argv[1]) * 1_000_000) if len(sys.argv) > 1 else SIZE
    started = time.perf_counter()
    main_for(lambda: run(size))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
