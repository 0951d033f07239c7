"""Settings for Amends: every value comes from the environment, with a safe development default.

A bad value stops start-up with a message that names the variable (see config.env).
"""

from pathlib import Path
from typing import Any

import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import Env, SettingError

# Lets generic Django classes (QuerySet[Model], ModelForm[Model]) be subscripted at run time, as the types are.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

# The development defaults below are for a developer's machine. Production sets AMENDS_ENVIRONMENT=production,
# which refuses to start while any secret still has its development default.
ENVIRONMENT = env.choice("AMENDS_ENVIRONMENT", default="development", choices=("development", "test", "production"))
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.boolean("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise SettingError("DEBUG", "must be false in production: debug pages show settings and personal data")

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-used-in-production-0123456789"  # noqa: S105
SECRET_KEY = env.secret("SECRET_KEY", development_default=DEVELOPMENT_SECRET_KEY, production=PRODUCTION)

# Fernet keys for personal data, newest first, kept apart from SECRET_KEY so that one leaked secret is not both.
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMDAwMDA="
FIELD_ENCRYPTION_KEYS = env.fernet_keys(
    "FIELD_ENCRYPTION_KEYS", development_default=[DEVELOPMENT_FIELD_ENCRYPTION_KEY], production=PRODUCTION
)

# The key of the blind index: a keyed hash that finds exact matches (a person's name and date of birth) without
# decrypting anything. Separate from the keys above; changing it means rebuilding the index.
DEVELOPMENT_BLIND_INDEX_KEY = "development-only-blind-index-key-never-used-in-production"
BLIND_INDEX_KEY = env.secret("BLIND_INDEX_KEY", development_default=DEVELOPMENT_BLIND_INDEX_KEY, production=PRODUCTION)

# Keys of the audit chain's HMAC (amends/audit/chain.py), newest first, kept out of the database like the keys above:
# whoever can rewrite audit rows cannot then recompute their hashes. Rotate by putting a new key first; keep every key
# that hashed an event, or its events no longer verify.
DEVELOPMENT_AUDIT_CHAIN_KEY = "development-only-audit-chain-key-never-used-in-production"
AUDIT_CHAIN_KEYS = env.secrets(
    "AUDIT_CHAIN_KEYS", development_default=[DEVELOPMENT_AUDIT_CHAIN_KEY], production=PRODUCTION
)
# Where `manage.py audit_anchor` writes the signed chain head each day (amends/audit/anchors.py): somewhere the
# database's owner cannot write, so a rewritten chain no longer matches what was written there before.
anchor_directory = env.string("AUDIT_ANCHOR_DIR", default="" if PRODUCTION else str(BASE_DIR / "var" / "audit-anchors"))
if not anchor_directory:
    raise SettingError("AUDIT_ANCHOR_DIR", "must name the directory for the audit chain's anchors in production")
AUDIT_ANCHOR_DIR = Path(anchor_directory)
# Anchors older than this are deleted when a new one is written.
AUDIT_ANCHOR_KEEP_DAYS = env.integer("AUDIT_ANCHOR_KEEP_DAYS", default=7 * 365 + 2)

ALLOWED_HOSTS = env.strings(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise SettingError("ALLOWED_HOSTS", "must name the host names Amends answers to in production")
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # ninja's Swagger page then loads its bundled scripts from our static files, not a CDN, as our CSP needs.
    "ninja",
    "amends.core",
    "amends.accounts",
    "amends.audit",
    "amends.referrals",
    "amends.cases",
    "amends.people",
    "amends.consent",
    "amends.risk",
    "amends.outcomes",
    "amends.followup",
    "amends.relay",
    "amends.meetings",
    "amends.youth",
    "amends.complaints",
    "amends.dataprotection",
    "amends.participation",
    "amends.public",
    "amends.figures",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amends.core.middleware.RequestIdMiddleware",
    # Before anything reads the body or the database: clear answers (413, 503) where Django would answer 400 or 500.
    "amends.core.middleware.RequestTooLargeMiddleware",
    "amends.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amends.core.middleware.NoStoreWhenSignedInMiddleware",
    "amends.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "amends.accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amends.core.context_processors.shell",
            ],
            "builtins": ["amends.core.templatetags.govuk"],
        },
    },
]
FORM_RENDERER = "amends.core.forms.GovukFormRenderer"

