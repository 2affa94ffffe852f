"""Operators' views of the gates: readers (silent ones first), gates and zones, bindings, transactions, overrides."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rfid import services
from rfid.models import Gate, GateOverride, GateTransaction, Observation, Reader, TagBinding, Zone


class SilentFilter(admin.SimpleListFilter):
    title = _("silent")
    parameter_name = "silent"

    def lookups(self, request, model_admin):
        return [("yes", _("Silent")), ("no", _("Reporting"))]

    def queryset(self, request, queryset):
        since = timezone.now() - timedelta(seconds=settings.RFID_READER_SILENT_SECONDS)
        silent = Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=since)
        if self.value() == "yes":
            return queryset.filter(silent)
        if self.value() == "no":
            return queryset.exclude(silent)
        return queryset


@admin.register(Reader)
class ReaderAdmin(admin.ModelAdmin):
    list_display = ("reader_id", "gate", "lane", "direction", "bonded", "last_seen_at", "is_silent")
    list_filter = (SilentFilter, "direction", "bonded", "gate")
    search_fields = ("reader_id", "gate")
    readonly_fields = ("last_seen_at", "last_heartbeat", "created_at")

    @admin.display(boolean=True, description=_("silent"))
    def is_silent(self, obj: Reader) -> bool:
        return obj.silent


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "bonded")


@admin.register(Gate)
class GateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "zone", "un_location_code", "facility_code")
    list_filter = ("zone",)


@admin.register(TagBinding)
class TagBindingAdmin(admin.ModelAdmin):
    list_display = ("tag", "kind", "reference", "valid_from", "valid_to", "created_by")
    list_filter = ("kind",)
    search_fields = ("tag", "reference")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj: TagBinding, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user.get_username()
        super().save_model(request, obj, form, change)


class ObservationInline(admin.TabularInline):
    model = Observation
    extra = 0
    can_delete = False
    fields = ("tag", "scheme", "first_seen", "last_seen", "count", "best_rssi", "antennas")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OverrideInline(admin.TabularInline):
    """Add a line to override: the decision is taken through ``services.override`` (audited, events recorded)."""

    model = GateOverride
    extra = 0
    fields = ("decision", "reason", "decided_by", "decided_at")
    readonly_fields = ("decided_by", "decided_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GateTransaction)
class GateTransactionAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "gate",
        "lane",
        "direction",
        "bonded",
        "decision",
        "override_decision",
        "decided_in_ms",
    )
    list_filter = ("decision", "direction", "gate", "bonded")
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in GateTransaction._meta.fields]
    inlines = [OverrideInline, ObservationInline]

    def has_add_permission(self, request) -> bool:
        return False

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is not GateOverride:
            return super().save_formset(request, form, formset, change)
        for entry in formset.save(commit=False):
            services.override(
                str(form.instance.pk), decision=entry.decision, reason=entry.reason, by=request.user.get_username()
            )


@admin.register(GateOverride)
class GateOverrideAdmin(admin.ModelAdmin):
    list_display = ("decided_at", "transaction", "decision", "decided_by", "reason")
    readonly_fields = ("transaction", "decision", "reason", "decided_by", "decided_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
