"""What a closed network receives: the wheel and the deploy/ files.

test_wheel_serves_from_a_fresh_venv builds the wheel, installs it into a new virtual environment
and serves the login page from it, without network, without npm and away from the source tree
(about a minute). Select it with `-m packaging`, leave it out with `-m "not packaging"`.
"""

import configparser
import importlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "renda"
DEPLOY = REPO / "deploy"
SYSTEMD = DEPLOY / "systemd"


def _runtime_files() -> set[str]:
    """Every file of src/renda an installed renda may read, as wheel names (renda/…).

    os.walk follows the symlinked static/vendor and organisations/divisions folders, as the build
    does; caches and dotfiles (static/vendor/.installed is a make stamp) stay out."""
    names = set()
    for folder, dirs, files in os.walk(PACKAGE, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if not name.startswith(".") and not name.endswith(".pyc"):
                names.add((Path(folder) / name).relative_to(PACKAGE.parent).as_posix())
    return names


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, deadline: float) -> tuple[int, str]:
    """GET url, retrying while the server is still starting."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return answer.status, answer.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _run(argv: list[str], **kwargs) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{shlex.join(argv)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.packaging
def test_wheel_serves_from_a_fresh_venv(tmp_path):
    pytest.importorskip("setuptools", minversion="77", reason="building the wheel offline needs setuptools ≥ 77")
    assert (PACKAGE / "static" / "vendor" / "bootstrap").is_dir(), "run `make assets` before building the wheel"

    # Build from a copy so the build leaves nothing (build/, egg-info) in the working tree.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(tmp_path / "wheels"),
            str(source),
        ],
    )
    (wheel,) = (tmp_path / "wheels").glob("renda-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    missing = _runtime_files() - names
    assert not missing, f"the wheel lacks {sorted(missing)[:10]}"
    for needed in (
        "renda/templates/base.html",
        "renda/accounts/templates/accounts/login.html",
        "renda/static/vendor/bootstrap/bootstrap.min.css",
        "renda/locale/zh_Hans/LC_MESSAGES/django.mo",
        "renda/organisations/divisions/streets.csv",
        "renda/accounts/migrations/0001_initial.py",
    ):
        assert needed in names
    assert not [n for n in names if "__pycache__" in n or n.startswith("tests/") or "/." in n]

    # A fresh venv gets the wheel; the dependencies come from this venv's site-packages through a
    # .pth line. Python does not read the .pth files of a folder added that way, so the editable
    # renda of this venv (an __editable__ .pth there) stays out.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    fresh_site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (fresh_site / "renda-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)])

    var = tmp_path / "var"
    run_dir = tmp_path / "run"  # outside the repository: nothing is picked up from the source tree
    run_dir.mkdir()
    keep = {"HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env |= {
        "PATH": str(venv / "bin"),  # no npm, no node, nothing of the build machine's tools
        "DJANGO_SETTINGS_MODULE": "renda.settings",
        "RENDA_VAR_DIR": str(var),
        # Without DEBUG, as in production: static files come from collectstatic's output only.
        "DEBUG": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    where = subprocess.check_output(
        [python, "-c", "import renda; print(renda.__file__)"], env=env, cwd=run_dir, text=True
    )
    assert Path(where.strip()).is_relative_to(fresh_site)

    _run([python, "-m", "django", "migrate", "--noinput", "-v0"], env=env, cwd=run_dir)
    _run([python, "-m", "django", "collectstatic", "--noinput", "-v0"], env=env, cwd=run_dir)

    port, static_port = _free_port(), _free_port()
    web = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "renda.wsgi:application",
        ],
        env=env,
        cwd=run_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # nginx's part: STATIC_ROOT served at /static/ (deploy/nginx/renda.conf).
    files = subprocess.Popen(
        [python, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(var), str(static_port)],
        env=env,
        cwd=run_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        status, page = _get(f"http://127.0.0.1:{port}/accounts/login/", deadline)
        assert status == 200
        assert ">登录</h1>" in page  # translated by the wheel's compiled catalogue
        stylesheet = re.search(r'href="(/static/vendor/bootstrap/[^"]+\.css)"', page)
        assert stylesheet, "the login page names no Bootstrap stylesheet"
        status, css = _get(f"http://127.0.0.1:{static_port}{stylesheet[1]}", deadline)
        assert status == 200
        assert "Bootstrap" in css[:500]
    finally:
        for process in (web, files):
            process.send_signal(signal.SIGTERM)
        log, _ = web.communicate(timeout=30)
        files.wait(timeout=10)
    assert "GET /accounts/login/" in log  # the access log of gunicorn.conf.py goes to the journal


def _unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(path)
    return unit


def test_every_service_runs_an_existing_command_as_renda_hardened():
    services = sorted(SYSTEMD.glob("*.service"))
    assert {p.name for p in services} == {"renda-web.service", "renda-worker.service", "renda-manage@.service"}
    commands = get_commands()
    for path in services:
        service = _unit(path)["Service"]
        assert service["User"] == "renda", path.name
        assert service["EnvironmentFile"] == "/etc/renda/renda.env", path.name
        for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes"):
            key, value = hardening.split("=")
            assert service.get(key) == value, f"{path.name}: {hardening}"
        program, *args = shlex.split(service["ExecStart"])
        assert program.startswith("/opt/renda/venv/bin/")
        if program.endswith("/gunicorn"):
            assert args[:2] == ["--config", "/etc/renda/gunicorn.conf.py"]
            module, attribute = args[-1].split(":")
            assert callable(getattr(importlib.import_module(module), attribute))
        else:
            assert program.endswith("/django-admin")
            assert args[0] == "%i" or args[0] in commands, f"{path.name}: no command {args[0]}"


def test_timers_run_the_daily_and_minutely_commands():
    commands = get_commands()
    scheduled = {}
    for path in SYSTEMD.glob("*.timer"):
        timer = _unit(path)
        unit = timer["Timer"]["Unit"]
        command = re.fullmatch(r"renda-manage@(\w+)\.service", unit)
        assert command and command[1] in commands, f"{path.name}: {unit}"
        assert timer["Install"]["WantedBy"] == "timers.target"
        scheduled[command[1]] = timer["Timer"]["OnCalendar"]
    # README (安全 / Security, 建议意见办理 / Casework) asks for these.
    assert scheduled["seal_audit"] == "minutely"
    for daily in ("casework_sweep", "recompute_points", "disable_dormant_accounts", "verify_audit_chain"):
        assert re.fullmatch(r"\*-\*-\* \d\d:\d\d", scheduled[daily]), daily


def test_environment_example_names_what_production_requires():
    values = dict(
        line.split("=", 1)
        for line in (DEPLOY / "renda.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert values["RENDA_PROFILE"] == "production"
    assert values["DJANGO_SETTINGS_MODULE"] == "renda.settings"
    for required in (
        "SECRET_KEY",
        "RENDA_FIELD_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "ALLOWED_HOSTS",
        "RENDA_VAR_DIR",
        "MEDIA_ROOT",
        "RENDA_TRUSTED_PROXIES",
    ):
        assert required in values


def test_nginx_forwards_the_client_and_accepts_an_attachment():
    site = (DEPLOY / "nginx" / "renda.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "/media" not in re.sub(r"#.*", "", site)  # uploads only through renda's checked downloads
    limit = re.search(r"client_max_body_size (\d+)m;", site)
    assert limit and int(limit[1]) > settings.RENDA_CASE_ATTACHMENT_MAX_MB
