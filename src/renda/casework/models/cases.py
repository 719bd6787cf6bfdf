"""Casework (domain.md §5): deputies' suggestions, citizens' opinions and activity findings, from
receipt to a rated answer. The states and the legal moves between them are in ``workflow``; every
change goes through ``services``, which records it on the case's timeline (``CaseEvent``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.pii import PhoneField
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel, Via

CASE_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
COUNTY_EDITORS = frozenset({Role.COUNTY_ADMIN})

# A case's rows (signers, assignments, replies…) are where their case is, and the case's own.
CASE_PART_SCOPE = Scope(
    county="case__county",
    township="case__township",
    agency=Via("case__assignments__agency", where=Q(case__assignments__handed_back_at__isnull=True)),
    owner="case__signers__mandate__person__user",
    editors=CASE_EDITORS,
)


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted, awaiting assignment")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not accepted")
    HANDLED_ON_SPOT = "handled_on_spot", _("Handled on the spot")
    ASSIGNED = "assigned", _("Assigned")
    RETURNED = "returned", _("Returned for re-assignment")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered, awaiting rating")
    REHANDLING = "rehandling", _("Being handled again")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")


class CaseSource(models.TextChoices):
    SESSION_SUGGESTION = "session_suggestion", _("Deputy's suggestion during a session")
    RECESS_SUGGESTION = "recess_suggestion", _("Deputy's suggestion between sessions")
    CITIZEN_OPINION = "citizen_opinion", _("Citizen's opinion")
    ACTIVITY_FINDING = "activity_finding", _("Finding of an activity")


DEPUTY_SOURCES = frozenset({CaseSource.SESSION_SUGGESTION, CaseSource.RECESS_SUGGESTION})


class Escalation(models.IntegerChoices):
    NONE = 0, _("Not escalated")
    TOWNSHIP = 1, _("Escalated to the township")
    COUNTY = 2, _("Escalated to the county")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")
    NO_OPINION = "no_opinion", _("No opinion given")


# What a rater may answer; 未表态 is recorded only when the rating window passes.
RATING_CHOICES = [(value, label) for value, label in Satisfaction.choices if value != Satisfaction.NO_OPINION]


class Consultation(models.TextChoices):
    MEETING = "meeting", _("Met in person")
    VISIT = "visit", _("Visited")
    PHONE = "phone", _("By phone")
    NONE = "none", _("Not consulted")


FACE_TO_FACE = frozenset({Consultation.MEETING, Consultation.VISIT})


class CaseCategory(ScopedModel, UUIDModel):
    """A county's list of categories (财政经济, 农业农村…), kept by the county administrator."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="case_categories"
    )
    name = models.CharField(_("name"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    scope = Scope(county="county", township="county__townships", editors=COUNTY_EDITORS)

    class Meta:
        ordering = ["county", "order", "name"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="case_category_unique_name")]

    def __str__(self) -> str:
        return self.name


class Case(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="cases"
    )
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(_("case number"), max_length=20)
    source = models.CharField(_("source"), max_length=30, choices=CaseSource.choices)
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"), max_length=5000)
    category = models.ForeignKey(
        CaseCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "organisations.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    citizen_name = models.CharField(_("citizen's name"), max_length=30, blank=True)
    citizen_phone = PhoneField(_("citizen's phone for a call-back"))
    tracking_code = models.CharField(_("tracking code"), max_length=20, null=True, blank=True, unique=True)
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.DRAFT)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_key = models.BooleanField(_("key supervision"), default=False)
    key_leader = models.CharField(_("leader following it"), max_length=50, blank=True)
    is_repeated = models.BooleanField(_("repeated over several years"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    rehandle_count = models.PositiveSmallIntegerField(_("times handled again"), default=0)
    # Deadlines, derived by ``deadlines`` from the dates the steps began and kept in step with the
    # calendar; stored so lists can filter and sort on them.
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    returned_on = models.DateField(_("handed back on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    rehandle_started_on = models.DateField(_("handling again since"), null=True, blank=True)
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    assign_due_on = models.DateField(_("assign by"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer by"), null=True, blank=True)
    rating_due_on = models.DateField(_("rate by"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Escalation.choices, default=Escalation.NONE)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    scope = Scope(
        county="county",
        township="township",
        # Agencies currently assigned, lead or co; one that handed the case back sees it no more.
        agency=Via("assignments__agency", where=Q(assignments__handed_back_at__isnull=True)),
        # Every signing deputy, whichever of their mandates they signed with.
        owner="signers__mandate__person__user",
        editors=CASE_EDITORS,
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [models.UniqueConstraint(fields=["county", "reference"], name="case_unique_reference")]
        indexes = [
            models.Index(fields=["township", "state"], name="case_township_state"),
            models.Index(fields=["state", "answer_due_on"], name="case_state_answer_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_citizen_opinion(self) -> bool:
        return self.source == CaseSource.CITIZEN_OPINION

    def reveals_contact_to(self, user) -> bool:
        """Who may see the citizen's phone in full (the register's CASE_HANDLERS policy)."""
        from renda.casework.permissions import may_reveal_citizen_phone

        return may_reveal_citizen_phone(user, self)

    @property
    def citizen_label(self) -> str:
        return self.citizen_name or str(_("Anonymous"))

    def with_merged(self) -> models.QuerySet["Case"]:
        """This case and the cases merged into it (their signers and ratings count for it). Used as
        ``case__in=``: a subquery read by the primary key and ``merged_into`` indexes, where an OR
        across the join (``Q(case=c) | Q(case__merged_into=c)``) read every row of the table."""
        return Case.objects.unscoped().filter(Q(pk=self.pk) | Q(merged_into=self))


class CaseSigner(ScopedModel):
    """A deputy who filed (``is_lead``) or co-signed the case; each gets the answer and rates it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signers")
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="case_signatures"
    )
    is_lead = models.BooleanField(_("lead signer"), default=False)

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["-is_lead", "id"]
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        constraints = [models.UniqueConstraint(fields=["case", "mandate"], name="case_signer_once")]

    def __str__(self) -> str:
        return str(self.mandate.person)


class CaseAssignment(ScopedModel):
    """An agency the case was handed to (交办): one lead (主办), optional co-agencies (协办)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        "organisations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="case_assignments"
    )
    is_lead = models.BooleanField(_("lead agency"), default=False)
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_on = models.DateField(_("assigned on"))
    hand_back_until = models.DateField(_("may ask for re-assignment until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    handed_back_at = models.DateTimeField(_("handed back at"), null=True, blank=True)
    hand_back_reason = models.TextField(_("reason for handing back"), blank=True)
    view_due_on = models.DateField(_("co-agency's view due on"), null=True, blank=True)
    view_text = models.TextField(_("co-agency's view"), blank=True)
    view_sent_at = models.DateTimeField(_("view sent at"), null=True, blank=True)

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["-is_lead", "assigned_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(handed_back_at__isnull=True),
                name="case_assignment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} → {self.agency}"


class CaseEvent(ScopedModel):
    """One step of the case's timeline: who moved it, when, from where to where, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("step"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=CaseState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case.reference} {self.transition}"


class CaseNote(ScopedModel):
    """Progress of the handling (办理进展), written by an agency or by staff."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    agency = models.ForeignKey(
        "organisations.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("progress"), max_length=2000)
    at = models.DateTimeField(_("at"))

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.text[:30]


class CaseExtension(ScopedModel):
    """The lead agency's request for more time (延期), approved or refused by staff."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    until = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"), max_length=2000)
    approved = models.BooleanField(_("approved"), null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.case.reference} → {self.until}"


class CaseReply(ScopedModel):
    """The lead agency's answer (答复); ``round`` 0 is the first, n the n-th re-handling."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    reply_class = models.CharField(_("reply class"), max_length=5)
    done_items = models.TextField(_("done"), max_length=5000, blank=True)
    planned_items = models.TextField(_("planned"), max_length=5000, blank=True)
    planned_by = models.DateField(_("planned to be done by"), null=True, blank=True)
    not_adopted_reasons = models.TextField(_("reasons for what is not adopted"), max_length=5000, blank=True)
    consultation = models.CharField(_("how the deputy was consulted"), max_length=10, choices=Consultation.choices)
    public_text = models.TextField(_("reply shown to the citizen"), max_length=5000, blank=True)
    signer = models.CharField(_("signed by"), max_length=50)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"))
    # The deadline this answer was due by, kept for the figures (answered on time) whatever later
    # extensions or calendar changes do.
    due_on = models.DateField(_("due on"), null=True, blank=True)

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["round", "answered_at"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="case_reply_once_per_round")]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.reply_class}"

    @property
    def reply_class_label(self) -> str:
        return settings.RENDA_CASE_REPLY_CLASSES.get(self.reply_class, self.reply_class)

    @property
    def face_to_face(self) -> bool:
        return self.consultation in FACE_TO_FACE


class CaseRating(ScopedModel):
    """One rater's satisfaction with one round's answer: a signing deputy, or (``mandate`` empty)
    the citizen who gave the opinion. Handling and result are rated separately."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    mandate = models.ForeignKey("deputies.Mandate", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handling = models.CharField(_("handling"), max_length=15, choices=Satisfaction.choices)
    result = models.CharField(_("result"), max_length=15, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_staff = models.BooleanField(_("recorded by staff"), default=False)
    rated_at = models.DateTimeField(_("rated at"))

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["round", "rated_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["case", "round", "mandate"], name="case_rating_once_per_signer"),
            models.UniqueConstraint(
                fields=["case", "round"], condition=Q(mandate__isnull=True), name="case_rating_once_per_citizen"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.result}"


class CaseReminder(ScopedModel):
    """A reminder (催办) to the lead agency, by staff or by the nightly sweep."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    automatic = models.BooleanField(_("automatic"), default=False)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.case.reference} {self.sent_at:%Y-%m-%d}"


def _attachment_path(instance: "CaseAttachment", filename: str) -> str:
    # The stored name is random: a user's file name never reaches the file system.
    return f"cases/{instance.case.uuid}/{instance.uuid}"


class CaseAttachment(ScopedModel, UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    scope = CASE_PART_SCOPE

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
