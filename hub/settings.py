"""Settings for logihub: read from the environment here and nowhere else.

With no variable set, the platform runs embedded: SQLite in WAL mode under ``var/``, the
in-memory channel layer and Celery tasks run in-process (``make run``). Production sets
``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` (RabbitMQ), ``CHANNEL_LAYER_URL``
(Redis), ``SECRET_KEY`` and ``ALLOWED_HOSTS``; with any production URL set, the platform
refuses to start in DEBUG or with the embedded default secret.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_SECRET = "embedded-insecure-secret-for-make-run-only"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(env_str("LOGIHUB_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CHANNEL_LAYER_URL = env_str("CHANNEL_LAYER_URL")
PRODUCTION = bool(DATABASE_URL or CELERY_BROKER_URL or CHANNEL_LAYER_URL)

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY", EMBEDDED_SECRET)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off when a production URL (DATABASE_URL, CELERY_BROKER_URL, CHANNEL_LAYER_URL) is set"
    )
if PRODUCTION and SECRET_KEY == EMBEDDED_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set when a production URL is set")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
# Reverse proxies in front of Daphne that append the client's address to X-Forwarded-For: login lockouts
# and rate limits count that address (hub/clientip.py); 0 (no proxy) counts the connection's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "tracking",
    "edi",
    "customs_gateway",
    "rfid",
    "portal",
]

MIDDLEWARE = [
    "hub.middleware.refuse_nul",
    "hub.middleware.content_security_policy",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: answers a locked-out login
]

ROOT_URLCONF = "hub.urls"
ASGI_APPLICATION = "hub.asgi.application"
# Threads per Daphne process running HTTP requests (hub/asgi_http.py); as many as pooled connections.
HTTP_THREADS = env_int("HTTP_THREADS", 8)
# A partner's plain container answer is served on the event loop, on this many connections of its own
# per server process, waiting at most this long for one before Django answers (tracking/fastlane.py).
HTTP_FAST_LANE = env_bool("HTTP_FAST_LANE", True)
HTTP_FAST_LANE_CONNECTIONS = env_int("HTTP_FAST_LANE_CONNECTIONS", 4)
HTTP_FAST_LANE_WAIT_MS = env_int("HTTP_FAST_LANE_WAIT_MS", 500)
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, else SQLite in WAL mode under var/.
PREPARE_WHEN_ASKED = 2**31  # a psycopg prepare_threshold no count reaches: only prepare=True statements
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgresql://...)")
    # HTTP requests run on a fixed pool of long-lived threads (hub/asgi_http.py), Celery tasks in
    # long-lived worker processes: each keeps its connection DB_CONN_MAX_AGE seconds (opening one
    # forks a server process, ~10 ms on the benchmark machine), checked at the start of each
    # request without a round trip while it is quiet (hub/db/base.py). DB_POOL_MAX_SIZE > 0 uses a
    # psycopg_pool per process instead (Django's pooling; each checkout then costs a round trip).
    DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 0)
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=0 if DB_POOL_MAX_SIZE else env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    DATABASES["default"]["ENGINE"] = "hub.db"
    # The hot statements (a container's answer, a gate post's reads and writes) are sent as server-side
    # prepared statements, parsed and planned once per connection; they ask for it (``prepare=True``) and
    # nothing else is prepared (Django's own cursors bind client-side). Django's default, ``None``, makes
    # psycopg ignore the asking. Turn off behind a pooler that cannot keep prepared statements
    # (PgBouncer's transaction mode before 1.21).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = PREPARE_WHEN_ASKED
    if DB_POOL_MAX_SIZE:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": env_int("DB_POOL_TIMEOUT", 5),  # then an OperationalError: the API answers 503
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "logihub.sqlite3")),
            # keep the connection: reopening (and re-running the PRAGMAs) cost ~9 ms a request
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channels: Redis from CHANNEL_LAYER_URL, else in-memory (one process).
if CHANNEL_LAYER_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 times out socket reads after 5 s, exactly channels_redis' blocking receive:
            # an idle websocket would be dropped with 1011 without a longer socket timeout.
            "CONFIG": {"hosts": [{"address": CHANNEL_LAYER_URL, "socket_timeout": 15}], "capacity": 1500, "expiry": 30},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Our own EDI identity, the sender of the acknowledgements we build when a partner's interchange
# did not address us by one.
PLATFORM_EDI_ID = env_str("PLATFORM_EDI_ID", "LOGIHUB")

# The partners' AMQP exchange (consume_edi): the broker itself unless set apart.
PARTNER_AMQP_URL = env_str("PARTNER_AMQP_URL", CELERY_BROKER_URL)
PARTNER_EXCHANGE = env_str("PARTNER_EXCHANGE", "partners.inbound")
PARTNER_QUEUE = env_str("PARTNER_QUEUE", "edi.inbound")
PARTNER_DEAD_LETTER_EXCHANGE = env_str("PARTNER_DEAD_LETTER_EXCHANGE", "partners.dead")
PARTNER_REPLY_EXCHANGE = env_str("PARTNER_REPLY_EXCHANGE", "partners.replies")

# Celery: RabbitMQ from CELERY_BROKER_URL, else tasks run in-process.
# Nothing is lost: acks late, a task whose worker dies is re-queued, one message prefetched
# at a time, durable queues with a dead-letter queue, publisher confirms.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"  # a host named, or kombu warns of none
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = False  # a task that gives up goes to the dead-letter queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker keeps its database connection between tasks as a request thread does (DB_CONN_MAX_AGE, closed when
# broken: hub/celery.py). Without this, Celery's Django fixup closes every connection before and after each
# task, and each task opened a new one (a forked PostgreSQL server process, its setup, SET TimeZone).
CELERY_DB_REUSE_MAX = 2**31
CELERY_TASK_DEFAULT_QUEUE = "logihub"
CELERY_TASK_DEFAULT_EXCHANGE = "logihub"
CELERY_TASK_DEFAULT_DELIVERY_MODE = "persistent"
CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True, "max_retries": 5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_DEAD_LETTER_QUEUE = "logihub.dead"
CELERY_TASK_QUEUES = (
    Queue(
        "logihub",
        Exchange("logihub", type="direct", durable=True),
        routing_key="logihub",
        durable=True,
        queue_arguments={"x-dead-letter-exchange": "logihub.dlx", "x-dead-letter-routing-key": "dead"},
    ),
    Queue("logihub.dead", Exchange("logihub.dlx", type="direct", durable=True), routing_key="dead", durable=True),
)
CELERY_TASK_DEFAULT_ROUTING_KEY = "logihub"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# Passwords set in the admin, createsuperuser or a password change: 12 characters or more, not a common
# password, not all digits, not like the user's name (operators' logins reach the admin).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing (portal and admin logins): django-axes counts failed logins per user name and address;
# after LOGIN_FAILURE_LIMIT of them that pair is refused (429, a translated page) for LOGIN_LOCKOUT_MINUTES,
# whatever the password. Operators see and clear lockouts in the admin (Axes: access attempts).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one guesser cannot lock a user out everywhere
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; successful logins are not written on every login
AXES_LOCKOUT_CALLABLE = "portal.views.public.locked_out"
AXES_CLIENT_IP_CALLABLE = "hub.clientip.client_ip"
AXES_VERBOSE = False
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT must be at least 1")
LOGIN_URL = "/portal/login/"
LOGIN_REDIRECT_URL = "/portal/"
LOGOUT_REDIRECT_URL = "/track/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracking.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hub.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "public": env_str("PUBLIC_RATE", "60/minute"),
        "partner": env_str("PARTNER_RATE", "6000/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # the throttles' client address, hub/clientip.py's rule; DRF's default (None) believed any X-Forwarded-For
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Server processes collect the young generation of garbage every this many allocations once loaded
# (hub/memory.py; CPython's default is 700); 0 leaves CPython's threshold.
GC_GEN0_THRESHOLD = env_int("GC_GEN0_THRESHOLD", 20_000)
if GC_GEN0_THRESHOLD < 0:
    raise ImproperlyConfigured("GC_GEN0_THRESHOLD must be 0 or more")
# Webhook and outbound EDI deliveries go to public internet addresses only (tracking/destinations.py);
# on, loopback and private (RFC 1918, ULA) callback hosts are allowed too: the embedded demo (`make run`)
# and the test suites, whose receivers listen on 127.0.0.1. Link-local (cloud metadata) stays refused.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", False)
# Partners reached over a private network (a port community's WAN or VPN): these networks (comma-separated
# CIDR, e.g. 10.20.0.0/16) are allowed as callback addresses while every other private address stays refused.
try:
    WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network(n, strict=False) for n in env_list("WEBHOOK_ALLOWED_NETWORKS", [])]
except ValueError as exc:
    raise ImproperlyConfigured(f"WEBHOOK_ALLOWED_NETWORKS must be CIDR networks: {exc}") from exc
# A recognised API key is kept in the process this long (tracking/apikeys.py known_key).
API_KEY_CACHE_SECONDS = env_int("API_KEY_CACHE_SECONDS", 5)
SPECTACULAR_SETTINGS = {
    "TITLE": "logihub API",
    "DESCRIPTION": "Logistics public information platform and e-port clearance hub: EDI/XML in, canonical "
    "cargo events, customs clearance and RFID gate decisions out. Authenticate with "
    "`Authorization: Api-Key <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "APPEND_COMPONENTS": {
        "securitySchemes": {"ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}}
    },
    "SECURITY": [{"ApiKeyAuth": []}],
    # a bill's and a container's state share one choice set; named, not left as "State473Enum"
    "ENUM_NAME_OVERRIDES": {"ItemStateEnum": "customs_gateway.choices.ItemState"},
}

# Rate limits (the API's throttles, the public tracking page's) count in the default cache. Unset: the
# process's memory, each server process counting on its own (the embedded default runs one); several
# Daphne processes behind a load balancer share one count in the Redis CACHE_URL names
# (redis://host:6379/1; hub/cache.py: unreachable, the limits let requests through).
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "hub.cache.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "logihub",
            "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "hub.cache.LocalCache"}}

# Limits on what partners may send.
EDI_MAX_MESSAGE_BYTES = env_int("EDI_MAX_MESSAGE_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = EDI_MAX_MESSAGE_BYTES + 1024
# A processing task takes its own raw message and other waiting ones, at most this many in one transaction
# (edi/batches.py; PostgreSQL only, 1 = one message per task).
EDI_PROCESS_BATCH = env_int("EDI_PROCESS_BATCH", 50)
if EDI_PROCESS_BATCH < 1:
    raise ImproperlyConfigured("EDI_PROCESS_BATCH must be at least 1")
RFID_MAX_READS_PER_POST = env_int("RFID_MAX_READS_PER_POST", 5000)
# RFID gates: windows in seconds. Reads of one tag at one lane closer than the dedupe window are one
# observation; tags passing one lane in one direction closer than the transaction window are one gate
# transaction; a read time further than the skew from the server clock is replaced by the receive time.
RFID_MAX_BODY_BYTES = env_int("RFID_MAX_BODY_BYTES", 2 * 1024 * 1024)
RFID_DEDUPE_WINDOW_SECONDS = env_int("RFID_DEDUPE_WINDOW_SECONDS", 30)
RFID_TRANSACTION_WINDOW_SECONDS = env_int("RFID_TRANSACTION_WINDOW_SECONDS", 60)
RFID_MAX_CLOCK_SKEW_SECONDS = env_int("RFID_MAX_CLOCK_SKEW_SECONDS", 300)
RFID_READER_SILENT_SECONDS = env_int("RFID_READER_SILENT_SECONDS", 300)
RFID_UN_LOCATION_CODE = env_str("RFID_UN_LOCATION_CODE", "CNSHA")  # where new gates are, until set in the admin
# Gate events are recorded by a worker, one batch per window per server process: with a broker, the
# worker's cost per batch is paid once a second per server process instead of once a truck (at most this late);
# embedded (tasks run in-process) each pass is recorded at once.
RFID_EVENT_BATCH_MS = env_int("RFID_EVENT_BATCH_MS", 0 if CELERY_TASK_ALWAYS_EAGER else 1000)
if RFID_DEDUPE_WINDOW_SECONDS <= 0 or RFID_TRANSACTION_WINDOW_SECONDS <= 0 or RFID_READER_SILENT_SECONDS <= 0:
    raise ImproperlyConfigured("RFID_*_SECONDS windows must be positive")

# Customs gateway: how declarations reach the authority and how its answers are trusted.
# Embedded default: the authority simulator as transport, a demo signing key generated under var/.
CUSTOMS_TRANSPORT = env_str("CUSTOMS_TRANSPORT", "")  # dotted path; "" = the simulator
CUSTOMS_ENDPOINT_URL = env_str("CUSTOMS_ENDPOINT_URL", "")
CUSTOMS_ENDPOINT_TIMEOUT_SECONDS = env_int("CUSTOMS_ENDPOINT_TIMEOUT_SECONDS", 30)
CUSTOMS_SIGNER = env_str("CUSTOMS_SIGNER", "")  # dotted path of a signer class (e.g. a hardware key)
CUSTOMS_SIGNING_KEY_FILE = env_str("CUSTOMS_SIGNING_KEY_FILE", "")
CUSTOMS_SIGNING_CERT_FILE = env_str("CUSTOMS_SIGNING_CERT_FILE", "")
CUSTOMS_SM2_KEY_FILE = env_str("CUSTOMS_SM2_KEY_FILE", "")
CUSTOMS_RECEIPT_TIMEOUT_SECONDS = env_int("CUSTOMS_RECEIPT_TIMEOUT_SECONDS", 600)
CUSTOMS_MAX_ATTEMPTS = env_int("CUSTOMS_MAX_ATTEMPTS", 5)
CUSTOMS_MAX_MESSAGE_BYTES = env_int("CUSTOMS_MAX_MESSAGE_BYTES", EDI_MAX_MESSAGE_BYTES)
# The largest request body any endpoint takes (and room for a form's multipart framing): a larger one is
# answered 413 before it is collected (hub/asgi_http.py). Daphne still receives it whole first: cap bodies
# at the proxy in front as well (e.g. nginx client_max_body_size).
HTTP_MAX_BODY_BYTES = env_int(
    "HTTP_MAX_BODY_BYTES",
    max(DATA_UPLOAD_MAX_MEMORY_SIZE, RFID_MAX_BODY_BYTES, CUSTOMS_MAX_MESSAGE_BYTES) + 64 * 1024,
)
CUSTOMS_NODE_ID = env_str("CUSTOMS_NODE_ID", "LOGIHUB")
CUSTOMS_RECEIVER_ID = env_str("CUSTOMS_RECEIVER_ID", "EPORT")
CUSTOMS_AUTHORITY_ID = env_str("CUSTOMS_AUTHORITY_ID", "CN-CUSTOMS")
CUSTOMS_ACCEPT_UNSIGNED_FROM_AUTHENTICATED = env_bool("CUSTOMS_ACCEPT_UNSIGNED_FROM_AUTHENTICATED", True)
# What the authority behind the transport speaks: xml (signed, in the DXP envelope) or edifact (CUSDEC/CUSCAR)
CUSTOMS_MESSAGE_FORMAT = env_str("CUSTOMS_MESSAGE_FORMAT", "xml").lower()
if CUSTOMS_MESSAGE_FORMAT not in ("xml", "edifact"):
    raise ImproperlyConfigured("CUSTOMS_MESSAGE_FORMAT must be xml or edifact")
# Periodic work when a beat runs (`celery -A hub beat`): resubmit declarations with no receipt in time.
CELERY_BEAT_SCHEDULE = {
    "customs-overdue-receipts": {
        "task": "customs_gateway.tasks.check_overdue_receipts",
        "schedule": env_int("CUSTOMS_OVERDUE_CHECK_SECONDS", 60),
    },
    # received messages whose processing task the broker could not take at commit (edi.services.requeue_stuck)
    "edi-requeue-stuck": {"task": "edi.requeue_stuck", "schedule": env_int("EDI_REQUEUE_CHECK_SECONDS", 30)},
    # gate events of opened passes whose batch task the broker did not take (rfid.services.record_soon)
    "rfid-record-pending": {
        "task": "rfid.record_pending_gate_events",
        "schedule": env_int("RFID_RECORD_PENDING_CHECK_SECONDS", 30),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"daphne": {"level": "WARNING"}, "django.channels.server": {"level": "WARNING"}},
}

# Session and CSRF cookies over HTTPS only whenever DEBUG is off (a production URL or not); SECURE_COOKIES=0
# for a deployment reached over plain HTTP on a closed network.
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# HTTPS. Behind a TLS-terminating proxy that sets (and strips from clients) a header such as
# X-Forwarded-Proto, SECURE_PROXY_SSL_HEADER names it so that Django knows a request came over HTTPS.
# HSTS (a year in production) is only sent on such requests; SECURE_SSL_REDIRECT sends plain HTTP to
# HTTPS (off: the proxy usually does; /healthz is never redirected, probes speak plain HTTP).
# Django's defaults keep X-Frame-Options DENY, nosniff, Referrer-Policy and COOP same-origin, HttpOnly
# session cookies, SameSite=Lax (tests/unit/hub/test_security_headers.py holds them).
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("SECURE_HSTS_SECONDS must be 0 or more")

# Content-Security-Policy on every answer (hub/middleware.py): scripts, styles, fonts and connections
# (fetch and the /ws/track/ websocket) from this origin only, images also as data: URIs (the API docs'
# icons), no plugins, no <base>, forms post here only, never framed. No inline script and no <style>
# element: no page of ours, of the admin or of the API docs (portal/templates/drf_spectacular/, the
# split Swagger view) has one, so an injected one does not run. Style attributes are allowed (they run
# nothing; DRF's browsable API floats two of its buttons with them). The browser suite fails on any
# violation it meets.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
