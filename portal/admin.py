"""Admin of the portal's rows: worker heartbeats (read-only) and the parties' watchlists."""

from django.contrib import admin

from portal.models import WatchItem, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "beats", "last_seen_at")
    readonly_fields = ("hostname", "beats", "last_seen_at")


@admin.register(WatchItem)
class WatchItemAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "party", "added_by", "added_at")
    list_filter = ("kind", "party")
    search_fields = ("reference", "party__name", "party__edi_id")
    list_select_related = ("party", "added_by")
    raw_id_fields = ("added_by",)
