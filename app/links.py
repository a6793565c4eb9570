"""Web addresses people and files give us: only http(s) ones are stored or ever become a link."""
from __future__ import annotations

from urllib.parse import urlsplit


def is_http_url(value: str | None) -> bool:
    """An absolute http:// or https:// address with a host (so never javascript:, data: or a relative path)."""
    text = (value or "").strip()
    if not text or any(ch.isspace() or ord(ch) < 32 for ch in text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def safe_href(value: str | None) -> str:
    """The address for an href when it is http(s), else "" (templates then show the text without a link)."""
    return value.strip() if is_http_url(value) else ""


def http_url_or_error(key: str, value: str | None) -> str | None:
    """For model validators: an http(s) address, or nothing; anything else is a programming error (forms and the
    importer refuse it first, with a message at the field)."""
    if value is None or value == "":
        return None
    if not is_http_url(value):
        raise ValueError(f"{key} must be an http(s) address")
    return value
