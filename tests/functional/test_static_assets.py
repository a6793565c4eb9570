"""Static files: every URL the pages build carries the file's content version; a versioned URL is cached for a year
(immutable), anything else is revalidated, so a returning visitor downloads nothing until a file really changes."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from app.assets import ONE_YEAR, content_version, file_version
from tests.conftest import login

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"#]+)')


def version_of(path: str) -> str:
    return content_version((STATIC / path).read_bytes())


def static_urls(html: str) -> list[str]:
    return sorted(set(STATIC_URL.findall(html)))


def assert_versioned(url: str) -> None:
    parts = urlsplit(url)
    filename = parts.path.removeprefix("/static/")
    assert parse_qs(parts.query).get("v") == [version_of(filename)], url


def assert_cached_for_a_year(response) -> None:
    cache = response.cache_control
    assert response.status_code == 200
    assert cache.max_age == ONE_YEAR and cache.public and cache.immutable and not cache.no_cache, response.headers
    assert "HX-Request" not in response.headers.get("Vary", "")


def test_every_static_url_of_a_page_carries_the_files_version(client, world):
    for url in ("/", "/auth/login", "/auth/register"):
        found = static_urls(client.get(url).get_data(as_text=True))
        assert len(found) >= 8, found  # stylesheets, scripts, favicon, icon sprite
        for static_url in found:
            assert_versioned(static_url.replace("&amp;", "&"))
    login(client, world.member)
    for static_url in static_urls(client.get("/dashboard").get_data(as_text=True)):
        assert_versioned(static_url)


def test_a_versioned_file_is_cached_for_a_year_the_rest_is_revalidated(client):
    html = client.get("/auth/login").get_data(as_text=True)
    for url in static_urls(html):
        response = client.get(url)
        assert_cached_for_a_year(response)
        assert response.data == (STATIC / urlsplit(url).path.removeprefix("/static/")).read_bytes()
    # Without a version, or with one the file no longer has, the browser must ask again (ETag → 304).
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200 and response.cache_control.no_cache and not response.cache_control.max_age
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    assert client.get("/static/nothing.css?v=000000000000").status_code == 404


def test_fonts_named_by_the_stylesheet_are_versioned_too(client):
    stylesheet = (STATIC / "vendor/bootstrap-italia/css/fonts.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\('\.\./([^']+)'\)", stylesheet)
    assert len(fonts) >= 20
    for relative in fonts:
        url = "/static/vendor/bootstrap-italia/" + relative
        assert_versioned(url)
        assert_cached_for_a_year(client.get(url))


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "app.css").write_text("body { color: black; }")
    before = file_version(str(tmp_path), "app.css")
    (tmp_path / "app.css").write_text("body { color: navy; }")
    after = file_version(str(tmp_path), "app.css")
    assert before and after and before != after
    assert file_version(str(tmp_path), "missing.css") is None
    assert file_version(str(tmp_path), "../etc/passwd") is None
    assert file_version(str(tmp_path), ".") is None


@pytest.mark.parametrize("data", [b"", b"@font-face{}", bytes(range(256))])
def test_the_vendor_script_computes_the_same_version_as_the_app(data):
    spec = importlib.util.spec_from_file_location("refresh_vendor", STATIC.parents[1] / "scripts/refresh_vendor.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.content_version(data) == content_version(data)
