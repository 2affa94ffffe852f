#!/usr/bin/env python3
"""Throwaway PostgreSQL, RabbitMQ and Redis on loopback: for the integration suite and ``make services``.

    python tests/stack.py start    # prints `export DATABASE_URL=...` lines, records var/stack/state.json
    python tests/stack.py status   # each server: PID, port, version, answering or not (exit 1 if one is down)
    python tests/stack.py env      # the export lines of the running stack again
    python tests/stack.py stop     # stops each server by the PID it started, removes its temporary folder
    python tests/stack.py up       # start, print the exports, stay in the foreground; Ctrl-C stops them all

``eval "$(python tests/stack.py start)"`` puts a shell on the stack: the exports are ``DATABASE_URL``
(database ``logihub``), ``CELERY_BROKER_URL``, ``CHANNEL_LAYER_URL``, a fresh ``SECRET_KEY``,
``DEBUG=0`` (``hub/settings.py`` requires both once a URL is set) and ``LOGIHUB_STACK=external``, which
tells ``tests/integration/run.py`` to reuse this stack instead of starting its own.

What it does, per server, under one temporary folder (``/tmp/logihub-stack-*``):

- installs the Debian package where its binaries are missing (``apt-get install -y
  --no-install-recommends postgresql rabbitmq-server redis-server``, ``apt-get update`` first if that
  fails; needs root);
- PostgreSQL 15: ``initdb`` and ``pg_ctl start`` as the ``postgres`` user when run as root (the server
  refuses root), unix socket inside the folder, TCP on 127.0.0.1 only, trust auth, fsync off; creates
  the database ``logihub``;
- RabbitMQ: its own ``epmd`` on its own port, the broker from ``/usr/lib/rabbitmq/bin/rabbitmq-server``
  with every path (HOME and cookie, mnesia, logs, config, plugins) inside the folder, no plugins,
  guest allowed from loopback;
- Redis: no persistence, bound to 127.0.0.1.

Readiness is checked with a real client (psycopg, pika, redis PING), every wait is bounded, and when a
server cannot be started the command fails naming it, with the end of its log; it never skips.

Ports are fixed but uncommon (PostgreSQL 54329, AMQP 56729, Erlang distribution 25679, epmd 43699,
Redis 63799), each overridable (``LOGIHUB_PG_PORT``, ``LOGIHUB_AMQP_PORT``, ``LOGIHUB_AMQP_DIST_PORT``,
``LOGIHUB_EPMD_PORT``, ``LOGIHUB_REDIS_PORT``). A port already in use (another stack, another program)
is never shared: the next free one is taken. Stacks start one at a time on a machine (a lock file in
the temporary directory), so a second stack sees the ports of the first; each readiness check also
makes sure the server answering is the one just started (PostgreSQL's data directory, Redis's PID,
RabbitMQ's cluster name), and a server that lost its port anyway is retried on another. ``LOGIHUB_STACK_STATE`` (or ``--state``) chooses the state file, so several stacks can run side
by side; ``LOGIHUB_STACK_TMP`` chooses where the temporary folders go.

Stopping signals exactly the PIDs recorded at start (after checking that each PID still runs the
program it recorded, so a recycled PID is never hit): PostgreSQL's postmaster (SIGINT, fast shutdown),
the RabbitMQ beam process and its wrapper and helpers (SIGTERM), epmd, Redis; SIGKILL after a bounded
wait.

Used as a library by ``tests/integration/run.py``: ``start(state_path)`` -> state dict,
``stop(state)``, ``env_of(state)``, ``probe(env)`` -> versions, ``describe(...)``.
Only the standard library, pika, psycopg and redis.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_STATE = REPO / "var" / "stack" / "state.json"
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

PG_READY_TIMEOUT = 60
RABBITMQ_READY_TIMEOUT = 120
REDIS_READY_TIMEOUT = 20
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


# ----------------------------------------------------------------------------------------------- servers


def start_postgresql(root: Path, port: int, info: dict) -> dict:
    bindir = pg_bindir()
    base = root / "pg"
    data, sock, logfile = base / "data", base / "sock", base / "server.log"
    if base.exists():
        shutil.rmtree(base)
    sock.mkdir(parents=True)
    info.update({"host": HOST, "port": port, "marker": str(data), "log": str(logfile), "dir": str(base)})
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
    initdb = run_as_postgres(
        [
            f"{bindir}/initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        timeout=120,
    )
    if initdb.returncode != 0:
        raise StackError("postgresql", f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
    options = (
        f"-k {sock} -p {port} -c listen_addresses={HOST} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    started = run_as_postgres(
        [
            f"{bindir}/pg_ctl",
            "-D",
            str(data),
            "-l",
            str(logfile),
            "-w",
            "-t",
            str(PG_READY_TIMEOUT),
            "-o",
            options,
            "start",
        ],
        timeout=PG_READY_TIMEOUT + 30,
    )
    pid = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((data / "postmaster.pid").read_text().splitlines()[0])
    info["pid"] = pid
    if started.returncode != 0 or not pid_alive(pid):
        stop_postgresql(info)
        raise StackError("postgresql", f"pg_ctl start failed:\n{started.stdout}{started.stderr}\n{tail(logfile)}")

    import psycopg

    deadline, last = time.monotonic() + PG_READY_TIMEOUT, None
    while True:
        try:
            with psycopg.connect(
                host=HOST, port=port, user="postgres", dbname="postgres", connect_timeout=3, autocommit=True
            ) as conn:
                served = conn.execute("SHOW data_directory").fetchone()[0]
                if os.path.realpath(served) != os.path.realpath(data):
                    stop_postgresql(info)
                    raise StackError("postgresql", f"{HOST}:{port} is answered by another server (data {served})")
                info["version"] = conn.execute("SHOW server_version").fetchone()[0].split()[0]
                if conn.execute("SELECT 1 FROM pg_database WHERE datname = 'logihub'").fetchone() is None:
                    conn.execute("CREATE DATABASE logihub")
            break
        except psycopg.Error as exc:
            last = exc
        if time.monotonic() > deadline or not pid_alive(pid):
            stop_postgresql(info)
            raise StackError("postgresql", f"no answer on {HOST}:{port} ({last})\n{tail(logfile)}")
        time.sleep(0.2)
    info["url"] = f"postgresql://postgres@{HOST}:{port}/logihub"
    return info


def stop_postgresql(info: dict) -> None:
    if not info.get("pid") and info.get("marker"):  # interrupted before the PID was read
        with contextlib.suppress(OSError, ValueError, IndexError):
            info["pid"] = int((Path(info["marker"]) / "postmaster.pid").read_text().splitlines()[0])
    terminate(info.get("pid"), info.get("marker", "postgres"), signal.SIGINT, "PostgreSQL")


def start_redis(root: Path, port: int, info: dict) -> dict:
    base = root / "redis"
    base.mkdir(parents=True, exist_ok=True)
    logfile = base / "redis.log"
    with open(logfile, "ab") as out:
        proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", HOST, "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(base)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=base,
        )  # fmt: skip
    # redis-server rewrites its process title to "redis-server 127.0.0.1:<port>"
    info.update(
        {"host": HOST, "port": port, "pid": proc.pid, "marker": f":{port}", "log": str(logfile), "dir": str(base)}
    )

    import redis

    deadline, last = time.monotonic() + REDIS_READY_TIMEOUT, None
    while True:
        if proc.poll() is not None:
            raise StackError("redis", f"redis-server exited with {proc.returncode}\n{tail(logfile)}")
        try:
            client = redis.Redis(host=HOST, port=port, socket_timeout=2, socket_connect_timeout=2)
            if client.ping():
                server = client.info("server")
                client.close()
                if int(server["process_id"]) != proc.pid:
                    stop_redis(info)
                    raise StackError(
                        "redis", f"{HOST}:{port} is answered by another server (PID {server['process_id']})"
                    )
                info["version"] = server["redis_version"]
                break
        except redis.RedisError as exc:
            last = exc
        if time.monotonic() > deadline:
            stop_redis(info)
            raise StackError(
                "redis", f"no PONG from {HOST}:{port} within {REDIS_READY_TIMEOUT}s ({last})\n{tail(logfile)}"
            )
        time.sleep(0.05)
    info["url"] = f"redis://{HOST}:{port}/0"
    return info


def stop_redis(info: dict) -> None:
    terminate(info.get("pid"), info.get("marker", "redis-server"), signal.SIGTERM, "Redis")


def rabbitmq_env(base: Path, port: int, dist_port: int, epmd_port: int, nodename: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
    erl_args = "-kernel inet_dist_use_interface {127,0,0,1}"
    env.update(
        {
            "HOME": str(base / "home"),
            "RABBITMQ_NODENAME": nodename,
            "RABBITMQ_NODE_IP_ADDRESS": HOST,
            "RABBITMQ_NODE_PORT": str(port),
            "RABBITMQ_DIST_PORT": str(dist_port),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_PID_FILE": str(base / "rabbitmq.pid"),
            "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "ERL_EPMD_ADDRESS": HOST,
            "ERL_EPMD_PORT": str(epmd_port),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": erl_args,
            "RABBITMQ_CTL_ERL_ARGS": erl_args,
        }
    )
    return env


def start_rabbitmq(root: Path, port: int, dist_port: int, epmd_port: int, info: dict) -> dict:
    base = root / "rabbitmq"
    if base.exists():
        shutil.rmtree(base)
    home = base / "home"
    for sub in (home, base / "mnesia", base / "log"):
        sub.mkdir(parents=True)
    cluster = f"logihub{port}_{secrets.token_hex(4)}"  # how we know the broker answering is ours
    cookie = home / ".erlang.cookie"
    cookie.write_text("".join(secrets.choice(string.ascii_uppercase) for _ in range(20)))
    cookie.chmod(0o400)
    (base / "rabbitmq.conf").write_text(
        f"loopback_users = none\nlisteners.tcp.default = {HOST}:{port}\nlog.file.level = info\n"
        f"cluster_name = {cluster}\n"
    )
    (base / "enabled_plugins").write_text("[].\n")
    (base / "rabbitmq-env.conf").write_text("")
    env = rabbitmq_env(base, port, dist_port, epmd_port, f"{cluster}@localhost")
    logfile = base / "stdout.log"
    info.update({
        "host": HOST, "port": port, "dist_port": dist_port, "epmd_port": epmd_port, "log": str(logfile),
        "dir": str(base), "marker": str(base), "epmd_marker": f"-port {epmd_port}",
    })  # fmt: skip

    with open(base / "epmd.log", "ab") as out:
        epmd = subprocess.Popen(
            [epmd_binary() or "epmd", "-address", HOST, "-port", str(epmd_port)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env,
        )  # fmt: skip
    info["epmd_pid"] = epmd.pid
    deadline = time.monotonic() + 10
    while True:
        if epmd.poll() is not None:
            raise StackError(
                "rabbitmq", f"epmd exited with {epmd.returncode} (port {epmd_port})\n{tail(base / 'epmd.log')}"
            )
        with contextlib.suppress(OSError), socket.create_connection((HOST, epmd_port), timeout=1):
            break
        if time.monotonic() > deadline:
            stop_rabbitmq(info)
            raise StackError("rabbitmq", f"epmd does not listen on {HOST}:{epmd_port}\n{tail(base / 'epmd.log')}")
        time.sleep(0.05)

    with open(logfile, "ab") as out:
        wrapper = subprocess.Popen(
            [RABBITMQ_SERVER], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, env=env, cwd=base,
        )  # fmt: skip
    info["wrapper_pid"] = wrapper.pid

    import pika

    params = pika.ConnectionParameters(
        host=HOST, port=port, credentials=pika.PlainCredentials("guest", "guest"), connection_attempts=1,
        socket_timeout=3, stack_timeout=5, blocked_connection_timeout=5,
    )  # fmt: skip
    deadline, last = time.monotonic() + RABBITMQ_READY_TIMEOUT, None
    while True:
        if "pid" not in info:
            with contextlib.suppress(OSError, ValueError):
                info["pid"] = int((base / "rabbitmq.pid").read_text().strip())
        if wrapper.poll() is not None:
            stop_rabbitmq(info)
            raise StackError(
                "rabbitmq", f"the broker exited with {wrapper.returncode}\n{tail(logfile)}\n{rabbit_log_tail(base)}"
            )
        try:
            connection = pika.BlockingConnection(params)
            properties = {
                key: value.decode() if isinstance(value, bytes) else value
                for key, value in (connection._impl.server_properties or {}).items()
            }
            connection.channel().close()
            connection.close()
            if properties.get("cluster_name") != cluster:
                stop_rabbitmq(info)
                raise StackError(
                    "rabbitmq", f"{HOST}:{port} is answered by another broker ({properties.get('cluster_name')})"
                )
            info["version"] = str(properties.get("version", "?"))
            info["cluster_name"] = cluster
            break
        except pika.exceptions.AMQPError as exc:
            last = exc
        except OSError as exc:
            last = exc
        if time.monotonic() > deadline:
            stop_rabbitmq(info)
            raise StackError(
                "rabbitmq",
                f"no AMQP connection on {HOST}:{port} within {RABBITMQ_READY_TIMEOUT}s ({last!r})\n"
                f"{tail(logfile)}\n{rabbit_log_tail(base)}",
            )
        time.sleep(0.25)
    if "pid" not in info:  # the wrapper execs nothing: the beam is its child
        beams = [p for p in descendants_of(wrapper.pid) if "beam" in pid_cmdline(p)]
        info["pid"] = beams[0] if beams else None
    info["url"] = f"amqp://guest:guest@{HOST}:{port}//"
    return info


def rabbit_log_tail(base: Path) -> str:
    logs = sorted(glob.glob(str(base / "log" / "*.log")))
    return "\n".join(f"  {path}:\n{tail(path, 15)}" for path in logs)


def stop_rabbitmq(info: dict) -> None:
    marker = info.get("marker", "rabbit")
    if not info.get("pid") and info.get("dir"):  # interrupted before the PID was read
        with contextlib.suppress(OSError, ValueError):
            info["pid"] = int((Path(info["dir"]) / "rabbitmq.pid").read_text().strip())
    beam, wrapper = info.get("pid"), info.get("wrapper_pid")
    helpers = descendants_of(beam) if ours(beam, marker) else []  # erl_child_setup, inet_gethost
    terminate(beam, marker, signal.SIGTERM, "RabbitMQ")
    terminate(wrapper, RABBITMQ_SERVER, signal.SIGTERM, "RabbitMQ's wrapper", timeout=10)
    for pid in helpers:
        with contextlib.suppress(ProcessLookupError):
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
    terminate(info.get("epmd_pid"), info.get("epmd_marker", "epmd"), signal.SIGTERM, "epmd", timeout=5)


# ---------------------------------------------------------------------------------------------- the stack


def with_port_retry(state: dict, server: str, start, ports: dict, taken: set[int], names: tuple[str, ...]) -> dict:
    """Start a server; when it lost a race for one of its ports, take other ports and try again (3 times).

    The server's record is in the state from its first process on, so an interrupted start is stopped too."""
    for attempt in range(3):
        info: dict = {}
        state["servers"][server] = info
        try:
            return start(*(ports[n] for n in names), info)
        except StackError:
            lost = [n for n in names if not port_free(ports[n])]
            if attempt == 2 or not lost:
                raise
            for name in lost:
                old = ports[name]
                ports[name] = pick_port(name, taken)
                log(f"{TITLES[server]}: port {old} ({name}) was taken meanwhile: retrying on {ports[name]}")
    raise AssertionError("unreachable")


