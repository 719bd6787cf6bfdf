"""Delivery beyond the platform: post() hands the notice to the task once committed, the task marks
the recipients delivered (or keeps why not), and the backend named in the setting is the one used."""

import pytest
from django.core import mail

from renda.notices import services
from renda.notices.models import Recipient
from tests.notices import backends

pytestmark = pytest.mark.django_db


def _post(world, users):
    return services.post(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        title="甲镇投递",
        body="正文",
        recipients=users,
        link="/notices/",
    )


def test_posting_enqueues_the_delivery_on_commit_and_the_task_marks_it_delivered(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = _post(world, [world.deputy_a])
    assert Recipient.objects.unscoped().get(notice=notice).delivered_at is None  # nothing before the commit
    for callback in callbacks:
        callback()
    recipient = Recipient.objects.unscoped().get(notice=notice)
    assert recipient.delivered_at is not None and recipient.delivery_error == ""


def test_the_email_backend_sends_one_mail_per_address_and_records_a_missing_one(
    world, settings, django_capture_on_commit_callbacks
):
    settings.RENDA_NOTIFICATION_BACKEND = "renda.notices.backends.EmailBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.deputy_a.email = "deputy_a@example.org"
    world.deputy_a.save()
    world.deputy_b.email = ""
    world.deputy_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice = _post(world, [world.deputy_a, world.deputy_b])
    assert [m.to for m in mail.outbox] == [["deputy_a@example.org"]]
    assert mail.outbox[0].subject == "甲镇投递"
    rows = {r.user.username: r for r in Recipient.objects.unscoped().filter(notice=notice).select_related("user")}
    assert rows["deputy_a"].delivered_at is not None
    assert rows["deputy_b"].delivered_at is None and rows["deputy_b"].delivery_error == "该账号没有电子邮箱。"


def test_a_backend_named_in_the_setting_is_used(world, settings, django_capture_on_commit_callbacks):
    settings.RENDA_NOTIFICATION_BACKEND = "tests.notices.backends.RecordingBackend"
    backends.SENT.clear()
    world.deputy_a.email = ""
    world.deputy_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice = _post(world, [world.deputy_a])
    assert [m.user for m in backends.SENT] == [world.deputy_a]
    assert Recipient.objects.unscoped().get(notice=notice).delivery_error == "无手机号码"


def test_a_withdrawn_notice_is_not_delivered(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = _post(world, [world.deputy_a])
    services.withdraw(notice, world.staff_a)
    for callback in callbacks:
        callback()
    assert Recipient.objects.unscoped().get(notice=notice).delivered_at is None
