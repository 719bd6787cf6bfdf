"""Deputies' evaluations of government units (代表评议, domain.md §7): the presidium picks the units
(township offices, stations, vertical units) → the survey team visits and writes its findings and
rectification demands → the evaluation meeting where each unit reports (述职) → a secret ballot
满意 / 基本满意 / 不满意 → rectification item by item by a deadline → a follow-up ballot.

The ballot is secret by construction: a deputy's vote adds one to a count (``BallotTally``) and a
separate receipt (``BallotReceipt``) says only that the deputy voted in the round. No row links a
deputy to a choice, the counts carry no time, the counts are shown only once the round is closed,
a round closes only when more than half of the electorate has voted, and paper ballots are counted
once, all together — so nobody, staff included, can tell from the platform how a given deputy voted,
while the receipt's unique constraint still refuses a second vote.

What the platform cannot hide: someone who reads the database itself while a round is open (or
compares backups taken during it, or PostgreSQL's row versions) can see counts change as receipts
appear. Database access is the system administrators', under the audit of the security level."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

from .activities import ACTIVITY_EDITORS


class EvaluationState(models.TextChoices):
    SURVEY = "survey", _("Survey")
    MEETING = "meeting", _("Evaluation meeting")
    BALLOT = "ballot", _("Ballot open")
    RECTIFICATION = "rectification", _("Rectification")
    FOLLOW_UP = "follow_up", _("Follow-up ballot open")
    CLOSED = "closed", _("Closed")


class Evaluation(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    state = models.CharField(_("state"), max_length=20, choices=EvaluationState.choices, default=EvaluationState.SURVEY)
    decided_at = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("decided at the presidium meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    meeting_on = models.DateField(_("evaluation meeting on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Deputies see the evaluations of their township (to vote and to read the published results).
    scope = Scope(
        county="township__county",
        township="township",
        owner="township__people__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id


EVALUATION_PART_SCOPE = Scope(
    county="evaluation__township__county", township="evaluation__township", editors=ACTIVITY_EDITORS
)


class EvaluationUnit(ScopedModel, UUIDModel, TimeStampedModel):
    """A unit under evaluation, with what the survey found and what the unit reported."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="units"
    )
    agency = models.ForeignKey(
        "organisations.Agency", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="evaluations"
    )
    survey_findings = models.TextField(_("survey findings"), blank=True, max_length=10000)
    demands = models.TextField(_("rectification demands"), blank=True, max_length=10000)
    report_summary = models.TextField(_("the unit's report (述职)"), blank=True, max_length=10000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # The unit's own handlers read their evaluation and report on their rectification.
    scope = Scope(
        county="evaluation__township__county",
        township="evaluation__township",
        agency="agency",
        owner="evaluation__township__people__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("unit evaluated")
        verbose_name_plural = _("units evaluated")
        ordering = ["evaluation", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "agency"], name="evaluation_unit_once")]

    def __str__(self) -> str:
        return self.agency.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.evaluation.audit_place()


class RoundKind(models.TextChoices):
    INITIAL = "initial", _("Evaluation ballot")
    FOLLOW_UP = "follow_up", _("Follow-up ballot")


class RoundState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class BallotRound(ScopedModel, UUIDModel, TimeStampedModel):
    """One secret ballot on some units of an evaluation: all of them first, then a follow-up on the
    units that had to rectify. ``electorate`` is the deputies entitled to vote, frozen at opening."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    kind = models.CharField(_("kind of ballot"), max_length=20, choices=RoundKind.choices)
    units = models.ManyToManyField(EvaluationUnit, verbose_name=_("units voted on"), related_name="rounds")
    state = models.CharField(_("state"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    electorate = models.PositiveIntegerField(_("deputies entitled to vote"))
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    scope = Scope(
        county="evaluation__township__county",
        township="evaluation__township",
        owner="evaluation__township__people__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["evaluation", "number"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "number"], name="ballot_round_number")]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_kind_display()}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.evaluation.audit_place()


class BallotChoice(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    # Only from paper: a blank or spoiled paper counted for the unit.
    INVALID = "invalid", _("Blank or invalid")


class BallotTally(ScopedModel, UUIDModel):
    """How many ballots of a round chose ``choice`` for ``unit``. Incremented in the database
    (``F("count") + 1``); it has no time stamps on purpose (see the module's docstring)."""

    round = models.ForeignKey(BallotRound, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="tallies")
    unit = models.ForeignKey(EvaluationUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="tallies")
    choice = models.CharField(_("choice"), max_length=20, choices=BallotChoice.choices)
    count = models.PositiveIntegerField(_("ballots"), default=0)

    scope = Scope(
        county="round__evaluation__township__county", township="round__evaluation__township", editors=ACTIVITY_EDITORS
    )

    class Meta:
        verbose_name = _("ballot count")
        verbose_name_plural = _("ballot counts")
        ordering = ["round", "unit", "choice"]
        constraints = [models.UniqueConstraint(fields=["round", "unit", "choice"], name="ballot_tally_once")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_choice_display()}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.round.audit_place()


class BallotMethod(models.TextChoices):
    PHONE = "phone", _("From a phone")
    PAPER = "paper", _("On paper, counted by staff")


class BallotReceipt(ScopedModel, UUIDModel):
    """That a deputy voted in a round (on every unit of it), and how — never what. No time stamp:
    with the order of counts it could tell a vote."""

    round = models.ForeignKey(BallotRound, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="receipts")
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="ballot_receipts"
    )
    method = models.CharField(_("voted"), max_length=10, choices=BallotMethod.choices)

    scope = Scope(
        county="round__evaluation__township__county",
        township="round__evaluation__township",
        owner="mandate__person__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")
        # By name, never by the order of voting.
        ordering = ["round", "mandate__person__name_stroke_key", "mandate_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mandate"],
                name="ballot_one_vote_per_deputy",
                violation_error_message=_("This deputy has voted in this ballot already."),
            )
        ]

    def __str__(self) -> str:
        return str(self.mandate.person)

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.round.audit_place()


class RectificationState(models.TextChoices):
    OPEN = "open", _("Being rectified")
    DONE = "done", _("Rectified")


class RectificationItem(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """One thing a unit must put right, by a deadline (working days on the core calendar)."""

    unit = models.ForeignKey(
        EvaluationUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="rectifications"
    )
    demand = models.TextField(_("what must be rectified"), max_length=5000)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=10, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    done_on = models.DateField(_("rectified on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The township's deputies read what the units they evaluated must put right.
    scope = Scope(
        county="unit__evaluation__township__county",
        township="unit__evaluation__township",
        agency="unit__agency",
        owner="unit__evaluation__township__people__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["unit", "deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"], name="rectification_state_deadline")]

    def __str__(self) -> str:
        return self.demand[:60]

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.unit.audit_place()


class RectificationReport(ScopedModel, UUIDModel, TimeStampedModel):
    """Progress on an item, by the unit's handler or staff; the last one may say it is done."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("rectification item"), on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField(_("progress"), max_length=5000)
    completes = models.BooleanField(_("rectification completed"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="item__unit__evaluation__township__county",
        township="item__unit__evaluation__township",
        agency="item__unit__agency",
        owner="item__unit__evaluation__township__people__user",
        editors=frozenset(ACTIVITY_EDITORS | {Role.AGENCY_HANDLER}),
    )

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        ordering = ["item", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.item.audit_place()
