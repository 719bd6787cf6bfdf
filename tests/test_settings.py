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
    "ALLOWED_HOSTS": "renda.example.gov.cn",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "DEBUG"}}
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
    ],
)
def test_production_profile_refuses_missing_values(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0 and message in result.stderr


def test_bad_values_fail_loudly():
    assert "must be a boolean" in manage("check", DEBUG="maybe").stderr
    assert "RENDA_PROFILE" in manage("check", RENDA_PROFILE="staging").stderr
    assert "DEBUG must be off" in manage("check", DEBUG="1", **PRODUCTION).stderr


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
