"""A session's motions and suggestions through the pages: a deputy's motion refused with four
signers (the message beside what was typed) and accepted with five, a paper motion by staff, the
presidium's decision, a motion not placed handled as a suggestion (a case), a suggestion made during
the session, and the outsider who gets 404."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.casework.models import Case, CaseSource
from renda.meetings import sections
from renda.meetings import services as meetings
from renda.meetings.models import Motion, MotionState, SessionSuggestion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress(world):
    """Township A's congress: the world's deputy (deputy_a) and eight more, nine in all."""
    term = world.mandate_a.term
    others = [factories.MandateFactory(person__township=world.township_a, term=term) for _ in range(8)]
    return [world.mandate_a, *others]


@pytest.fixture
def session(world, congress):
    day = timezone.localdate() + timedelta(days=10)
    starts = timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(hour=9)
    deadline = starts - timedelta(days=1)
    return meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts,
        ends_on=day,
        motion_deadline=deadline,
    )


def _motion(world, session, congress, signers=4):
    return meetings.submit_motion(
        session,
        world.staff_a,
        title="修路议案",
        content="建议修路。",
        lead=congress[0],
        signers=congress[1 : signers + 1],
    )


def _post_signed(client, url, title, co_signers, **extra):
    return client.post(
        url, {"title": title, "content": "理由和方案。", "co_signers": [m.uuid for m in co_signers], **extra}
    )


def test_a_deputy_needs_five_signers_and_keeps_what_was_typed(client, world, congress, session):
    client.force_login(world.deputy_a)
    url = reverse("meetings:motion_new", args=[session.uuid])
    page = client.get(url).content.decode()
    assert "至少5名代表联名" in page
    assert timezone.localtime(session.motion_deadline).strftime("%Y-%m-%d %H:%M") in page
    assert congress[1].person.full_name in page and 'name="lead"' not in page  # the deputy leads

    response = _post_signed(client, url, "关于修建村道的议案", congress[1:4])
    assert response.status_code == 200
    body = response.content.decode()
    assert "议案须由至少5名代表联名提出；现有4名。" in body
    assert "关于修建村道的议案" in body and "理由和方案。" in body
    assert body.count("checked") == 3
    assert not Motion.objects.unscoped().exists()

    response = _post_signed(client, url, "关于修建村道的议案", congress[1:5])
    motion = Motion.objects.unscoped().get()
    assert response.status_code == 302 and response.url == reverse("meetings:motion_detail", args=[motion.uuid])
    assert motion.signers.count() == 5
    assert motion.signers.get(is_lead=True).mandate == world.mandate_a
    page = client.get(response.url).content.decode()
    assert "关于修建村道的议案" in page and "待主席团决定" in page


def test_staff_enter_a_paper_motion_for_its_signers(client, world, congress, session):
    client.force_login(world.staff_a)
    url = reverse("meetings:motion_new", args=[session.uuid])
    assert 'name="lead"' in client.get(url).content.decode()
    response = _post_signed(client, url, "纸质议案", congress[2:6], lead=congress[1].uuid)
    assert response.status_code == 302
    motion = Motion.objects.unscoped().get()
    assert motion.signers.get(is_lead=True).mandate == congress[1] and motion.signers.count() == 5
    assert motion.submitted_by == world.staff_a


def test_the_presidium_places_a_motion_on_the_agenda(client, world, congress, session):
    motion = _motion(world, session, congress)
    client.force_login(world.staff_a)
    page = client.get(reverse("meetings:motion_detail", args=[motion.uuid])).content.decode()
    assert 'name="decision"' in page
    response = client.post(
        reverse("meetings:motion_decide", args=[motion.uuid]), {"version": motion.version, "decision": "place"}
    )
    assert response.status_code == 302
    motion.refresh_from_db()
    assert motion.state == MotionState.PLACED
    assert session.agenda.get(motion=motion).title == "修路议案"


def test_a_motion_not_placed_is_handled_as_a_suggestion(client, world, congress, session):
    motion = _motion(world, session, congress)
    client.force_login(world.staff_a)
    decide = reverse("meetings:motion_decide", args=[motion.uuid])
    # Not placed without a reason: refused, the choice kept.
    response = client.post(decide, {"version": motion.version, "decision": "not_place", "reason": ""})
    assert response.status_code == 200
    assert "请填写主席团不列入议程的理由。" in response.content.decode()
    response = client.post(decide, {"version": motion.version, "decision": "not_place", "reason": "不属于本级职权"})
    assert response.status_code == 302
    motion.refresh_from_db()
    assert motion.state == MotionState.NOT_PLACED
    # A second decision on the page the staff still had open is refused, not applied.
    response = client.post(decide, {"version": motion.version - 1, "decision": "place"})
    assert response.status_code == 200 and "此记录已被他人修改" in response.content.decode()
    motion.refresh_from_db()
    assert motion.state == MotionState.NOT_PLACED

    # The signers see the reason; staff handle it as their suggestion.
    client.force_login(world.deputy_a)
    page = client.get(reverse("meetings:motion_detail", args=[motion.uuid])).content.decode()
    assert "不属于本级职权" in page and 'name="decision"' not in page
    assert client.post(reverse("meetings:motion_to_suggestion", args=[motion.uuid])).status_code == 403

    client.force_login(world.staff_a)
    response = client.post(reverse("meetings:motion_to_suggestion", args=[motion.uuid]))
    case = Case.objects.unscoped().get()
    assert response.status_code == 302 and response.url == reverse("casework:detail", args=[case.uuid])
    assert case.source == CaseSource.SESSION_SUGGESTION and case.title == "修路议案"
    assert case.signers.count() == 5 and case.signers.get(is_lead=True).mandate == world.mandate_a
    motion.refresh_from_db()
    assert motion.case == case
    page = client.get(reverse("meetings:motion_detail", args=[motion.uuid])).content.decode()
    assert case.reference in page
    # Twice is refused with a message, not a second case.
    client.post(reverse("meetings:motion_to_suggestion", args=[motion.uuid]))
    assert Case.objects.unscoped().count() == 1


def test_a_suggestion_made_during_the_session_becomes_a_case(client, world, congress, session):
    client.force_login(world.deputy_a)
    url = reverse("meetings:suggestion_new", args=[session.uuid])
    response = _post_signed(client, url, "增设公交站点", congress[1:2])
    case = Case.objects.unscoped().get()
    assert response.status_code == 302 and response.url == reverse("casework:detail", args=[case.uuid])
    assert case.source == CaseSource.SESSION_SUGGESTION
    assert case.signers.get(is_lead=True).mandate == world.mandate_a
    assert SessionSuggestion.objects.unscoped().get().meeting == session
    assert client.get(response.url).status_code == 200  # the deputy follows their case

    # Staff enter one for a deputy; an empty title is refused with what was typed kept.
    client.force_login(world.staff_a)
    response = _post_signed(client, url, "", [], lead=congress[3].uuid)
    assert response.status_code == 200 and "理由和方案。" in response.content.decode()
    _post_signed(client, url, "加强河道保洁", [], lead=congress[3].uuid)
    page = client.get(reverse("meetings:motions", args=[session.uuid])).content.decode()
    assert "增设公交站点" in page and "加强河道保洁" in page


def test_the_section_shows_on_a_sessions_page_only(world, congress, session):
    motion = _motion(world, session, congress)
    shown = {s.code: context for s, context in sections.for_meeting(session, world.staff_a)}
    assert [m.pk for m in shown["motions"]["motions"]] == [motion.pk]
    assert shown["motions"]["may_submit"] and shown["motions"]["signers_needed"] == 5
    presidium = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="presidium",
        starts_at=timezone.now(),
        ends_on=timezone.localdate(),
    )
    assert "motions" not in [s.code for s, _ in sections.for_meeting(presidium, world.staff_a)]


def test_a_deputy_sees_the_motions_they_signed(client, world, congress, session):
    signed = _motion(world, session, congress)
    other = meetings.submit_motion(
        session, world.staff_a, title="别人的议案", content="内容", lead=congress[1], signers=congress[2:6]
    )
    client.force_login(world.deputy_a)
    page = client.get(reverse("meetings:motions", args=[session.uuid])).content.decode()
    assert signed.title in page and other.title not in page
    assert client.get(reverse("meetings:motion_detail", args=[other.uuid])).status_code == 404


def test_outsiders_get_404(client, world, congress, session):
    motion = _motion(world, session, congress)
    urls = [
        reverse("meetings:motions", args=[session.uuid]),
        reverse("meetings:motion_new", args=[session.uuid]),
        reverse("meetings:suggestion_new", args=[session.uuid]),
        reverse("meetings:motion_detail", args=[motion.uuid]),
        reverse("meetings:motion_decide", args=[motion.uuid]),
        reverse("meetings:motion_to_suggestion", args=[motion.uuid]),
    ]
    for user in (world.staff_b, world.deputy_b, world.other_county_admin):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in {404, 405}, (user, url)  # 405: a POST-only step
            assert client.post(url, {"decision": "place", "version": 1}).status_code == 404, (user, url)
    motion.refresh_from_db()
    assert motion.state == MotionState.SUBMITTED and not Case.objects.unscoped().exists()
