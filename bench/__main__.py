"""``python -m bench`` (``make bench``): run every benchmark, print the table, write results.json."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench.harness import print_table, write_results

SKIP = {"harness", "generate", "__main__"}


def main() -> int:
    names = sys.argv[1:] or sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name not in SKIP and not m.name.startswith("_")
    )
    results: list[dict] = []
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        started = time.perf_counter()
        print(f"== bench.{name}", flush=True)
        try:
            results.extend(module.run())
        except Exception as exc:  # report every broken benchmark, run the rest
            failed.append(name)
            print(f"bench.{name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    print_table(results)
    path = write_results(results)
    print(f"results written to {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
