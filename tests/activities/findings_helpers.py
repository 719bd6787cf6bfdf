"""Shared set-up of the photos, findings, types, documents and API tests: township A's inspection,
planned through the services, with the world's deputy A and one more deputy invited."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from renda.activities import services
from renda.activities.models import ActivityType
from tests import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def png_file(name: str = "现场.png"):
    handle = io.BytesIO(PNG)
    handle.name = name
    return handle


def inspection(
    world, *, started_minutes_ago: int = 30, township=None, staff=None, invite=None, title="甲镇视察河道整治"
):
    """A township's inspection (视察) that started a little while ago, deputy A invited."""
    township = township or world.township_a
    staff = staff or world.staff_a
    starts = timezone.now() - timedelta(minutes=started_minutes_ago)
    kind = ActivityType.objects.get(county=world.county, name="视察")
    return services.plan_activity(
        staff,
        county=world.county,
        township=township,
        type=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="甲镇河道",
        organiser="甲镇人大主席团",
        invite=[world.mandate_a] if invite is None else invite,
    )


def second_deputy(world):
    """Another serving deputy of township A, with no account."""
    return factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term)


def held_inspection(world):
    """The inspection with deputy A signed in by staff and recorded as held."""
    activity = inspection(world)
    participant = activity.participants.get()
    services.sign_in(activity, world.staff_a, participant=participant)
    activity.refresh_from_db()
    return services.record_held(activity, world.staff_a, expected_version=activity.version)