DATABASES = {"default": env.database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'amends.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the web server and the task worker share one file without "locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler judges the figures' EXISTS queries expensive and spends longer compiling them than
    # running them (docs/bench.md): Amends' queries are short, so it stays off.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every server process, so sign-in throttling holds across them; no Redis needed.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "amends_cache"},
    # The dashboards kept between views (amends/figures/kept.py): one row per dashboard asked for, in every language.
    "figures": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "amends_figures",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Sign-in: email and password, then a second factor. Staff accounts come only by invitation.
ACCOUNT_ADAPTER = "amends.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 15 * 60
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.string("AMENDS_LOGIN_RATE_LIMIT", default="10/m/ip,5/300s/key"),
    # The public forms and the participant's secure link (through allauth's rate limiter, on the same cache).
    "self_referral": env.string("AMENDS_SELF_REFERRAL_RATE_LIMIT", default="5/h/ip"),
    "public_feedback": env.string("AMENDS_FEEDBACK_RATE_LIMIT", default="5/h/ip"),
    "participant_check": env.string("AMENDS_LINK_CHECK_RATE_LIMIT", default="20/h/ip"),
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.integer("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
MFA_ADAPTER = "amends.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Amends"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_FORMS = {"add_webauthn": "amends.accounts.forms.AddSecurityKeyForm"}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION and env.boolean("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)

# Idle timeout: the session ends after this many seconds without a request.
SESSION_COOKIE_AGE = env.integer("AMENDS_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.boolean("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # allauth shows the TOTP QR code as a data: image.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
# Our catalogue first; then Welsh for the third-party strings people see (allauth ships none, Django's is partial).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

MAILERS = {
    "default": {
        "BACKEND": env.string(
            "EMAIL_BACKEND",
            default="django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {
            "host": env.string("EMAIL_HOST", default="localhost"),
            "port": env.integer("EMAIL_PORT", default=25),
        }
        if PRODUCTION
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", default="Amends <no-reply@amends.invalid>")
# The address used in links in emails, texts and printed output, since these are made outside a request. Outside
# production it follows PORT, as `make run` does.
AMENDS_BASE_URL = env.base_url("AMENDS_BASE_URL", production=PRODUCTION)
if PRODUCTION and not AMENDS_BASE_URL.startswith("https://"):
    raise SettingError("AMENDS_BASE_URL", "must be the https:// address of Amends in production, for links in emails")
# A request id from the load balancer is kept only when we sit behind one; otherwise clients could choose it.
AMENDS_TRUST_REQUEST_ID = env.boolean("AMENDS_TRUST_REQUEST_ID", default=False)

# Background tasks (long exports of figures) wait in the database for `manage.py db_worker`; tests run them at once.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker records a heartbeat every 30 seconds (amends/core/heartbeat.py); /healthz calls it late after this long.
AMENDS_WORKER_LATE_SECONDS = env.integer("AMENDS_WORKER_LATE_SECONDS", default=120)

# Logs carry the request id and never personal data.
# Every handler masks the tokens of participants' links and invitations (amends.core.log.MaskSecretsLogFilter):
# Django's own handlers are replaced here, so django.request and django.server write through ours; a handler added
# here must list "mask_secrets" too (tests/test_logging.py checks every handler).
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "amends.core.log.RequestIdLogFilter"},
        "mask_secrets": {"()": "amends.core.log.MaskSecretsLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_secrets", "request_id"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["mask_secrets"]},
    },
    "loggers": {
        # Django's defaults (a console for DEBUG only, and mail to ADMINS with the request's full address) give way
        # to the root's console, at the root's level.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", default="INFO")},
}

AMENDS_INVITATION_DAYS = env.integer("AMENDS_INVITATION_DAYS", default=7)
# Letters, scans and recordings passed between participants: encrypted, outside the web root, served by a view only.
AMENDS_PRIVATE_DIR = Path(env.string("AMENDS_PRIVATE_DIR", default=str(BASE_DIR / "var" / "private")))
AMENDS_RELAY_MAX_UPLOAD_MB = env.integer("AMENDS_RELAY_MAX_UPLOAD_MB", default=50)

# The public side. "Exit this page" goes here: an everyday site that gives nothing away.
AMENDS_EXIT_PAGE_URL = env.string("AMENDS_EXIT_PAGE_URL", default="https://www.bbc.co.uk/weather")
# A participant's secure link lasts this many days unless the facilitator chooses otherwise.
AMENDS_LINK_DAYS = env.integer("AMENDS_LINK_DAYS", default=28)
# How texts are sent: a dotted path to a class with send(to, body) (amends/participation/senders.py). The console
# sender prints texts for a developer; production names a real one, or texts are refused with a clear message.
AMENDS_TEXT_SENDER = env.string(
    "AMENDS_TEXT_SENDER",
    default="amends.participation.senders.NoTextSender"
    if PRODUCTION
    else "amends.participation.senders.ConsoleTextSender",
)
