from django.contrib import admin

from portal.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "beats", "last_seen_at")
    readonly_fields = ("hostname", "beats", "last_seen_at")
