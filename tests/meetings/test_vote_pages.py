"""The votes page as township staff use it during a session: the live figures of the all-deputies
majority, votes that pass and fail by it, a tally beyond those present refused with what was typed
kept, a by-election that starts a mandate, corrections with their history (a recorded vote is never
edited), the meeting page's part, and the outsiders refused."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renda.meetings import sections
from renda.meetings import services as meetings
from renda.meetings.models import Vote
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):
    """Township A's session in progress: nine deputies, six of them signed in."""
    term = world.mandate_a.term
    for _ in range(8):
        factories.MandateFactory(person__township=world.township_a, term=term)
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_on=timezone.localdate() + timedelta(days=1),
    )
    for row in session.attendances.order_by("id")[:6]:
        meetings.sign_in(session, world.staff_a, attendance=row)
    return meetings.open_meeting(session, world.staff_a, expected_version=session.version)


def record(client, session, **fields):
    data = {"kind": "resolution", "title": "关于政府工作报告的决议", "method": "hands", **fields}
    return client.post(reverse("meetings:votes", args=[session.uuid]), data)


def test_the_form_shows_the_figures_of_the_all_deputies_majority(client_for, world, session):
    page = client_for(world.staff_a).get(reverse("meetings:votes", args=[session.uuid])).content.decode()
    assert "应到（全体代表）" in page and "实到（已签到）" in page
    assert "赞成票不少于5票方为通过：须超过全体代表9名的半数，而非出席代表的半数。" in page
    assert "登记表决结果" in page and "已登记的表决不可修改" in page


def test_five_of_nine_pass_four_do_not_though_most_of_those_present(client_for, world, session):
    client = client_for(world.staff_a)
    response = record(client, session, votes_for=5, votes_against=1, abstentions=0)
    assert response.status_code == 302
    response = record(
        client,
        session,
        title="关于调整预算的决定",
        kind="decision",
        **{
            "votes_for": 4,
            "votes_against": 1,
            "abstentions": 1,
        },
    )
    page = client.get(response.url).content.decode()
    assert "已登记表决：关于调整预算的决定，未通过。" in page
    passed, failed = Vote.objects.unscoped().filter(meeting=session).order_by("position")
    assert passed.passed and not failed.passed
    assert (failed.present, failed.deputies_total) == (6, 9)
    # The tally table: each vote with its figures and outcome.
    assert "6 / 9" in page and page.count("text-bg-success") == 1 and page.count(">未通过<") == 1


def test_a_tally_beyond_those_present_is_refused_and_the_input_kept(client_for, world, session):
    client = client_for(world.staff_a)
    response = record(client, session, title="多于到会人数的表决", votes_for=6, votes_against=1, abstentions=0)
    assert response.status_code == 200
    page = response.content.decode()
    assert "多于到会人数的表决" in page and "7" in page and "6" in page
    assert "超过" in page or "多于" in page  # the service's message beside the figures
    assert not Vote.objects.unscoped().filter(meeting=session).exists()
    # Nonsense is a form error, never a failure.
    response = record(client, session, votes_for="很多", votes_against=-1, abstentions="", kind="fly", item="x")
    assert response.status_code == 200


def test_a_by_election_that_passes_starts_the_mandate(client_for, world, session):
    candidate = factories.PersonFactory(township=world.township_a, full_name="补选人")
    client = client_for(world.staff_a)
    page = client.get(reverse("meetings:votes", args=[session.uuid])).content.decode()
    assert "补选通过的，候选人即取得本届人大代表资格。" in page and "补选人" in page
    response = record(
        client,
        session,
        kind="by_election",
        title="补选代表：补选人",
        method="ballot",
        candidate=str(candidate.uuid),
        constituency="第三选区",
        votes_for=6,
        votes_against=0,
        abstentions=0,
    )
    page = client.get(response.url).content.decode()
    assert "补选人的代表资格已产生。" in page and "代表资格已产生" in page
    assert Vote.objects.unscoped().get(meeting=session).mandate.person == candidate


