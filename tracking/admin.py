"""Operators' views of the tracking store: parties and keys, events, references, webhooks (replayable)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracking import destinations, webhooks
from tracking.exceptions import UnsafeDestination
from tracking.models import (
    Access,
    ApiKey,
    Claim,
    ContainerStatus,
    Delivery,
    Equipment,
    Event,
    OutboundMessage,
    Party,
    Shipment,
    Subscription,
    Vessel,
    Withdrawal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fk_name = "party"
    extra = 0
    fields = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("name", "edi_id", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("name", "edi_id")
    filter_horizontal = ("users",)
    inlines = [ApiKeyInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "party", "reader", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = (
        "type_code",
        "event_type",
        "event_classifier",
        "equipment_reference",
        "un_location_code",
        "event_datetime",
        "withdrawn_by",
    )
    list_filter = ("event_type", "event_classifier", "type_code", ("withdrawn_by", admin.EmptyFieldListFilter))
    search_fields = (
        "=equipment_reference",
        "=carrier_booking_reference",
        "=transport_document_reference",
        "=document_key",
    )
    date_hierarchy = "event_datetime"

    def get_queryset(self, request):
        """Withdrawn events too (the default manager leaves them out): operators see what a report withdrew."""
        return Event.every.select_related("withdrawn_by")


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ("document_key", "function", "created", "message_reference", "raw_message", "recorded_at")
    list_filter = ("function",)
    search_fields = ("=document_key", "=message_reference")
    date_hierarchy = "recorded_at"


@admin.register(Equipment)
class EquipmentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "iso_equipment_code", "valid", "problem", "created_at")
    list_filter = ("valid",)
    search_fields = ("=reference",)


@admin.register(Vessel)
class VesselAdmin(ReadOnlyAdmin):
    list_display = ("imo_number", "name", "valid", "problem")
    list_filter = ("valid",)
    search_fields = ("=imo_number", "name")


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ("kind", "reference", "created_at")
    list_filter = ("kind",)
    search_fields = ("=reference",)


@admin.register(ContainerStatus)
class ContainerStatusAdmin(ReadOnlyAdmin):
    list_display = ("equipment", "milestone", "milestone_at", "un_location_code", "customs_state", "eta")
    list_filter = ("milestone", "customs_state")
    search_fields = ("=equipment__reference",)


@admin.register(Access)
class AccessAdmin(admin.ModelAdmin):
    list_display = ("party", "kind", "reference", "reason", "created_at")
    list_filter = ("kind", "reason")
    search_fields = ("=reference", "party__name", "party__edi_id")
    raw_id_fields = ("party",)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("party", "equipment_reference", "transport_document_reference", "state", "created_at")
    list_filter = ("state",)


class SubscriptionForm(forms.ModelForm):
    """An operator's callback is held to the partners' rule: public addresses only (tracking.destinations)."""

    callback_url = forms.URLField(label=_("callback URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Subscription
        fields = ("party", "callback_url", "filters", "active", "format", "message_type", "edi_recipient")

    def clean_callback_url(self) -> str:
        url = self.cleaned_data["callback_url"]
        try:
            destinations.check_url(url)
        except UnsafeDestination as exc:
            raise forms.ValidationError(exc.message) from exc
        return url


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("callback_url", "party", "active", "created_at")
    list_filter = ("active",)
    readonly_fields = ("id", "created_at")
    exclude = ("secret",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "subscription",
        "event",
        "kind",
        "state",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
    )
    list_filter = ("state", "kind")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Replay the selected deliveries"), permissions=["change"])
    def replay(self, request, queryset) -> None:
        count = webhooks.replay(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d delivery replayed.", "%(count)d deliveries replayed.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """Interchanges sent to EDIFACT subscribers; replay them through their deliveries (same bytes)."""

    list_display = ("pk", "message_type", "recipient", "control_reference", "state", "attempts", "answer")
    list_filter = ("state", "message_type", "answer")
    search_fields = ("recipient", "control_reference")
    exclude = ("body",)
