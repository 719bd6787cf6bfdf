"""The production profile is safe or refuses to start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(settings):
    from django.conf import settings as live

    options = live.DATABASES["default"].get("OPTIONS", {})
    if live.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
