"""等保 8.1.4.4 intrusion prevention: S21–S27."""

import re
import tomllib
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.accounts.exports import export_authorise
from renda.accounts.models import AuditEntry, SecurityNotice
from tests import factories
from tests.crawl.urls import SAMPLES, page_url_names
from tests.test_settings import PRODUCTION, manage

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "renda"
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
ANY_TEXT = st.text(max_size=300)


# ---- S21 ----------------------------------------------------------------------------------------


@FUZZ
@given(username=ANY_TEXT, password=ANY_TEXT, next_url=ANY_TEXT)
def test_s21_login_form_never_fails_whatever_it_is_sent(db, username, password, next_url):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password, "next": next_url})
    # 400: a NUL character is refused as a bad request before any view (core.middleware).
    assert response.status_code in {200, 403, 429} or (
        response.status_code == 400 and "\x00" in username + password + next_url
    )


ORGANISATION_FORMS = {
    "organisations:station_create": ["name", "kind", "address", "reception_schedule"],
    "organisations:station_edit": ["name", "kind", "address", "reception_schedule", "version"],
    "organisations:group_create": ["name", "station"],
    "organisations:agency_create": ["name", "kind", "township", "contact_name", "contact_phone"],
    "organisations:township_edit": ["name", "kind", "division_code", "address", "version"],
    "organisations:term_create": ["number", "starts_on", "ends_on"],
}


@pytest.mark.parametrize("name", sorted(ORGANISATION_FORMS))
def test_s21_organisation_forms_never_fail(world, name):
    sample = SAMPLES[name]
    url = reverse(name, kwargs=sample(world, "a") if sample else None)
    client = Client(raise_request_exception=False)
    client.force_login(world.county_admin)

    @FUZZ
    @given(values=st.fixed_dictionaries(dict.fromkeys(ORGANISATION_FORMS[name], ANY_TEXT)))
    def post(values):
        assert client.post(url, values).status_code < 500, values

    post()


# ---- S22 ----------------------------------------------------------------------------------------

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_s22_names_with_markup_render_escaped_on_every_page(world):
    factories.StationFactory(township=world.township_a, name=PAYLOAD[:80])
    world.agency_a.name = PAYLOAD[:80]
    world.agency_a.save()
    escaped_seen = 0
    for username in ("staff_a", "county_admin"):
        client = Client(raise_request_exception=False)
        client.force_login(world.users[username])
        for name in page_url_names():
            sample = SAMPLES[name]
            response = client.get(reverse(name, kwargs=sample(world, "a") if sample else None))
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            body = response.content.decode()
            assert "<script>alert" not in body and "<img src=x" not in body, (username, name)
            escaped_seen += "&lt;script&gt;alert" in body
    assert escaped_seen >= 2, "the name was shown (escaped) somewhere"


RAW_SQL = re.compile(r"\.(raw|execute|executemany|extra)\(\s*(f[\"']|[\"'][^\"']*[\"']\s*(%|\.format))")


def test_s22_no_sql_built_by_string_formatting():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue  # fixed DDL of our own, no input
        text = path.read_text()
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in RAW_SQL.finditer(text)]
    assert offenders == []


# ---- S23 ----------------------------------------------------------------------------------------


def test_s23_security_headers_and_a_csp_without_inline_script(client, world):
    client.force_login(world.staff_a)
    for url in (reverse("accounts:login"), reverse("home")):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]
    assert 'name="htmx-config"' in response.content.decode(), "htmx must not inject its indicator <style>"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle=|<style\b|\son[a-z]+=", re.IGNORECASE)


def test_s23_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for path in SRC.rglob("*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# ---- S24, S25 -----------------------------------------------------------------------------------


def test_s24_deploy_check_is_clean_in_production_and_checks_superusers():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_s25_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    assert [line for line in lines if "==" not in line or any(op in line for op in (">", "<", "~", "*"))] == []


# ---- S26 ----------------------------------------------------------------------------------------


def test_s26_burst_of_failed_logins_raises_one_alert_for_the_security_admin(client, world, settings):
    settings.RENDA_ALERT_FAILED_LOGINS_PER_HOUR = 3
    for n in range(4):
        client.post(reverse("accounts:login"), {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="10.7.7.7")
    assert SecurityNotice.objects.count() == 1
    assert AuditEntry.objects.filter(event="security.alert").count() == 1
    admin = Client()
    admin.force_login(world.secadmin)
    assert "10.7.7.7" in admin.get(reverse("home")).content.decode()
    assert "10.7.7.7" in admin.get(reverse("accounts:security_overview")).content.decode()
    notice = SecurityNotice.objects.get()
    admin.post(reverse("accounts:security_notice_ack", args=[notice.uuid]))
    assert "10.7.7.7" not in admin.get(reverse("home")).content.decode()


def test_s26_burst_of_denied_object_requests_raises_an_alert(client, world, settings):
    settings.RENDA_ALERT_DENIED_PER_HOUR = 2
    client.force_login(world.staff_a)
    for name in ("township_detail", "township_edit", "station_create"):
        client.get(reverse(f"organisations:{name}", args=[world.township_b.uuid]))
    notice = SecurityNotice.objects.get()
    assert (notice.kind, notice.subject, notice.count) == ("denied_access", "staff_a", 2)


def test_s26_export_volume_per_user_per_hour_raises_an_alert(world, settings, django_capture_on_commit_callbacks):
    settings.RENDA_ALERT_EXPORT_ROWS_PER_HOUR = 100
    with django_capture_on_commit_callbacks(execute=True):
        export_authorise(actor=world.staff_a, kind="roster", row_count=60)
    assert not SecurityNotice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        export_authorise(actor=world.staff_a, kind="roster", row_count=60)
    assert SecurityNotice.objects.get().kind == "export_volume"


# ---- S27 ----------------------------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.security.urls_failing", DEBUG=False)
def test_s27_error_page_has_an_incident_id_and_no_traceback(db):
    client = Client(raise_request_exception=False)
    response = client.get("/fail/")
    body = response.content.decode()
    assert response.status_code == 500
    assert response["X-Request-ID"] in body
    for leak in ("Traceback", "ZeroDivisionError", "SELECT", "urls_failing"):
        assert leak not in body
