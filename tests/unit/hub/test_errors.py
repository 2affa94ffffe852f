"""What Django answers around the views (no route, a refused host, a crash): JSON under /api/, HTML pages elsewhere."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def crash(request) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [
    path("api/v1/crash", crash),
    path("crash", crash),
    path("", include("hub.urls")),
]
handler500 = "hub.errors.server_error"


@pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/containers/", "/api/v1/events/1", "/api/v2/events"])
def test_an_api_address_no_route_serves_answers_404_in_the_api_error_shape(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_a_page_address_no_route_serves_answers_a_page_in_the_readers_language(client):
    english = client.get("/nothing", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/nothing", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert english.status_code == chinese.status_code == 404
    assert english["Content-Type"].startswith("text/html")
    assert "Page not found" in english.content.decode()
    assert "未找到页面" in chinese.content.decode()
    assert 'href="/track/"' in english.content.decode()


def test_an_api_request_for_a_host_not_allowed_answers_400_in_the_api_error_shape(client, settings):
    settings.ALLOWED_HOSTS = ["logihub.example"]
    response = client.get("/api/v1/events", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_crash_under_the_api_answers_500_in_the_api_error_shape_without_the_details(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/api/v1/crash")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "server_error"
    assert "bug" not in error["message"] and "RuntimeError" not in response.content.decode()


def test_a_crash_on_a_page_answers_the_500_page(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/crash")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong" in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
