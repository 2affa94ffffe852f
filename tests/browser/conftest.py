"""Browser suite: Debian's Chromium through Playwright against a live Daphne server.

The session starts ``daphne`` on a free 127.0.0.1 port over a fresh SQLite database (migrated
and seeded with ``seed_demo``), installs Chromium from Debian's packages when it is missing,
and keeps a screenshot of every page a test visits under ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def ensure_chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True)
        done = subprocess.run(install, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"Chromium could not be installed from Debian's packages: {done.stderr[-500:]}")
    return CHROMIUM


def ensure_cjk_font() -> None:
    """Best effort: a small Chinese font from Debian (WenQuanYi Micro Hei) so that screenshots of the
    zh-Hans pages show characters, not boxes. The pages ship no fonts; they name system fonts."""
    listed = (
        subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True) if shutil.which("fc-list") else None
    )
    if listed is None or listed.stdout.strip():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "fonts-wqy-microhei"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True)
        subprocess.run(install, env=env, capture_output=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CHANNEL_LAYER_URL")}
    env.update({"LOGIHUB_VAR_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "hub.settings", "PYTHONUNBUFFERED": "1"})
    env.setdefault("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "1")  # the demo's server, as `make run` starts it
    return env


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-var")
    env = _env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    seeded = subprocess.run(
        [*manage, "seed_demo"], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True
    )
    logins = dict(re.findall(r"^\s+(operator|forwarder)\s+(\S+)$", seeded.stdout, re.M))
    keys = dict(re.findall(r"^\s+((?:reader )?[A-Z][A-Z0-9-]+)\s+(\S+)$", seeded.stdout, re.M))
    port = free_port()
    daphne = shutil.which("daphne", path=str(Path(sys.executable).parent)) or "daphne"
    log = open(tmp / "daphne.log", "w")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(
        [daphne, "-b", "127.0.0.1", "-p", str(port), "hub.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"daphne did not start: {(tmp / 'daphne.log').read_text()[-2000:]}")
            time.sleep(0.2)
    yield {"url": url, "logins": logins, "keys": keys}
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


#: What Chromium refused under the Content-Security-Policy, from any page of any context (see ``browser``).
CSP_VIOLATIONS: list[str] = []


def _record_csp_violation(message) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.page.url if message.page else '?'}: {message.text}")


@pytest.fixture(scope="session")
def browser():
    """Chromium; every context it opens reports the Content-Security-Policy violations of its pages."""
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    ensure_cjk_font()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        opened = instance.new_context

        def new_context(**options):
            context = opened(**options)
            context.on("console", _record_csp_violation)
            return context

        instance.new_context = new_context
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def no_csp_violations():
    """Every page a test opens runs under the site's Content-Security-Policy without a violation."""
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "\n".join(CSP_VIOLATIONS)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-GB", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    yield page
    shot(page, request.node.name)
    context.close()


def shot(page, name: str) -> None:
    """Keep a full-page screenshot under test-artifacts/browser/ (one per page a test looks at)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, server: dict, username: str) -> None:
    page.goto(server["url"] + "/portal/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(server["logins"][username])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/portal/(ops/)?$"))  # an operator lands on the operators' pages
