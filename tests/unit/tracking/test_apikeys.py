"""API keys: shown once, stored hashed, checked in constant time, refused when wrong or revoked."""

import pytest

from tracking.apikeys import find_key, issue_key, revoke
from tracking.models import ApiKey

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_only_as_a_hash(party):
    key, clear = issue_key(party=party)
    stored = ApiKey.objects.get(pk=key.pk)
    secret = clear.split(".", 1)[1]
    assert secret not in stored.key_hash
    assert len(stored.key_hash) == 64
    assert clear.startswith("lh_" + stored.prefix + ".")


def test_the_clear_key_finds_its_party(party):
    _key, clear = issue_key(party=party)
    assert find_key(clear).party == party


@pytest.mark.parametrize(
    "mangle",
    [
        lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"),
        lambda k: k.replace("lh_", "xx_"),
        lambda k: k.split(".")[0],
        lambda k: "",
        lambda k: k + "é",
        lambda k: k * 10,
    ],
)
def test_a_wrong_or_malformed_key_finds_nothing(party, mangle):
    _key, clear = issue_key(party=party)
    assert find_key(mangle(clear)) is None


def test_a_revoked_key_finds_nothing(party):
    key, clear = issue_key(party=party)
    revoke(key)
    assert find_key(clear) is None


def test_a_key_needs_an_owner():
    with pytest.raises(ValueError):
        issue_key()


def test_api_accepts_the_api_key_header(api_client, party_key, django_user_model):
    # a party key authenticates; the party sees only what it is named on (nothing yet)
    response = api_client.get("/api/v1/events", HTTP_AUTHORIZATION=f"Api-Key {party_key}")
    assert response.status_code == 200
    assert response.json() == []


def test_api_refuses_a_wrong_key_with_401_and_the_error_shape(api_client, party_key):
    response = api_client.get("/api/v1/events", HTTP_AUTHORIZATION="Api-Key lh_000000000000.wrong")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Api-Key"
    error = response.json()["error"]
    assert error["code"] == "invalid_key"
    assert "Invalid or revoked API key" in error["message"]


def test_api_without_credentials_answers_401(api_client):
    response = api_client.get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_recognised_key_is_kept_and_a_revoked_one_stops_at_once(party, django_assert_num_queries):
    from tracking.apikeys import known_key

    key, clear = issue_key(party=party, name="kept")
    assert known_key(clear) == key
    with django_assert_num_queries(0):
        assert known_key(clear) == key
    revoke(key)
    assert known_key(clear) is None


def test_an_unknown_key_is_never_kept_so_a_key_issued_afterwards_works_at_once(party):
    from tracking.apikeys import known_key

    assert known_key("lh_000000000000.nothing") is None
    _key, clear = issue_key(party=party, name="new")
    assert known_key(clear) is not None


def test_a_kept_key_is_looked_up_again_once_its_time_is_up(party, settings, django_assert_num_queries):
    from tracking.apikeys import known_key

    settings.API_KEY_CACHE_SECONDS = 0
    _key, clear = issue_key(party=party, name="unkept")
    known_key(clear)
    with django_assert_num_queries(1):
        assert known_key(clear) is not None
