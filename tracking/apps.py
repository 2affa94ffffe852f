"""The tracking app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Cargo tracking")

    def ready(self) -> None:
        from tracking import openapi  # noqa: F401  (registers the Api-Key scheme with drf-spectacular)
