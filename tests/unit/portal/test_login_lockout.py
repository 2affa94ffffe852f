"""Password guessing: a user name is paused at one address after too many failed logins (django-axes)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "pw-forwarder-1"


@pytest.fixture
def user(forwarder, settings):
    settings.AXES_FAILURE_LIMIT = 3
    forwarder.set_password(PASSWORD)
    forwarder.save()
    return forwarder


def log_in(password: str, address: str = "203.0.113.7", path: str = "/portal/login/", **extra):
    client = Client(REMOTE_ADDR=address, **extra)
    return client, client.post(path, {"username": "forwarder", "password": password})


def test_after_too_many_failures_even_the_right_password_is_refused_for_a_while(user):
    for _ in range(2):
        assert log_in("guess")[1].status_code == 200  # the form again, "did not match"
    assert log_in("guess")[1].status_code == 429  # the third failure pauses the pair at once
    client, response = log_in(PASSWORD)
    assert response.status_code == 429 and int(response["Retry-After"]) == 15 * 60
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_pause_holds_for_the_admin_login_too(user):
    for _ in range(3):
        log_in("guess")
    assert log_in(PASSWORD, path="/admin/login/")[1].status_code == 429


def test_the_same_user_from_another_address_still_logs_in(user):
    for _ in range(3):
        log_in("guess")
    assert log_in(PASSWORD, address="198.51.100.9")[1].status_code == 302


def test_a_successful_login_clears_the_count(user):
    for _ in range(2):
        log_in("guess")
    assert log_in(PASSWORD)[1].status_code == 302
    for _ in range(2):
        log_in("guess")
    assert log_in(PASSWORD)[1].status_code == 302


def test_the_pause_is_explained_in_chinese_to_a_chinese_browser(user):
    for _ in range(3):
        log_in("guess")
    response = log_in(PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-Hans")[1]
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()


@pytest.mark.parametrize("weak", ["short-pw1", "123456789012345", "password1234", "forwarder123"])
def test_a_weak_password_is_refused_when_set(forwarder, weak):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(weak, forwarder)


def test_a_long_random_password_is_accepted(forwarder):
    from django.contrib.auth.password_validation import validate_password

    validate_password("tulip-ferry-42-gantry", forwarder)
