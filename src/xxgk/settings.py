"""The one settings module, configured from the environment.

Environment variables (documented in docs/operations.md):

- ``DATABASE_URL``: any URL dj-database-url understands; default a SQLite file under
  ``var/`` in WAL mode.
- ``SECRET_KEY``, ``XXGK_FIELD_KEY``, ``XXGK_LOOKUP_KEY``: default keys generated on first run
  and kept in ``XXGK_KEY_DIR`` (owner-only); ``XXGK_FIELD_KEY`` may hold several keys, the
  current one first (a key rotation in progress).
- ``DEBUG``: ``1``/``true`` to turn it on; off otherwise.
- ``ALLOWED_HOSTS``: comma-separated; default local addresses only.
- ``XXGK_VAR_DIR``: where the embedded defaults live; default ``var/`` in the working
  directory.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("XXGK_VAR_DIR", Path.cwd() / "var")).resolve()
# Where the generated keys are kept: var/ by default, or a directory of its own (another
# disk, another owner's custody) so that a copy of the data directory holds no key.
KEY_DIR = Path(os.environ.get("XXGK_KEY_DIR", VAR_DIR)).resolve()
# The embedded default database, when DATABASE_URL is unset.
EMBEDDED_DATABASE = VAR_DIR / "xxgk.sqlite3"


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# The keys given in the environment rather than kept in var/ (named in error messages).
XXGK_KEYS_FROM_ENVIRONMENT = frozenset(
    name for name in ("SECRET_KEY", "XXGK_FIELD_KEY", "XXGK_LOOKUP_KEY") if os.environ.get(name))


def _kept_key(variable: str, filename: str, make: Callable[[], str], *,
              guards_data: bool = False) -> str:
    """A key from the environment, else one made once and kept in ``var/filename``,
    created with owner-only permissions so that no other user of the host can read it.

    A key that ``guards_data`` (the field and lookup keys) is never made beside an existing
    SQLite database: a database restored without its keys would otherwise start under new
    ones, and every applicant's data would be unreadable. (On PostgreSQL the system check
    ``applications.keycheck`` finds a new key over old data before anything uses it.)
    """
    if key := os.environ.get(variable):
        return key
    path = KEY_DIR / filename
    if path.exists():
        return path.read_text().strip()
    database = EMBEDDED_DATABASE
    if guards_data and not os.environ.get("DATABASE_URL", "").strip() and database.exists() \
            and database.stat().st_size > 0:
        raise ImproperlyConfigured(
            f"{path} is missing but the database {database} exists: restore the key from "
            f"the backup of the keys (or set {variable}); a new key would make the stored "
            "applicants' data unreadable (docs/operations.md, \"Keys and backups\")")
    KEY_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        database = EMBEDDED_DATABASE
        # Owner-only from the start (SQLite gives its -wal and -shm files the same mode):
        # the file holds every applicant's record.
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
        url = f"sqlite:///{database}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            "DATABASE_URL is not a database URL xxgk understands "
            "(use sqlite:///PATH or postgres://USER@HOST:PORT/NAME)"
        ) from exc
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write
            # lock at BEGIN so that concurrent writers queue instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        # A file, not the default shared in-memory database: in-memory SQLite locks whole
        # tables and ignores the busy timeout, which concurrency tests would trip over.
        config["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL names an engine xxgk does not support ({engine or 'unknown'}); "
            "use sqlite:///PATH or postgres://USER@HOST:PORT/NAME"
        )
    return config


# Django's signing key (sessions, CSRF): rotating it signs everyone out and loses nothing.
SECRET_KEY = _kept_key("SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
# Encrypts applicants' personal information; apart from SECRET_KEY so that rotating the
# signing key never loses data. A key ring: the file (or the variable) holds one key, or
# during `xxgk rotate-keys` the new key first and the old ones after, whitespace-separated;
# the first encrypts, every one decrypts (``applications.rotation``).
XXGK_FIELD_KEYS = tuple(_kept_key("XXGK_FIELD_KEY", "field_key", _fernet_key,
                                  guards_data=True).split())
# Keys the hashes of query codes, apart from both: rotating the signing key must not make
# every applicant's code stop working.
XXGK_LOOKUP_KEY = _kept_key("XXGK_LOOKUP_KEY", "lookup_key", lambda: secrets.token_urlsafe(50),
                            guards_data=True)
DEBUG = _env_flag("DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    # Django's admin behind the second factor (workbench.admin_site).
    "xxgk.workbench.apps.AdminConfig",
    # Before django.contrib.auth, so that its createsuperuser and changepassword replace
    # Django's: every account change goes through agencies.accounts, audited.
    "xxgk.agencies",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "xxgk.core",
    "xxgk.holidays",
    "xxgk.applications",
    "xxgk.appeals",
    "xxgk.catalog",
    "xxgk.search",
    "xxgk.consultations",
    "xxgk.reports",
    "xxgk.portal",
    "xxgk.workbench",
    "xxgk.demo",
    "xxgk.oversight",
    # Two-factor sign-in and the login lock-out (workbench.two_factor), their apps named in
    # the admin's language.
    "django_otp",
    "xxgk.workbench.apps.AuthenticatorsConfig",
    "xxgk.workbench.apps.RecoveryCodesConfig",
    "xxgk.workbench.apps.LockoutsConfig",
]

MIDDLEWARE = [
    "xxgk.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xxgk.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The second factor's one check (workbench.two_factor): after OTPMiddleware.
    "xxgk.workbench.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xxgk.urls"
WSGI_APPLICATION = "xxgk.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff passwords (等保 2.0 三级): 10 characters or more, three kinds of characters at least,
# not like the user's details, not common, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xxgk.workbench.passwords.CharacterClassesValidator",
     "OPTIONS": {"min_classes": 3}},
]
# A signed-in session ends after this many minutes without a request (each request moves
# the end on), and when the browser closes.
XXGK_SESSION_IDLE_MINUTES = int(os.environ.get("XXGK_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = XXGK_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Repeated login failures (django-axes, on the staff login, which is the admin's login too):
# after XXGK_LOGIN_FAILURES failures for one username from one address, that username is
# refused from that address until XXGK_LOGIN_LOCKOUT_MINUTES have passed since the last try;
# a successful login clears the count. The address is REMOTE_ADDR only (as in the audit
# log): a client-supplied X-Forwarded-For must not let an attacker start afresh. Failures
# are kept in axes' tables without the password; its log lines hide username and address.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("XXGK_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("XXGK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_LOCKOUT_CALLABLE = "xxgk.workbench.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
# Two-factor sign-in (workbench.two_factor): the name authenticator apps show the code under.
OTP_TOTP_ISSUER = os.environ.get("XXGK_OTP_ISSUER", "xxgk")
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
# Static files are served from the packages themselves, so `make run` needs no
# collectstatic step; production may still run collectstatic for hashed names.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# ---- Served over TLS (docs/operations.md, "Serving securely") ----------------------------
# XXGK_HTTPS=1 behind the reverse proxy that ends TLS and sets X-Forwarded-Proto: cookies are
# sent over HTTPS only, plain HTTP is redirected, and browsers are told to use HTTPS only
# (HSTS, a year by default; XXGK_HSTS_SECONDS=0 while trying it out).
XXGK_HTTPS = _env_flag("XXGK_HTTPS")
if XXGK_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_flag("XXGK_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("XXGK_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("XXGK_HSTS_INCLUDE_SUBDOMAINS")
# The reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto
# are believed (core.middleware.ClientAddressMiddleware); every other peer's are dropped, so
# a client cannot choose the address its rate limits and audit entries are counted under.
# Loopback by default: a proxy on the same host, and only local processes besides.
XXGK_TRUSTED_PROXIES = [entry.strip() for entry in
                        os.environ.get("XXGK_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
                        if entry.strip()]
for _proxy in XXGK_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"XXGK_TRUSTED_PROXIES: {_proxy!r} is not an address or "
                                   "a network such as 10.0.0.0/24") from None
# The Content-Security-Policy of every response (django-csp): scripts, styles, images, fonts
# and requests only from the site itself; no inline script, no plugin, no framing, forms post
# only here. Inline styles stay allowed: the oversight charts are inline SVG whose CSS is in
# the SVG, and the national tables give their columns' widths in the page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}



def _email() -> dict:
    """Mail from ``EMAIL_URL`` (``smtp://user:password@host:587/?tls=True``,
    ``smtp+ssl://…:465``, ``console:``), else ``EMAIL_BACKEND``, else the console (the demo:
    letters and reminders are printed by the worker instead of sent)."""
    if url := os.environ.get("EMAIL_URL"):
        import dj_email_url

        try:
            parsed = dj_email_url.parse(url)
        except Exception as exc:
            raise ImproperlyConfigured(f"EMAIL_URL is not a mail URL: {exc}") from None
        return {key: value for key, value in parsed.items() if value not in (None, "")}
    return {"EMAIL_BACKEND": os.environ.get("EMAIL_BACKEND",
                                            "django.core.mail.backends.console.EmailBackend")}


_MAIL = _email()
EMAIL_BACKEND = _MAIL["EMAIL_BACKEND"]
EMAIL_HOST = _MAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _MAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _MAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _MAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _MAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _MAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _MAIL.get("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xxgk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The audit log's daily head (agencies.integrity): kept wherever the log goes, and sent to
    # syslog (off the host, where the database administrator cannot rewrite it) when
    # XXGK_AUDIT_SYSLOG names its socket or host:port.
    "loggers": {"xxgk.audit.head": {"level": "INFO"}},
}
if _audit_syslog := os.environ.get("XXGK_AUDIT_SYSLOG", "").strip():
    _host, _sep, _port = _audit_syslog.rpartition(":")
    LOGGING["handlers"]["audit_syslog"] = {
        "class": "logging.handlers.SysLogHandler", "formatter": "plain",
        "address": (_host, int(_port)) if _sep and _port.isdigit() else _audit_syslog}
    LOGGING["loggers"]["xxgk.audit.head"]["handlers"] = ["audit_syslog"]

# How old the public pages' generation may be when a cached page is served (portal.cache):
# a change shows on every server within this many seconds of its commit.
XXGK_PAGE_GENERATION_MAX_AGE = float(os.environ.get("XXGK_PAGE_GENERATION_MAX_AGE", "0.1"))
# The largest request body accepted (attachments included), in bytes.
XXGK_MAX_REQUEST_BYTES = int(os.environ.get("XXGK_MAX_REQUEST_BYTES", str(20 * 1024 * 1024)))

# ---- The public site's identity (meta tags for government-site crawlers) ---------------
# SiteName (default: the top agency's name), SiteDomain (default: the host asked for) and
# SiteIDCode (网站标识码, issued with the site's registration; the tag is left out until set).
XXGK_SITE_NAME = os.environ.get("XXGK_SITE_NAME", "").strip()
XXGK_SITE_DOMAIN = os.environ.get("XXGK_SITE_DOMAIN", "").strip()
XXGK_SITE_ID_CODE = os.environ.get("XXGK_SITE_ID_CODE", "").strip()
if XXGK_SITE_ID_CODE and not (XXGK_SITE_ID_CODE.isascii() and XXGK_SITE_ID_CODE.isalnum()):
    raise ImproperlyConfigured("XXGK_SITE_ID_CODE is the site's 网站标识码: letters and digits only")

# ---- Conventions of the statutory clock (see docs/architecture.md, "The clock") --------
# Working days before the due date at which an open application is "due soon".
XXGK_DUE_SOON_WORKING_DAYS = int(os.environ.get("XXGK_DUE_SOON_WORKING_DAYS", "5"))

# Public applications accepted from one address within an hour (applications/lockout.py);
# 0 is no limit (a load test from one machine).
XXGK_SUBMISSIONS_PER_HOUR = int(os.environ.get("XXGK_SUBMISSIONS_PER_HOUR", "20"))
# Public searches (the page, the suggestions, the API) from one address in a minute
# (search/throttle.py); 0 is no limit (a load test from one machine). Each process adds its
# counts to the shared table at most every XXGK_RATE_FLUSH_SECONDS (core/ratelimit.py).
XXGK_SEARCHES_PER_MINUTE = int(os.environ.get("XXGK_SEARCHES_PER_MINUTE", "240"))
XXGK_RATE_FLUSH_SECONDS = float(os.environ.get("XXGK_RATE_FLUSH_SECONDS", "1"))

# ---- Retention of applicants' identity data (applications/retention.py) ----------------
# Years after an application closed until its applicant's identity data is erased (0: kept).
XXGK_RETENTION_YEARS = int(os.environ.get("XXGK_RETENTION_YEARS", "10"))

# ---- The worker (``xxgk worker``, docs/operations.md) ----------------------------------
# Tasks queued once a day, at or after this local hour (0–23), by whichever worker is idle.
XXGK_DAILY_HOUR = int(os.environ.get("XXGK_DAILY_HOUR", "7"))
XXGK_DAILY_TASKS = ["xxgk.applications.reminders.daily_reminders",
                    "xxgk.catalog.reminders.daily_publication_reminders",
                    # Erase identity data past its retention period.
                    "xxgk.applications.retention.daily_erasure",
                    # Verify the audit log's chain and send its head off the host.
                    "xxgk.agencies.integrity.daily_audit_head",
                    # Suggestions as people type, from the day's catalogue and queries.
                    "xxgk.search.indexing.index_catalogue"]
# Run by the worker whenever no job is due (each is quick when there is nothing to do).
XXGK_IDLE_TASKS = ["xxgk.search.indexing.process_pending"]
# Handlers are reminded of unpublished items due within this many working days (Art. 26).
XXGK_PUBLICATION_REMINDER_DAYS = int(os.environ.get("XXGK_PUBLICATION_REMINDER_DAYS", "5"))
