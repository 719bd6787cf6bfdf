"""An activity's documents: the notice (Word, official layout) drawn up from the plan or as sent, and
the sign-in sheet in Word and Excel; downloads are audited; the documents part offers what each user
may have; outsiders get 404."""

import pytest
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.activities import services
from renda.activities.sections import parts
from tests.activities.findings_helpers import held_inspection, inspection
from tests.meetings.test_documents import text_of

pytestmark = pytest.mark.django_db


def url(name, activity):
    return reverse(f"activities:{name}", args=[activity.uuid])


def test_the_notice_is_drawn_up_from_the_plan_then_printed_as_sent(client_for, world, monkeypatch):
    activity = inspection(world)
    client = client_for(world.staff_a)
    text = text_of(client.get(url("document_notice", activity)))
    assert "关于开展甲镇视察河道整治的通知" in text and "甲镇河道" in text and "各位代表" in text
    assert "甲镇人大主席团" in text and "请提前向甲镇人大主席团请假" in text
    # Once sent, the notice is printed as it was written.
    monkeypatch.setattr(services, "reverse", lambda *args, **kwargs: "/activities/")
    services.send_notice(activity, world.staff_a, expected_version=activity.version, text="请各位代表准时参加视察。")
    assert "请各位代表准时参加视察。" in text_of(client.get(url("document_notice", activity)))
    assert AuditEntry.objects.filter(event="export.activities.notice").count() == 2


def test_the_signin_sheet_in_word_and_excel(client_for, world):
    activity = held_inspection(world)
    client = client_for(world.staff_a)
    for name in ("document_signin_sheet", "document_signin_sheet_excel"):
        text = text_of(client.get(url(name, activity)))
        assert "甲镇视察河道整治签到表" in text and world.mandate_a.person.full_name in text, name
        assert "出席" in text and "签名" in text and "应到1人，实到1人" in text, name
        assert "乙" not in text, name
    assert AuditEntry.objects.filter(event="export.activities.signin_sheet").count() == 2


def test_the_documents_part_offers_what_each_user_may_have(world):
    activity = inspection(world)

    def labels(user):
        found = {part.code: context for part, context in parts.for_object(activity, user)}
        return [str(label) for label, _ in found["documents"]["links"]]

    assert labels(world.staff_a) == ["活动通知（Word）", "签到表（Word）", "签到表（Excel）"]
    assert labels(world.deputy_a) == ["活动通知（Word）"]


def test_a_deputy_gets_the_notice_but_not_the_signin_sheet(client_for, world):
    activity = inspection(world)
    client = client_for(world.deputy_a)
    assert client.get(url("document_notice", activity)).status_code == 200
    assert client.get(url("document_signin_sheet", activity)).status_code == 403


@pytest.mark.parametrize("username", ["staff_b", "deputy_b", "handler_x", "other_county_admin"])
def test_outsiders_get_404_on_the_documents(client_for, world, username):
    activity = inspection(world)
    client = client_for(world.users[username])
    for name in ("document_notice", "document_signin_sheet", "document_signin_sheet_excel"):
        assert client.get(url(name, activity)).status_code == 404, name
