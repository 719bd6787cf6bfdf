"""The calendar pages: who may see and change them, the notice form, audit and the change hook."""

from datetime import date

import pytest
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.core import workdays
from renda.core.models import CalendarDay

OVERVIEW = reverse("workcalendar:overview")
EDIT_2027 = reverse("workcalendar:notice_edit", args=[2027])
REMOVE_2027 = reverse("workcalendar:notice_remove", args=[2027])

NOTICE_2027 = """
2027-01-01 元旦
2027-02-05 至 2027-02-13 春节
2027-02-20 上班 春节调休
2027年10月1日 至 2027年10月7日 国庆节
2027-09-26 补班
"""

NO_ACCESS = ("leader", "staff_a", "deputy_a", "handler_x", "secadmin", "auditadmin")


@pytest.mark.django_db
@pytest.mark.parametrize("username", NO_ACCESS)
def test_other_roles_may_neither_see_nor_change_the_calendar(client_for, world, username):
    client = client_for(world.users[username])
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(EDIT_2027).status_code == 403
    assert client.post(EDIT_2027, {"text": NOTICE_2027}).status_code == 403
    assert client.post(REMOVE_2027).status_code == 403
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_a_county_administrator_reads_the_calendar_but_cannot_change_it(client_for, world):
    client = client_for(world.county_admin)
    page = client.get(OVERVIEW, {"year": 2026}).content.decode()
    assert "春节" in page and "国庆节" in page
    assert reverse("workcalendar:notice_edit", args=[2026]) not in page
    assert client.get(EDIT_2027).status_code == 403
    assert client.post(EDIT_2027, {"text": NOTICE_2027}).status_code == 403


@pytest.mark.django_db
def test_the_overview_marks_a_year_without_a_notice_provisional(client_for, world):
    page = client_for(world.sysadmin).get(OVERVIEW, {"year": 2027}).content.decode()
    assert "暂定" in page
    assert "2027年的国务院放假通知尚未录入" in page
    assert EDIT_2027 in page


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "1800", "3000"])
def test_a_year_the_calendar_cannot_know_is_not_found(client_for, world, year):
    assert client_for(world.sysadmin).get(OVERVIEW, {"year": year}).status_code == 404


@pytest.mark.django_db
def test_the_system_administrator_enters_a_notice_that_moves_a_deadline(
    client_for, world, django_capture_on_commit_callbacks
):
    assert workdays.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 17)  # the library's estimate
    client = client_for(world.sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EDIT_2027, {"text": NOTICE_2027})
    assert response.status_code == 302
    assert response.url == f"{OVERVIEW}?year=2027"
    assert CalendarDay.objects.filter(kind=CalendarDay.Kind.HOLIDAY).count() == 1 + 9 + 7
    assert CalendarDay.objects.get(date=date(2027, 9, 26)).name == "调休上班"
    assert workdays.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 19)
    assert not workdays.is_provisional(2027)
    entry = AuditEntry.objects.get(event="calendar.notice_saved")
    assert entry.actor == world.sysadmin
    assert entry.data["year"] == 2027 and entry.data["before"] == []
    assert "2027-02-20 working_day 春节调休" in entry.data["after"]
    page = client.get(response.url).content.decode()
    assert "已录入" in page and "春节调休" in page


@pytest.mark.django_db
def test_the_form_shows_an_entered_notice_again_for_correction(client_for, world):
    client = client_for(world.sysadmin)
    client.post(EDIT_2027, {"text": NOTICE_2027})
    form = client.get(EDIT_2027).content.decode()
    assert "2027-02-05 至 2027-02-13 春节" in form
    assert "2027-09-26 上班 调休上班" in form
    # Saving it unchanged keeps the same days.
    days_before = list(CalendarDay.objects.values_list("date", "kind", "name"))
    client.post(EDIT_2027, {"text": client.get(EDIT_2027).context["form"].initial["text"]})
    assert list(CalendarDay.objects.values_list("date", "kind", "name")) == days_before


@pytest.mark.django_db
def test_an_official_year_starts_from_the_library_data(client_for, world):
    form = client_for(world.sysadmin).get(reverse("workcalendar:notice_edit", args=[2026])).content.decode()
    assert "2026-02-17 至 2026-02-19 春节" in form
    assert "2026-02-14 上班" in form


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2027-02-30 春节", "第1行：“2027-02-30”不是有效日期"),
        ("2026-02-05 春节", "第1行：2026-02-05不在2027年内"),
        ("2027-02-13 至 2027-02-05 春节", "第1行：结束日期早于开始日期"),
        ("2027-01-01 至 2027-03-01 春节", "第1行：一段日期最长31天"),
        ("2027-02-05", "第1行：请在日期后写明节日名称"),
        ("2027-02-05 春节\n2027-02-22 上班", "第2行：2027-02-22是周一至周五的工作日"),
        ("2027-02-05 春节\n2027-02-01 至 2027-02-06 春节", "第2行：2027-02-05已在第1行填写"),
        ("2027-02-20 上班 春节调休", "请至少填写一个放假日期"),
    ],
)
def test_a_mistake_is_named_by_line_and_what_was_typed_is_kept(client_for, world, line, message):
    text = f"{line}\n2027-10-01 国庆节" if "至少" not in message else line
    response = client_for(world.sysadmin).post(EDIT_2027, {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert line.splitlines()[0] in page
    assert not CalendarDay.objects.exists()
    assert not AuditEntry.objects.filter(event__startswith="calendar.").exists()


@pytest.mark.django_db
def test_removing_a_notice_brings_back_the_estimate_and_is_audited(
    client_for, world, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(world.sysadmin)
    client.post(EDIT_2027, {"text": NOTICE_2027})
    calls = []
    monkeypatch.setattr(workdays, "_listeners", [])
    workdays.on_calendar_change(lambda first, last: calls.append((first, last)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMOVE_2027)
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    assert workdays.is_provisional(2027)
    assert workdays.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 17)
    # The estimate differs from the notice from 11 February (its Spring Festival is shorter) to 7 October.
    assert calls == [(date(2027, 2, 11), date(2027, 10, 7))]
    entry = AuditEntry.objects.get(event="calendar.notice_removed")
    assert entry.actor == world.sysadmin and "2027-02-05 holiday 春节" in entry.data["before"]
    # Nothing left to remove.
    assert client.post(REMOVE_2027).status_code == 404
