"""Serializers of the tracking API: the canonical event is served as stored."""

from rest_framework import serializers

from tracking.models import Event


class EventSerializer(serializers.BaseSerializer):
    def to_representation(self, instance: Event) -> dict:
        return instance.payload