def start(state_path: Path | str | None = None) -> dict:
    """Start the three servers, write the state file, return the state. Raises StackError naming the server."""
    state_path = Path(state_path or os.environ.get("LOGIHUB_STACK_STATE") or DEFAULT_STATE)
    began = time.monotonic()
    tmp_parent = os.environ.get("LOGIHUB_STACK_TMP") or None
    with start_lock(Path(tmp_parent or tempfile.gettempdir()) / "logihub-stack.lock"):
        return _start_locked(state_path, tmp_parent, began)


@contextlib.contextmanager
def start_lock(path: Path, timeout: float = 600):
    """One stack starts at a time on this machine, so the next one sees the ports the last one took."""
    import fcntl

    with open(path, "a") as handle:
        deadline, said = time.monotonic() + timeout, False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not said:
                    log(f"another stack is starting ({path}): waiting for it")
                    said = True
                if time.monotonic() > deadline:
                    raise StackError("stack", f"another stack held {path} for {timeout:.0f}s") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def require_clients() -> None:
    missing = [name for name in ("psycopg", "pika", "redis") if importlib.util.find_spec(name) is None]
    if missing:
        raise StackError(
            "stack", f"this Python lacks {', '.join(missing)}: run it with .venv/bin/python ({sys.executable})"
        )


