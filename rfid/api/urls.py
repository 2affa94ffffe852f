"""RFID endpoints under /api/v1/: reads and heartbeats from readers, bindings and overrides, EPCIS."""

from django.urls import path

from rfid.api import epcis_views, views

urlpatterns = [
    path("rfid/reads", views.Reads.as_view(), name="rfid-reads"),
    path("rfid/heartbeat", views.Heartbeat.as_view(), name="rfid-heartbeat"),
    path("rfid/bindings", views.BindingList.as_view(), name="rfid-bindings"),
    path("rfid/bindings/<int:pk>", views.BindingDetail.as_view(), name="rfid-binding"),
    path("rfid/transactions/<uuid:pk>", views.TransactionDetail.as_view(), name="rfid-transaction"),
    path("rfid/transactions/<uuid:pk>/override", views.Override.as_view(), name="rfid-override"),
    path("epcis/capture", epcis_views.Capture.as_view(), name="epcis-capture"),
    path("epcis/events", epcis_views.Events.as_view(), name="epcis-events"),
]
