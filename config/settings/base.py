"""Settings shared by every environment. Everything that differs between machines comes from
the environment: DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS, ..."""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "cms",
    "engagement",
    "feedback",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SiteCSPMiddleware",
    "cms.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "engagement.membership.middleware.NewAgreementsMiddleware",
    "cms.page_cache.SessionPageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The apps are cut into slices (engagement/membership/, feedback/outcomes/, ...), each with its
# templates beside its code in <slice>/templates/<slice>/; Django's app loader only looks in
# <app>/templates/, so the slices' folders are listed here.
SLICES = [
    "engagement/membership",
    "engagement/consultations",
    "engagement/involvement",
    "engagement/equality",
    "engagement/ideas",
    "engagement/events",
    "feedback/questionnaires",
    "feedback/prototypes",
    "feedback/outcomes",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", *(BASE_DIR / s / "templates" for s in SLICES)],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite unless DATABASE_URL is set. Persistent connections always (measured:
# without them PostgreSQL serves a bare Wagtail page at about a quarter of the throughput).
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "600"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ppie"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions survive a restart. They are cached, so signing out must reach every process's view
# of them: production refuses to start without the shared cache (Redis); without REDIS_URL
# (development: one runserver process) the cache is that process's own.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Email: SMTP when EMAIL_URL is set (smtp://user:pass@host:587/?tls=True), console otherwise.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PPIE Hub <ppie@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (emails, reminders): run at once unless TASKS_BACKEND=database, in which
# case `manage.py db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Accounts (django-allauth): email only, mandatory verification, sign in with a code.
AUTH_USER_MODEL = "engagement.User"
# ModelBackend first: test helpers (Wagtail's WagtailPageTestCase, force_login) log in with
# backends[0], and rules' backend only answers permission checks (it has no get_user).
AUTHENTICATION_BACKENDS = [
    "config.auth.ModelBackendInOneQuery",
    "allauth.account.auth_backends.AuthenticationBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# Sign-up happens at /join/ (allauth's own sign-up is closed). No password1 here: allauth's
# sign-in form then asks only for the email address and sends a code, the one way in (the site
# tells people there is no password to remember). The password pages are switched off in
# config/urls.py.
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "PPIE Hub: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("HTTP_PROTOCOL", "http")
ACCOUNT_ADAPTER = "config.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "config.forms.LoginForm",
    "request_login_code": "config.forms.RequestLoginCodeForm",
    "confirm_login_code": "config.forms.ConfirmLoginCodeForm",
}
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so they are visible and adjustable.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
LOGIN_URL = "account_login"
# Where people land after signing in when they did not ask for a page (?next=): members on
# their own page, PPIE managers in the admin (config.adapters.AccountAdapter).
LOGIN_REDIRECT_URL = "/me/"
# Wagtail sends both signed-out visitors and signed-in users without admin access to its login
# URL; config.views.admin_login sends the first to allauth and shows the second a 403 (allauth
# would bounce a signed-in user straight back to ?next=/admin/: a redirect loop).
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"

# --- Wagtail
WAGTAIL_SITE_NAME = "PPIE Hub"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests (and the CSP would block them)
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_I18N_ENABLED = False
# Interactive prototypes are embedded (in a sandboxed iframe) only from these hosts.
PROTOTYPE_EMBED_HOSTS = env_list(
    "PROTOTYPE_EMBED_HOSTS", "www.figma.com,embed.figma.com,xd.adobe.com,marvelapp.com,proto.io"
)

# --- Internationalisation
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files: WhiteNoise with hashed, compressed files.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Members' receipts are private: kept outside MEDIA_ROOT (nothing serves that folder) and
# handed out only to managers by engagement.involvement.admin_views.ReceiptView
# (/admin/involvement/receipts/).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "receipts": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/admin/involvement/receipts/"},
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security headers and Content Security Policy (django-csp 4). No inline scripts anywhere
# on the public site; the Wagtail admin additionally gets inline styles (see config.middleware).
_FRAME_HOSTS = [f"https://{host}" for host in PROTOTYPE_EMBED_HOSTS]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
            *_FRAME_HOSTS,
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# DENY passes `check --deploy` (security.W019); Wagtail's preview views set SAMEORIGIN on their
# own responses, and browsers with CSP follow frame-ancestors above.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Joining the stakeholder group
# Sign-ups per client address: "count/seconds" windows. A venue's Wi-Fi is one address, so this
# lets a crowd of 100 join within ten minutes while stopping a script posting hundreds a minute.
JOIN_RATE_LIMITS = os.environ.get("JOIN_RATE_LIMITS", "30/60,200/600")
# Proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR). allauth and
# the join rate limit both read the client address this way.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# `load_demo` adds made-up people and a published manager password: never on production data.
DEMO_CONTENT_ALLOWED = True
UNCONFIRMED_SIGNUP_DAYS = int(os.environ.get("UNCONFIRMED_SIGNUP_DAYS", "14"))
# Links read away from the site (QR codes, posters, emails): this address when set, otherwise
# the default Wagtail site's (cms/site_url.py), which `load_demo --site-url` sets.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = UNCONFIRMED_SIGNUP_DAYS
# Expense receipts: photos or PDFs up to this size.
RECEIPT_MAX_BYTES = int(os.environ.get("RECEIPT_MAX_BYTES", str(5 * 1024 * 1024)))
# The kiosk's thank-you screen clears itself for the next person after this many seconds.
KIOSK_RETURN_SECONDS = int(os.environ.get("KIOSK_RETURN_SECONDS", "15"))
# Whole-page cache for anonymous visitors to Wagtail pages (cms/page_cache.py); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Reports never show a count from 1 to this minus one as a number, so a small group cannot be
# read off them (engagement/common/small_numbers.py).
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", "5"))
# After a member leaves, the payment records and receipts finance must keep by law are kept
# apart (engagement.membership FinanceRecord, managers only) for this many years, then erased by
# the daily `manage.py apply_retention`.
FINANCE_RETENTION_YEARS = int(os.environ.get("FINANCE_RETENTION_YEARS", "6"))
# Free text written in a consultation that closed more than this many months ago is erased by
# `manage.py apply_retention`; empty or 0 keeps it (off by default).
FREE_TEXT_RETENTION_MONTHS = int(os.environ.get("FREE_TEXT_RETENTION_MONTHS", "0") or "0")
# Ideas a member may put forward in 24 hours (engagement/ideas): more is refused with a message
# beside the form, never an error.
IDEAS_PER_DAY = int(os.environ.get("IDEAS_PER_DAY", "5") or "5")
# This many days after an event ends, `manage.py apply_retention` erases the access and dietary
# needs people gave when registering, and the names and email addresses of visitors who are not
# members (members' registrations stay in their data until they leave); 0 keeps them.
EVENT_RETENTION_DAYS = int(os.environ.get("EVENT_RETENTION_DAYS", "30") or "0")
