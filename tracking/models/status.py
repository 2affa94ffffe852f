"""Status projections: the current state of a container and of a shipment, derived from events.

Maintained by :mod:`tracking.projections` inside ``record_events``' transaction and rebuilt
exactly by ``manage.py tracking rebuild``. Never edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusFields(models.Model):
    """The fields a container status and a shipment status share."""

    milestone = models.CharField(_("milestone"), max_length=4, blank=True)
    milestone_event_type = models.CharField(_("milestone event type"), max_length=10, blank=True)
    milestone_at = models.DateTimeField(_("milestone time"), null=True, blank=True)
    milestone_event_id = models.CharField(_("milestone event"), max_length=36, blank=True)
    un_location_code = models.CharField(_("UN/LOCODE"), max_length=5, blank=True)
    facility_code = models.CharField(_("facility"), max_length=6, blank=True)
    vessel_imo_number = models.CharField(_("vessel IMO"), max_length=7, blank=True)
    vessel_name = models.CharField(_("vessel"), max_length=35, blank=True)
    carrier_voyage_number = models.CharField(_("voyage"), max_length=50, blank=True)
    customs_state = models.CharField(_("customs state"), max_length=4, blank=True)
    customs_at = models.DateTimeField(_("customs time"), null=True, blank=True)
    customs_log = models.JSONField(_("customs history"), default=list, blank=True)
    holds = models.JSONField(_("holds"), default=list, blank=True)
    eta = models.DateTimeField(_("ETA"), null=True, blank=True)
    eta_location = models.CharField(_("ETA location"), max_length=5, blank=True)
    eta_created_at = models.DateTimeField(_("ETA issued"), null=True, blank=True)
    eta_event_id = models.CharField(_("ETA event"), max_length=36, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ContainerStatus(StatusFields):
    equipment = models.OneToOneField(
        "tracking.Equipment", primary_key=True, on_delete=models.CASCADE, related_name="status"
    )

    class Meta:
        verbose_name = _("container status")
        verbose_name_plural = _("container statuses")

    def __str__(self) -> str:
        return f"{self.equipment_id} {self.milestone}"


class ShipmentStatus(StatusFields):
    shipment = models.OneToOneField(
        "tracking.Shipment", primary_key=True, on_delete=models.CASCADE, related_name="status"
    )

    class Meta:
        verbose_name = _("shipment status")
        verbose_name_plural = _("shipment statuses")

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.milestone}"
