"""Reference data the events point at: locations, vessels, transport calls, containers, shipments.

Rows are created on first sight by :mod:`tracking.references` (insert-if-absent, safe under
concurrent workers). Identifiers that fail their check digit are kept, flagged with the reason.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.choices import ShipmentKind


class Location(models.Model):
    """A UN/LOCODE, optionally narrowed to a terminal or facility (SMDG/BIC code)."""

    un_location_code = models.CharField(_("UN/LOCODE"), max_length=5)
    facility_code = models.CharField(_("facility code"), max_length=6, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["un_location_code", "facility_code"], name="location_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.un_location_code} {self.facility_code}".strip()


class Vessel(models.Model):
    """A ship by its IMO number; ``valid`` is False when the IMO check digit fails."""

    imo_number = models.CharField(_("IMO number"), max_length=7, unique=True)
    name = models.CharField(_("name"), max_length=35, blank=True)
    valid = models.BooleanField(_("valid IMO number"), default=True)
    problem = models.CharField(_("problem"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vessel")
        verbose_name_plural = _("vessels")

    def __str__(self) -> str:
        return f"{self.name} (IMO {self.imo_number})"


class TransportCall(models.Model):
    """A call of a vessel (or train, truck, barge) at a location on a voyage. ``key`` makes it unique."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="calls")
    vessel = models.ForeignKey(Vessel, null=True, blank=True, on_delete=models.PROTECT, related_name="calls")
    carrier_voyage_number = models.CharField(_("voyage"), max_length=50, blank=True)
    mode_of_transport = models.CharField(_("mode of transport"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("transport call")
        verbose_name_plural = _("transport calls")

    def __str__(self) -> str:
        return self.key


class Equipment(models.Model):
    """A container by its ISO 6346 number; ``valid`` is False (and ``problem`` says why) when it fails."""

    reference = models.CharField(_("equipment reference"), max_length=15, unique=True)
    iso_equipment_code = models.CharField(_("ISO size/type"), max_length=4, blank=True)
    valid = models.BooleanField(_("valid ISO 6346 number"), default=True)
    problem = models.CharField(_("problem"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")

    def __str__(self) -> str:
        return self.reference


class Shipment(models.Model):
    """A booking (BKG) or a bill of lading (TRD), with the containers its events named."""

    kind = models.CharField(_("kind"), max_length=3, choices=ShipmentKind.choices)
    reference = models.CharField(_("reference"), max_length=35)
    equipment = models.ManyToManyField(
        Equipment, through="ShipmentEquipment", related_name="shipments", verbose_name=_("containers")
    )
    created_at = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [models.UniqueConstraint(fields=["kind", "reference"], name="shipment_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class ShipmentEquipment(models.Model):
    """A container seen on an event of a shipment."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE)
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("container of a shipment")
        verbose_name_plural = _("containers of shipments")
        constraints = [models.UniqueConstraint(fields=["shipment", "equipment"], name="shipmentequipment_unique")]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.equipment_id}"
