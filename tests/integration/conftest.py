"""The integration suite: real PostgreSQL, RabbitMQ and Redis, real Celery worker and Daphne processes.

How to run it::

    python tests/integration/run.py [pytest args]     # starts a throwaway stack, runs the suite, stops it

    eval "$(python tests/stack.py start)"              # or: a stack that stays up between runs,
    python tests/integration/run.py                    # reused because LOGIHUB_STACK=external is exported
    python tests/stack.py stop                         # (plain `pytest tests/integration` works then too)

Why a launcher rather than a fixture that starts the servers: ``hub/settings.py`` reads
``DATABASE_URL``, ``CELERY_BROKER_URL``, ``CHANNEL_LAYER_URL``, ``SECRET_KEY`` and ``DEBUG`` when it is
imported, and pytest-django imports it in ``pytest_load_initial_conftests``, before this conftest is
even loaded. Rewriting settings after that would test a configuration production never has (and the
Celery app, the channel layer and the database connections would already be built). So
``tests/integration/run.py`` starts the stack (``tests/stack.py``) and runs pytest as a child process
with the environment set from its first line; Django, the test code and every subprocess the tests
start (``celery worker``, ``daphne``) see exactly what a production process would.

The suite is never skipped: run without the stack (say by a plain ``pytest`` on SQLite), each test
here fails with a message saying how to run it, and a server that does not answer fails the tests
naming that server. The session summary names the three servers and their versions.

pytest-django creates the test database ``test_logihub`` on that PostgreSQL. Tests that share data
with another process use ``@pytest.mark.django_db(transaction=True)`` (committed rows, flushed after
the test) and hand the process ``test_database_url``; those processes are stopped before the test
database is flushed or dropped. Every process binds 127.0.0.1, every wait has a timeout, and each
process is stopped by its PID with its children (a Celery pool child outlives a killed parent).
Two runs that reuse the same external stack at once would share ``test_logihub``: don't; the
launcher's own stacks never collide (each takes free ports).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.integration.server_restarts import stack  # tests/stack.py, loaded once per process

REPO = Path(__file__).resolve().parent.parent.parent
HOW_TO_RUN = (
    "the integration suite runs against real PostgreSQL, RabbitMQ and Redis: run it with "
    "`python tests/integration/run.py` (it starts them), or export LOGIHUB_STACK=external with "
    "DATABASE_URL, CELERY_BROKER_URL, CHANNEL_LAYER_URL, SECRET_KEY and DEBUG=0 "
    '(e.g. eval "$(python tests/stack.py start)")'
)


STACK_REPORT = pytest.StashKey[str]()
# The logs of the processes the tests start (daphne, celery worker), kept after the run; the last 5 runs.
LOG_ROOT = REPO / "var" / "integration-logs"
LOG_DIR = LOG_ROOT / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
# pika logs every connection open/close at INFO through Django's console handler: noise, and after an
# interrupt that handler's captured stream is already closed.
logging.getLogger("pika").setLevel(logging.WARNING)


# ------------------------------------------------------------------------------------------- the stack


def configuration_problem() -> str | None:
    """Why this process's Django is not configured for the real stack, or None."""
    from django.conf import settings

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "hub.db":  # Django's PostgreSQL backend, hub/db/base.py
        problems.append(f"the database is {settings.DATABASES['default']['ENGINE']}, not PostgreSQL")
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL.startswith("amqp://"):
        problems.append("Celery runs tasks in-process, not through RabbitMQ")
    if "Redis" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        problems.append(f"the channel layer is {settings.CHANNEL_LAYERS['default']['BACKEND']}, not Redis")
    return "; ".join(problems) or None