def _start_locked(state_path: Path, tmp_parent: str | None, began: float) -> dict:
    require_clients()
    ensure_installed()
    root = Path(tempfile.mkdtemp(prefix="logihub-stack-", dir=tmp_parent))
    root.chmod(0o755)  # the postgres user must reach its folder inside
    taken: set[int] = set()
    ports = {name: pick_port(name, taken) for name in DEFAULT_PORTS}
    state: dict = {
        "root": str(root),
        "state_file": str(state_path),
        "secret_key": secrets.token_urlsafe(48),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "servers": {},
    }
    state_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.monotonic()
        with_port_retry(state, "postgresql", partial(start_postgresql, root), ports, taken, ("postgresql",))
        write_state(state_path, state)
        t1 = time.monotonic()
        with_port_retry(state, "redis", partial(start_redis, root), ports, taken, ("redis",))
        write_state(state_path, state)
        t2 = time.monotonic()
        names = ("rabbitmq", "rabbitmq_dist", "epmd")
        with_port_retry(state, "rabbitmq", partial(start_rabbitmq, root), ports, taken, names)
        t3 = time.monotonic()
    except BaseException:
        stop(state, quiet=True)
        with contextlib.suppress(OSError):
            state_path.unlink()
        raise
    state["timings_s"] = {
        "install": round(t0 - began, 2),
        "postgresql": round(t1 - t0, 2),
        "redis": round(t2 - t1, 2),
        "rabbitmq": round(t3 - t2, 2),
        "total": round(t3 - began, 2),
    }
    state["env"] = env_of(state)
    write_state(state_path, state)
    return state


