"""Choices of the portal: what a watchlist entry names, and why an entry was not added."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WatchKind(models.TextChoices):
    """A watched container, or a watched shipment by booking or bill of lading."""

    CONTAINER = "container", _("Container")
    SHIPMENT = "shipment", _("Shipment")


class NotAdded(models.TextChoices):
    """Why a number of an upload (or typed in) did not join the watchlist."""

    BAD_FORMAT = "bad_format", _("Not a container number")
    BAD_CHECK_DIGIT = "bad_check_digit", _("Wrong check digit")
    NOT_VISIBLE = "not_visible", _("Unknown, or not one of your shipments")
    DUPLICATE = "duplicate", _("Already on the watchlist")
    TOO_MANY = "too_many", _("The watchlist is full")
