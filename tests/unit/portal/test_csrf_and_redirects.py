"""Every state-changing form needs its CSRF token, and no login or language switch sends a user off-site."""

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[3] / "portal" / "templates"
FORWARDER_POSTS = [
    ("/portal/watch/add/", {"kind": "container", "reference": "MSKU1234565"}),
    ("/portal/watch/upload/", {}),
    ("/portal/watch/remove/", {"kind": "container", "reference": "MSKU1234565"}),
    ("/portal/webhooks/", {"callback_url": "https://hooks.example.com/x"}),
    ("/portal/logout/", {}),
    ("/i18n/setlang/", {"language": "zh-hans"}),
]


def test_every_post_form_in_the_templates_carries_a_csrf_token():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", text, flags=re.S | re.I):
            assert "{% csrf_token %}" in form, f"{template.name}: {form[:80]}"


@pytest.mark.parametrize(("path", "data"), FORWARDER_POSTS)
def test_a_forwarders_post_without_its_token_is_refused(forwarder, path, data):
    from tracking.models import Subscription

    client = Client(enforce_csrf_checks=True)
    client.force_login(forwarder)
    assert client.post(path, data).status_code == 403
    assert not Subscription.objects.exists()


def test_operators_posts_and_admin_actions_need_the_token_too(django_user_model):
    staff = django_user_model.objects.create_superuser("root", password="pw-root-12345")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post("/portal/ops/messages/00000000-0000-0000-0000-000000000000/reprocess/").status_code == 403
    assert client.post("/admin/tracking/delivery/", {"action": "replay", "_selected_action": [1]}).status_code == 403


def test_logging_in_without_the_token_is_refused(forwarder):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/portal/login/", {"username": "forwarder", "password": "x"}).status_code == 403


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_login_never_sends_the_user_off_site(forwarder, next_url):
    forwarder.set_password("pw-forwarder-1")
    forwarder.save()
    client = Client()
    response = client.post("/portal/login/", {"username": "forwarder", "password": "pw-forwarder-1", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_login_follows_a_next_on_this_site(forwarder):
    forwarder.set_password("pw-forwarder-1")
    forwarder.save()
    response = Client().post(
        "/portal/login/", {"username": "forwarder", "password": "pw-forwarder-1", "next": "/portal/webhooks/"}
    )
    assert response["Location"] == "/portal/webhooks/"


def test_the_language_switch_never_sends_the_user_off_site(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_the_login_page_escapes_a_next_it_echoes(client):
    page = client.get("/portal/login/", {"next": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in page
