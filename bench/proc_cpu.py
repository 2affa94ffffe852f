"""CPU seconds spent by process trees and by the whole machine, read from ``/proc`` (Linux).

A benchmark that runs servers in child processes says where a request's CPU went: in the
servers, the database, the broker, the client itself, or elsewhere on the machine.

    >>> before = snapshot({"servers": [pid1, pid2], "postgresql": [pg_pid]})
    >>> ...                                          # the load
    >>> spent(before, snapshot({...}))               # {"servers": 3.2, ..., "machine": 7.9}
"""

from __future__ import annotations

import os

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _ticks(pid: int) -> int:
    """User and system ticks of a process (all its threads) and of its waited-for children."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(v) for v in fields[11:15])  # utime stime cutime cstime


def _tree_ticks(roots: list[int], tree: dict[int, list[int]]) -> int:
    total, todo, seen = 0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or not pid:
            continue
        seen.add(pid)
        total += _ticks(pid)
        todo.extend(tree.get(pid, ()))
    return total


def _machine_ticks() -> int:
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def snapshot(groups: dict[str, list[int]]) -> dict[str, int]:
    """Ticks so far of each named group of process trees, of this process (``client``) and of the machine."""
    tree = _children()
    out = {name: _tree_ticks(pids, tree) for name, pids in groups.items()}
    own = os.times()
    out["client"] = round((own.user + own.system) * TICK)
    out["machine"] = _machine_ticks()
    return out


def spent(before: dict[str, int], after: dict[str, int]) -> dict[str, float]:
    """CPU seconds per group between two snapshots; ``other`` is the machine's rest."""
    out = {name: max(0, after[name] - before[name]) / TICK for name in after}
    out["other"] = max(0.0, out["machine"] - sum(v for k, v in out.items() if k != "machine"))
    return out
