"""Reception days (接待选民日): schedules, the days planned from them (idempotently), deputies on
duty, the notice and its lateness, the record of the day, the opinions received becoming cases
(all or nothing), deputies below the yearly minimum, and the QR posters."""

import io
from datetime import date, timedelta

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.casework import reception
from renda.casework.models import Case, CaseSource, ReceptionDay, ReceptionSchedule, ReceptionState

TODAY = date(2026, 3, 2)  # a Monday


def schedule(world, recurrence="weekly", days=(3,), active_from=date(2026, 1, 1), **extra):
    return reception.schedule_save(
        station=world.station_a,
        actor=world.staff_a,
        recurrence=recurrence,
        days=list(days),
        active_from=active_from,
        **extra,
    )


def test_weekly_and_monthly_dates(world):
    weekly = schedule(world, days=(3,))
    assert weekly.describe() == "每周三"
    assert reception.dates_of(weekly, TODAY, TODAY + timedelta(days=14)) == [date(2026, 3, 4), date(2026, 3, 11)]
    monthly = schedule(world, recurrence="monthly", days=(9, 19, 31))
    assert monthly.describe() == "每月9日、19日、31日"
    found = reception.dates_of(monthly, date(2026, 2, 1), date(2026, 3, 31))
    # February has no 31st: skipped that month.
    assert found == [date(2026, 2, 9), date(2026, 2, 19), date(2026, 3, 9), date(2026, 3, 19), date(2026, 3, 31)]
    ended = schedule(world, days=(3,), active_to=date(2026, 3, 5))
    assert reception.dates_of(ended, TODAY, TODAY + timedelta(days=14)) == [date(2026, 3, 4)]


def test_bad_days_are_refused_in_chinese(world):
    with pytest.raises(ValidationError) as error:
        reception.parse_days("weekly", "8")
    assert "星期" in str(error.value)
    assert reception.parse_days("monthly", "9、19") == [9, 19]


def test_planning_is_idempotent_and_sets_the_notice_date(world):
    schedule(world, days=(3,), place="甲镇接待室")
    created = reception.plan_days(station=world.station_a, actor=world.staff_a, today=TODAY, weeks=4)
    assert [day.date for day in created] == [date(2026, 3, 4), date(2026, 3, 11), date(2026, 3, 18), date(2026, 3, 25)]
    assert created[0].notice_on == date(2026, 3, 1) and created[0].place == "甲镇接待室"
    again = reception.plan_days(station=world.station_a, actor=world.staff_a, today=TODAY, weeks=4)
    assert again == []
    assert ReceptionDay.objects.unscoped().filter(station=world.station_a, date__gte=TODAY).count() == 4
    assert AuditEntry.objects.filter(event="casework.reception.plan").count() == 2


def test_the_plan_button_plans_and_outsiders_cannot(client, world):
    schedule(world, days=(1, 2, 3, 4, 5, 6, 7))
    url = reverse("casework:reception_plan", args=[world.station_a.uuid])
    client.force_login(world.staff_b)
    assert client.post(url).status_code == 404
    client.force_login(world.deputy_a)
    assert client.post(url).status_code in (403, 404)
    assert not ReceptionDay.objects.unscoped().filter(station=world.station_a, date__gte=timezone.localdate()).exists()
    client.force_login(world.staff_a)
    assert client.post(url).status_code == 302
    assert ReceptionDay.objects.unscoped().filter(station=world.station_a, date__gte=timezone.localdate()).count() > 7


def test_a_day_announced_too_late_is_flagged_on_the_station_page(client, world):
    today = timezone.localdate()
    day = reception.day_save(
        station=world.station_a, actor=world.staff_a, date=today + timedelta(days=2), place="会议室", deputies=[]
    )
    assert day.notice_late(today)
    client.force_login(world.staff_a)
    body = client.get(reverse("casework:reception_station", args=[world.station_a.uuid])).content.decode()
    assert "公告晚" in body and "提前3天公告" in body
    early = reception.day_save(
        station=world.station_a, actor=world.staff_a, date=today + timedelta(days=10), place="会议室", deputies=[]
    )
    assert not early.notice_late(today)
    reception.announce(station=world.station_a, actor=world.staff_a, today=today)
    early.refresh_from_db()
    assert early.announced_on == today and not early.notice_late(today)


def test_deputies_on_duty_see_their_days_and_others_do_not(client, world):
    today = timezone.localdate()
    day = reception.day_save(
        station=world.station_a,
        actor=world.staff_a,
        date=today + timedelta(days=5),
        place="甲镇会议室",
        deputies=[world.mandate_a],
    )
    client.force_login(world.deputy_a)
    home = client.get(reverse("home")).content.decode()
    assert "home-reception-duty" in home and "甲镇会议室" in home
    assert client.get(reverse("casework:reception_day", args=[day.uuid])).status_code == 200
    client.force_login(world.deputy_b)
    assert "甲镇会议室" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("casework:reception_day", args=[day.uuid])).status_code == 404


