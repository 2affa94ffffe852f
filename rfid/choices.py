"""Choices of the RFID gates, as TextChoices whose values are what readers and the API send."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class TagKind(models.TextChoices):
    """What a tag is fixed to."""

    TRUCK = "truck", _("Truck")
    TRAILER = "trailer", _("Trailer")
    CONTAINER = "container", _("Container")


class Decision(models.TextChoices):
    OPEN = "OPEN", _("Open the barrier")
    HOLD = "HOLD", _("Hold")


class HoldReason(models.TextChoices):
    """Why a gate holds (the ``code`` of each entry in an answer's ``reasons``)."""

    NO_TAGS = "NO_TAGS", _("No tag was read")
    BAD_READ = "BAD_READ", _("A read in the reader's batch could not be taken")
    UNKNOWN_TAG = "UNKNOWN_TAG", _("A tag that is neither bound nor a container tag")
    NO_VEHICLE = "NO_VEHICLE", _("Containers read without a known truck or trailer")
    NO_CUSTOMS_RECORD = "NO_CUSTOMS_RECORD", _("The container has no customs record")
    NOT_RELEASED = "NOT_RELEASED", _("The container is not released by customs")
    ON_HOLD = "ON_HOLD", _("An authority or agency holds the container")
    OVERRIDE = "OVERRIDE", _("An operator decided")


class Scheme(models.TextChoices):
    """How an EPC was decoded: the EPC scheme (TDS), a container code, or not at all."""

    SGTIN = "sgtin", "SGTIN"
    SSCC = "sscc", "SSCC"
    GRAI = "grai", "GRAI"
    GIAI = "giai", "GIAI"
    BIC = "bic", _("Container code (BIC, ISO 6346)")
    OTHER = "other", _("Other EPC scheme")
    RAW = "raw", _("Not decoded (raw hex)")
