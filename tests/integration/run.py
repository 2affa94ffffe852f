#!/usr/bin/env python3
"""Run the integration suite against real servers: ``python tests/integration/run.py [pytest args]``.

1. Starts a throwaway PostgreSQL, RabbitMQ and Redis with ``tests/stack.py`` (its own state file,
   ``var/stack/integration-<pid>.json``, so it never touches a stack of ``make services``), or, with
   ``LOGIHUB_STACK=external`` and ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``CHANNEL_LAYER_URL``,
   ``SECRET_KEY`` set, reuses that stack (e.g. after ``eval "$(python tests/stack.py start)"``).
2. Runs ``python -m pytest tests/integration [args]`` as a child process whose environment holds the
   stack's URLs, ``SECRET_KEY`` and ``DEBUG=0`` from the start: pytest-django loads ``hub.settings``
   before any conftest runs, so this is the one place where the environment can still be set.
3. Stops the servers it started, whatever happened (test failure, Ctrl-C, SIGTERM), and exits with
   pytest's status; 3 when a server could not be started (the message names it).

Extra arguments go to pytest (``-x``, ``-k live``, ``tests/integration/test_stack.py``...).

``--database-only``: the child gets PostgreSQL alone (no broker, no Redis: tasks run in-process and
the channel layer is in memory, as in the unit suite). ``make test`` runs the unit suite so, on real
PostgreSQL as well as on SQLite: what SQLite takes and PostgreSQL refuses (a NUL in text, a lock, a
type) shows there, not first in production.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests"))

import stack  # noqa: E402  (tests/stack.py, beside this folder)

REQUIRED = ("DATABASE_URL", "CELERY_BROKER_URL", "CHANNEL_LAYER_URL", "SECRET_KEY")
CHILD_GRACE_S = 120  # how long pytest may take to tear down after a signal


def say(message: str) -> None:
    print(f"integration: {message}", file=sys.stderr, flush=True)


def pytest_targets(argv: list[str]) -> list[str]:
    """``tests/integration`` unless the arguments already name test paths (under ``tests/``; a ``-k``
    expression such as ``rfid`` is also the name of a folder, and is no path)."""
    for arg in argv:
        path = arg.split("::")[0]
        if path.startswith("tests") and (REPO / path).exists():
            return []
    return ["tests/integration"]


def clean_stale_stacks() -> None:
    """Stop stacks left by launchers that were killed outright (their PID in the file name is gone)."""
    for path in sorted((REPO / "var" / "stack").glob("integration-*.json")):
        try:
            owner = int(path.stem.split("-", 1)[1])
        except ValueError:
            continue
        if owner != os.getpid() and stack.pid_alive(owner):
            continue
        try:
            state = json.loads(path.read_text())
        except (OSError, ValueError):
            state = None
        if state:
            say(f"stopping a stack left behind by launcher {owner} ({path.name})")
            stack.stop(state, quiet=True)
        path.unlink(missing_ok=True)


def _child_setup() -> None:
    """In pytest's process before exec: SIGINT (what pytest tears down on) restored even if this launcher
    was started with it ignored, and sent to pytest should this launcher be killed outright."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_pytest(argv: list[str], env: dict[str, str]) -> int:
    cmd = [sys.executable, "-m", "pytest", *pytest_targets(argv), *argv]
    child = subprocess.Popen(cmd, env=env, cwd=REPO, preexec_fn=_child_setup)

    def forward(signum, _frame):
        # as an interrupt: pytest then tears down (stops its worker and daphne, drops the test database)
        if child.poll() is None:
            child.send_signal(signal.SIGINT)

    # Ctrl-C reaches pytest from the terminal itself (same process group): the launcher only waits for it
    # to tear down. SIGTERM/SIGHUP sent to the launcher alone are passed on as SIGINT.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    try:
        return child.wait()
    finally:
        if child.poll() is None:
            try:
                child.wait(timeout=CHILD_GRACE_S)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def main(argv: list[str]) -> int:
    os.chdir(REPO)
    database_only = "--database-only" in argv
    argv = [arg for arg in argv if arg != "--database-only"]
    began = time.monotonic()
    state = None
    state_path = REPO / "var" / "stack" / f"integration-{os.getpid()}.json"
    if os.environ.get("LOGIHUB_STACK") == "external":
        missing = [name for name in REQUIRED if not os.environ.get(name)]
        if missing:
            say(f"LOGIHUB_STACK=external but {', '.join(missing)} not set")
            return 2
        env = {**os.environ, "DEBUG": os.environ.get("DEBUG") or "0"}
        say("reusing the external stack given by DATABASE_URL, CELERY_BROKER_URL, CHANNEL_LAYER_URL")
    else:
        clean_stale_stacks()
        try:
            state = stack.start(state_path)
        except stack.StackError as exc:
            say(f"FAILED: {exc}")
            return 3
        except KeyboardInterrupt:
            return 130
        say(f"stack started in {state['timings_s']['total']:.1f}s: {stack.describe_state(state)}")
        # LOGIHUB_STACK_STATE: the fault tests restart a server in place and record its new PID there
        env = {**os.environ, **stack.env_of(state), "LOGIHUB_STACK": "started", "LOGIHUB_STACK_STATE": str(state_path)}
    # the suites' webhook receivers listen on 127.0.0.1, which production refuses (tracking/destinations.py)
    env.setdefault("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "1")
    if database_only:
        env = {k: v for k, v in env.items() if k not in ("CELERY_BROKER_URL", "CHANNEL_LAYER_URL")}
    suite_began = time.monotonic()
    code = 1
    try:
        code = run_pytest(argv, env)
    finally:
        suite_s = time.monotonic() - suite_began
        if state is not None:
            stop_began = time.monotonic()
            state = stack.read_state(state_path) or state  # a server restarted by a test has new PIDs
            stack.stop(state, quiet=True)
            state_path.unlink(missing_ok=True)
            say(f"stack stopped in {time.monotonic() - stop_began:.1f}s")
        say(f"suite {suite_s:.1f}s, total {time.monotonic() - began:.1f}s, pytest exit status {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
