from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomsGatewayConfig(AppConfig):
    name = "customs_gateway"
    verbose_name = _("Customs gateway")
