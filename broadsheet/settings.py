"""Broadsheet settings: every value comes from the environment (see README)."""

import datetime
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, *, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: str) -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def local_secret_key(var_dir: Path) -> str:
    """Return the secret key kept in var/, creating it on first use (development)."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BROADSHEET_VAR_DIR", BASE_DIR / "var"))
BROADSHEET_ENV = os.environ.get("BROADSHEET_ENV", "development")
IS_PRODUCTION = BROADSHEET_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
if os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
elif IS_PRODUCTION:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: BROADSHEET_ENV=production refuses to run without one."
    )
else:
    SECRET_KEY = local_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default="localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BROADSHEET_CSRF_TRUSTED_ORIGINS", default="")

INSTALLED_APPS = [
    "broadsheet.editorial.admin_site.BroadsheetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "broadsheet.sources",
    "broadsheet.media",
    "broadsheet.content",
    "broadsheet.discovery",
    "broadsheet.readership",
    "broadsheet.publishing",
    "broadsheet.pagecache",
    "broadsheet.web",
    "broadsheet.serving",
    "broadsheet.editorial",
    "broadsheet.migration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "broadsheet.serving.policy.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "broadsheet.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    # BackOffice to BackOfficeEnd: for BACK_OFFICE_PATHS only (serving.back_office).
    "broadsheet.serving.back_office.BackOffice",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "broadsheet.editorial.two_factor.RequireTwoFactor",
    "broadsheet.serving.back_office.BackOfficeEnd",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
BACK_OFFICE_PATHS = ("/admin/", "/preview/", "/newsroom/")

ROOT_URLCONF = "broadsheet.urls"
WSGI_APPLICATION = "broadsheet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadsheet.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'broadsheet.sqlite3'}",
        conn_max_age=600,
        # A kept connection the server ended (a restart, a failover) is replaced
        # at the request's first query instead of failing it with a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock
    # at BEGIN so concurrent writers queue on busy_timeout instead of failing.
    # See docs/decisions/0002-sqlite-wal.md.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    # A file cache is shared by every server process on the machine, so a publish
    # through one worker invalidates pages for all of them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }


BROADSHEET_PAGE_CACHE = env_bool("BROADSHEET_PAGE_CACHE", default=True)
# Views are spooled (or buffered in Redis) and flushed this often; 0: write each view
# straight to the database.
BROADSHEET_VIEW_FLUSH_SECONDS = float(
    os.environ.get("BROADSHEET_VIEW_FLUSH_SECONDS", "2")
)
# Scheduled articles are published by a pass this often (publishing.scheduler); 0:
# never by a server (run `broadsheet publish-due` from cron instead).
BROADSHEET_SCHEDULER_SECONDS = float(
    os.environ.get("BROADSHEET_SCHEDULER_SECONDS", "1")
)
# Whether loading broadsheet.wsgi starts the scheduler thread; `broadsheet serve` sets
# it for its workers, so tests and management commands that import it run none.
BROADSHEET_RUN_SCHEDULER = env_bool("BROADSHEET_RUN_SCHEDULER", default=False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATION}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]
# Argon2 first (OWASP's choice); the others still check passwords hashed before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# Back-office sessions end after this many hours (Django's default is 14 days).
LOGIN_URL = "newsroom:login"
LOGIN_REDIRECT_URL = "newsroom:dashboard"
SESSION_COOKIE_AGE = int(float(os.environ.get("BROADSHEET_SESSION_HOURS", "12")) * 3600)

# Password guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for the cool-off, right password
# or not. Behind a proxy every reader seems to come from the proxy's address, so
# the pair, not the address alone, is what is locked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


def _email_settings(url: str) -> dict[str, object]:
    """EMAIL_* settings from BROADSHEET_EMAIL_URL: empty prints mail to the
    console (development); smtp://user:password@host:587 (STARTTLS) or
    smtps://user:password@host:465 (TLS) sends it. Fifteen lines instead of a
    dependency (dj-email-url): only these two schemes are needed."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    address = urlsplit(url)
    if address.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(
            "BROADSHEET_EMAIL_URL must start smtp:// or smtps://"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": address.hostname or "localhost",
        "EMAIL_PORT": address.port or (465 if address.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(address.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(address.password or ""),
        "EMAIL_USE_TLS": address.scheme == "smtp",
        "EMAIL_USE_SSL": address.scheme == "smtps",
    }


def _totp_issuer(device) -> str:
    """Authenticator apps name the account after the site (SiteSettings)."""
    from broadsheet.content.models import SiteSettings

    return SiteSettings.load().site_name


# Two-factor codes for the back office (django-otp, TOTP; editorial.two_factor).
OTP_TOTP_ISSUER = _totp_issuer
AXES_FAILURE_LIMIT = int(os.environ.get("BROADSHEET_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=float(os.environ.get("BROADSHEET_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "editorial/locked_out.html"

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("BROADSHEET_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Fingerprinted, pre-compressed files served with far-future caching by WhiteNoise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("BROADSHEET_MEDIA_ROOT", VAR_DIR / "media"))
# Uploads past either limit are refused before any pixel is decoded.
BROADSHEET_MEDIA_MAX_MB = float(os.environ.get("BROADSHEET_MEDIA_MAX_MB", "20"))
BROADSHEET_MEDIA_MAX_MEGAPIXELS = float(
    os.environ.get("BROADSHEET_MEDIA_MAX_MEGAPIXELS", "50")
)

BROADSHEET_SITE_URL = os.environ.get("BROADSHEET_SITE_URL", "http://127.0.0.1:8000")
# Mail (password resets): the EMAIL_* settings BROADSHEET_EMAIL_URL names.
globals().update(_email_settings(os.environ.get("BROADSHEET_EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get(
    "BROADSHEET_EMAIL_FROM", f"newsroom@{urlsplit(BROADSHEET_SITE_URL).hostname}"
)
PASSWORD_RESET_TIMEOUT = 3 * 3600  # a reset link works for three hours
BROADSHEET_PAGE_SIZE = int(os.environ.get("BROADSHEET_PAGE_SIZE", "10"))
# A render taking longer stops and reports a problem instead of holding a worker.
BROADSHEET_RENDER_BUDGET_SECONDS = float(
    os.environ.get("BROADSHEET_RENDER_BUDGET_SECONDS", "10")
)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("BROADSHEET_SSL_REDIRECT", default=True)
    # The redirect's Location is an absolute URL: on the public address, whatever
    # name the request came in on.
    if BROADSHEET_SITE_URL.startswith("https://"):
        SECURE_SSL_HOST = urlsplit(BROADSHEET_SITE_URL).netloc
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # What the scheduler published with nobody present goes to the server's log.
    "loggers": {"broadsheet.publishing.scheduler": {"level": "INFO"}},
}
