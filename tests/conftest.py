"""Personas shared by every test: two townships (A and B) of one county, one account per role,
and the outsider for each — staff_b is the outsider to everything of township A.

``world.rows`` adds, on first use, a row of every model that declares a scope on each side: side
"a" is township A, agency A, deputy A and the county; side "b" is township B, agency B, deputy B —
or the neighbouring county for the models that belong to a county only. Every visible text of side
b contains 乙, so a search for 乙 finds it wherever the scope fails. The crawl checks each row's text
and UUID against every page, API answer, export and search, for every role."""

from dataclasses import dataclass
from functools import cached_property

import pytest

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.deputies.models import Mandate, Person
from renda.organisations.models import Agency, County, DeputyGroup, Station, Township

from . import factories


@dataclass
class World:
    county: County
    other_county: County
    township_a: Township
    township_b: Township
    station_a: Station
    station_b: Station
    group_a: DeputyGroup
    group_b: DeputyGroup
    agency_a: Agency
    agency_b: Agency
    county_agency: Agency
    person_a: Person
    person_b: Person
    mandate_a: Mandate
    mandate_b: Mandate
    users: dict[str, User]

    @cached_property
    def rows(self) -> dict[str, dict[str, tuple]]:
        """{model label: {"a": (row, visible text or None), "b": (...)}}."""
        return add_every_scoped_row(self)

    def __getattr__(self, name):
        try:
            return self.__dict__["users"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def build_world() -> World:
    county = factories.CountyFactory(name="示范县", division_code="990101")
    other_county = factories.CountyFactory(name="邻县", division_code="990102")
    township_a = factories.TownshipFactory(county=county, name="甲镇")
    township_b = factories.TownshipFactory(county=county, name="乙镇")
    station_a = factories.StationFactory(township=township_a)
    station_b = factories.StationFactory(township=township_b, name="乙镇联络站")
    group_a = factories.DeputyGroupFactory(township=township_a, station=station_a)
    group_b = factories.DeputyGroupFactory(township=township_b, station=station_b, name="乙镇第一代表小组")
    agency_a = factories.AgencyFactory(township=township_a)
    agency_b = factories.AgencyFactory(township=township_b, name="乙镇农业服务中心")
    county_agency = factories.AgencyFactory(township=None, county=county)
    mandate_a = factories.MandateFactory(
        person__township=township_a, person__id_number="11010519491231002X", group=group_a, station=station_a
    )
    mandate_b = factories.MandateFactory(
        person__township=township_b, person__full_name="钱乙", group=group_b, station=station_b
    )
    make = factories.UserFactory
    users = {
        "county_admin": make(username="county_admin", role=Role.COUNTY_ADMIN, county=county),
        "other_county_admin": make(username="other_county_admin", role=Role.COUNTY_ADMIN, county=other_county),
        "leader": make(username="leader", role=Role.LEADER, county=county),
        "staff_a": make(username="staff_a", role=Role.TOWNSHIP_STAFF, township=township_a),
        "staff_b": make(username="staff_b", role=Role.TOWNSHIP_STAFF, township=township_b),
        "deputy_a": make(username="deputy_a", role=Role.DEPUTY, county=county),
        "deputy_b": make(username="deputy_b", role=Role.DEPUTY, county=county),
        "handler_x": make(username="handler_x", role=Role.AGENCY_HANDLER, agency=agency_a),
        "handler_y": make(username="handler_y", role=Role.AGENCY_HANDLER, agency=agency_b),
        "sysadmin": make(username="sysadmin", role=Role.SYSTEM_ADMIN),
        "secadmin": make(username="secadmin", role=Role.SECURITY_ADMIN),
        "auditadmin": make(username="auditadmin", role=Role.AUDIT_ADMIN),
    }
    mandate_a.person.user = users["deputy_a"]
    mandate_a.person.save()
    mandate_b.person.user = users["deputy_b"]
    mandate_b.person.save()
    return World(
        county=county,
        other_county=other_county,
        township_a=township_a,
        township_b=township_b,
        station_a=station_a,
        station_b=station_b,
        group_a=group_a,
        group_b=group_b,
        agency_a=agency_a,
        agency_b=agency_b,
        county_agency=county_agency,
        person_a=mandate_a.person,
        person_b=mandate_b.person,
        mandate_a=mandate_a,
        mandate_b=mandate_b,
        users=users,
    )


def add_every_scoped_row(world: World) -> dict[str, dict[str, tuple]]:
    """One row of every scoped model on side a and side b (see the module's docstring)."""
    from datetime import date

    from django.contrib.contenttypes.models import ContentType

    from renda.accounts import audit
    from renda.accounts.exports import export_approval_request
    from renda.accounts.models import SecurityNotice
    from renda.accounts.services import api_token_create
    from renda.deputies.models import (
        DeputySettings,
        DutyRecord,
        ImportJob,
        LiaisonAssignment,
        PointContest,
        PointEntry,
        PointRule,
        VoterContact,
    )

    place = {"a": "甲镇", "b": "乙镇"}
    counties = {"a": world.county, "b": world.other_county}
    rows: dict[str, dict[str, tuple]] = {}

    def add(label: str, side: str, row, text: str | None = None) -> None:
        rows.setdefault(label, {})[side] = (row, text)

    for side in ("a", "b"):
        township, mandate = getattr(world, f"township_{side}"), getattr(world, f"mandate_{side}")
        staff, county = getattr(world, f"staff_{side}"), counties[side]
        add("organisations.county", side, county, county.name)
        add("organisations.township", side, township, township.name)
        for name in ("station", "group", "agency"):
            unit = getattr(world, f"{name}_{side}")
            add(unit._meta.label_lower, side, unit, unit.name)
        add("organisations.term", side, mandate.term)
        add("deputies.person", side, mandate.person, mandate.person.full_name)
        add("deputies.mandate", side, mandate)
        event = mandate.events.get()
        event.document_number = f"{place[side]}选字第1号"
        event.save(update_fields=["document_number"])
        add("deputies.mandateevent", side, event, event.document_number)
        job = ImportJob.objects.create(
            township=township, term=mandate.term, level="township", filename=f"{place[side]}名册.xlsx", status="invalid"
        )
        add("deputies.importjob", side, job, job.filename)
        liaison = LiaisonAssignment.objects.create(
            township=township, leader_name=f"{place[side]}联系领导", mandate=mandate, since=date(2022, 1, 1)
        )
        add("deputies.liaisonassignment", side, liaison, liaison.leader_name)
        contact = VoterContact.objects.create(
            mandate=mandate, name=f"{place[side]}选民", village=f"{place[side]}选民村", since=date(2022, 1, 1)
        )
        add("deputies.votercontact", side, contact, contact.name)
        duty = DutyRecord.objects.create(
            mandate=mandate, kind="training", title=f"{place[side]}履职培训", date=date(2022, 3, 1), evidence="培训通知"
        )
        add("deputies.dutyrecord", side, duty, duty.title)
        # Rules and settings belong to a county: side b is the neighbouring county's.
        rule = PointRule.objects.create(county=county, kind="deputies.voter_contact", amount=1)
        add("deputies.pointrule", side, rule)
        add("deputies.deputysettings", side, DeputySettings.objects.create(county=county))
        source = {"source_type": ContentType.objects.get_for_model(mandate), "source_uuid": mandate.uuid}
        entry = PointEntry.objects.create(
            county=township.county,
            township=township,
            mandate=mandate,
            kind="deputies.yearly_base",
            date=date(2024, 1, 1),
            year=2024,
            quarter=1,
            title=f"{place[side]}基础分",
            rule_points=60,
            points=60,
            **source,
        )
        add("deputies.pointentry", side, entry, entry.title)
        contest = PointContest.objects.create(
            mandate=mandate,
            kind="deputies.yearly_base",
            title=f"{place[side]}积分异议",
            contested_points=60,
            reason="理由",
            **source,
        )
        add("deputies.pointcontest", side, contest, contest.title)
        add("accounts.user", side, staff, staff.username)
        token = api_token_create(user=staff, name=f"{place[side]}令牌", actor=staff)[0]
        add("accounts.apitoken", side, token, token.name)
        entry = audit.record("test.sample", actor=staff, target_label=f"{place[side]}审计样本")
        add("accounts.auditentry", side, entry, entry.target_label)
        notice = SecurityNotice.objects.create(kind="other", subject=f"{place[side]}安全通知")
        add("accounts.securitynotice", side, notice, notice.subject)
        approval = export_approval_request(actor=staff, kind=f"{place[side]}导出", row_count=9999, reason="样本")
        add("accounts.exportapproval", side, approval, approval.kind)
        add_case_rows(world, side, place[side], counties[side], add)
        add_reception_rows(world, side, place[side], add)
    add_digest_rows(world, rows, add)
    for side in ("a", "b"):
        add_meeting_rows(world, side, place[side], rows, add)
        add_activity_rows(world, side, place[side], rows, add)
        add_publicity_rows(world, side, place[side], rows, add)
    add_assessment_rows(world, add)
    return rows


def add_case_rows(world: World, side: str, place: str, county: County, add) -> None:
    """A case walked through the workflow by side ``side``'s staff, agency and deputy: every
    casework row on that side, with a visible text that must never reach the other side."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from renda.casework import services as cases
    from renda.casework.models import CaseAttachment, CaseCategory, CaseSource

    staff, deputy = getattr(world, f"staff_{side}"), getattr(world, f"deputy_{side}")
    handler = world.handler_x if side == "a" else world.handler_y
    township, mandate = getattr(world, f"township_{side}"), getattr(world, f"mandate_{side}")
    # Side b's category is the neighbouring county's: its name names no township of this county.
    category = CaseCategory.objects.create(county=county, name=f"{place[0]}类别")
    add("casework.casecategory", side, category, category.name)
    case = cases.file_case(
        staff,
        township=township,
        source=CaseSource.RECESS_SUGGESTION,
        title=f"{place}路灯损坏建议",
        content=f"{place}主街路灯损坏多处，夜间出行不便。",
        signers=[mandate],
    )
    add("casework.case", side, case, case.title)
    add("casework.casesigner", side, case.signers.get())
    case = cases.accept(case, staff)
    case = cases.assign(case, staff, lead=getattr(world, f"agency_{side}"))
    add("casework.caseassignment", side, case.assignments.get())
    case = cases.agency_accept(case, handler)
    note = cases.add_note(case, handler, text=f"{place}已安排维修队勘查")
    add("casework.casenote", side, note, note.text)
    extension = cases.request_extension(
        case, handler, until=case.answer_due_on + timedelta(days=20), reason=f"{place}需采购灯具"
    )
    add("casework.caseextension", side, extension, extension.reason)
    reminder = cases.remind(case, staff)
    add("casework.casereminder", side, reminder)
    attachment = CaseAttachment(
        case=case, name=f"{place}现场照片.png", content_type="image/png", size=8, uploaded_at=timezone.now()
    )
    attachment.file.save("sample", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    attachment.save()
    add("casework.caseattachment", side, attachment, attachment.name)
    reply = cases.answer(
        case,
        handler,
        reply_class="A",
        done_items=f"{place}已更换路灯十二盏",
        consultation="meeting",
        signer="负责人",
    )
    add("casework.casereply", side, reply, reply.done_items)
    rating = cases.rate(case, deputy, mandate=mandate, handling="satisfied", result="satisfied", comment=f"{place}满意")
    add("casework.caserating", side, rating, rating.comment)
    add("casework.caseevent", side, case.events.last())


def add_reception_rows(world: World, side: str, place: str, add) -> None:
    """A station's reception schedule and a day held last week with the side's deputy on duty, whose
    record entered a citizen's opinion (a case with a tracking code, for the public status page)."""
    from datetime import timedelta

    from django.utils import timezone

    from renda.casework import reception

    staff, mandate = getattr(world, f"staff_{side}"), getattr(world, f"mandate_{side}")
    station = getattr(world, f"station_{side}")
    today = timezone.localdate()
    schedule = reception.schedule_save(
        station=station,
        actor=staff,
        recurrence="monthly",
        days=[9, 19],
        place=f"{place}接待室",
        active_from=today - timedelta(days=60),
    )
    add("casework.receptionschedule", side, schedule, schedule.place)
    day = reception.day_save(
        station=station, actor=staff, date=today - timedelta(days=7), place=f"{place}接待室", deputies=[mandate]
    )
    day = reception.record_day(day=day, actor=staff, summary=f"{place}接待选民记录", visitors=6)
    add("casework.receptionday", side, day, day.summary)
    reception.file_opinions(
        day=day,
        actor=staff,
        rows=[reception.OpinionRow(title=f"{place}垃圾清运意见", content="垃圾清运不及时。", citizen_name="群众")],
    )


def add_meeting_rows(world: World, side: str, place: str, rows, add) -> None:
    """A session of the side's township congress held on 15 June 2026 (a fixed day inside the world's
    term, so the rows do not depend on today's date) by its staff: notice, agenda with a
    document, the side's deputy signed in (the quorum of a one-deputy roster) with half a day of
    leave, an observer, a motion (one signer is enough here), a vote corrected once, and the
    resolution it adopted with a responsible unit and an implementation report. The session's
    suggestion is the side's sample case."""
    from datetime import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings
    from django.utils import timezone

    from renda.meetings import services as meetings
    from renda.meetings.models import SessionSuggestion

    staff, mandate = getattr(world, f"staff_{side}"), getattr(world, f"mandate_{side}")
    township, agency = getattr(world, f"township_{side}"), getattr(world, f"agency_{side}")
    held = datetime(2026, 6, 15, 9, 0, tzinfo=timezone.get_current_timezone())
    session = meetings.plan_meeting(
        staff,
        township=township,
        kind="session",
        starts_at=held,
        ends_on=held.date(),
        venue=f"{place}会议中心",
    )
    add("meetings.meeting", side, session, session.venue)
    session = meetings.send_notice(session, staff, expected_version=session.version, text=f"{place}会议通知")
    item = meetings.add_agenda_item(session, staff, kind="government_report", title=f"{place}政府工作报告")
    add("meetings.agendaitem", side, item, item.title)
    upload = SimpleUploadedFile(f"{place}报告.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    document = meetings.add_agenda_document(item, staff, upload=upload)
    add("meetings.agendadocument", side, document, document.name)
    attendance = meetings.sign_in(session, staff, attendance=session.attendances.get(mandate=mandate))
    add("meetings.attendance", side, attendance)
    leave = meetings.request_leave(
        attendance, staff, first_day=session.date, first_half="pm", half_days=1, reason=f"{place}下午请假"
    )
    add("meetings.leaverequest", side, leave, leave.reason)
    observer = meetings.add_observer(session, staff, name=f"{place}列席人员", position="政府办")
    add("meetings.observer", side, observer, observer.name)
    with override_settings(RENDA_MOTION_MIN_SIGNERS=1):
        motion = meetings.submit_motion(
            session, staff, title=f"{place}修建文化广场议案", content="建议修建文化广场。", lead=mandate, signers=[]
        )
    add("meetings.motion", side, motion, motion.title)
    add("meetings.motionsigner", side, motion.signers.get())
    session = meetings.open_meeting(session, staff, expected_version=session.version)
    vote = meetings.record_vote(
        session,
        staff,
        kind="resolution",
        title=f"{place}关于政府工作报告的决议",
        method="hands",
        votes_for=0,
        votes_against=0,
        abstentions=1,
        item=item,
    )
    add("meetings.vote", side, vote, vote.title)
    correction = meetings.correct_vote(
        vote, staff, votes_for=1, votes_against=0, abstentions=0, reason=f"{place}计票更正"
    )
    add("meetings.votecorrection", side, correction, correction.reason)
    resolution = meetings.adopt_resolution(
        session,
        staff,
        kind="resolution",
        title=vote.title,
        text=f"{place}决议全文",
        units=[agency],
        vote=correction.vote,
    )
    add("meetings.resolution", side, resolution, resolution.text)
    add("meetings.resolutionunit", side, resolution.units.get())
    report = meetings.report_implementation(resolution, staff, text=f"{place}落实情况报告", agency=agency)
    add("meetings.implementationreport", side, report, report.text)
    suggestion = SessionSuggestion.objects.create(meeting=session, case=rows["casework.case"][side][0])
    add("meetings.sessionsuggestion", side, suggestion)


def add_digest_rows(world: World, rows, add) -> None:
    """The reports area's rows: the sample reminders get letter numbers; an issued digest of the
    county holds an item on each side's case (the item belongs to its case's township) with a
    leader's instruction; side b's digest and correction are the neighbouring county's."""
    from datetime import timedelta

    from django.utils import timezone

    from renda.casework import digest as digests
    from renda.casework.documents import reminder_prefix
    from renda.casework.models import Digest, DigestCorrection
    from renda.documents.word import format_document_number

    today = timezone.localdate()
    for side in ("a", "b"):
        reminder = rows["casework.casereminder"][side][0]
        reminder.document_number = format_document_number(
            prefix=reminder_prefix(reminder.case), year=today.year, sequence=1
        )
        reminder.save(update_fields=["document_number"])
    start = today - timedelta(days=40)
    digest = digests.create_digest(world.county, world.county_admin, period_start=start, period_end=today)
    items = {}
    for side, place in (("a", "甲镇"), ("b", "乙镇")):
        case = rows["casework.case"][side][0]
        items[side] = digests.add_item(digest, world.county_admin, case=case, summary=f"{place}摘要：{case.title}")
        add("casework.digestitem", side, items[side], items[side].summary)
    digests.issue(digest, world.county_admin)
    for side, place in (("a", "甲镇"), ("b", "乙镇")):
        feedback = digests.record_feedback(
            items[side], world.county_admin, leader_name=f"{place}批示领导", given_on=today, text=f"{place}请抓紧落实"
        )
        add("casework.digestfeedback", side, feedback, feedback.text)
    correction = digests.correct_item(
        items["a"], world.county_admin, summary=items["a"].summary, heading=items["a"].heading, reason="甲镇更正"
    )
    add("casework.digest", "a", digest, None)
    add("casework.digestcorrection", "a", correction, correction.reason)
    other = Digest.objects.create(
        county=world.other_county, year=today.year, number=1, period_start=start, period_end=today, title="乙县代表之声"
    )
    add("casework.digest", "b", other, other.title)
    other_correction = DigestCorrection.objects.create(
        digest=other, field="summary", reason="乙县更正", corrected_at=timezone.now()
    )
    add("casework.digestcorrection", "b", other_correction, other_correction.reason)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs the test client in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    # Hashing a dozen persona passwords with PBKDF2 per test would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _second_factor_only_where_tested(request, settings):
    """The second factor (S7) is on by default in the app; tests that log in with force_login are
    not about it, so it is off unless a test is marked ``@pytest.mark.two_factor``. Counters in the
    cache (rate limits, burst alerts) start empty in every test."""
    from django.core.cache import cache

    if request.node.get_closest_marker("two_factor") is None:
        settings.RENDA_REQUIRE_2FA = False
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _audit_log_flushable():
    """The audit table refuses DELETE at the database level (S17); a test flush (transactional
    tests, the browser tests) goes through the one privileged purge path instead."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from renda.accounts.audit import privileged_purge

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with privileged_purge():
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """Every test starts without calendar days cached from another test's rolled-back rows."""
    from renda.core.workdays import forget_cached_days

    forget_cached_days()


def add_activity_rows(world: World, side: str, place: str, rows, add) -> None:
    """Activities and supervision on the side's township, on fixed days inside the world's term: an
    inspection with the side's deputy present, a photo and a finding that became the side's sample
    case; the year's plans; a library document; a report to voters; an evaluation of the side's
    agency with a closed ballot (one paper vote), a rectification item and its progress report; a
    notice to the side's deputy. Side b's activity type is the neighbouring county's."""
    from datetime import date, datetime

    from django.utils import timezone

    from renda.activities import models as act
    from renda.notices.models import Notice, Recipient

    staff, mandate = getattr(world, f"staff_{side}"), getattr(world, f"mandate_{side}")
    township, agency = getattr(world, f"township_{side}"), getattr(world, f"agency_{side}")
    county = world.county if side == "a" else world.other_county
    tz = timezone.get_current_timezone()
    # Side b's type is the neighbouring county's, whose administrator lists it: its name has 乙 (the
    # crawl's search) but not the name of township B, which is outside that administrator's county.
    type_name = f"{place}专题视察" if side == "a" else "邻县乙类专题视察"
    kind = act.ActivityType.objects.create(county=county, name=type_name, category="inspection", order=99)
    add("activities.activitytype", side, kind, kind.name)
    plan = act.WorkPlan.objects.create(
        township=township, year=2026, kind="activity", title=f"{place}2026年代表活动计划", created_by=staff
    )
    add("activities.workplan", side, plan, plan.title)
    item = act.PlanItem.objects.create(plan=plan, title=f"{place}视察农村公路", category="inspection")
    add("activities.planitem", side, item, item.title)
    activity = act.Activity.objects.create(
        county=township.county,
        township=township,
        type=act.ActivityType.objects.get(county=township.county, category="inspection", name="视察"),
        category="inspection",
        title=f"{place}视察农村公路建设",
        plan_item=item,
        starts_at=datetime(2026, 6, 20, 9, 0, tzinfo=tz),
        ends_at=datetime(2026, 6, 20, 12, 0, tzinfo=tz),
        place=f"{place}公路段",
        organiser=f"{place}人大主席团",
        state="held",
        signin_token=f"token-{side}",
        minutes=f"{place}视察纪要",
        created_by=staff,
    )
    add("activities.activity", side, activity, activity.title)
    participant = act.Participant.objects.create(
        activity=activity, mandate=mandate, status="present", signin_method="staff", signed_in_by=staff
    )
    add("activities.participant", side, participant)
    photo = act.ActivityPhoto.objects.create(
        activity=activity, file=f"activities/2026/{side}.png", name=f"{place}现场.png", caption=f"{place}视察现场"
    )
    add("activities.activityphoto", side, photo, photo.caption)
    finding = act.Finding.objects.create(
        activity=activity, text=f"{place}公路破损严重", raised_by=mandate, case=rows["casework.case"][side][0]
    )
    add("activities.finding", side, finding, finding.text)
    document = act.LibraryDocument.objects.create(
        county=township.county, township=township, category="work_rule", title=f"{place}代表视察制度"
    )
    add("activities.librarydocument", side, document, document.title)
    report = act.VoterReport.objects.create(
        township=township,
        mandate=mandate,
        scheduled_on=date(2026, 7, 1),
        place=f"{place}村委会",
        state="held",
        held_on=date(2026, 7, 1),
        voters_present=30,
        satisfied=25,
        basically_satisfied=4,
        dissatisfied=1,
        summary=f"{place}述职情况",
    )
    add("activities.voterreport", side, report, report.summary)
    evaluation = act.Evaluation.objects.create(
        township=township, year=2026, title=f"{place}2026年代表评议", state="rectification", created_by=staff
    )
    add("activities.evaluation", side, evaluation, evaluation.title)
    unit = act.EvaluationUnit.objects.create(
        evaluation=evaluation, agency=agency, survey_findings=f"{place}调查发现", demands=f"{place}整改要求"
    )
    add("activities.evaluationunit", side, unit, unit.survey_findings)
    ballot = act.BallotRound.objects.create(
        evaluation=evaluation,
        number=1,
        kind="initial",
        state="closed",
        electorate=1,
        opened_at=datetime(2026, 7, 10, 9, 0, tzinfo=tz),
        closed_at=datetime(2026, 7, 10, 11, 0, tzinfo=tz),
    )
    ballot.units.add(unit)
    add("activities.ballotround", side, ballot)
    tally = act.BallotTally.objects.create(round=ballot, unit=unit, choice="dissatisfied", count=1)
    add("activities.ballottally", side, tally)
    receipt = act.BallotReceipt.objects.create(round=ballot, mandate=mandate, method="paper")
    add("activities.ballotreceipt", side, receipt)
    rectification = act.RectificationItem.objects.create(
        unit=unit, demand=f"{place}整改事项", deadline=date(2026, 10, 9), created_by=staff
    )
    add("activities.rectificationitem", side, rectification, rectification.demand)
    progress = act.RectificationReport.objects.create(item=rectification, text=f"{place}整改进展", reported_by=staff)
    add("activities.rectificationreport", side, progress, progress.text)
    notice = Notice.objects.create(
        county=township.county,
        township=township,
        kind="activity",
        title=f"{place}视察通知",
        body=f"{place}通知正文",
        posted_by=staff,
        posted_at=datetime(2026, 6, 15, 9, 0, tzinfo=tz),
    )
    add("notices.notice", side, notice, notice.title)
    recipient = Recipient.objects.create(notice=notice, user=getattr(world, f"deputy_{side}"))
    add("notices.recipient", side, recipient)


def add_assessment_rows(world: World, add) -> None:
    """The assessment: side a's scheme (sections, indicators) is the county's, side b's the
    neighbouring county's; points entered, adjustments, published results and year documents belong
    to township A and township B of the county."""
    from decimal import Decimal

    from renda.assessment.models import (
        Adjustment,
        EnteredScore,
        Indicator,
        Result,
        Scheme,
        Section,
        YearDocument,
    )

    indicators = {}
    for side, county, place in (("a", world.county, "甲县"), ("b", world.other_county, "乙县")):
        scheme = Scheme.objects.create(county=county, year=2026, title=f"{place}2026年度考核")
        add("assessment.scheme", side, scheme, scheme.title)
        section = Section.objects.create(scheme=scheme, name=f"{place}实地检查类")
        add("assessment.section", side, section, section.name)
        indicators[side] = Indicator.objects.create(
            section=section, name=f"{place}阵地建设", max_score=Decimal(10), kind="entered"
        )
        add("assessment.indicator", side, indicators[side], indicators[side].name)
    for side, township, place in (("a", world.township_a, "甲镇"), ("b", world.township_b, "乙镇")):
        entered = EnteredScore.objects.create(
            indicator=indicators["a"], township=township, points=Decimal(8), evidence=f"{place}台账检查记录"
        )
        add("assessment.enteredscore", side, entered, entered.evidence)
        adjustment = Adjustment.objects.create(
            indicator=indicators["a"], township=township, points=Decimal(-1), reason=f"{place}扣分理由"
        )
        add("assessment.adjustment", side, adjustment, adjustment.reason)
        result = Result.objects.create(
            scheme=indicators["a"].section.scheme,
            township=township,
            total=Decimal(7),
            bonus=0,
            grade="criticised",
            rank=1,
        )
        add("assessment.result", side, result, None)
        document = YearDocument.objects.create(
            county=world.county,
            township=township,
            year=2026,
            kind="summary",
            title=f"{place}2026年工作总结",
            text="总结",
        )
        add("assessment.yeardocument", side, document, document.title)
def add_publicity_rows(world: World, side: str, place: str, rows, add) -> None:
    """Publicity on the side's township: a work news item on the county's public page, with a photo
    (the public page and its photo answer without login), and a confirmed article with a scan."""
    from datetime import date, datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from renda.publicity.models import Article, NewsItem

    staff, township = getattr(world, f"staff_{side}"), getattr(world, f"township_{side}")
    tz = timezone.get_current_timezone()
    item = NewsItem(
        county=township.county,
        township=township,
        kind="work_news",
        title=f"{place}人大开展代表接待日活动",
        body=f"{place}代表接待选民。",
        state="public",
        submitted_at=datetime(2026, 6, 1, 9, 0, tzinfo=tz),
        published_at=datetime(2026, 6, 2, 9, 0, tzinfo=tz),
        created_by=staff,
    )
    item.photo.save(f"{side}.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    item.save()
    add("publicity.newsitem", side, item, item.title)
    article = Article(
        county=township.county,
        township=township,
        title=f"{place}代表视察稿件",
        medium=f"{place}新闻网",
        level="city",
        published_on=date(2026, 6, 5),
        state="confirmed",
        scan_name=f"{place}版面.pdf",
        news_item=item,
        created_by=staff,
    )
    article.scan.save(f"{side}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    article.save()
    add("publicity.article", side, article, article.title)
