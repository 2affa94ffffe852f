"""Starting and stopping each server of the stack: PostgreSQL, Redis, RabbitMQ (with its own epmd).

Each ``start_*`` fills the ``info`` dict it is given from the first process on (so an interrupted start
can be stopped), waits until a real client gets an answer from the server it started, and returns it.
Part of ``tests/stack.py``, which re-exports these names.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
from pathlib import Path

from stack_processes import (
    HOST,
    RABBITMQ_SERVER,
    StackError,
    descendants_of,
    epmd_binary,
    ours,
    pg_bindir,
    pid_alive,
    pid_cmdline,
    run_as_postgres,
    tail,
    terminate,
)

PG_READY_TIMEOUT = 60
RABBITMQ_READY_TIMEOUT = 120
REDIS_READY_TIMEOUT = 20


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
