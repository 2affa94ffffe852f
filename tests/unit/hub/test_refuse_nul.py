"""A NUL character in a request's path or query is refused with a clear 400, before any view or query.

PostgreSQL cannot store or compare text holding NUL; on it these requests used to answer 500.
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/api/v1/containers/MSKU%00", "/api/v1/shipments/%00BL1", "/api/v1/public/track/ABC%00", "/api/v1/events?x=%00"],
)
def test_an_api_request_with_nul_gets_the_api_error_shape(client, url):
    response = client.get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "NUL" in error["message"]


def test_a_nul_in_a_query_parameter_name_is_refused_too(client):
    assert client.get("/api/v1/events?equipment%00Reference=MSKU1234565").status_code == 400


def test_a_portal_page_with_nul_in_its_query_gets_a_plain_400(client):
    response = client.get("/track/?q=MSKU%001234565")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_encoded_percent_sign_before_zeros_is_not_a_nul(client):
    # "%2500" is the text "%00", which PostgreSQL stores as it is: it reaches the page
    assert client.get("/track/?q=%2500").status_code == 200
