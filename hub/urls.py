"""URL map: the API under /api/v1/, the portal, public tracking, admin and health; error answers in hub/errors.py."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hub.health import healthz

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves the page's script as a file: the Content-Security-Policy allows no inline script
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("tracking.api.urls")),
    path("", include("edi.api.urls")),
    path("", include("customs_gateway.api.urls")),
    path("", include("rfid.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
    path("", RedirectView.as_view(url="/track/", permanent=False)),
]

handler400 = "hub.errors.bad_request"
handler403 = "hub.errors.forbidden"
handler404 = "hub.errors.not_found"
handler500 = "hub.errors.server_error"
