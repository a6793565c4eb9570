"""Static files with content-versioned URLs: every url_for('static', ...) carries ?v=<digest of the file>, and a URL
whose version matches the file is cached for a year as immutable, so a returning visitor downloads nothing until the
file changes (and then its URL changes with it)."""
from __future__ import annotations

import hashlib
import os
import threading

from flask import Flask, Response, request
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600
# A digest per file, recomputed when the file's size or modification time changes (edits while developing).
_versions: dict[str, tuple[tuple[int, int], str]] = {}
_lock = threading.Lock()


def content_version(data: bytes) -> str:
    """The version of a file's content; scripts/refresh_vendor.py computes the same for the fonts in fonts.css."""
    return hashlib.sha256(data).hexdigest()[:12]


def file_version(folder: str, filename: str) -> str | None:
    """The version of a static file, or None if there is no such file."""
    path = safe_join(folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _versions.get(path)
    if cached and cached[0] == key:
        return cached[1]
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        version = content_version(handle.read())
    with _lock:
        _versions[path] = (key, version)
    return version


def init_assets(app: Flask) -> None:
    """Version every static URL the application builds and cache the versioned ones for good."""

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = file_version(app.static_folder, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned_files(response: Response) -> Response:
        # Only when the version asked for is the file's own: a stale version gets today's file, revalidated as usual.
        if request.endpoint != "static" or response.status_code not in (200, 206, 304):
            return response
        wanted = request.args.get("v")
        if wanted and wanted == file_version(app.static_folder, (request.view_args or {}).get("filename", "")):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            # The static files are the same for full pages and htmx requests: do not split their cache entries.
            kept = [name for name in response.vary if name.lower() not in ("hx-request", "hx-history-restore-request")]
            if kept:
                response.headers["Vary"] = ", ".join(kept)
            else:
                response.headers.pop("Vary", None)
        return response
