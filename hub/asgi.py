"""ASGI entry point: HTTP through Django on a thread pool (``hub/asgi_http.py``; a partner's plain
container read answered on the event loop, ``tracking/fastlane.py``), each request
freed as soon as it is answered (``hub/release.py``); websockets through Channels
(``/ws/track/``). Under Daphne one access log line is written per request, not two
(``hub/access_log.py``). Once everything is loaded the process settles its heap (``hub/memory.py``)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
django.setup(set_prefix=False)  # as django.core.wsgi.get_wsgi_application does

from hub.release import ReleasingWsgiHandler  # noqa: E402  (Django is set up)

django_wsgi_app = ReleasingWsgiHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs the app registry loaded)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from hub.access_log import keep_one_access_log  # noqa: E402
from hub.asgi_http import ThreadedWsgiHttp  # noqa: E402
from hub.memory import settle  # noqa: E402
from tracking.fastlane import ContainerLane  # noqa: E402
from tracking.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ThreadedWsgiHttp(
            django_wsgi_app,
            threads=settings.HTTP_THREADS,
            lane=ContainerLane() if ContainerLane.usable() else None,
        ),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

keep_one_access_log()
get_resolver().url_patterns  # noqa: B018  (imports every URLconf and view now, so that settle() freezes them)
settle()
