"""Shapes of the EDI API's answers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from edi.models import RawMessage


class IssueSerializer(serializers.Serializer):
    """An error or warning: its code (ISO 9735 syntax codes for EDIFACT), text and position."""

    code = serializers.CharField()
    message = serializers.CharField()
    position = serializers.DictField(required=False, help_text="segment, tag, element, component, line; or path")


class DocumentSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="the message type, e.g. CODECO")
    number = serializers.CharField(help_text="BGM C106 1004: the document number")
    function = serializers.CharField(help_text="BGM 1225: 5 replacement, 1 cancellation, 3 deletion")


class WithdrawsSerializer(serializers.Serializer):
    """The earlier report a replacement or cancellation names."""

    document = DocumentSerializer()
    created = serializers.DateTimeField(help_text="when the replacing or cancelling message was made (DTM 137 or UNB)")
    restates = serializers.ListField(child=serializers.UUIDField(), help_text="the eventIDs a replacement states")


class WithdrawalSerializer(serializers.Serializer):
    """What processing did with it: the eventIDs withdrawn (and made current again), or why nothing was."""

    applied = serializers.BooleanField()
    withdrawn = serializers.ListField(child=serializers.UUIDField(), required=False)
    restored = serializers.ListField(child=serializers.UUIDField(), required=False)
    reason = serializers.CharField(required=False)


class OutcomeMessageSerializer(serializers.Serializer):
    """One message of the interchange and what became of it."""

    type = serializers.CharField(required=False)
    version = serializers.CharField(required=False)
    reference = serializers.CharField(required=False)
    sender = serializers.CharField(required=False)
    recipient = serializers.CharField(required=False)
    status = serializers.CharField(required=False, help_text="accepted, accepted_with_warnings, rejected")
    errors = IssueSerializer(many=True, required=False)
    warnings = IssueSerializer(many=True, required=False)
    withdraws = WithdrawsSerializer(required=False, help_text="a replacement or cancellation of an earlier report")
    withdrawal = WithdrawalSerializer(required=False)


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

    @extend_schema_field(OutcomeMessageSerializer(many=True))
    def get_messages(self, obj: RawMessage) -> list:
        return obj.outcome.get("messages", [])

    def get_errors(self, obj: RawMessage) -> list:
        return obj.outcome.get("errors", [])

    def get_events(self, obj: RawMessage) -> list:
        return obj.outcome.get("eventIDs", [])

    def get_acknowledgements(self, obj: RawMessage) -> list:
        """What we answered (CONTRL, APERAK) as type and text, and what a partner's own ack said."""
        return obj.outcome.get("acknowledgements", [])