def test_a_deputy_of_another_county_cannot_be_on_duty(world):
    from tests import factories

    foreign = factories.MandateFactory(person__township=factories.TownshipFactory(county=world.other_county))
    with pytest.raises(ValidationError) as error:
        reception.day_save(
            station=world.station_a, actor=world.staff_a, date=timezone.localdate(), place="", deputies=[foreign]
        )
    assert "deputies" in str(error.value)


def test_the_day_form_assigns_deputies_through_the_page(client, world):
    client.force_login(world.staff_a)
    url = reverse("casework:reception_day_create", args=[world.station_a.uuid])
    page = client.get(url).content.decode()
    assert world.mandate_a.person.full_name in page and "钱乙" not in page
    day_date = timezone.localdate() + timedelta(days=20)
    response = client.post(url, {"date": day_date.isoformat(), "place": "村委会", "deputies": [world.mandate_a.pk]})
    assert response.status_code == 302
    day = ReceptionDay.objects.unscoped().get(station=world.station_a, date=day_date)
    assert list(day.deputies.all()) == [world.mandate_a]
    # The same date twice is refused with a message, keeping the input.
    again = client.post(url, {"date": day_date.isoformat(), "place": "村委会二"})
    assert again.status_code == 200 and "村委会二" in again.content.decode() and "已有接待日" in again.content.decode()


def held_day(world):
    day = reception.day_save(
        station=world.station_a,
        actor=world.staff_a,
        date=timezone.localdate() - timedelta(days=1),
        place="甲镇接待室",
        deputies=[world.mandate_a],
    )
    return reception.record_day(day=day, actor=world.staff_a, summary="接待群众五人", visitors=5)


def opinions_form(rows):
    data = {
        "opinions-TOTAL_FORMS": str(len(rows)),
        "opinions-INITIAL_FORMS": "0",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"opinions-{index}-{name}"] = value
    return data


