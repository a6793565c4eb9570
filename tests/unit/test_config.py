"""Settings from the environment."""
from __future__ import annotations

import config


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.load_secret_key(tmp_path)
    assert len(first) == 64 and config.load_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config.load_secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_defaults_to_sqlite_and_maps_postgres_to_psycopg3(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url().startswith("sqlite:///") and config.database_url().endswith("opencommunity.db")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert config.database_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert config.database_url() == "postgresql+psycopg://u@h/db"


def test_production_switch_turns_on_secure_cookies_and_proxy_headers(monkeypatch):
    import importlib

    monkeypatch.setenv("OCPA_PRODUCTION", "1")
    try:
        production = importlib.reload(config)
        assert production.Config.SESSION_COOKIE_SECURE and production.Config.REMEMBER_COOKIE_SECURE
        assert production.Config.PREFERRED_URL_SCHEME == "https"
        assert production.Config.PROXY_FIX_HOPS == 0  # proxy headers only when OCPA_PROXY_HOPS says a proxy is there
        assert production.Config.MAIL_SUPPRESS_SEND is False
    finally:
        monkeypatch.delenv("OCPA_PRODUCTION")
        development = importlib.reload(config)
    assert not development.Config.SESSION_COOKIE_SECURE and development.Config.MAIL_SUPPRESS_SEND


def test_production_app_redirects_to_https_and_trusts_one_proxy():
    from app import create_app

    app = create_app(config.TestConfig, PRODUCTION=True, PROXY_FIX_HOPS=1, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    plain = client.get("/privacy")
    assert plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")
    proxied = client.get("/privacy", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200 and "max-age" in proxied.headers["Strict-Transport-Security"]
