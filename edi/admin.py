"""Operators' view of the message flow: filter by partner, format, state; reprocess."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from edi.exceptions import EdiError
from edi.models import MessageState, RawMessage
from edi.processing import reprocess


@admin.register(RawMessage)
class RawMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "party", "format", "sender", "control_reference", "channel", "size", "state", "received_at")
    list_filter = ("state", "format", "channel", "party")
    search_fields = ("id", "sha256", "sender", "control_reference")
    date_hierarchy = "received_at"
    readonly_fields = (
        "id",
        "sha256",
        "size",
        "content_type",
        "channel",
        "party",
        "format",
        "sender",
        "recipient",
        "control_reference",
        "duplicate_of",
        "received_at",
        "state",
        "attempts",
        "processed_at",
        "enqueued_at",
        "refusal",
        "outcome",
    )
    exclude = ("body",)
    actions = ["reprocess_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Reprocess selected messages with the current mappings"), permissions=["change"])
    def reprocess_selected(self, request, queryset) -> None:
        done, skipped = 0, 0
        for message in queryset.exclude(state__in=[MessageState.REFUSED, MessageState.DUPLICATE]):
            try:
                reprocess(str(message.pk))
                done += 1
            except EdiError:
                skipped += 1
        self.message_user(
            request,
            ngettext("%(count)d message reprocessed.", "%(count)d messages reprocessed.", done) % {"count": done},
            messages.SUCCESS,
        )
