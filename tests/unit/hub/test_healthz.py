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
    assert response.json()["checks"]["broker"] == {"ok": False, "error": "ConnectionRefusedError"}


@pytest.mark.django_db
def test_healthz_tells_only_operators_what_the_error_said(client, monkeypatch, django_user_model, caplog):
    from hub import health

    def broken():
        raise OSError('connection to server at "10.1.2.3", port 5432 failed: password for user "logihub"')

    monkeypatch.setitem(health.CHECKS, "database", broken)
    public = client.get("/healthz").json()["checks"]["database"]
    assert public == {"ok": False, "error": "OSError"}  # no internal host, port or user name to the world
    assert "10.1.2.3" in caplog.text  # the log has it
    client.force_login(django_user_model.objects.create_user("op", is_staff=True))
    assert "10.1.2.3" in client.get("/healthz").json()["checks"]["database"]["error"]


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
