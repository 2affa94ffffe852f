"""The client's address behind trusted proxies: what lockouts and rate limits count."""

import pytest
from django.test import RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from hub.clientip import client_ip


def request(forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)


def test_without_a_trusted_proxy_the_connection_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("count", "forwarded", "client"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself is not believed
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.9", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),
        (1, "", "10.0.0.2"),
    ],
)
def test_behind_trusted_proxies_the_address_they_appended_counts(settings, count, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded)) == client


@pytest.mark.parametrize("count", [0, 1, 2])
def test_the_api_throttles_count_the_same_address(settings, count):
    settings.TRUSTED_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        throttle = SimpleRateThrottle.__new__(SimpleRateThrottle)
        drf_request = request("6.6.6.6, 203.0.113.9, 10.0.0.9")
        assert throttle.get_ident(drf_request) == client_ip(drf_request)
    finally:
        api_settings.reload()


@pytest.mark.django_db
def test_a_client_cannot_escape_the_public_rate_by_inventing_forwarded_addresses(api_client, settings):
    from django.core.cache import cache

    cache.clear()
    answers = [
        api_client.get("/api/v1/public/track/MSKU1234565", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(70)
    ]
    assert answers.count(429) >= 10  # PUBLIC_RATE is 60 a minute, whatever the header says