def test_the_opinions_of_a_day_become_cases_received_that_day(client, world):
    day = held_day(world)
    assert day.state == ReceptionState.HELD and day.visitors == 5
    client.force_login(world.staff_a)
    url = reverse("casework:reception_day_opinions", args=[day.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        opinions_form(
            [
                {"title": "", "content": "村道坑洼需要修补", "citizen_name": "赵大", "citizen_phone": "13912345678"},
                {"title": "灌溉渠", "content": "灌溉渠堵塞", "citizen_name": "", "citizen_phone": ""},
                {"title": "", "content": "", "citizen_name": "", "citizen_phone": ""},
            ]
        ),
    )
    assert response.status_code == 302
    filed = Case.objects.unscoped().filter(station=world.station_a, received_on=day.date, created_by=world.staff_a)
    filed = filed.filter(source=CaseSource.CITIZEN_OPINION).order_by("id")
    assert [case.title for case in filed] == ["村道坑洼需要修补", "灌溉渠"]
    assert all(case.tracking_code for case in filed)
    assert filed[0].citizen_phone == "13912345678" and filed[1].citizen_name == ""
    detail = client.get(reverse("casework:reception_day", args=[day.uuid])).content.decode()
    assert "村道坑洼需要修补" in detail and "灌溉渠" in detail


def test_one_bad_row_files_nothing_and_every_bad_row_is_listed(client, world):
    day = held_day(world)
    before = Case.objects.unscoped().count()
    client.force_login(world.staff_a)
    response = client.post(
        reverse("casework:reception_day_opinions", args=[day.uuid]),
        opinions_form(
            [
                {"title": "", "content": "路灯不亮", "citizen_name": "", "citizen_phone": ""},
                {"title": "", "content": "身份证11010519491231002X", "citizen_name": "", "citizen_phone": ""},
                {"title": "", "content": "水管漏水", "citizen_name": "", "citizen_phone": "123"},
            ]
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "第2条" in body and "第3条" in body and "第1条" not in body
    assert "路灯不亮" in body  # the input is kept
    assert Case.objects.unscoped().count() == before


def test_the_service_refuses_all_when_one_row_fails(world):
    day = held_day(world)
    before = Case.objects.unscoped().count()
    with pytest.raises(reception.OpinionsRefused) as refused:
        reception.file_opinions(
            day=day,
            actor=world.staff_a,
            rows=[reception.OpinionRow(title="好", content="好的意见"), reception.OpinionRow(title="", content="")],
        )
    assert list(refused.value.errors) == [1]
    assert Case.objects.unscoped().count() == before


def test_a_future_or_cancelled_day_takes_no_record(world):
    day = reception.day_save(
        station=world.station_a,
        actor=world.staff_a,
        date=timezone.localdate() + timedelta(days=4),
        place="",
        deputies=[],
    )
    with pytest.raises(ValidationError):
        reception.record_day(day=day, actor=world.staff_a, summary="x", visitors=1)
    day = reception.cancel_day(day=day, actor=world.staff_a, reason="台风")
    assert day.state == ReceptionState.CANCELLED
    with pytest.raises(ValidationError):
        reception.cancel_day(day=day, actor=world.staff_a, reason="again")


def test_deputies_below_the_yearly_minimum_are_listed(client, world):
    world.rows  # noqa: B018 - side a's world already holds one day held by deputy a
    client.force_login(world.staff_a)
    body = client.get(reverse("casework:reception_station", args=[world.station_a.uuid])).content.decode()
    assert "below-minimum" in body and world.mandate_a.person.full_name in body
    held_day(world)
    held = reception.days_held_by([world.mandate_a], timezone.localdate().year)
    if held[world.mandate_a.pk] >= 2:
        body = client.get(reverse("casework:reception_station", args=[world.station_a.uuid])).content.decode()
        assert "below-minimum" not in body


def test_the_notice_lists_days_with_place_and_deputies(client, world):
    reception.day_save(
        station=world.station_a,
        actor=world.staff_a,
        date=timezone.localdate() + timedelta(days=6),
        place="甲镇文化礼堂",
        deputies=[world.mandate_a],
    )
    client.force_login(world.staff_a)
    page = client.get(reverse("casework:reception_notice", args=[world.station_a.uuid])).content.decode()
    assert "甲镇文化礼堂" in page and world.mandate_a.person.full_name in page
    response = client.get(reverse("casework:reception_notice_docx", args=[world.station_a.uuid]))
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "甲镇文化礼堂" in cells and world.mandate_a.person.full_name in cells


def test_the_station_poster_carries_name_address_days_and_the_qr_code(client, world, settings):
    settings.RENDA_PUBLIC_BASE_URL = "https://renda.example.cn"
    station = world.station_a
    station.address = "甲镇人民路1号"
    station.save()
    schedule(world, recurrence="monthly", days=(9, 19))
    client.force_login(world.staff_a)
    response = client.get(reverse("casework:station_poster", args=[station.uuid]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert station.name in text and "甲镇人民路1号" in text and "每月9日、19日" in text
    assert f"https://renda.example.cn/p/s/{station.uuid}/" in text
    assert len(document.inline_shapes) == 1
    svg = client.get(reverse("casework:station_qr", args=[station.uuid, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(reverse("casework:station_qr", args=[station.uuid, "png"]))
    assert png.content.startswith(b"\x89PNG")
    assert client.get(reverse("casework:station_qr", args=[station.uuid, "gif"])).status_code == 404
    deputy = client.get(reverse("casework:deputy_poster", args=[world.mandate_a.uuid]))
    deputy_text = "\n".join(p.text for p in docx.Document(io.BytesIO(deputy.content)).paragraphs)
    assert f"/p/d/{world.mandate_a.uuid}/" in deputy_text and world.mandate_a.person.full_name in deputy_text


def test_the_qr_code_reads_back_the_request_host_without_a_base_url(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("casework:station_poster", args=[world.station_a.uuid]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert f"http://testserver/p/s/{world.station_a.uuid}/" in text


def test_posters_are_for_the_stations_own_staff(client, world):
    for user in (world.staff_b, world.handler_x, world.deputy_a):
        client.force_login(user)
        assert client.get(reverse("casework:station_poster", args=[world.station_a.uuid])).status_code in (403, 404)


def test_schedule_form_refuses_bad_days_keeping_input(client, world):
    client.force_login(world.staff_a)
    url = reverse("casework:reception_schedule_create", args=[world.station_a.uuid])
    response = client.post(
        url, {"recurrence": "weekly", "days": "9", "place": "老年活动室", "active_from": "2026-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "老年活动室" in body and "星期" in body
    assert not ReceptionSchedule.objects.unscoped().filter(place="老年活动室").exists()
    ok = client.post(url, {"recurrence": "monthly", "days": "9,19", "place": "老年活动室", "active_from": "2026-01-01"})
    assert ok.status_code == 302
    assert ReceptionSchedule.objects.unscoped().get(place="老年活动室").days == [9, 19]


def test_the_demo_seeds_schedules_held_days_with_opinions_and_planned_days(world):
    import random

    from renda.demo.reception import schedule_from_text, seed_reception

    assert schedule_from_text("每月9日、19日") == ("monthly", [9, 19])
    assert schedule_from_text("每周三上午") == ("weekly", [3])
    assert schedule_from_text("不定期") is None
    counts = seed_reception(world.county, random.Random(7))
    assert counts["schedules"] >= 2 and counts["held"] >= 2 and counts["opinions"] >= 2 and counts["planned"] >= 2
    held = (
        ReceptionDay.objects.unscoped().filter(state=ReceptionState.HELD, summary__startswith="").exclude(visitors=None)
    )
    assert held.filter(station__township__county=world.county).count() >= counts["held"]
    day = held.filter(deputies__isnull=False).first()
    assert reception.opinions_of(day).exists()
