"""The production profile is safe or refuses to start."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
PRODUCTION = {
    "RENDA_PROFILE": "production",
    "SECRET_KEY": "x" * 30 + "-production-key-for-the-check-only-0123456789",
    "RENDA_FIELD_KEY": "A" * 43 + "=",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/renda",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "renda.example.gov.cn",
}
# Not taken from the tests' environment: optional values, and the test settings module (the
# subprocess runs the site's settings, as an operator does).
NOT_INHERITED = {"DEBUG", "BEHIND_PROXY", "RENDA_TRUSTED_PROXIES", "DJANGO_SETTINGS_MODULE"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, *NOT_INHERITED}}
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "missing, message",
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("DATABASE_URL", "DATABASE_URL"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
        ("RENDA_FIELD_KEY", "RENDA_FIELD_KEY"),
        ("REDIS_URL", "REDIS_URL must be set in the production profile"),
    ],
)
def test_production_profile_refuses_missing_values(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0 and message in result.stderr


def test_production_profile_refuses_a_database_other_than_postgresql():
    result = manage("check", **{**PRODUCTION, "DATABASE_URL": "sqlite:////var/lib/renda/renda.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL in the production profile, got sqlite3" in result.stderr


def settings_of(*names: str, **env: str) -> list[str]:
    code = f"from django.conf import settings as s; print(*[getattr(s, n) for n in {names!r}], sep='|')"
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_production_keeps_cache_and_sessions_in_redis_and_hashes_static_file_names():
    backend, engine, storage = settings_of("CACHES", "SESSION_ENGINE", "STORAGES", **PRODUCTION)
    assert "RedisCache" in backend and PRODUCTION["REDIS_URL"] in backend
    # Read from Redis, kept in the database too: a Redis restart logs nobody out.
    assert engine == "django.contrib.sessions.backends.cached_db"
    assert "HashedStaticFilesStorage" in storage
    development = settings_of("CACHES", "SESSION_ENGINE", "STORAGES")
    assert "LocMemCache" in development[0] and development[1].endswith(".db") and "HashedStatic" not in development[2]


@pytest.mark.parametrize(
    "env, proxies, proto_trusted",
    [
        ({}, "0", False),
        ({"BEHIND_PROXY": "true"}, "1", True),  # as before RENDA_TRUSTED_PROXIES existed
        ({"RENDA_TRUSTED_PROXIES": "2"}, "2", True),
        ({"RENDA_TRUSTED_PROXIES": "1", "BEHIND_PROXY": "false"}, "1", False),
    ],
)
def test_trusted_proxies_and_behind_proxy_imply_each_other_unless_both_are_set(env, proxies, proto_trusted):
    assert settings_of("RENDA_TRUSTED_PROXIES", "SECURE_PROXY_SSL_HEADER", **env) == [
        proxies,
        str(("HTTP_X_FORWARDED_PROTO", "https") if proto_trusted else None),
    ]


def test_bad_values_fail_loudly():
    assert "must be a boolean" in manage("check", DEBUG="maybe").stderr
    assert "RENDA_PROFILE" in manage("check", RENDA_PROFILE="staging").stderr
    assert "DEBUG must be off" in manage("check", DEBUG="1", **PRODUCTION).stderr
    assert "RENDA_TRUSTED_PROXIES must be 0 or more" in manage("check", RENDA_TRUSTED_PROXIES="-1").stderr
    assert "RENDA_TRUSTED_PROXIES must be an integer" in manage("check", RENDA_TRUSTED_PROXIES="nginx").stderr
    assert "REDIS_URL must start with redis://" in manage("check", REDIS_URL="127.0.0.1:6379").stderr


SQLITE_ONLY = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own settings; PostgreSQL locks rows and needs none of them"
)


@SQLITE_ONLY
def test_sqlite_connection_runs_in_wal_mode_with_full_sync_and_foreign_keys(db):
    with connection.cursor() as cursor:
        observed = {
            pragma: cursor.execute(f"PRAGMA {pragma}").fetchone()[0]
            for pragma in ("journal_mode", "synchronous", "foreign_keys")
        }
    assert observed == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


@SQLITE_ONLY
def test_sqlite_transactions_take_the_write_lock_when_they_begin(db):
    """IMMEDIATE: the test's own transaction holds the write lock before writing anything, so a
    second writer waits (here: is refused at once) instead of failing half-way through later."""
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