def test_a_recorded_vote_is_corrected_never_edited_and_keeps_its_history(client_for, world, session):
    client = client_for(world.staff_a)
    record(client, session, votes_for=4, votes_against=1, abstentions=1)
    vote = Vote.objects.unscoped().get(meeting=session)
    page = client.get(reverse("meetings:votes", args=[session.uuid])).content.decode()
    correct = reverse("meetings:vote_correct", args=[vote.uuid])
    assert correct in page and ">更正<" in page
    # Recording again adds a vote; it never changes the one recorded.
    record(client, session, votes_for=6, votes_against=0, abstentions=0)
    vote.refresh_from_db()
    assert (vote.votes_for, vote.passed) == (4, False)
    assert Vote.objects.unscoped().filter(meeting=session).count() == 2

    # A correction needs its reason; what was typed stays.
    response = client.post(correct, {"votes_for": 5, "votes_against": 0, "abstentions": 1, "reason": ""})
    assert response.status_code == 200 and 'value="5"' in response.content.decode()
    response = client.post(correct, {"votes_for": 5, "votes_against": 0, "abstentions": 1, "reason": "计票人复核"})
    assert response.status_code == 302
    vote.refresh_from_db()
    assert (vote.votes_for, vote.passed) == (5, True)
    page = client.get(reverse("meetings:votes", args=[session.uuid])).content.decode()
    assert "赞成 4 → 5，反对 1 → 0，弃权 1 → 1" in page and "未通过 → 通过" in page
    assert "更正理由: 计票人复核" in page and world.staff_a.full_name in page
    history = client.get(correct).content.decode()
    assert "赞成 4 → 5" in history and "原登记：赞成5票，反对0票，弃权1票。" in history


def test_leader_reads_the_tally_without_recording_or_correcting(client_for, world, session):
    record(client_for(world.staff_a), session, votes_for=5, votes_against=0, abstentions=0)
    vote = Vote.objects.unscoped().get(meeting=session)
    client = client_for(world.leader)
    page = client.get(reverse("meetings:votes", args=[session.uuid])).content.decode()
    assert "关于政府工作报告的决议" in page
    assert "登记表决结果" not in page and reverse("meetings:vote_correct", args=[vote.uuid]) not in page
    assert record(client, session, votes_for=5, votes_against=0, abstentions=0).status_code == 403
    assert client.get(reverse("meetings:vote_correct", args=[vote.uuid])).status_code == 404


def test_no_vote_is_recorded_before_the_meeting_opens(client_for, world):
    planned = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() + timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=10),
    )
    client = client_for(world.staff_a)
    page = client.get(reverse("meetings:votes", args=[planned.uuid])).content.decode()
    assert "登记表决结果" not in page
    response = record(client, planned, title="提前登记", votes_for=1, votes_against=0, abstentions=0)
    assert response.status_code == 200 and "提前登记" in response.content.decode()
    assert not Vote.objects.unscoped().filter(meeting=planned).exists()


def test_live_figures_are_refreshed_by_htmx(client_for, world, session):
    client = client_for(world.staff_a)
    url = reverse("meetings:votes", args=[session.uuid])
    response = client.get(f"{url}?figures=1", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="vote-figures"') and "<html" not in body
    meetings.sign_in(session, world.staff_a, attendance=session.attendances.order_by("id")[6])
    assert ">7<" in client.get(f"{url}?figures=1", HTTP_HX_REQUEST="true").content.decode()


def rendered_part(code: str, meeting, user) -> str | None:
    """The meeting page's part ``code`` as the page renders it (its context, the meeting, the section)."""
    for section, context in sections.for_meeting(meeting, user):
        if section.code == code:
            return render_to_string(section.template, {"meeting": meeting, "section": section, **context})
    return None


def test_the_meeting_page_part(world, session):
    meetings.record_vote(
        session,
        world.staff_a,
        kind="other",
        title="议程草案",
        method="hands",
        votes_for=5,
        votes_against=0,
        abstentions=0,
    )
    staff = rendered_part("votes", session, world.staff_a)
    assert "议程草案" in staff and "赞成5，反对0，弃权0" in staff and "通过" in staff and "登记表决" in staff
    leader = rendered_part("votes", session, world.leader)
    assert "议程草案" in leader and "表决结果" in leader
    assert rendered_part("votes", session, world.deputy_a) is None  # a vote row is not a deputy's to read


@pytest.mark.parametrize("username", ["staff_b", "handler_x", "handler_y", "deputy_b", "other_county_admin"])
def test_outsiders_get_404(client_for, world, username):
    session = world.rows["meetings.meeting"]["a"][0]
    vote = world.rows["meetings.vote"]["a"][0]
    client = client_for(world.users[username])
    assert client.get(reverse("meetings:votes", args=[session.uuid])).status_code == 404
    assert record(client, session, votes_for=1, votes_against=0, abstentions=0).status_code == 404
    correct = reverse("meetings:vote_correct", args=[vote.uuid])
    assert client.get(correct).status_code == 404
    assert (
        client.post(correct, {"votes_for": 0, "votes_against": 0, "abstentions": 0, "reason": "乙"}).status_code == 404
    )
    vote.refresh_from_db()
    assert vote.votes_for == 1 and vote.corrections.count() == 1