def stack_env() -> dict[str, str]:
    return {name: os.environ.get(name, "") for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CHANNEL_LAYER_URL")}


@dataclass
class Stack:
    env: dict[str, str]
    versions: dict[str, dict]
    description: str
    started_here: bool = field(default=False)


def _stack_line(config: pytest.Config) -> str:
    if STACK_REPORT not in config.stash:
        problem = configuration_problem()
        if problem:
            config.stash[STACK_REPORT] = f"integration stack: NOT CONFIGURED ({problem})"
        else:
            try:
                versions = stack.probe(stack_env(), timeout=5)
                config.stash[STACK_REPORT] = f"integration stack: {stack.describe(versions)}"
            except stack.StackError as exc:
                config.stash[STACK_REPORT] = f"integration stack: NOT ANSWERING ({exc})"
    return config.stash[STACK_REPORT]


def pytest_report_header(config: pytest.Config) -> str:
    return _stack_line(config)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    items = getattr(terminalreporter._session, "items", None) or []
    if any(item.get_closest_marker("integration") for item in items):
        terminalreporter.write_sep("-", "integration stack")
        terminalreporter.write_line(_stack_line(config))
        if LOG_DIR.exists():
            terminalreporter.write_line(f"logs of the processes the tests started: {LOG_DIR.relative_to(REPO)}")


def log_dir() -> Path:
    if not LOG_DIR.exists():
        LOG_DIR.mkdir(parents=True)
        for old in sorted(LOG_ROOT.iterdir())[:-5]:
            shutil.rmtree(old, ignore_errors=True)
    return LOG_DIR


@pytest.fixture(scope="session", autouse=True)
def integration_stack(request) -> Stack:
    """The running stack; fails every test (never skips) when it is not configured or a server is down."""
    problem = configuration_problem()
    if problem:
        pytest.fail(f"{problem}: {HOW_TO_RUN}", pytrace=False)
    try:
        versions = stack.probe(stack_env(), timeout=5)
    except stack.StackError as exc:
        pytest.fail(f"{exc}", pytrace=False)
    description = stack.describe(versions)
    request.config.stash[STACK_REPORT] = f"integration stack: {description}"
    return Stack(stack_env(), versions, description, os.environ.get("LOGIHUB_STACK") == "started")


def url_with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture(scope="session")
def test_database_url(integration_stack, django_db_setup) -> str:
    """The URL of pytest-django's test database (``test_logihub``), for processes the tests start."""
    from django.db import connection

    return url_with_database(integration_stack.env["DATABASE_URL"], connection.settings_dict["NAME"])


@pytest.fixture(scope="session")
def subprocess_env(test_database_url) -> dict[str, str]:
    """The environment of a production process of this stack, on the test database."""
    return {
        **os.environ,
        "DATABASE_URL": test_database_url,
        "DB_CONN_MAX_AGE": "0",  # no connection outlives a request or task: the test DB can be flushed
        "DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def amqp_channel():
    """A factory of pika channels to the stack's RabbitMQ (each on its own connection, closed afterwards)."""
    import pika

    parts = urlsplit(os.environ["CELERY_BROKER_URL"])
    params = pika.ConnectionParameters(
        host=parts.hostname,
        port=parts.port or 5672,
        virtual_host="/",
        credentials=pika.PlainCredentials(parts.username or "guest", parts.password or "guest"),
        connection_attempts=1,
        socket_timeout=5,
        blocked_connection_timeout=10,
    )
    connections = []

    def open_channel():
        connection = pika.BlockingConnection(params)
        connections.append(connection)
        return connection.channel()

    yield open_channel
    for connection in connections:
        with contextlib.suppress(Exception):
            connection.close()


# ----------------------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the pytest process dies, so no server outlives a killed run."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ServerProcess:
    """A process the tests start: its own session, its output in a log file, stopped by its PID."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], log_path: Path):
        self.name, self.cmd, self.log_path = name, cmd, log_path
        self.log_file = open(log_path, "ab")  # noqa: SIM115  (closed in stop())
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.pid = self.proc.pid
        self.killed_leftovers: list[int] = []
        self.returncode: int | None = None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log(self, lines: int = 40) -> str:
        return stack.tail(self.log_path, lines)

    def wait_until(self, predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.1):
        """Poll ``predicate`` until it is truthy; fail naming ``what`` with the log if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                value = predicate()
                if value:
                    return value
            except Exception as exc:
                last_error = exc
            if not self.alive():
                pytest.fail(f"{self.name} exited with {self.proc.returncode} while waiting for {what}:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{what}: not within {timeout:.0f}s (last error: {last_error!r}); {self.name} log:\n{self.log()}"
                )
            time.sleep(interval)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Signal the main PID, wait, then end every child it had (noted before the signal) that is still alive."""
        if self.returncode is not None:
            return self.returncode
        family = stack.descendants_of(self.pid)
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                family += stack.descendants_of(self.pid)
                self.proc.kill()
                self.proc.wait(timeout=10)
        family += [p for p in stack.descendants_of(self.pid) if p not in family]
        leftovers = [pid for pid in family if stack.pid_alive(pid)]
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        stack.wait_dead(leftovers, 5)
        self.killed_leftovers = leftovers
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)  # its own session: anything else it started
        self.returncode = self.proc.returncode
        self.log_file.close()
        return self.returncode


@pytest.fixture
def processes(request):
    """Start processes with ``processes(name, cmd, env)``; any still running are stopped after the test."""
    started: list[ServerProcess] = []

    def start(name: str, cmd: list[str], env: dict[str, str]) -> ServerProcess:
        process = ServerProcess(name, cmd, env, log_dir() / f"{request.node.name[:60]}-{name}-{len(started)}.log")
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        process.stop()


@dataclass
class LiveServer:
    process: ServerProcess
    port: int

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


def _http_status(url: str, timeout: float = 5) -> int:
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="session")
def live_daphne(subprocess_env) -> LiveServer:
    """``daphne -b 127.0.0.1 -p <free port> hub.asgi:application`` on the stack and the test database.

    Session-scoped (pytest-django reorders database tests across modules, which would restart a
    module-scoped server); it is stopped before the test database is dropped, which it depends on."""
    for attempt in range(3):  # a free port can be taken between our check and daphne's bind
        port = free_port()
        cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "hub.asgi:application"]
        process = ServerProcess("daphne", cmd, subprocess_env, log_dir() / f"daphne-{attempt}.log")
        deadline = time.monotonic() + 60
        while process.alive() and time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                if _http_status(f"http://127.0.0.1:{port}/healthz", timeout=10):
                    break
            time.sleep(0.1)
        if process.alive() and time.monotonic() < deadline:
            break
        process.stop()
        if attempt == 2 or "Address already in use" not in process.log():
            pytest.fail(f"daphne did not serve http://127.0.0.1:{port}/ within 60s:\n{process.log()}")
    try:
        yield LiveServer(process, port)
    finally:
        process.stop()
