"""Restarting a server of the integration stack in place, for the fault tests: ``with server_down("rabbitmq")``.

Servers are restarted in place (same data directory, same ports, the broker's durable queues kept) and
their new PIDs are written to the stack's state file (``LOGIHUB_STACK_STATE``, which
``tests/integration/run.py`` sets), so that whoever started the stack stops the restarted servers.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent.parent


def _stack_module():
    """``tests/stack.py``, as the conftest loaded it (one module object per process)."""
    name = "logihub_tests_stack"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "stack.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


stack = _stack_module()


def _reconnect() -> None:
    from django.db import connection

    with contextlib.suppress(Exception):
        connection.close()


def stack_state() -> tuple[Path, dict]:
    """The state file of the running stack, checked to describe the servers this process talks to."""
    path = Path(os.environ.get("LOGIHUB_STACK_STATE") or stack.DEFAULT_STATE)
    state = stack.read_state(path)
    if not state:
        pytest.fail(
            f"restarting a server needs the state file of a stack started by tests/stack.py (none at {path}): "
            "run the suite with tests/integration/run.py, or export LOGIHUB_STACK_STATE"
        )
    servers = state["servers"]
    for name, variable in (("postgresql", "DATABASE_URL"), ("rabbitmq", "CELERY_BROKER_URL")):
        if urlsplit(os.environ[variable]).port != servers[name]["port"]:
            pytest.fail(f"{path} describes another {name} than {variable} ({os.environ[variable]})")
    return path, state


def _save(path: Path, state: dict) -> None:
    stack.write_state(path, state)


def _stop_rabbitmq_broker(info: dict) -> None:
    """SIGTERM the broker (beam, its wrapper, its helpers); epmd and the data directory stay."""
    beam, marker = info.get("pid"), info.get("marker", "rabbit")
    helpers = stack.descendants_of(beam) if stack.ours(beam, marker) else []
    stack.terminate(beam, marker, signal.SIGTERM, "RabbitMQ")
    stack.terminate(info.get("wrapper_pid"), stack.RABBITMQ_SERVER, signal.SIGTERM, "RabbitMQ's wrapper", timeout=10)
    for pid in helpers:
        with contextlib.suppress(ProcessLookupError):
            if stack.pid_alive(pid):
                os.kill(pid, signal.SIGKILL)


def _start_rabbitmq_broker(info: dict, timeout: float = 90) -> None:
    """Start the broker again on its data directory (same node name: its durable queues come back)."""
    import pika

    base = Path(info["dir"])
    env = stack.rabbitmq_env(
        base, info["port"], info["dist_port"], info["epmd_port"], f"{info['cluster_name']}@localhost"
    )
    (base / "rabbitmq.pid").unlink(missing_ok=True)
    with open(info["log"], "ab") as out:
        wrapper = subprocess.Popen(
            [stack.RABBITMQ_SERVER], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, env=env, cwd=base,
        )  # fmt: skip
    info["wrapper_pid"], info["pid"] = wrapper.pid, None
    params = pika.ConnectionParameters(
        host=info["host"], port=info["port"], credentials=pika.PlainCredentials("guest", "guest"),
        connection_attempts=1, socket_timeout=3, blocked_connection_timeout=5,
    )  # fmt: skip
    deadline, last = time.monotonic() + timeout, None
    logging.getLogger("pika").setLevel(logging.CRITICAL)  # every refused attempt is logged at ERROR
    while True:
        if wrapper.poll() is not None:
            pytest.fail(f"RabbitMQ did not start again (exit {wrapper.returncode}):\n{stack.tail(info['log'])}")
        try:
            pika.BlockingConnection(params).close()
            break
        except (pika.exceptions.AMQPError, OSError) as exc:
            last = exc
        if time.monotonic() > deadline:
            pytest.fail(f"RabbitMQ did not answer again within {timeout:.0f}s ({last!r}):\n{stack.tail(info['log'])}")
        time.sleep(0.25)
    with contextlib.suppress(OSError, ValueError):
        info["pid"] = int((base / "rabbitmq.pid").read_text().strip())
    if not info["pid"]:
        beams = [p for p in stack.descendants_of(wrapper.pid) if "beam" in stack.pid_cmdline(p)]
        info["pid"] = beams[0] if beams else None


def _postgres_options(data: Path) -> str:
    """The server options of the last start (``postmaster.opts``), for ``pg_ctl start -o``."""
    words = shlex.split((data / "postmaster.opts").read_text())[1:]
    if "-D" in words:
        at = words.index("-D")
        del words[at : at + 2]
    return shlex.join(words)


def _start_postgresql(info: dict, options: str, timeout: float = 60) -> None:
    data = Path(info["marker"])
    started = stack.run_as_postgres(
        [f"{stack.pg_bindir()}/pg_ctl", "-D", str(data), "-l", info["log"], "-w", "-t", str(int(timeout)),
         "-o", options, "start"],
        timeout=timeout + 30,
    )  # fmt: skip
    if started.returncode != 0:
        pytest.fail(f"PostgreSQL did not start again:\n{started.stdout}{started.stderr}\n{stack.tail(info['log'])}")
    info["pid"] = int((data / "postmaster.pid").read_text().splitlines()[0])


@contextlib.contextmanager
def server_down(name: str):
    """Stop the stack's ``rabbitmq`` or ``postgresql`` for the body of the ``with``, then start it again.

    Yields when the server is down; on leaving, the server is started again on the same data and the
    new PIDs are recorded in the state file (so the launcher stops the right processes)."""
    path, state = stack_state()
    info = state["servers"][name]
    began = time.monotonic()
    if name == "rabbitmq":
        _stop_rabbitmq_broker(info)
        start = _start_rabbitmq_broker
    elif name == "postgresql":
        options = _postgres_options(Path(info["marker"]))
        stack.stop_postgresql(info)

        def start(info: dict) -> None:
            _start_postgresql(info, options)
    else:
        raise ValueError(name)
    timings = {"stop_s": time.monotonic() - began}
    try:
        yield timings
    finally:
        began = time.monotonic()
        try:
            start(info)
        finally:
            _save(path, state)
            _reconnect()  # this process's own database connection did not survive a PostgreSQL restart
        timings["start_s"] = time.monotonic() - began
