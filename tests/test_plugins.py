"""Plug-in points: a capability the site does not know (tests/plugin_probe, installed by tests/settings.py)
appears in the menu, on the home page, in the API, in the archive and in the points through the
registries alone; archive lines reach only their audience; points follow saved records."""

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.core import registry
from renda.deputies import services
from renda.deputies.models import PointEntry
from tests import factories
from tests.plugin_probe.models import Visit

VISITOR = "张三丰"


@pytest.fixture
def visit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return Visit.objects.create(mandate=world.mandate_a, day=date(2025, 3, 1), visitor=VISITOR)


def _docx_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode())


@pytest.mark.parametrize(("username", "shown"), [("staff_a", True), ("staff_b", True), ("county_admin", False)])
def test_menu_entry_appears_for_the_roles_it_names(client, world, username, shown):
    client.force_login(world.users[username])
    body = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("api:plugin_probe_visits")}"' in body) is shown


# The menu each role had when navigation.py listed the apps itself (the registries must give the
# same), plus the working-day calendar and casework (the case list, figures and digest for staff and
# leaders, the agency inbox, a deputy's suggestions), which declared their entries since.
MENUS = {
    "county_admin": [
        "organisations:index",
        "deputies:roster",
        "deputies:leaderboard",
        "meetings:congress",
        "organisations:agency_list",
        "workcalendar:overview",
        "casework:list",
        "casework:figures",
        "casework:digest_list",
        "notices:board",
        "meetings:list",
        "meetings:resolutions",
        "meetings:compliance",
        "activities:evaluations",
        "activities:list",
        "activities:voter_reports",
        "casework:reception",
        "activities:plans",
        "activities:library",
        "activities:groups",
        "assessment:dashboard",
        "assessment:schemes",
        "assessment:documents",
        "publicity:news",
        "publicity:articles",
        "accounts:user_list",
        "accounts:export_approvals",
        "activities:types",
    ],
    "leader": [
        "organisations:index",
        "deputies:roster",
        "deputies:leaderboard",
        "meetings:congress",
        "organisations:agency_list",
        "casework:list",
        "casework:figures",
        "casework:digest_list",
        "notices:board",
        "meetings:list",
        "meetings:resolutions",
        "meetings:compliance",
        "activities:evaluations",
        "activities:list",
        "activities:voter_reports",
        "casework:reception",
        "activities:plans",
        "activities:library",
        "activities:groups",
        "assessment:dashboard",
        "assessment:schemes",
        "assessment:documents",
        "publicity:news",
        "publicity:articles",
    ],
    "staff_a": [
        "organisations:index",
        "deputies:roster",
        "deputies:leaderboard",
        "meetings:congress",
        "organisations:agency_list",
        "casework:list",
        "casework:figures",
        "notices:board",
        "meetings:list",
        "meetings:resolutions",
        "meetings:compliance",
        "activities:evaluations",
        "activities:list",
        "activities:voter_reports",
        "casework:reception",
        "activities:plans",
        "activities:library",
        "activities:groups",
        "assessment:dashboard",
        "assessment:schemes",
        "assessment:documents",
        "publicity:news",
        "publicity:articles",
        "api:plugin_probe_visits",
    ],
    "deputy_a": [
        "deputies:my_work",
        "notices:board",
        "meetings:list",
        "activities:evaluations",
        "activities:list",
        "casework:my_cases",
        "casework:reception",
        "activities:library",
    ],
    "handler_x": ["casework:inbox", "organisations:agency_list", "meetings:resolutions", "activities:rectifications"],
    "sysadmin": ["organisations:county_list", "workcalendar:overview", "accounts:user_list"],
    "secadmin": ["accounts:user_list", "accounts:security_overview"],
    "auditadmin": ["accounts:audit_log"],
}


@pytest.mark.parametrize("username", list(MENUS))
def test_menu_of_each_role_is_the_apps_entries_in_order(world, username):
    from renda.navigation import items_for

    assert [item.url_name for item in items_for(world.users[username])] == ["home", *MENUS[username]]


def test_home_card_shows_for_its_role_with_its_own_figures(client, world, visit):
    client.force_login(world.staff_a)
    assert "接待来访：1 次" in client.get(reverse("home")).content.decode()
    client.force_login(world.staff_b)
    assert "接待来访：0 次" in client.get(reverse("home")).content.decode()
    client.force_login(world.county_admin)
    assert "plugin-probe-card" not in client.get(reverse("home")).content.decode()


def test_api_router_is_mounted_documented_and_scoped(client, world, visit):
    client.force_login(world.staff_a)
    assert "/api/v1/probe/visits" in client.get("/api/v1/openapi.json").json()["paths"]
    assert client.get("/api/v1/probe/visits").json() == [{"uuid": str(visit.uuid), "day": "2025-03-01"}]
    client.force_login(world.staff_b)
    assert client.get("/api/v1/probe/visits").json() == []
    client.logout()
    assert client.get("/api/v1/probe/visits").status_code == 401


