"""Websocket routes served by Channels."""

from django.urls import path

from tracking.consumers import TrackConsumer

websocket_urlpatterns = [path("ws/track/", TrackConsumer.as_asgi())]
