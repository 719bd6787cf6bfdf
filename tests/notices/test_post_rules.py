"""What every capability's notice goes through: a title cut to the board's length, accounts switched
off left out, and only the hand-written kinds from staff."""

import pytest
from django.core.exceptions import ValidationError

from renda.notices import services
from renda.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_a_long_title_is_cut_and_switched_off_accounts_get_nothing(world):
    world.deputy_b.is_active = False
    world.deputy_b.save(update_fields=["is_active"])
    notice = services.post(
        world.county_admin,
        county=world.county,
        township=None,
        title="评" * 130 + "：测评已开始",
        body="请测评。",
        recipients=[world.deputy_a, world.deputy_b],
        kind="evaluation",
    )
    assert len(notice.title) == Notice._meta.get_field("title").max_length
    assert [r.user for r in notice.recipients.all()] == [world.deputy_a]


def test_staff_may_not_label_their_own_notice_as_a_capabilitys(world):
    with pytest.raises(ValidationError) as refused:
        services.compose(world.staff_a, title="会议通知", body="开会", kind="meeting")
    assert "kind" in refused.value.message_dict