def test_archive_section_shows_the_line_to_its_audience_only(client, world, visit):
    page = reverse("deputies:mandate_archive", args=[world.mandate_a.uuid])
    word = reverse("deputies:mandate_archive_docx", args=[world.mandate_a.uuid])
    api = f"/api/v1/mandates/{world.mandate_a.uuid}/archive"

    client.force_login(world.staff_a)
    body = client.get(page).content.decode()
    assert "接待来访记录" in body and VISITOR in body
    assert VISITOR in _docx_text(client.get(word))
    assert [line["title"] for line in client.get(api).json() if line["section"] == "plugin_probe.reception"] == [
        f"接待选民{VISITOR}"
    ]

    # The deputy reads their own archive, but a citizen's name is for staff only: the line is gone
    # from the page, the Word document and the API alike, and the points ledger names only the kind.
    client.force_login(world.deputy_a)
    body = client.get(page).content.decode()
    assert VISITOR not in body and "接待来访记录" not in body
    assert VISITOR not in _docx_text(client.get(word))
    lines = client.get(api).json()
    assert lines and VISITOR not in str(lines)  # the deputy's other lines are still there
    assert VISITOR not in client.get(f"/api/v1/mandates/{world.mandate_a.uuid}/points").content.decode()
    assert VISITOR not in client.get(reverse("deputies:my_work")).content.decode()

    client.force_login(world.staff_b)
    assert client.get(api).status_code == 404


def test_saved_record_scores_without_any_rule_edit_and_deleting_it_removes_the_points(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = Visit.objects.create(mandate=world.mandate_a, day=date(2025, 3, 1), visitor=VISITOR)
    entry = PointEntry.objects.get(kind="plugin_probe.visit")
    assert (entry.mandate, entry.points, entry.title) == (world.mandate_a, Decimal(2), "接待选民")
    assert not PointEntry.objects.filter(mandate=world.mandate_b).exists()

    # The record moves to another deputy: the points move with it.
    with django_capture_on_commit_callbacks(execute=True):
        visit.mandate = world.mandate_b
        visit.save()
    assert list(PointEntry.objects.filter(kind="plugin_probe.visit").values_list("mandate", flat=True)) == [
        world.mandate_b.pk
    ]

    with django_capture_on_commit_callbacks(execute=True):
        visit.delete()
    assert not PointEntry.objects.filter(kind="plugin_probe.visit").exists()


def test_the_recomputation_waits_for_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Visit.objects.create(mandate=world.mandate_a, day=date(2025, 3, 1), visitor=VISITOR)
    # Rolled back, the record would leave no points behind: nothing is computed before the commit.
    assert not PointEntry.objects.filter(kind="plugin_probe.visit").exists()
    assert len(callbacks) == 1


def test_recompute_points_is_idempotent_and_reports_what_changed(world, django_capture_on_commit_callbacks):
    Visit.objects.create(mandate=world.mandate_a, day=date(2025, 3, 1), visitor=VISITOR)  # no task ran
    out = io.StringIO()
    call_command("recompute_points", stdout=out)
    first = PointEntry.objects.filter(county=world.county)
    assert first.filter(kind="plugin_probe.visit").count() == 1
    assert f"新增 {first.count()} 条" in out.getvalue()
    before = sorted(first.values_list("uuid", "points"))
    audit_rows = AuditEntry.objects.count()

    out = io.StringIO()
    call_command("recompute_points", "--county", world.county.division_code, stdout=out)
    call_command("recompute_points", stdout=out)
    assert "示范县（990101）：新增 0 条，更新 0 条，删除 0 条" in out.getvalue()
    assert "0 个有变化" in out.getvalue()
    assert sorted(PointEntry.objects.filter(county=world.county).values_list("uuid", "points")) == before
    assert AuditEntry.objects.count() == audit_rows


def test_recompute_points_limits_to_a_year_and_refuses_an_unknown_county(world):
    Visit.objects.create(mandate=world.mandate_a, day=date(2025, 3, 1), visitor=VISITOR)
    call_command("recompute_points", "--year", "2024", stdout=io.StringIO())
    assert set(PointEntry.objects.values_list("year", flat=True)) == {2024}
    with pytest.raises(Exception, match="没有区划代码为 000000"):
        call_command("recompute_points", "--county", "000000", stdout=io.StringIO())


def test_an_unchanged_entry_keeps_its_uuid_across_recomputations(world):
    factories.MandateFactory(person__township=world.township_a, starts_on=date(2024, 1, 1))
    services.points_recompute(county=world.county, actor=None)
    before = set(PointEntry.objects.values_list("uuid", flat=True))
    assert before
    change = services.points_recompute(county=world.county, actor=None, today=timezone.localdate())
    assert not change.changed
    assert set(PointEntry.objects.values_list("uuid", flat=True)) == before


def test_a_code_declared_twice_fails_at_start_up():
    entry = registry.MenuEntry(code="plugin_probe.visits", label="x", url_name="home", order=1)
    with pytest.raises(ValueError, match="declared twice"):
        registry.menu.add(entry)


def test_a_record_kind_must_say_how_its_rows_name_their_deputies():
    from renda.accounts.models import User
    from renda.deputies.contributions import RecordKind, register

    kind = RecordKind(code="tests.nameless", label="x", records=list, section="deputies.mandate", models=(User,))
    with pytest.raises(ValueError, match="give mandates_of"):
        register(kind)


@pytest.mark.django_db(transaction=True)
def test_concurrent_recomputations_of_one_county_write_each_entry_once():
    import threading

    from django.db import connections

    from tests.conftest import build_world

    world = build_world()
    for day in (1, 2, 3):
        Visit.objects.create(mandate=world.mandate_a, day=date(2025, 3, day), visitor=VISITOR)
    PointEntry.objects.all().delete()
    changes, errors = [], []

    def recompute() -> None:
        try:
            changes.append(services.points_recompute(county=world.county, actor=None))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=recompute) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # One run wrote the ledger; the others, waiting for the county's lock, found nothing to change.
    assert sorted(change.created for change in changes)[:3] == [0, 0, 0]
    keys = list(PointEntry.objects.values_list("mandate", "kind", "source_uuid", "date"))
    assert len(keys) == len(set(keys)) and PointEntry.objects.filter(kind="plugin_probe.visit").count() == 3
