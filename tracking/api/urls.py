"""Routes of the tracking API, under /api/v1/."""

from django.urls import path

from tracking.api import subscriptions, views

urlpatterns = [
    path("events", views.EventList.as_view(), name="event-list"),
    path("containers/<str:number>", views.ContainerDetail.as_view(), name="container-detail"),
    path("shipments/<str:reference>", views.ShipmentDetail.as_view(), name="shipment-detail"),
    path("subscriptions", subscriptions.SubscriptionList.as_view(), name="subscription-list"),
    path("subscriptions/<str:pk>", subscriptions.SubscriptionDetail.as_view(), name="subscription-detail"),
    path("claims", views.ClaimCreate.as_view(), name="claim-create"),
    path("public/track/<str:reference>", views.PublicTrack.as_view(), name="public-track"),
]
