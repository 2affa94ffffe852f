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
``stop(state)``, ``env_of(state)``, ``probe(env)`` -> versions, ``describe(...)``; the benchmarks
and fault tests start and stop single servers with the re-exported ``start_postgresql`` and kin.
This file holds the stack (state, start, stop, probes) and the command line; each server's start
and stop are in ``stack_servers.py``, binaries, ports and processes in ``stack_processes.py``.
Only the standard library, pika, psycopg and redis.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_STATE = REPO / "var" / "stack" / "state.json"
if str(Path(__file__).resolve().parent) not in sys.path:  # its parts beside it, however this file was loaded
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack_processes import (  # noqa: E402  (re-exported: the launcher, the fault tests and the benchmarks use them)
    DEFAULT_PORTS,
    HOST,
    RABBITMQ_SERVER,
    TITLES,
    StackError,
    descendants_of,
    ensure_installed,
    log,
    ours,
    pg_bindir,
    pick_port,
    pid_alive,
    pid_cmdline,
    port_free,
    run_as_postgres,
    tail,
    terminate,
    wait_dead,
)
from stack_servers import (  # noqa: E402
    rabbitmq_env,
    start_postgresql,
    start_rabbitmq,
    start_redis,
    stop_postgresql,
    stop_rabbitmq,
    stop_redis,
)

__all__ = [
    "DEFAULT_PORTS", "HOST", "RABBITMQ_SERVER", "TITLES", "StackError", "descendants_of", "ensure_installed", "log", "ours",
    "pg_bindir", "pick_port", "pid_alive", "pid_cmdline", "port_free", "rabbitmq_env", "run_as_postgres",
    "start_postgresql", "start_rabbitmq", "start_redis", "stop_postgresql", "stop_rabbitmq", "stop_redis",
    "tail", "terminate", "wait_dead",
]  # fmt: skip


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
