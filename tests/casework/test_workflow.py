"""The case state machine, walked through every path, and every step refused where the table
(``workflow.TRANSITIONS``) or the roles do not allow it. Every transition is on the timeline
(``CaseEvent``: who, when, why) and in the audit log."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.accounts.roles import Role
from renda.casework import deadlines, services, workflow
from renda.casework.models import (
    Case,
    CaseAssignment,
    CaseEvent,
    CaseExtension,
    CaseNote,
    CaseRating,
    CaseReply,
    CaseSource,
    CaseState,
    Satisfaction,
)
from renda.casework.workflow import IllegalTransition, Step
from tests import factories

S = CaseState
OK, BASIC, NOT_OK, NO_OPINION = (
    Satisfaction.SATISFIED,
    Satisfaction.BASIC,
    Satisfaction.UNSATISFIED,
    Satisfaction.NO_OPINION,
)
REPLY = {"reply_class": "A", "done_items": "已更换路灯十二盏", "consultation": "meeting", "signer": "王主任"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8


@pytest.fixture
def w(world):
    """The shared world plus a handler of the county agency (the co-agency), a second deputy of
    township A (a co-signer) and a second agency of township A (to re-assign to)."""
    world.users["co_handler"] = factories.UserFactory(
        username="co_handler", role=Role.AGENCY_HANDLER, agency=world.county_agency
    )
    world.agency_a2 = factories.AgencyFactory(township=world.township_a, name="甲镇城建办")
    world.users["handler_z"] = factories.UserFactory(
        username="handler_z", role=Role.AGENCY_HANDLER, agency=world.agency_a2
    )
    mandate = factories.MandateFactory(
        person__township=world.township_a, group=world.group_a, station=world.station_a, term=world.mandate_a.term
    )
    world.users["deputy_a2"] = factories.UserFactory(username="deputy_a2", role=Role.DEPUTY, county=world.county)
    mandate.person.user = world.users["deputy_a2"]
    mandate.person.save()
    world.mandate_a2 = mandate
    return world


def suggestion(w, *, signers=None, actor=None, **extra) -> Case:
    return services.file_case(
        actor or w.staff_a,
        township=w.township_a,
        source=extra.pop("source", CaseSource.RECESS_SUGGESTION),
        title=extra.pop("title", "主街路灯损坏"),
        content=extra.pop("content", "主街路灯损坏多处，夜间出行不便。"),
        signers=[w.mandate_a] if signers is None else signers,
        **extra,
    )


def opinion(w, **extra) -> Case:
    return services.file_case(
        None,
        township=w.township_a,
        source=CaseSource.CITIZEN_OPINION,
        title="路灯不亮",
        content="村口路灯不亮。",
        station=w.station_a,
        citizen_name="李四",
        citizen_phone="13912345678",
        **extra,
    )


def fresh(case: Case) -> Case:
    return Case.objects.unscoped().get(pk=case.pk)


def steps(case: Case) -> list[str]:
    return list(CaseEvent.objects.unscoped().filter(case=case).order_by("id").values_list("transition", flat=True))


def audited(case: Case) -> list[str]:
    entries = AuditEntry.objects.unscoped().filter(target_type="casework.case", target_id=str(case.uuid))
    return list(entries.order_by("id").values_list("event", flat=True))


def assert_recorded(case: Case) -> None:
    """Every step on the timeline carries who and from/to (``at`` is required by the model), and has
    its audit entry."""
    events = list(CaseEvent.objects.unscoped().filter(case=case).order_by("id"))
    for event in events:
        assert event.actor_id is not None or event.actor_label, event.transition
        assert event.transition in Step.values
        assert (event.to_state != event.from_state) == (workflow.TRANSITIONS[Step(event.transition)].target is not None)
    assert audited(case) == ["casework.case.create"] + [f"casework.case.{event.transition}" for event in events]


def assigned(w, case=None, *, co=True) -> Case:
    case = case or suggestion(w)
    case = services.accept(case, w.staff_a, version=case.version)
    return services.assign(case, w.staff_a, version=case.version, lead=w.agency_a, co=[w.county_agency] if co else [])


# ---- the paths ------------------------------------------------------------------------------


def test_a_suggestion_goes_from_submission_to_closed_through_every_handling_step(w):
    today = timezone.localdate()
    case = suggestion(w, signers=[w.mandate_a, w.mandate_a2])
    assert case.state == S.SUBMITTED and case.reference.startswith(f"{today.year}-")
    assert case.assign_due_on == deadlines.assign_due(today)
    case = services.accept(case, w.staff_a, version=case.version, reason="属实")
    case = services.assign(case, w.staff_a, version=case.version, lead=w.agency_a, co=[w.county_agency])
    assert case.state == S.ASSIGNED and case.assigned_on == today
    assert case.answer_due_on == deadlines.answer_due(today)
    lead, co = case.assignments.order_by("-is_lead")
    assert (lead.agency, lead.is_lead, co.agency, co.is_lead) == (w.agency_a, True, w.county_agency, False)
    assert lead.hand_back_until == deadlines.hand_back_until(today) and co.view_due_on == deadlines.co_view_due(today)

    case = services.agency_accept(case, w.handler_x, version=case.version)
    assert case.state == S.IN_PROGRESS
    assert CaseAssignment.objects.unscoped().get(pk=lead.pk).accepted_at is not None
    note = services.add_note(case, w.handler_x, text="已安排维修队勘查")
    assert (note.agency, note.author) == (w.agency_a, w.handler_x)
    services.co_agency_view(case, w.co_handler, text="县里同意安排资金")
    assert CaseAssignment.objects.unscoped().get(pk=co.pk).view_text == "县里同意安排资金"

    # One extension refused, one approved; never past the cap.
    case = fresh(case)
    first_due = case.answer_due_on
    with pytest.raises(ValidationError):
        services.request_extension(case, w.handler_x, until=deadlines.answer_cap(today) + timedelta(days=1), reason="x")
    refused = services.request_extension(case, w.handler_x, until=first_due + timedelta(days=30), reason="需采购灯具")
    with pytest.raises(ValidationError):  # one request at a time
        services.request_extension(case, w.handler_x, until=first_due + timedelta(days=31), reason="再等等")
    with pytest.raises(ValidationError):  # a refusal needs its reason
        services.decide_extension(refused, w.staff_a, approve=False)
    services.decide_extension(refused, w.staff_a, approve=False, reason="理由不足")
    assert fresh(case).answer_due_on == first_due
    approved = services.request_extension(case, w.handler_x, until=first_due + timedelta(days=20), reason="雨季施工")
    services.decide_extension(approved, w.staff_a, approve=True)
    with pytest.raises(ValidationError):
        services.decide_extension(approved, w.staff_a, approve=False, reason="改主意")
    case = fresh(case)
    assert case.answer_due_on == case.extended_to == first_due + timedelta(days=20)
    assert [e.approved for e in CaseExtension.objects.unscoped().filter(case=case)] == [False, True]

    reply = services.answer(case, w.handler_x, version=case.version, **REPLY)
    case = fresh(case)
    assert case.state == S.ANSWERED and reply.round == 0 and reply.due_on == first_due + timedelta(days=20)
    assert case.rating_due_on == deadlines.rating_due(today)
    # Each signer gets the answer and rates it; the round completes with the last of them.
    assert services.expected_raters(case) == {(case.pk, w.mandate_a.pk), (case.pk, w.mandate_a2.pk)}
    services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=OK, result=BASIC, comment="满意")
    assert fresh(case).state == S.ANSWERED
    with pytest.raises(ValidationError):  # once per rater and round
        services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=OK, result=OK)
    services.rate(case, w.deputy_a2, mandate=w.mandate_a2, handling=OK, result=OK)
    case = fresh(case)
    assert case.state == S.RATED
    case = services.close(case, w.staff_a, version=case.version)
    assert case.state == S.CLOSED and case.closed_on == today

    assert steps(case) == [
        "submit",
        "accept",
        "assign",
        "agency_accept",
        "note",
        "co_view",
        "extension_request",
        "extension_decision",
        "extension_request",
        "extension_decision",
        "answer",
        "rate",
        "rate",
        "rating_complete",
        "close",
    ]
    assert_recorded(case)
    events = {e.transition: e for e in CaseEvent.objects.unscoped().filter(case=case)}
    assert events["accept"].actor == w.staff_a and events["accept"].reason == "属实"
    assert (events["accept"].from_state, events["accept"].to_state) == (S.SUBMITTED, S.ACCEPTED)
    assert events["agency_accept"].actor == w.handler_x
    assert events["rating_complete"].actor is None and events["rating_complete"].actor_label


def test_merged_cases_signers_and_citizen_get_the_answer_and_rate_it(w):
    main = suggestion(w)
    citizen = opinion(w)
    cosigned = suggestion(w, signers=[w.mandate_a2], title="主街路灯")
    assert citizen.tracking_code and citizen.state == S.SUBMITTED
    main = services.accept(main, w.staff_a, version=main.version)
    with pytest.raises(ValidationError):
        services.merge(citizen, w.staff_a, into=citizen, reason="同一事项")
    services.merge(citizen, w.staff_a, version=citizen.version, into=main, reason="同一事项")
    services.merge(cosigned, w.staff_a, version=fresh(cosigned).version, into=main, reason="同一事项")
    assert fresh(citizen).state == S.MERGED and fresh(citizen).merged_into == main
    with pytest.raises(ValidationError):  # only into an open case, never into a merged one
        services.merge(suggestion(w), w.staff_a, into=fresh(citizen), reason="x")

    assert [c.pk for c in services.cases_answered_by(main)] == [main.pk, citizen.pk, cosigned.pk]
    assert services.expected_raters(main) == {
        (main.pk, w.mandate_a.pk),
        (citizen.pk, None),
        (cosigned.pk, w.mandate_a2.pk),
    }
    main = services.assign(fresh(main), w.staff_a, lead=w.agency_a)
    services.answer(main, w.handler_x, **REPLY)
    # The citizen (through the tracking code) and the co-signer rate on their own cases.
    rating = services.rate(citizen, None, citizen=True, handling=OK, result=OK)
    assert rating.case == citizen
    services.rate(cosigned, w.deputy_a2, mandate=w.mandate_a2, handling=BASIC, result=OK)
    assert fresh(main).state == S.ANSWERED
    services.rate(main, w.deputy_a, mandate=w.mandate_a, handling=OK, result=OK)
    assert fresh(main).state == S.RATED
    assert fresh(citizen).state == S.MERGED  # lives on in its main case
    assert steps(citizen) == ["submit", "merge"]
    assert_recorded(main)
    assert_recorded(citizen)


def test_merging_into_a_case_keeps_one_level(w):
    first, second, third = suggestion(w), suggestion(w), suggestion(w)
    services.merge(first, w.staff_a, into=second, reason="同一事项")
    services.merge(fresh(second), w.staff_a, into=third, reason="同一事项")
    assert fresh(first).merged_into == third
    assert [c.pk for c in services.cases_answered_by(third)] == [third.pk, first.pk, second.pk]


def test_reject_needs_a_reason_and_ends_the_case(w):
    case = suggestion(w)
    with pytest.raises(ValidationError) as refused:
        services.reject(case, w.staff_a, version=case.version, reason="  ")
    assert "reason" in refused.value.message_dict
    assert fresh(case).version == case.version
    case = services.reject(case, w.staff_a, version=case.version, reason="不属于本级职权范围")
    assert case.state == S.REJECTED and case.state not in workflow.OPEN_STATES
    event = CaseEvent.objects.unscoped().get(case=case, transition="reject")
    assert (event.actor, event.reason) == (w.staff_a, "不属于本级职权范围")
    assert_recorded(case)


def test_handled_on_the_spot(w):
    case = opinion(w)
    case = services.handle_on_spot(case, w.staff_a, version=case.version, reply_text="已当场解释政策")
    assert case.state == S.HANDLED_ON_SPOT and case.closed_on == timezone.localdate()
    assert CaseEvent.objects.unscoped().get(case=case, transition="handle_on_spot").reason == "已当场解释政策"
    assert_recorded(case)


def test_hand_back_within_the_window_returns_the_case_for_another_agency(w):
    case = assigned(w)
    case = services.agency_accept(case, w.handler_x, version=case.version)
    with pytest.raises(ValidationError):
        services.hand_back(case, w.handler_x, version=case.version, reason="")
    case = services.hand_back(case, w.handler_x, version=case.version, reason="属城建办职责")
    assert case.state == S.RETURNED
    assert not CaseAssignment.objects.unscoped().filter(case=case, handed_back_at__isnull=True).exists()
    assert CaseAssignment.objects.unscoped().get(case=case, agency=w.agency_a).hand_back_reason == "属城建办职责"
    with pytest.raises(PermissionDenied):  # the agency that handed it back has nothing to do with it
        services.add_note(case, w.handler_x, text="x")
    case = services.assign(case, w.staff_a, version=case.version, lead=w.agency_a2)
    assert case.state == S.ASSIGNED
    case = services.agency_accept(case, w.handler_z, version=case.version)
    services.answer(case, w.handler_z, **REPLY)
    assert steps(case) == [
        "submit",
        "accept",
        "assign",
        "agency_accept",
        "hand_back",
        "assign",
        "agency_accept",
        "answer",
    ]
    assert_recorded(case)


def test_hand_back_after_the_window_is_refused_and_the_assignment_stands(w):
    case = assigned(w)
    window = case.assignments.get(is_lead=True).hand_back_until
    with time_machine.travel(window + timedelta(days=1)), pytest.raises(ValidationError) as refused:
        services.hand_back(case, w.handler_x, version=case.version, reason="不是我们的")
    assert window.isoformat() in str(refused.value)
    with time_machine.travel(window):
        case = services.hand_back(case, w.handler_x, version=case.version, reason="属城建办职责")
    assert case.state == S.RETURNED


def test_a_co_agency_sends_its_view_or_drops_out(w):
    case = assigned(w)
    services.co_agency_view(case, w.co_handler, text="建议由镇里统一采购")
    with pytest.raises(ValidationError):
        services.co_agency_view(case, w.co_handler, text=" ")
    case = services.hand_back(fresh(case), w.co_handler, reason="不涉及县级")
    assert case.state == S.ASSIGNED  # the lead keeps it
    co = CaseAssignment.objects.unscoped().get(case=case, agency=w.county_agency)
    assert co.handed_back_at is not None and co.hand_back_reason == "不涉及县级"
    with pytest.raises(PermissionDenied):
        services.co_agency_view(case, w.co_handler, text="再补充")
    assert steps(case)[-2:] == ["co_view", "co_hand_back"]
    assert_recorded(case)


def test_not_satisfied_sends_the_case_back_with_its_own_month(w):
    case = assigned(w, co=False)
    services.answer(case, w.handler_x, **REPLY)
    later = timezone.localdate() + timedelta(days=10)
    with time_machine.travel(later):
        services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=OK, result=NOT_OK, comment="没解决")
    case = fresh(case)
    assert case.state == S.REHANDLING and case.rehandle_count == 1
    assert case.rehandle_started_on == later and case.answer_due_on == deadlines.rehandle_due(later)
    assert case.rating_due_on is None and case.answered_on is None
    reply = services.answer(case, w.handler_x, **{**REPLY, "done_items": "已全部更换"})
    assert reply.round == 1
    services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=OK, result=OK)
    case = fresh(case)
    assert case.state == S.RATED
    assert list(CaseRating.objects.unscoped().filter(case=case).values_list("round", "result")) == [
        (0, NOT_OK),
        (1, OK),
    ]
    services.close(case, w.staff_a)
    assert steps(case)[-6:] == ["rate", "rehandle", "answer", "rate", "rating_complete", "close"]
    assert_recorded(case)


def test_after_the_last_re_handling_the_case_is_closed_with_a_reason(w, settings):
    case = assigned(w, co=False)
    for round_ in range(settings.RENDA_CASE_MAX_REHANDLINGS + 1):
        services.answer(case, w.handler_x, **REPLY)
        services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=NOT_OK, result=NOT_OK)
        assert fresh(case).rehandle_count == min(round_ + 1, settings.RENDA_CASE_MAX_REHANDLINGS)
    case = fresh(case)
    assert case.state == S.RATED
    with pytest.raises(ValidationError):
        services.close(case, w.staff_a, version=case.version)
    case = services.close(case, w.staff_a, version=case.version, reason="已尽力，客观条件不具备")
    assert case.state == S.CLOSED
    assert steps(case).count("rehandle") == settings.RENDA_CASE_MAX_REHANDLINGS


def test_the_max_re_handlings_is_a_setting(w, settings):
    settings.RENDA_CASE_MAX_REHANDLINGS = 0
    case = assigned(w, co=False)
    services.answer(case, w.handler_x, **REPLY)
    services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=NOT_OK, result=NOT_OK)
    assert fresh(case).state == S.RATED


def test_staff_may_send_an_answer_back(w):
    case = assigned(w, co=False)
    services.answer(case, w.handler_x, **REPLY)
    case = services.rehandle(fresh(case), w.staff_a, reason="答复未回应诉求")
    assert case.state == S.REHANDLING and case.rehandle_count == 1


def test_ratings_not_given_in_the_window_are_recorded_as_no_opinion(w):
    case = assigned(w, case=suggestion(w, signers=[w.mandate_a, w.mandate_a2]), co=False)
    services.answer(case, w.handler_x, **REPLY)
    services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=OK, result=OK)
    due = fresh(case).rating_due_on
    assert services.lapse_ratings(due) == 0  # the last day of the window is still in it
    assert services.lapse_ratings(due + timedelta(days=1)) == 1
    case = fresh(case)
    assert case.state == S.RATED
    assert set(CaseRating.objects.unscoped().filter(case=case).values_list("mandate_id", "handling", "result")) == {
        (w.mandate_a.pk, OK, OK),
        (w.mandate_a2.pk, NO_OPINION, NO_OPINION),
    }
    assert steps(case)[-1] == "rating_lapsed"
    assert services.lapse_ratings(due + timedelta(days=2)) == 0
    assert_recorded(case)


def test_a_citizens_rating_lapses_too(w):
    case = assigned(w, case=opinion(w), co=False)
    services.answer(case, w.handler_x, **REPLY)
    services.lapse_ratings(fresh(case).rating_due_on + timedelta(days=1))
    assert CaseRating.objects.unscoped().get(case=case).mandate is None


def test_an_activity_finding_has_no_raters_and_completes_at_the_answer(w):
    case = suggestion(w, signers=[], source=CaseSource.ACTIVITY_FINDING, title="视察发现：河道淤塞")
    case = assigned(w, case=case, co=False)
    services.answer(case, w.handler_x, **REPLY)
    case = fresh(case)
    assert case.state == S.RATED and services.expected_raters(case) == set()
    services.close(case, w.staff_a)
    assert steps(case)[-3:] == ["answer", "rating_complete", "close"]
    assert_recorded(fresh(case))


def test_a_deputy_keeps_a_draft_and_submits_it(w):
    case = suggestion(w, actor=w.deputy_a, submit=False)
    assert case.state == S.DRAFT and case.assign_due_on is None and steps(case) == []
    with pytest.raises(PermissionDenied):
        services.submit(case, w.deputy_b, version=case.version)
    with time_machine.travel(timezone.localdate() + timedelta(days=3)):
        case = services.submit(case, w.deputy_a, version=case.version)
        today = timezone.localdate()
    assert case.state == S.SUBMITTED and case.received_on == today
    assert case.assign_due_on == deadlines.assign_due(today)
    assert CaseEvent.objects.unscoped().get(case=case).actor == w.deputy_a
    assert_recorded(case)


def test_a_session_suggestion_has_no_five_day_assignment_deadline(w):
    case = suggestion(w, source=CaseSource.SESSION_SUGGESTION)
    assert case.state == S.SUBMITTED and case.assign_due_on is None


def test_a_suggestion_needs_its_deputy_and_a_text(w):
    with pytest.raises(ValidationError) as refused:
        suggestion(w, signers=[], title="")
    assert set(refused.value.message_dict) == {"signers", "title"}


# ---- every illegal transition is refused, and changes nothing ---------------------------------


def in_state(w, state: str) -> Case:
    """A case in ``state`` (set directly) with everything any step needs: a signing deputy, a live
    lead and co assignment, a pending extension request and deadlines."""
    case = suggestion(w)
    today, now = timezone.localdate(), timezone.now()
    for agency, is_lead in ((w.agency_a, True), (w.county_agency, False)):
        CaseAssignment.objects.create(
            case=case,
            agency=agency,
            is_lead=is_lead,
            assigned_at=now,
            assigned_on=today,
            hand_back_until=today + timedelta(days=10),
        )
    CaseExtension.objects.create(
        case=case,
        agency=w.agency_a,
        requested_by=w.handler_x,
        requested_at=now,
        until=today + timedelta(days=100),
        reason="需要时间",
    )
    Case.objects.unscoped().filter(pk=case.pk).update(
        state=state,
        assigned_on=today,
        answer_due_on=today + timedelta(days=90),
        answered_on=today,
        rating_due_on=today + timedelta(days=28),
    )
    return fresh(case)


def internal(case: Case, step: Step):
    """Steps only the services themselves take (the rating round's end, the sweep, the calendar)."""
    with transaction.atomic():
        return workflow.move(workflow.lock(case), step, actor=None, actor_label="系统")


def attempt(w, case: Case, step: Step, other: Case):
    v = case.version
    calls = {
        Step.SUBMIT: lambda: services.submit(case, w.staff_a, version=v),
        Step.ACCEPT: lambda: services.accept(case, w.staff_a, version=v),
        Step.MERGE: lambda: services.merge(case, w.staff_a, version=v, into=other, reason="同一事项"),
        Step.REJECT: lambda: services.reject(case, w.staff_a, version=v, reason="不属于职权范围"),
        Step.HANDLE_ON_SPOT: lambda: services.handle_on_spot(case, w.staff_a, version=v, reply_text="已解释"),
        Step.ASSIGN: lambda: services.assign(case, w.staff_a, version=v, lead=w.agency_a),
        Step.AGENCY_ACCEPT: lambda: services.agency_accept(case, w.handler_x, version=v),
        Step.HAND_BACK: lambda: services.hand_back(case, w.handler_x, version=v, reason="不是本单位职责"),
        Step.CO_HAND_BACK: lambda: services.hand_back(case, w.co_handler, version=v, reason="不涉及"),
        Step.NOTE: lambda: services.add_note(case, w.handler_x, text="进展"),
        Step.CO_VIEW: lambda: services.co_agency_view(case, w.co_handler, text="意见"),
        Step.EXTENSION_REQUEST: lambda: services.request_extension(
            case, w.handler_x, until=case.answer_due_on + timedelta(days=5), reason="需要时间"
        ),
        Step.EXTENSION_DECISION: lambda: services.decide_extension(
            CaseExtension.objects.unscoped().get(case=case), w.staff_a, approve=True
        ),
        Step.ANSWER: lambda: services.answer(case, w.handler_x, version=v, **REPLY),
        Step.RATE: lambda: services.rate(case, w.deputy_a, mandate=w.mandate_a, handling=OK, result=OK),
        Step.RATING_COMPLETE: lambda: internal(case, Step.RATING_COMPLETE),
        Step.RATING_LAPSED: lambda: internal(case, Step.RATING_LAPSED),
        Step.REHANDLE: lambda: services.rehandle(case, w.staff_a, version=v, reason="答复不充分"),
        Step.CLOSE: lambda: services.close(case, w.staff_a, version=v, reason="办结"),
        Step.REMIND: lambda: services.remind(case, w.staff_a),
        Step.ESCALATE: lambda: internal(case, Step.ESCALATE),
        Step.TAG: lambda: services.tag(case, w.staff_a, is_key=True, key_leader="张县长", is_repeated=True),
        Step.ATTACH: lambda: services.add_attachment(case, w.staff_a, upload=SimpleUploadedFile("照片.png", PNG)),
        Step.DEADLINES_MOVED: lambda: internal(case, Step.DEADLINES_MOVED),
    }
    assert set(calls) == set(Step), "a new step needs its line here"
    return calls[step]()


def illegal_steps(state: str) -> list[Step]:
    return [step for step in Step if state not in workflow.TRANSITIONS[step].sources]


def counts(case: Case) -> tuple:
    return (
        CaseEvent.objects.unscoped().filter(case=case).count(),
        AuditEntry.objects.unscoped().count(),
        CaseNote.objects.unscoped().count(),
        CaseReply.objects.unscoped().count(),
        CaseRating.objects.unscoped().count(),
        CaseAssignment.objects.unscoped().filter(handed_back_at__isnull=True).count(),
        list(CaseExtension.objects.unscoped().filter(case=case).values_list("approved", flat=True)),
    )


@pytest.mark.parametrize("state", S.values)
def test_every_step_the_table_does_not_allow_is_refused_and_changes_nothing(w, state):
    case = in_state(w, state)
    other = suggestion(w, title="另一件")
    before = counts(case)
    refused = []
    for step in illegal_steps(state):
        with pytest.raises(IllegalTransition) as error:
            attempt(w, case, step, other)
        assert error.value.state == state and error.value.step == step
        after = fresh(case)
        assert (after.state, after.version) == (state, case.version), step
        assert counts(case) == before, step
        refused.append(step)
    assert refused, "every state refuses some step"


def test_the_table_has_no_step_out_of_a_finished_state_but_none_lost():
    finished = {S.MERGED, S.REJECTED, S.HANDLED_ON_SPOT, S.CLOSED}
    assert finished == workflow.FINISHED_STATES
    for state in finished:
        assert workflow.allowed_steps(state) == []
    # Every state can be reached and every open state can be left.
    targets = {t.target for t in workflow.TRANSITIONS.values() if t.target} | {S.DRAFT, S.SUBMITTED}
    assert targets == set(S.values)
    for state in workflow.OPEN_STATES:
        assert any(t.target and state in t.sources for t in workflow.TRANSITIONS.values()), state


def test_the_refusal_is_in_chinese(w):
    case = in_state(w, S.CLOSED)
    with pytest.raises(IllegalTransition) as refused:
        services.accept(case, w.staff_a)
    assert refused.value.message and not re.search("[A-Za-z]", refused.value.message)


# ---- permissions -------------------------------------------------------------------------------


def test_the_wrong_role_is_refused_at_every_step(w):
    submitted = suggestion(w)
    accepted = services.accept(suggestion(w), w.staff_a)
    working = assigned(w)
    answered = assigned(w, co=False)
    services.answer(answered, w.handler_x, **REPLY)
    answered = fresh(answered)
    extension = services.request_extension(
        working, w.handler_x, until=working.answer_due_on + timedelta(days=5), reason="需要时间"
    )
    working = fresh(working)
    refusals = [
        # staff steps: not for agencies, deputies, leaders nor another township's staff
        lambda: services.accept(submitted, w.handler_x),
        lambda: services.accept(submitted, w.staff_b),
        lambda: services.accept(submitted, w.leader),
        lambda: services.reject(submitted, w.deputy_a, reason="x"),
        lambda: services.merge(submitted, w.leader, into=accepted, reason="x"),
        lambda: services.assign(accepted, w.deputy_a, lead=w.agency_a),
        lambda: services.assign(accepted, w.leader, lead=w.agency_a),
        lambda: services.assign(accepted, w.handler_x, lead=w.agency_a),
        lambda: services.decide_extension(extension, w.handler_x, approve=True),
        lambda: services.decide_extension(extension, w.leader, approve=True),
        lambda: services.close(answered, w.leader),
        lambda: services.remind(working, w.leader),
        lambda: services.remind(working, w.handler_x),
        lambda: services.tag(working, w.leader, is_key=False, is_repeated=True),
        lambda: services.rehandle(answered, w.deputy_a, reason="x"),
        # the lead agency's steps: not for another agency, a co-agency, staff or leaders
        lambda: services.agency_accept(working, w.handler_y),
        lambda: services.agency_accept(working, w.co_handler),
        lambda: services.agency_accept(working, w.staff_a),
        lambda: services.answer(working, w.co_handler, **REPLY),
        lambda: services.answer(working, w.handler_y, **REPLY),
        lambda: services.answer(working, w.leader, **REPLY),
        lambda: services.request_extension(working, w.co_handler, until=working.answer_due_on, reason="x"),
        lambda: services.add_note(working, w.handler_y, text="x"),
        lambda: services.add_note(working, w.leader, text="x"),
        lambda: services.hand_back(working, w.handler_y, reason="x"),
        lambda: services.co_agency_view(working, w.handler_x, text="x"),
        # rating: the signing deputy only, for their own mandate
        lambda: services.rate(answered, w.deputy_b, mandate=w.mandate_b, handling=OK, result=OK),
        lambda: services.rate(answered, w.deputy_b, mandate=w.mandate_a, handling=OK, result=OK),
        lambda: services.rate(answered, w.deputy_a2, mandate=w.mandate_a, handling=OK, result=OK),
        lambda: services.rate(answered, w.leader, mandate=w.mandate_a, handling=OK, result=OK),
        lambda: services.rate(answered, w.leader, citizen=True, handling=OK, result=OK),
        lambda: services.rate(answered, w.handler_x, citizen=True, handling=OK, result=OK),
        lambda: services.rate(answered, w.leader, mandate=w.mandate_a, by_staff=True, handling=OK, result=OK),
        # drafts: the deputy who signed, or staff
        lambda: services.submit(suggestion(w, actor=w.deputy_a, submit=False), w.deputy_a2),
        lambda: services.submit(suggestion(w, actor=w.deputy_a, submit=False), w.leader),
    ]
    cases = [submitted, accepted, working, answered]
    before = [(fresh(c).state, fresh(c).version, steps(c)) for c in cases]
    audit_count = AuditEntry.objects.unscoped().count()
    for number, call in enumerate(refusals):
        with pytest.raises(PermissionDenied):
            call()
        assert [(fresh(c).state, fresh(c).version, steps(c)) for c in cases] == before, number
    # The drafts made inside the list are the only new entries.
    assert AuditEntry.objects.unscoped().count() == audit_count + 2


def test_staff_record_a_rating_given_on_paper(w):
    case = assigned(w, case=opinion(w), co=False)
    services.answer(case, w.handler_x, **REPLY)
    rating = services.rate(case, w.staff_a, citizen=True, by_staff=True, handling=OK, result=BASIC)
    assert rating.recorded_by_staff and rating.rated_by == w.staff_a
    assert fresh(case).state == S.RATED


def test_tags_follow_a_leader(w):
    case = suggestion(w)
    with pytest.raises(ValidationError):
        services.tag(case, w.staff_a, is_key=True, key_leader="", is_repeated=False)
    case = services.tag(case, w.staff_a, is_key=True, key_leader="张县长", is_repeated=True)
    assert (case.is_key, case.key_leader, case.is_repeated) == (True, "张县长", True)
    assert steps(case)[-1] == "tag"
