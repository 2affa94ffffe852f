"""Admin actions that change things need the change permission: a view-only operator cannot run them."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from tests.unit.tracking.builders import build_event
from tracking import webhooks
from tracking.models import Delivery
from tracking.store import record_events


def test_every_custom_admin_action_asks_for_the_change_permission():
    ours = {"tracking", "edi", "customs_gateway", "rfid", "portal"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ours:
            continue
        for action in model_admin.actions or []:
            function = getattr(model_admin, action) if isinstance(action, str) else action
            if getattr(function, "__name__", "") == "delete_selected":
                continue
            assert "change" in getattr(function, "allowed_permissions", ()), f"{model.__name__}: {action}"


@pytest.mark.django_db
def test_an_operator_who_may_only_view_deliveries_cannot_replay_them(client, django_user_model):
    webhooks.subscribe(None, "https://example.com/hook", {})
    record_events([build_event("GTIN")])
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state="dead", attempts=8)
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(viewer)
    assert client.get("/admin/tracking/delivery/").status_code == 200
    client.post("/admin/tracking/delivery/", {"action": "replay", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("dead", 8)


@pytest.mark.django_db
def test_an_operator_cannot_point_a_subscription_at_the_platforms_own_network(admin_client, settings):
    from tracking.models import Subscription

    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    subscription = webhooks.subscribe(None, "https://example.com/hook", {})
    url = f"/admin/tracking/subscription/{subscription.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "callback_url" in page and subscription.secret not in page
    response = admin_client.post(url, {"callback_url": "http://169.254.169.254/latest/", "filters": "{}"})
    assert response.status_code == 200 and "not a unicast address" in response.content.decode()
    assert Subscription.objects.get().callback_url == "https://example.com/hook"
