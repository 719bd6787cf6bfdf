"""Meetings (domain.md §6): congress sessions (人民代表大会会议), presidium meetings (主席团会议) and
county-level meetings a township attends; their agenda, motions (议案), attendance and leave, votes,
and the resolutions and decisions (决议、决定) followed until they are carried out.

Every change goes through ``services``; the legal rules (quorum, the all-deputies majority, the
motion's co-signers, the notice period) are in ``rules`` and read their figures from settings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel, Via

MEETING_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})

# A meeting's rows (agenda, attendance, votes…) are where their meeting is.
MEETING_PART_SCOPE = Scope(county="meeting__county", township="meeting__township", editors=MEETING_EDITORS)


class MeetingKind(models.TextChoices):
    SESSION = "session", _("Congress session")
    PRESIDIUM = "presidium", _("Presidium meeting")
    COUNTY = "county", _("County-level meeting")


# The township congress's own meetings, numbered within the term.
CONGRESS_KINDS = frozenset({MeetingKind.SESSION, MeetingKind.PRESIDIUM})


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Being prepared")
    NOTIFIED = "notified", _("Notice sent")
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class ExtraBasis(models.TextChoices):
    """Who asked for an extra session (临时会议)."""

    PRESIDIUM = "presidium", _("The presidium deemed it necessary")
    DEPUTIES = "deputies", _("One fifth of the deputies asked for it")


class Meeting(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """One meeting: a session of a township congress, a meeting of its presidium, or a county-level
    meeting the township's staff or deputies attend (e.g. the county standing committee's).

    Sessions and presidium meetings belong to a term and are numbered within it; their official
    name ("××镇第十一届人民代表大会第四次会议") is derived, never typed."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="meetings"
    )
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="meetings"
    )
    term = models.ForeignKey(
        "organisations.Term",
        verbose_name=_("term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(_("number within the term"), null=True, blank=True)
    title = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_("Only for county-level meetings; others are named by the rules."),
    )
    extra_basis = models.CharField(
        _("extra session"),
        max_length=20,
        choices=ExtraBasis.choices,
        blank=True,
        help_text=_("Empty for a regular session."),
    )
    extra_requesters = models.ManyToManyField(
        "deputies.Mandate", verbose_name=_("deputies asking for the extra session"), blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED)
    notice_text = models.TextField(_("notice"), blank=True, max_length=5000)
    notice_sent_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    motion_deadline = models.DateTimeField(
        _("deadline for motions"), null=True, blank=True, help_text=_("Motions are accepted until this time.")
    )
    # The secret in the sign-in QR code; a new one is drawn when staff withdraw a leaked code.
    signin_token = models.CharField(max_length=64, unique=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, max_length=50000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="county",
        township="township",
        # A deputy sees the meetings they are expected at (the notice, sign-in, leave).
        owner="attendances__mandate__person__user",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["township", "kind", "starts_at"], name="meeting_township_kind_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind", "number"],
                condition=Q(number__isnull=False),
                name="meeting_unique_number_in_term",
                violation_error_message=_("A meeting of this kind has this number in the term already."),
            ),
            models.CheckConstraint(
                condition=Q(kind="county") | (Q(term__isnull=False) & Q(number__isnull=False)),
                name="meeting_congress_numbered",
            ),
            models.CheckConstraint(condition=Q(extra_basis="") | Q(kind="session"), name="meeting_extra_is_session"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.township_id

    @property
    def name(self) -> str:
        """The official name: "甲镇第十二届人民代表大会第四次会议", "…主席团第二次会议"; a county-level
        meeting keeps its title."""
        if self.kind == MeetingKind.COUNTY or self.term is None or self.number is None:
            return self.title
        from renda.documents.word import chinese_number

        body = _("%(township)s, congress of term %(term)s") % {
            "township": self.township.name,
            "term": chinese_number(self.term.number),
        }
        if self.kind == MeetingKind.PRESIDIUM:
            return str(
                _("%(body)s, presidium meeting %(number)s") % {"body": body, "number": chinese_number(self.number)}
            )
        return str(_("%(body)s, session %(number)s") % {"body": body, "number": chinese_number(self.number)})

    @property
    def is_session(self) -> bool:
        return self.kind == MeetingKind.SESSION

    @property
    def is_extra(self) -> bool:
        return bool(self.extra_basis)

    @property
    def date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()


class AgendaKind(models.TextChoices):
    PRESIDIUM_REPORT = "presidium_report", _("Presidium's work report")
    GOVERNMENT_REPORT = "government_report", _("Government work report")
    BUDGET_REPORT = "budget_report", _("Budget and its execution")
    SPECIAL_REPORT = "special_report", _("Special work report")
    ELECTION = "election", _("Election")
    BY_ELECTION = "by_election", _("By-election")
    RESOLUTION = "resolution", _("Resolution")
    DECISION = "decision", _("Decision")
    MOTION = "motion", _("Motion")
    PLAN = "plan", _("Plan for approval")
    OTHER = "other", _("Other item")


# Items that end in a vote (the presidium's plans are voted too, by its members).
VOTED_KINDS = frozenset(
    {AgendaKind.ELECTION, AgendaKind.BY_ELECTION, AgendaKind.RESOLUTION, AgendaKind.DECISION, AgendaKind.MOTION}
)


class AgendaItem(ScopedModel, UUIDModel, TimeStampedModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind of item"), max_length=20, choices=AgendaKind.choices)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presented by"), max_length=80, blank=True)
    motion = models.OneToOneField(
        "Motion",
        verbose_name=_("motion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_item",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)

    scope = Scope(
        county="meeting__county",
        township="meeting__township",
        owner="meeting__attendances__mandate__person__user",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.meeting.audit_place()


class AgendaDocument(ScopedModel, UUIDModel, TimeStampedModel):
    """A document for an agenda item (the report, the draft resolution…), read by the deputies."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="documents"
    )
    name = models.CharField(_("file name"), max_length=120)
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="item__meeting__county",
        township="item__meeting__township",
        owner="item__meeting__attendances__mandate__person__user",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("agenda document")
        verbose_name_plural = _("agenda documents")
        ordering = ["item", "created_at"]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.item.meeting.audit_place()


class MotionState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the presidium's decision")
    PLACED = "placed", _("Placed on the agenda")
    NOT_PLACED = "not_placed", _("Not placed on the agenda")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Motion(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """A motion (议案) to a session, signed jointly by deputies of that congress; the presidium puts
    it on the agenda or not, with a reason. One not placed may be handled as a suggestion (a case)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("session"), on_delete=models.PROTECT, related_name="motions")
    number = models.PositiveSmallIntegerField(_("motion number"))
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), max_length=10000)
    state = models.CharField(_("state"), max_length=20, choices=MotionState.choices, default=MotionState.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.OneToOneField(
        "casework.Case",
        verbose_name=_("handled as a suggestion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_motion",
    )

    scope = Scope(
        county="meeting__county",
        township="meeting__township",
        owner="signers__mandate__person__user",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="motion_unique_number",
                violation_error_message=_("The session has a motion of this number already."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.meeting.audit_place()


class MotionSigner(ScopedModel, UUIDModel, TimeStampedModel):
    motion = models.ForeignKey(Motion, verbose_name=_("motion"), on_delete=models.CASCADE, related_name="signers")
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="motion_signatures"
    )
    is_lead = models.BooleanField(_("lead signer"), default=False)

    scope = Scope(
        county="motion__meeting__county",
        township="motion__meeting__township",
        owner="motion__signers__mandate__person__user",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("motion signer")
        verbose_name_plural = _("motion signers")
        ordering = ["motion", "-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["motion", "mandate"], name="motion_signer_once")]

    def __str__(self) -> str:
        return str(self.mandate.person)

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.motion.meeting.audit_place()


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class SigninMethod(models.TextChoices):
    QR = "qr", _("By QR code")
    STAFF = "staff", _("By staff")


class Attendance(ScopedModel, UUIDModel, TimeStampedModel):
    """A deputy expected at a meeting: for a session every deputy of the congress serving on its
    date (from the roster), for a presidium meeting its members as staff chose them.

    Status moves expected → present (sign-in) or leave (approved leave covering the whole meeting);
    the expected who never signed in are marked absent when the meeting closes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.EXPECTED
    )
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signin_method = models.CharField(_("signed in"), max_length=10, choices=SigninMethod.choices, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Half-days of approved leave (a deputy may miss one half-day and sign in for the rest).
    leave_half_days = models.PositiveSmallIntegerField(_("half-days of leave"), default=0)

    scope = Scope(
        county="meeting__county", township="meeting__township", owner="mandate__person__user", editors=MEETING_EDITORS
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "mandate__person__name_stroke_key", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "mandate"], name="attendance_once_per_meeting")]
        indexes = [models.Index(fields=["meeting", "status"], name="attendance_meeting_status")]

    def __str__(self) -> str:
        return f"{self.mandate.person} · {self.get_status_display()}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.meeting.audit_place()


class HalfDay(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class LeaveState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LeaveRequest(ScopedModel, UUIDModel, TimeStampedModel):
    """A deputy's request for leave (请假) from a meeting, counted in half-days."""

    attendance = models.ForeignKey(
        Attendance, verbose_name=_("attendance"), on_delete=models.CASCADE, related_name="leave_requests"
    )
    first_day = models.DateField(_("from"))
    first_half = models.CharField(_("from the"), max_length=2, choices=HalfDay.choices, default=HalfDay.MORNING)
    half_days = models.PositiveSmallIntegerField(_("half-days"))
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=LeaveState.choices, default=LeaveState.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=300, blank=True)

    scope = Scope(
        county="attendance__meeting__county",
        township="attendance__meeting__township",
        owner="attendance__mandate__person__user",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["attendance", "-created_at"]
        constraints = [models.CheckConstraint(condition=Q(half_days__gte=1), name="leave_at_least_half_a_day")]

    def __str__(self) -> str:
        return f"{self.attendance.mandate.person} · {self.half_days}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.attendance.meeting.audit_place()


class Observer(ScopedModel, UUIDModel, TimeStampedModel):
    """Someone attending without a vote (列席): a government leader, a county deputy, a citizen."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="observers")
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("workplace and position"), max_length=120, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)

    scope = MEETING_PART_SCOPE

    class Meta:
        verbose_name = _("observer")
        verbose_name_plural = _("observers")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.meeting.audit_place()


class VoteKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    DECISION = "decision", _("Decision")
    ELECTION = "election", _("Election")
    BY_ELECTION = "by_election", _("By-election of a deputy")
    OTHER = "other", _("Other matter")


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "hands", _("Show of hands")
    BALLOT = "ballot", _("Secret ballot")
    ELECTRONIC = "electronic", _("Electronic voting")


class Vote(ScopedModel, UUIDModel, TimeStampedModel):
    """One item voted on (a resolution, a decision, one candidate of an election) with its tally.

    ``deputies_total`` and ``present`` are the figures when the vote was taken; ``passed`` is
    computed from them by the rule (a majority of all deputies), never entered. The tally changes
    only by a ``VoteCorrection``, which keeps the figures before and the reason."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="votes")
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="votes",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind of vote"), max_length=20, choices=VoteKind.choices)
    title = models.CharField(_("matter voted on"), max_length=200)
    method = models.CharField(_("voting method"), max_length=20, choices=VoteMethod.choices)
    # Elections: the candidate; a by-election that passes starts the candidate's mandate.
    candidate = models.ForeignKey(
        "deputies.Person",
        verbose_name=_("candidate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    constituency = models.CharField(_("constituency or electing unit"), max_length=80, blank=True)
    mandate = models.OneToOneField(
        "deputies.Mandate",
        verbose_name=_("mandate started"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="by_election_vote",
    )
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"))
    abstentions = models.PositiveSmallIntegerField(_("abstentions"))
    deputies_total = models.PositiveSmallIntegerField(_("all deputies"))
    present = models.PositiveSmallIntegerField(_("deputies present"))
    passed = models.BooleanField(_("passed"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = MEETING_PART_SCOPE

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=models.F("deputies_total")), name="vote_present_within_total"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.meeting.audit_place()

    @property
    def ballots_cast(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def not_voting(self) -> int:
        return self.present - self.ballots_cast


class VoteCorrection(ScopedModel, UUIDModel, TimeStampedModel):
    """A recorded correction of a vote's tally: the figures before and after, why, and who."""

    vote = models.ForeignKey(Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="corrections")
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(county="vote__meeting__county", township="vote__meeting__township", editors=MEETING_EDITORS)

    class Meta:
        verbose_name = _("vote correction")
        verbose_name_plural = _("vote corrections")
        ordering = ["vote", "created_at"]

    def __str__(self) -> str:
        return self.reason

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.vote.meeting.audit_place()


class ResolutionKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    DECISION = "decision", _("Decision")


class ResolutionState(models.TextChoices):
    IMPLEMENTING = "implementing", _("Being carried out")
    DONE = "done", _("Carried out")


# The units responsible for a resolution see it and report on it.
RESOLUTION_SCOPE_AGENCY = Via("units__agency")


class Resolution(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """A resolution or decision (决议、决定) a meeting adopted, followed through the implementation
    reports of its responsible units until the presidium marks it carried out."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="resolutions"
    )
    vote = models.OneToOneField(
        Vote, verbose_name=_("vote"), null=True, blank=True, on_delete=models.SET_NULL, related_name="resolution"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResolutionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=20000)
    adopted_on = models.DateField(_("adopted on"))
    state = models.CharField(
        _("state"), max_length=20, choices=ResolutionState.choices, default=ResolutionState.IMPLEMENTING
    )
    next_report_due_on = models.DateField(_("next report due on"), null=True, blank=True)
    done_on = models.DateField(_("carried out on"), null=True, blank=True)
    done_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("presidium meeting that marked it carried out"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions_done",
    )
    done_note = models.TextField(_("conclusion"), blank=True, max_length=2000)

    scope = Scope(
        county="meeting__county", township="meeting__township", agency=RESOLUTION_SCOPE_AGENCY, editors=MEETING_EDITORS
    )

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-adopted_on", "-id"]
        indexes = [models.Index(fields=["state", "next_report_due_on"], name="resolution_state_due")]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.meeting.audit_place()


class ResolutionUnit(ScopedModel, UUIDModel, TimeStampedModel):
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="units"
    )
    agency = models.ForeignKey(
        "organisations.Agency", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(
        county="resolution__meeting__county",
        township="resolution__meeting__township",
        agency="agency",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["resolution", "id"]
        constraints = [models.UniqueConstraint(fields=["resolution", "agency"], name="resolution_unit_once")]

    def __str__(self) -> str:
        return str(self.agency)

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.resolution.meeting.audit_place()


class ImplementationReport(ScopedModel, UUIDModel, TimeStampedModel):
    """A report on how a resolution is carried out (落实情况), by a responsible unit or the staff."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="reports"
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("reporting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("what has been done"), max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="resolution__meeting__county",
        township="resolution__meeting__township",
        agency=Via("resolution__units__agency"),
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        ordering = ["resolution", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.resolution} · {self.reported_on:%Y-%m-%d}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.resolution.meeting.audit_place()


class SessionSuggestion(ScopedModel, UUIDModel, TimeStampedModel):
    """A suggestion a deputy made during a session, handled as a case of the casework capability."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("session"), on_delete=models.PROTECT, related_name="suggestions"
    )
    case = models.OneToOneField(
        "casework.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="session_suggestion"
    )

    scope = Scope(
        county="meeting__county",
        township="meeting__township",
        owner="case__signers__mandate__person__user",
        editors=MEETING_EDITORS,
    )

    class Meta:
        verbose_name = _("suggestion made during a session")
        verbose_name_plural = _("suggestions made during sessions")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return str(self.case)

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.meeting.audit_place()
