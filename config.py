"""Settings read from the environment; SQLite and a local instance folder by default."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("OCPA_INSTANCE_DIR", BASE_DIR / "instance"))
# The national list of IPA codes lives beside the project in the team's shared corpus; it is never committed.
DEFAULT_IPA_CODES_FILE = BASE_DIR.parent / "shared" / "corpus" / "publiccode" / "spec" / "it" / "ipa_codes.txt"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(instance_dir: Path = INSTANCE_DIR) -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance_dir.mkdir(parents=True, exist_ok=True)
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        # O_EXCL so that two workers starting together never write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def database_url() -> str:
    """DATABASE_URL, with postgres:// and postgresql:// mapped to the psycopg 3 driver."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'opencommunity.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY: str | None = None  # filled in by create_app through load_secret_key()
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # One switch for everything a deployment behind HTTPS and a reverse proxy needs.
    PRODUCTION = _bool("OCPA_PRODUCTION")
    SESSION_COOKIE_SECURE = PRODUCTION
    REMEMBER_COOKIE_SECURE = PRODUCTION
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Proxy headers are trusted only when a proxy is said to be there (client IP and scheme; never the host).
    PROXY_FIX_HOPS = int(os.environ.get("OCPA_PROXY_HOPS", "0"))
    PREFERRED_URL_SCHEME = "https" if PRODUCTION else "http"
    # Links in e-mails are built from this, never from the request's Host header (which a client chooses).
    BASE_URL = os.environ.get("OCPA_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Host names the application answers to (comma-separated); empty accepts any, as in development.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("OCPA_TRUSTED_HOSTS", "").split(",") if h.strip()] or None

    BABEL_DEFAULT_LOCALE = "it"
    LANGUAGES = ("it", "en")

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Sign-in throttling (Flask-Limiter); memory storage suits one process, Redis several.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("OCPA_LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("OCPA_LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes")

    # Argon2id cost (argon2-cffi's defaults: RFC 9106 low-memory profile).
    ARGON2_TIME_COST = int(os.environ.get("OCPA_ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_COST = int(os.environ.get("OCPA_ARGON2_MEMORY_COST", "65536"))

    CONFIRM_TOKEN_MAX_AGE = int(os.environ.get("OCPA_CONFIRM_TOKEN_MAX_AGE", str(3 * 24 * 3600)))
    RESET_TOKEN_MAX_AGE = int(os.environ.get("OCPA_RESET_TOKEN_MAX_AGE", str(3600)))

    # Mail: in development every message is written to the log instead of being sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "OpenCommunity PA <noreply@opencommunitypa.local>")
    MAIL_SUPPRESS_SEND = not _bool("OCPA_SEND_MAIL", default=PRODUCTION)

    # Who runs the platform, shown in the footer and filled into the privacy notice and the accessibility statement
    # (AgID's model); an empty value shows as "to be filled in" on the page, so a missing one is seen, not invented.
    OWNER_NAME = os.environ.get("OCPA_OWNER_NAME", "")
    OWNER_URL = os.environ.get("OCPA_OWNER_URL", "")
    CONTACT_EMAIL = os.environ.get("OCPA_CONTACT_EMAIL", "")
    PRIVACY_CONTROLLER = os.environ.get("OCPA_PRIVACY_CONTROLLER", OWNER_NAME)
    PRIVACY_CONTACT = os.environ.get("OCPA_PRIVACY_CONTACT", CONTACT_EMAIL)
    PRIVACY_DPO_CONTACT = os.environ.get("OCPA_PRIVACY_DPO_CONTACT", "")
    PRIVACY_LEGAL_BASIS = os.environ.get("OCPA_PRIVACY_LEGAL_BASIS", "")
    PRIVACY_RETENTION = os.environ.get("OCPA_PRIVACY_RETENTION", "")
    # "compliant", "partial" or "non-compliant" (with WCAG 2.1 AA / EN 301 549), as the last evaluation found.
    ACCESSIBILITY_STATUS = os.environ.get("OCPA_ACCESSIBILITY_STATUS", "")
    ACCESSIBILITY_ISSUES = os.environ.get("OCPA_ACCESSIBILITY_ISSUES", "")
    ACCESSIBILITY_STATEMENT_DATE = os.environ.get("OCPA_ACCESSIBILITY_DATE", "")  # YYYY-MM-DD
    ACCESSIBILITY_FEEDBACK = os.environ.get("OCPA_ACCESSIBILITY_FEEDBACK", CONTACT_EMAIL)  # e-mail address or URL

    IPA_CODES_FILE = os.environ.get("OCPA_IPA_CODES_FILE", str(DEFAULT_IPA_CODES_FILE))
    ORGANIZATIONS_PER_PAGE = 24
    COMMUNITIES_PER_PAGE = 12
    MEMBERS_PER_PAGE = 25
    FEED_PER_PAGE = 20
    INVITATION_DAYS = int(os.environ.get("OCPA_INVITATION_DAYS", "14"))
    PRACTICES_PER_PAGE = 12
    # A kit with no version published for longer than this is flagged as stale.
    KIT_STALE_DAYS = int(os.environ.get("OCPA_KIT_STALE_DAYS", "365"))
    # A support request with no first response after this many Italian working days (app/workdays.py) is overdue.
    SUPPORT_RESPONSE_DAYS = int(os.environ.get("OCPA_SUPPORT_RESPONSE_DAYS", "5"))
    # Days off beside weekends and national holidays, for every working-day figure: "MM-DD" each year (a patron
    # saint) or "YYYY-MM-DD" once, comma-separated.
    EXTRA_HOLIDAYS = tuple(day.strip() for day in os.environ.get("OCPA_EXTRA_HOLIDAYS", "").split(",") if day.strip())
    # When the nightly `flask indicators compute` runs (the cron line's time, shown on pages not yet computed).
    INDICATORS_NIGHTLY_AT = os.environ.get("OCPA_INDICATORS_NIGHTLY_AT", "02:15")
    # A closed support request can be reopened once within this many days of its closing.
    SUPPORT_REOPEN_DAYS = int(os.environ.get("OCPA_SUPPORT_REOPEN_DAYS", "30"))
    SUPPORT_PER_PAGE = 20
    # One file at most UPLOAD_MAX_BYTES; a whole request (several files at once) at most MAX_CONTENT_LENGTH.
    UPLOAD_MAX_BYTES = int(os.environ.get("OCPA_UPLOAD_MAX_MB", "25")) * 1024 * 1024
    MAX_CONTENT_LENGTH = int(os.environ.get("OCPA_REQUEST_MAX_MB", "100")) * 1024 * 1024
    UPLOAD_FOLDER = os.environ.get("OCPA_UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))  # never under static/

    # Full-text search. The index is derived data, rebuilt from the database whenever it is missing or outdated.
    SEARCH_DIR = os.environ.get("OCPA_SEARCH_DIR", str(INSTANCE_DIR / "search"))
    # Who applies queued index work: "thread" (a thread in each web process: the embedded default), "worker" (only
    # a separate `flask search worker` process, for deployments with several web workers), "off" (nobody; tests).
    SEARCH_WRITER = os.environ.get("OCPA_SEARCH_WRITER", "thread")
    SEARCH_POLL_SECONDS = float(os.environ.get("OCPA_SEARCH_POLL_SECONDS", "2"))
    SEARCH_PER_PAGE = 10
    SEARCH_MAX_QUERY_LENGTH = 200
    SEARCH_MAX_WORDS = 20
    # A search still running after this many seconds answers with what it found so far.
    SEARCH_TIME_LIMIT = float(os.environ.get("OCPA_SEARCH_TIME_LIMIT", "2"))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    MAIL_SUPPRESS_SEND = True
    RATELIMIT_STORAGE_URI = "memory://"
    # Cheap hashing keeps the suite fast; the algorithm stays Argon2id.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    SERVER_NAME = None
    SEARCH_WRITER = "off"  # tests apply queued index work themselves, when they choose
