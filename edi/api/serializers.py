"""Shapes of the EDI API's answers."""

from rest_framework import serializers

from edi.models import RawMessage


class ReceiptSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.CharField()
    duplicate = serializers.BooleanField()
    duplicateOf = serializers.UUIDField(allow_null=True)


class RawMessageSerializer(serializers.ModelSerializer):
    """The state of one received message, its per-message outcome and errors, events, acknowledgement."""

    receivedAt = serializers.DateTimeField(source="received_at")
    processedAt = serializers.DateTimeField(source="processed_at")
    controlReference = serializers.CharField(source="control_reference")
    contentType = serializers.CharField(source="content_type")
    duplicateOf = serializers.UUIDField(source="duplicate_of_id", allow_null=True)
    messages = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    acknowledgements = serializers.SerializerMethodField()

    class Meta:
        model = RawMessage
        fields = [
            "id",
            "state",
            "format",
            "size",
            "sha256",
            "channel",
            "contentType",
            "sender",
            "recipient",
            "controlReference",
            "receivedAt",
            "processedAt",
            "duplicateOf",
            "refusal",
            "messages",
            "errors",
            "events",
            "acknowledgements",
        ]

    def get_messages(self, obj: RawMessage) -> list:
        return obj.outcome.get("messages", [])

    def get_errors(self, obj: RawMessage) -> list:
        return obj.outcome.get("errors", [])

    def get_events(self, obj: RawMessage) -> list:
        return obj.outcome.get("eventIDs", [])

    def get_acknowledgements(self, obj: RawMessage) -> list:
        """What we answered (CONTRL, APERAK) as type and text, and what a partner's own ack said."""
        return obj.outcome.get("acknowledgements", [])
