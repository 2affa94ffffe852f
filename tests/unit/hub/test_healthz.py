import pytest


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_channel_layer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "channel_layer"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_answers_503_and_names_the_failing_part(client, monkeypatch):
    from hub import health

    def broken():
        raise ConnectionRefusedError("broker down")

    monkeypatch.setitem(health.CHECKS, "broker", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "error": "ConnectionRefusedError: broker down"}


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
