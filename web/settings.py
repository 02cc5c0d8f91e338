"""Django settings for Foulée's system of record.

Everything that varies between machines comes from :mod:`foulee.config`;
this module only turns those settings into Django's vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from foulee.config import get_settings
from foulee.filemodes import PRIVATE_DIR, PRIVATE_FILE
from web.mail import SMTP_TIMEOUT_S, mail_settings

_settings = get_settings()

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = _settings.resolved_secret_key()
DEBUG = _settings.debug
ALLOWED_HOSTS = _settings.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "web.accounts",
    "web.activities",
    "web.plans",
    "web.coaching",
    "web.jobs",
    "web.site",
    "web.strava",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "web.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Dates and times in the viewer's own zone, on the site and in the admin (web/accounts/timezones.py).
    "web.accounts.timezones.ViewerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logins, sign-up, password reset and the chat, before their views run (web/throttle.py).
    "web.throttle.ThrottleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A store that is down: a 503 page instead of a 500 (web/unavailable.py).
    "web.unavailable.StoreUnavailableMiddleware",
]

ROOT_URLCONF = "web.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "web.asgi.application"
WSGI_APPLICATION = "web.wsgi.application"

# conn_max_age=0 closes the connection at the end of each request: the safe
# choice under ASGI, where requests run in a thread pool. PostgreSQL deployments
# that want persistent connections should front the database with a pooler.
DATABASES = {
    "default": dj_database_url.parse(_settings.resolved_database_url, conn_max_age=0, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A host that drops packets would otherwise hold a start-up check or a request for minutes.
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": _settings.db_connect_timeout}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the importer or the bot writes, and the
    # busy timeout turns a brief lock into a short wait instead of an error.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
# The French catalogue of the whole web app (models, admin pages, the site): see docs/web.md.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = _settings.resolved_data_dir / "static"
STATIC_ROOT.mkdir(mode=PRIVATE_DIR, exist_ok=True)
# Served from the installed apps directly, so `foulee run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = _settings.media_dir
# The athletes' original files are theirs: the owner only, whatever the server's umask (foulee/filemodes.py).
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIR

# Sync each committed change to the analytics store in-process (the default
# single-process set-up); deployments with a separate worker turn this off and
# run `foulee sync` on a schedule instead.
FOULEE_SYNC_ON_COMMIT = _settings.sync_on_commit

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The site's own log-in page; the admin keeps its own for coaches' power use.
LOGIN_URL = "site:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:login"
# Mail through FOULEE_EMAIL_URL; printed on the console only in debug, else sent nowhere (web/mail.py).
_mail = mail_settings(_settings.email_url, debug=DEBUG)
EMAIL_BACKEND = _mail.backend
EMAIL_HOST = _mail.host
EMAIL_PORT = _mail.port
EMAIL_HOST_USER = _mail.user
EMAIL_HOST_PASSWORD = _mail.password
EMAIL_USE_TLS = _mail.use_tls
EMAIL_USE_SSL = _mail.use_ssl
EMAIL_TIMEOUT = SMTP_TIMEOUT_S
DEFAULT_FROM_EMAIL = _settings.email_from
#: Whether a mail Foulée sends reaches anyone; the password-reset page says so when it does not.
FOULEE_MAIL_ENABLED = _mail.enabled

# With FOULEE_REDIS_URL, the cache every process shares lives in that Redis (Django's own backend),
# and sessions are read from it, written through to the database (a Redis restart logs nobody out).
if _settings.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _settings.redis_url,
            "KEY_PREFIX": "foulee",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# The security headers (CSP, HSTS, framing, sniffing, referrer) are foulee/headers.py's.
FOULEE_HTTPS = _settings.served_over_https
if FOULEE_HTTPS:
    # Served over HTTPS (directly, or behind a proxy in FOULEE_TRUSTED_PROXIES that says
    # X-Forwarded-Proto: https): cookies never travel in clear, and plain-HTTP pages redirect.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "web.logfilters.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "alembic": {"level": "WARNING"},
        # A bad Host header: one line naming the host, answered 400 (web/logfilters.py).
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
}

# Strava (web/strava, docs/strava.md): nothing is synced until an API application is configured.
STRAVA_CLIENT_ID = _settings.strava_client_id
STRAVA_CLIENT_SECRET = _settings.strava_client_secret
STRAVA_WEBHOOK_VERIFY_TOKEN = _settings.strava_webhook_verify_token
STRAVA_API_URL = _settings.strava_api_url
STRAVA_OAUTH_URL = _settings.strava_oauth_url
STRAVA_TOKEN_KEY = _settings.strava_token_key or ""
#: Strava's rate-limit windows: 15 minutes and a UTC day (shorter in the tests).
STRAVA_SHORT_WINDOW_S = 15 * 60
STRAVA_LONG_WINDOW_S = 24 * 60 * 60
#: The backfill runs in a thread of the process that took the OAuth callback (docs/strava.md).
STRAVA_BACKFILL_IN_THREAD = True