def write_state(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    tmp.chmod(0o600)
    tmp.replace(path)


def read_state(path: Path | str | None = None) -> dict | None:
    path = Path(path or os.environ.get("LOGIHUB_STACK_STATE") or DEFAULT_STATE)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def stop(state: dict, quiet: bool = False) -> None:
    """Stop every server of the state by its recorded PID, then remove the temporary folder."""
    servers = state.get("servers", {})
    stoppers = (("rabbitmq", stop_rabbitmq), ("redis", stop_redis), ("postgresql", stop_postgresql))
    for name, stopper in stoppers:
        if name in servers:
            if not quiet:
                log(f"stopping {TITLES[name]} (PID {servers[name].get('pid')})")
            stopper(servers[name])
    root = state.get("root")
    if root and Path(root).name.startswith("logihub-stack-"):
        shutil.rmtree(root, ignore_errors=True)


def alive(state: dict) -> dict[str, bool]:
    servers = state.get("servers", {})
    return {name: ours(servers.get(name, {}).get("pid"), servers.get(name, {}).get("marker", "?")) for name in TITLES}


def env_of(state: dict) -> dict[str, str]:
    servers = state["servers"]
    return {
        "DATABASE_URL": servers["postgresql"]["url"],
        "CELERY_BROKER_URL": servers["rabbitmq"]["url"],
        "CHANNEL_LAYER_URL": servers["redis"]["url"],
        "SECRET_KEY": state["secret_key"],
        "DEBUG": "0",
        "LOGIHUB_STACK": "external",
    }


def probe_each(env: dict[str, str], timeout: float = 5) -> dict[str, dict | StackError]:
    """Ask each server of the URLs for its version: ``{"postgresql": {"version", "address"} or StackError, ...}``."""
    import pika
    import psycopg
    import redis

    def postgresql() -> dict:
        url = env.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise StackError("postgresql", f"DATABASE_URL is not a PostgreSQL URL: {url!r}")
        parts = urlsplit(url)
        try:
            with psycopg.connect(url, connect_timeout=max(1, int(timeout)), autocommit=True) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        except psycopg.Error as exc:
            raise StackError("postgresql", f"no answer at {parts.hostname}:{parts.port}: {exc}") from exc
        return {"version": version, "address": f"{parts.hostname}:{parts.port or 5432}"}

    def rabbitmq() -> dict:
        url = env.get("CELERY_BROKER_URL", "")
        if not url.startswith("amqp://"):
            raise StackError("rabbitmq", f"CELERY_BROKER_URL is not an AMQP URL: {url!r}")
        parts = urlsplit(url)
        params = pika.ConnectionParameters(
            host=parts.hostname or HOST, port=parts.port or 5672,
            virtual_host=unquote(parts.path[1:]) if len(parts.path) > 1 else "/",
            credentials=pika.PlainCredentials(unquote(parts.username or "guest"), unquote(parts.password or "guest")),
            connection_attempts=1, socket_timeout=timeout, stack_timeout=timeout + 2,
        )  # fmt: skip
        try:
            connection = pika.BlockingConnection(params)
            version = (connection._impl.server_properties or {}).get("version", b"?")
            connection.close()
        except (pika.exceptions.AMQPError, OSError) as exc:
            raise StackError("rabbitmq", f"no answer at {parts.hostname}:{parts.port}: {exc!r}") from exc
        version = version.decode() if isinstance(version, bytes) else str(version)
        return {"version": version, "address": f"{parts.hostname}:{parts.port or 5672}"}

    def redis_() -> dict:
        url = env.get("CHANNEL_LAYER_URL", "")
        if not url.startswith(("redis://", "rediss://")):
            raise StackError("redis", f"CHANNEL_LAYER_URL is not a Redis URL: {url!r}")
        parts = urlsplit(url)
        try:
            client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
            if not client.ping():
                raise StackError("redis", f"no PONG from {parts.hostname}:{parts.port}")
            version = client.info("server")["redis_version"]
            client.close()
        except redis.RedisError as exc:
            raise StackError("redis", f"no answer at {parts.hostname}:{parts.port}: {exc}") from exc
        return {"version": version, "address": f"{parts.hostname}:{parts.port or 6379}"}

    result: dict[str, dict | StackError] = {}
    for name, check in (("postgresql", postgresql), ("rabbitmq", rabbitmq), ("redis", redis_)):
        try:
            result[name] = check()
        except StackError as exc:
            result[name] = exc
    return result


def probe(env: dict[str, str], timeout: float = 5) -> dict[str, dict]:
    """Each server's version and address; raises StackError naming the first server that does not answer."""
    result = probe_each(env, timeout)
    for answer in result.values():
        if isinstance(answer, StackError):
            raise answer
    return result  # type: ignore[return-value]


def describe(versions: dict[str, dict]) -> str:
    return ", ".join(
        f"{TITLES[n]} {versions[n]['version']} on {versions[n]['address']}" for n in TITLES if n in versions
    )


def export_lines(env: dict[str, str]) -> str:
    import shlex

    return "\n".join(f"export {key}={shlex.quote(value)}" for key, value in env.items())


# --------------------------------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["start", "stop", "status", "env", "up"])
    parser.add_argument(
        "--state", help=f"state file (default $LOGIHUB_STACK_STATE or {DEFAULT_STATE.relative_to(REPO)})"
    )
    args = parser.parse_args(argv)
    state_path = Path(args.state or os.environ.get("LOGIHUB_STACK_STATE") or DEFAULT_STATE)
    state = read_state(state_path)

    if args.command == "start":
        if state is not None:
            up = alive(state)
            if all(up.values()):
                log(f"already running (state {state_path}): {describe_state(state)}")
                print(export_lines(state["env"]))
                return 0
            log(f"state {state_path} describes a stack that is not (fully) running: cleaning it up")
            stop(state, quiet=True)
            state_path.unlink(missing_ok=True)
        try:
            state = start(state_path)
        except StackError as exc:
            log(f"FAILED: {exc}")
            return 1
        log(f"started in {state['timings_s']['total']:.1f}s: {describe_state(state)}")
        log(f"state in {state_path}; stop with: python tests/stack.py stop")
        print(export_lines(state["env"]))
        return 0

    if args.command == "up":
        return foreground(state_path, state)

    if args.command == "stop":
        if state is None:
            log(f"no stack recorded in {state_path}: nothing to stop")
            return 0
        stop(state)
        state_path.unlink(missing_ok=True)
        log("stopped")
        return 0

    if args.command == "env":
        if state is None or not all(alive(state).values()):
            log(f"no running stack recorded in {state_path}")
            return 1
        print(export_lines(state["env"]))
        return 0

    # status
    if state is None:
        print(f"no stack recorded in {state_path}")
        return 1
    up = alive(state)
    answers = probe_each(state.get("env", {}), timeout=3) if "env" in state else {}
    for name, title in TITLES.items():
        info = state["servers"].get(name, {})
        running = "running" if up[name] else "NOT running"
        print(
            f"{title:<10} {info.get('version', '?'):<8} {info.get('host', HOST)}:{info.get('port', '?'):<6} "
            f"PID {info.get('pid')} {running}, {answer_text(answers.get(name))}"
        )
    print(f"folder {state.get('root')}, started {state.get('started_at')}")
    answering = len(answers) == 3 and not any(isinstance(a, StackError) for a in answers.values())
    return 0 if all(up.values()) and answering else 1


def answer_text(answer: dict | StackError | None) -> str:
    if answer is None:
        return "not probed"
    if isinstance(answer, StackError):
        return f"NOT answering: {str(answer).split(': ', 1)[-1]}"
    return "answering"


def foreground(state_path: Path, state: dict | None) -> int:
    """``up``: start, print the exports, watch the servers until Ctrl-C or SIGTERM, then stop them."""
    if state is not None and any(alive(state).values()):
        log(f"a stack is already recorded in {state_path} (`start`): `stop` it first, or use it (`env`)")
        return 1
    if state is not None:
        stop(state, quiet=True)
        state_path.unlink(missing_ok=True)

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    try:
        state = start(state_path)
    except StackError as exc:
        log(f"FAILED: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    code = 0
    try:
        log(f"started in {state['timings_s']['total']:.1f}s: {describe_state(state)}")
        print(export_lines(state["env"]), flush=True)
        log("running: paste the exports above into another shell; Ctrl-C stops the servers")
        while True:
            time.sleep(2)
            down = [TITLES[name] for name, up in alive(state).items() if not up]
            if down:
                log(f"{', '.join(down)} stopped unexpectedly: stopping the rest")
                code = 1
                break
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave servers behind
        stop(state)
        state_path.unlink(missing_ok=True)
        log("stopped")
    return code


def describe_state(state: dict) -> str:
    servers = state["servers"]
    return describe(
        {n: {"version": s.get("version", "?"), "address": f"{s['host']}:{s['port']}"} for n, s in servers.items()}
    )


if __name__ == "__main__":
    sys.exit(main())
