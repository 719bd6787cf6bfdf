"""Other duties (training, articles, awards…): recorded by the deputy's staff with evidence and a
date, audited, scored by the county's rule for their kind at once, shown in the archive."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.deputies import services
from renda.deputies.models import DutyKind, DutyRecord, PointEntry, PointRule
from renda.deputies.records import duty_kind_code


def _post(client, url, **data):
    defaults = {
        "kind": DutyKind.TRAINING,
        "date": "2024-04-02",
        "title": "县人大代表履职培训班",
        "evidence": "培训通知",
    }
    return client.post(url, {**defaults, **data})


def test_staff_record_a_duty_that_scores_and_appears_in_the_archive(client, world, django_capture_on_commit_callbacks):
    services.point_rules_initialise(county=world.county, actor=None)
    client.force_login(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, reverse("deputies:duty_create", args=[world.mandate_a.uuid]))
    assert response.status_code == 302
    duty = DutyRecord.objects.get()
    assert (duty.mandate, duty.recorded_by, duty.evidence) == (world.mandate_a, world.staff_a, "培训通知")
    assert AuditEntry.objects.filter(event="deputies.duty.create").count() == 1
    entry = PointEntry.objects.get(kind=duty_kind_code(DutyKind.TRAINING))
    assert (entry.mandate, entry.points, entry.source_uuid) == (world.mandate_a, 2, duty.uuid)

    client.force_login(world.deputy_a)
    archive = client.get(reverse("deputies:mandate_archive", args=[world.mandate_a.uuid])).content.decode()
    assert "其他履职" in archive and "县人大代表履职培训班" in archive and "培训通知" in archive
    listing = client.get(reverse("deputies:duty_list", args=[world.mandate_a.uuid])).content.decode()
    assert "县人大代表履职培训班" in listing and reverse("deputies:duty_edit", args=[duty.uuid]) not in listing

    # A change of kind moves the points to the new kind's rule; deleting takes them away.
    client.force_login(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, reverse("deputies:duty_edit", args=[duty.uuid]), kind=DutyKind.AWARD, title="优秀代表")
    assert list(PointEntry.objects.filter(source_uuid=duty.uuid).values_list("kind", "points")) == [
        (duty_kind_code(DutyKind.AWARD), 3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("deputies:duty_delete", args=[duty.uuid])).status_code == 302
    assert not DutyRecord.objects.exists() and not PointEntry.objects.filter(source_uuid=duty.uuid).exists()
    assert AuditEntry.objects.filter(event__in=["deputies.duty.update", "deputies.duty.delete"]).count() == 2


def test_a_duty_counts_only_where_the_county_rule_says_so(world, django_capture_on_commit_callbacks):
    services.point_rules_initialise(county=world.county, actor=None)
    rule = PointRule.objects.get(county=world.county, kind=duty_kind_code(DutyKind.ARTICLE))
    rule.is_active = False
    services.point_rule_save(rule=rule, actor=world.county_admin, changed_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        services.duty_save(
            duty=DutyRecord(
                mandate=world.mandate_a, kind=DutyKind.ARTICLE, date=date(2024, 3, 1), title="调研文章", evidence="刊物"
            ),
            actor=world.staff_a,
        )
    assert not PointEntry.objects.filter(kind=duty_kind_code(DutyKind.ARTICLE)).exists()
    rule.is_active, rule.amount = True, 4
    services.point_rule_save(rule=rule, actor=world.county_admin, changed_fields=["is_active", "amount"])
    assert PointEntry.objects.get(kind=duty_kind_code(DutyKind.ARTICLE)).points == 4


def test_bad_dates_are_refused_in_chinese(client, world):
    client.force_login(world.staff_a)
    url = reverse("deputies:duty_create", args=[world.mandate_a.uuid])
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "日期晚于今天" in _post(client, url, date=tomorrow.isoformat()).content.decode()
    assert "不在这名代表的任期内" in _post(client, url, date="2020-01-01").content.decode()
    assert not DutyRecord.objects.exists()


def test_only_the_deputys_own_staff_record_duties(client, world):
    duty = services.duty_save(
        duty=DutyRecord(
            mandate=world.mandate_a, kind=DutyKind.AWARD, date=date(2024, 3, 1), title="表彰", evidence="文"
        ),
        actor=world.staff_a,
    )
    for username in ("staff_b", "other_county_admin", "handler_x"):
        client.force_login(world.users[username])
        assert client.get(reverse("deputies:duty_list", args=[world.mandate_a.uuid])).status_code == 404, username
        assert client.get(reverse("deputies:township_duties", args=[world.township_a.uuid])).status_code == 404
        assert _post(client, reverse("deputies:duty_create", args=[world.mandate_a.uuid])).status_code == 404
        assert client.post(reverse("deputies:duty_delete", args=[duty.uuid])).status_code == 404
    for username in ("deputy_a", "leader"):
        client.force_login(world.users[username])
        # They read the mandate but may change none of its records: the change lookup finds nothing.
        assert _post(client, reverse("deputies:duty_create", args=[world.mandate_a.uuid])).status_code == 404
        assert client.post(reverse("deputies:duty_delete", args=[duty.uuid])).status_code == 404
    assert DutyRecord.objects.count() == 1
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:township_duties", args=[world.township_a.uuid])).content.decode()
    assert "表彰" in body and world.person_a.full_name in body
