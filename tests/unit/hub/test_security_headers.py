"""Security headers and cookie flags: what every answer carries, and what production adds."""

import os
import subprocess
import sys

import pytest

from tests.unit.hub.settings_process import PRODUCTION, ROOT, production_value


def test_production_sends_hsts_for_a_year_and_marks_cookies_secure_and_http_only():
    values = "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY"
    assert production_value(values) == "31536000 True True True"
    assert production_value("s.SECURE_HSTS_SECONDS", SECURE_HSTS_SECONDS="0") == "0"


def test_cookies_are_secure_whenever_debug_is_off_even_without_a_production_url():
    embedded_env = {"DATABASE_URL": "", "DEBUG": "0"}
    assert production_value("s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE", **embedded_env) == "True True"
    debug_env = {"DATABASE_URL": "", "DEBUG": "1"}
    assert production_value("s.SESSION_COOKIE_SECURE", **debug_env) == "False"  # make run over plain HTTP


def test_a_tls_proxy_header_is_trusted_only_when_named():
    assert production_value("getattr(s, 'SECURE_PROXY_SSL_HEADER', None)") == "None"
    named = production_value("s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert named == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_deployment_check_finds_only_what_is_left_to_the_deployment():
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_", "CHANNEL_", "SECURE_"))
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "hub.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = {line.split(")")[0].split("(")[-1] for line in done.stderr.splitlines() if "(security." in line}
    # left to the deployment, documented: SECURE_SSL_REDIRECT where no proxy redirects (W008); HSTS for
    # subdomains (W005) and preloading (W021), which bind every subdomain and cannot be taken back quickly
    assert found == {"security.W005", "security.W008", "security.W021"}, done.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/track/", "/portal/login/", "/api/v1/public/track/MSKU1234565", "/admin/login/"])
def test_every_answer_refuses_framing_and_sniffing_and_keeps_referrers_home(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_goes_only_with_https_as_the_trusted_proxy_reports_it(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert "Strict-Transport-Security" not in client.get("/track/")
    answer = client.get("/track/", HTTP_X_FORWARDED_PROTO="https")
    assert answer["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.django_db
def test_health_probes_over_plain_http_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/track/").status_code == 301
    assert client.get("/healthz").status_code != 301


@pytest.mark.django_db
def test_cr_lf_in_a_query_never_reaches_a_header_we_echo(api_client, party_key):
    response = api_client.get(
        "/api/v1/events?transportDocumentReference=BL1%0d%0aSet-Cookie:%20stolen=1",
        HTTP_AUTHORIZATION=f"Api-Key {party_key}",
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response and "stolen" not in str(response.cookies)
    for name, value in response.items():
        assert "\r" not in value and "\n" not in value, name
    assert "%0D%0ASET-COOKIE" in response["Current-Page"].upper()  # echoed, still percent-encoded


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/track/", "/portal/login/", "/api/v1/docs/", "/api/v1/containers/MSKU1234565", "/admin/login/", "/nowhere"],
)
def test_every_answer_carries_the_content_security_policy_with_no_inline_script(client, path):
    policy = dict(part.strip().split(" ", 1) for part in client.get(path)["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == "'none'"


def test_no_page_template_of_ours_has_an_inline_script_style_or_event_handler():
    import re

    templates = list((ROOT / "portal" / "templates").rglob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text), template
        assert not re.search(r"<style\b|\son[a-z]+=\"|\sstyle=\"", text), template


def test_djangos_technical_error_pages_go_without_the_policy_under_debug_only(rf, settings):
    from django.http import HttpResponse

    from hub.middleware import content_security_policy

    for debug, expected in ((True, False), (False, True)):
        settings.DEBUG = debug
        answer = content_security_policy(lambda request: HttpResponse(status=500))(rf.get("/"))
        assert ("Content-Security-Policy" in answer) is expected
