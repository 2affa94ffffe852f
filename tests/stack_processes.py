"""The stack's plumbing: which server binaries exist (and installing them), loopback ports, and the
processes it starts (is a PID still ours, its children, stopping it for sure, its log's last lines).

Part of ``tests/stack.py``, which re-exports these names; only the standard library.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"

DEFAULT_PORTS = {"postgresql": 54329, "rabbitmq": 56729, "rabbitmq_dist": 25679, "epmd": 43699, "redis": 63799}
PORT_ENV = {
    "postgresql": "LOGIHUB_PG_PORT",
    "rabbitmq": "LOGIHUB_AMQP_PORT",
    "rabbitmq_dist": "LOGIHUB_AMQP_DIST_PORT",
    "epmd": "LOGIHUB_EPMD_PORT",
    "redis": "LOGIHUB_REDIS_PORT",
}
TITLES = {"postgresql": "PostgreSQL", "rabbitmq": "RabbitMQ", "redis": "Redis"}
PACKAGES = {"postgresql": "postgresql", "rabbitmq": "rabbitmq-server", "redis": "redis-server"}
RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
STOP_TIMEOUT = 30
APT_TIMEOUT = 900


class StackError(RuntimeError):
    """A server could not be installed, started or reached; the message names it."""

    def __init__(self, server: str, message: str):
        self.server = server
        super().__init__(f"{TITLES.get(server, server)} could not be started: {message}")


def log(message: str) -> None:
    print(f"stack: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- binaries


def pg_bindir() -> str | None:
    override = os.environ.get("LOGIHUB_PG_BINDIR")
    if override:
        return override if os.path.exists(os.path.join(override, "pg_ctl")) else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    preferred = [p for p in found if p.split("/")[4] == "15"]
    chosen = (preferred or found[-1:] or [None])[0]
    return os.path.dirname(chosen) if chosen else None


def epmd_binary() -> str | None:
    return shutil.which("epmd") or next(iter(sorted(glob.glob("/usr/lib/erlang/erts-*/bin/epmd"))), None)


def missing_servers() -> list[str]:
    missing = []
    if pg_bindir() is None:
        missing.append("postgresql")
    if not os.path.exists(RABBITMQ_SERVER) or epmd_binary() is None:
        missing.append("rabbitmq")
    if shutil.which("redis-server") is None:
        missing.append("redis")
    return missing


def ensure_installed() -> None:
    """Install the Debian packages of the servers whose binaries are missing; fail naming them."""
    missing = missing_servers()
    if not missing:
        return
    names = ", ".join(TITLES[m] for m in missing)
    if os.geteuid() != 0:
        raise StackError(missing[0], f"{names} not installed and not running as root to apt-get install them")
    if shutil.which("apt-get") is None:
        raise StackError(missing[0], f"{names} not installed and there is no apt-get on this machine")
    packages = [PACKAGES[m] for m in missing]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "--no-install-recommends", *packages]
    log(f"installing {' '.join(packages)} from Debian's packages")
    outcome = ""
    for attempt in ("install", "update+install"):
        if attempt == "update+install":
            log(f"{outcome}: running apt-get update and trying again")
            update = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "update"]
            subprocess.run(update, env=env, stdout=sys.stderr, timeout=APT_TIMEOUT)
        result = subprocess.run(install, env=env, stdout=sys.stderr, stderr=sys.stderr, timeout=APT_TIMEOUT)
        still = missing_servers()
        if result.returncode == 0 and not still:
            return
        if result.returncode != 0:
            outcome = f"`{' '.join(install)}` failed with status {result.returncode}"
        else:
            outcome = f"`{' '.join(install)}` did not provide {', '.join(TITLES[m] for m in still)}"
    raise StackError((still or missing)[0], outcome)


# ------------------------------------------------------------------------------------------ ports, processes


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def pick_port(name: str, taken: set[int]) -> int:
    """The configured port, or the next free one after it when something already listens there."""
    value = os.environ.get(PORT_ENV[name])
    wanted = int(value) if value else DEFAULT_PORTS[name]
    for candidate in range(wanted, min(wanted + 200, 65535)):
        if candidate not in taken and port_free(candidate):
            if candidate != wanted:
                log(f"port {wanted} ({name}) is in use: taking {candidate}")
            taken.add(candidate)
            return candidate
    with socket.socket() as sock:  # the kernel's choice, as a last resort
        sock.bind((HOST, 0))
        port = sock.getsockname()[1]
    taken.add(port)
    return port


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def pid_cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def ours(pid: int | None, marker: str) -> bool:
    """The PID is alive and still runs the program we started (its command line holds the marker)."""
    return pid_alive(pid) and marker in pid_cmdline(pid)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


def descendants_of(pid: int) -> list[int]:
    result, todo = [], [pid]
    while todo:
        for child in children_of(todo.pop()):
            result.append(child)
            todo.append(child)
    return result


def wait_dead(pids: list[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in pids:  # reap our own children, if they are ours
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
        if not any(pid_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return not any(pid_alive(pid) for pid in pids)


def terminate(pid: int | None, marker: str, sig: int, what: str, timeout: float = STOP_TIMEOUT) -> None:
    """Send ``sig`` to the PID if it still runs what we started; SIGKILL it and its children after ``timeout``."""
    if not ours(pid, marker):
        return
    family = [pid, *descendants_of(pid)]
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    if wait_dead([pid], timeout):
        leftovers = [p for p in family[1:] if pid_alive(p)]
        for child in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)
        if leftovers and not wait_dead(leftovers, 5):
            for child in leftovers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
        return
    log(f"{what} (PID {pid}) did not stop within {timeout:.0f}s: SIGKILL")
    for member in family:
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)
    wait_dead(family, 5)


def tail(path: Path | str, lines: int = 25) -> str:
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


def run_as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)
