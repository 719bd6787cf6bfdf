"""Activities (domain.md §7): inspections, investigations, law-enforcement checks, special work
reports heard, study, deputy group activities, reception days, reports to voters, "五带头" and the
county's joint activities — each with its plan, notice, invited deputies, sign-in, leave, minutes,
photos and findings (a finding becomes a casework case in one step).

Every change goes through the services; the figures (points, the groups' minimum frequency) are
settings or the county's point rules."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

ACTIVITY_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})

# An activity's rows (participants, photos, findings) are where their activity is; a joint activity
# of the county is also in every township taking part.
ACTIVITY_PART_SCOPE = Scope(
    county="activity__county",
    township=("activity__township", "activity__townships"),
    editors=ACTIVITY_EDITORS,
)


class ActivityCategory(models.TextChoices):
    """What an activity is, whatever the county calls its types: the category decides the points
    and the figures (inspections per deputy, study sessions, group activities…)."""

    INSPECTION = "inspection", _("Inspection")
    INVESTIGATION = "investigation", _("Investigation")
    ENFORCEMENT_CHECK = "enforcement_check", _("Law-enforcement check")
    WORK_REPORT = "work_report", _("Special work report heard")
    STUDY = "study", _("Study and training")
    GROUP = "group", _("Deputy group activity")
    RECEPTION = "reception", _("Reception day")
    VOTER_REPORT = "voter_report", _("Report to voters")
    FIVE_LEADS = "five_leads", _("Five leads activity")
    JOINT = "joint", _("County-township joint activity")
    OTHER = "other", _("Other activity")


# Supervision proper (视察、调研、执法检查、听取专项工作报告): what "inspections per deputy" counts.
SUPERVISION_CATEGORIES = frozenset(
    {
        ActivityCategory.INSPECTION,
        ActivityCategory.INVESTIGATION,
        ActivityCategory.ENFORCEMENT_CHECK,
        ActivityCategory.WORK_REPORT,
    }
)


class ActivityType(ScopedModel, UUIDModel, TimeStampedModel):
    """A county's name for a kind of activity (e.g. "环境保护专题视察"), in one category. Each county
    starts with one type per category (``services.default_types``) and adds its own."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="activity_types"
    )
    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=ActivityCategory.choices)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Types no longer offered keep their activities.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope(county="county", editors=frozenset({Role.COUNTY_ADMIN}))

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["county", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="activity_type_unique_name",
                violation_error_message=_("The county has a type of this name already."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, None


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NOTIFIED = "notified", _("Notice sent")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """One activity of a township (its staff organise it), or of the county across several
    townships (``township`` empty, ``townships`` taking part)."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="activities"
    )
    township = models.ForeignKey(
        "organisations.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("Empty for an activity the county organises across townships."),
    )
    townships = models.ManyToManyField(
        "organisations.Township",
        verbose_name=_("townships taking part"),
        blank=True,
        related_name="joint_activities",
    )
    type = models.ForeignKey(ActivityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="activities")
    # Copied from the type when planned, so a type renamed or moved later leaves the record as held.
    category = models.CharField(_("category"), max_length=20, choices=ActivityCategory.choices, editable=False)
    title = models.CharField(_("title"), max_length=120)
    purpose = models.TextField(_("purpose and content"), blank=True, max_length=5000)
    plan_item = models.ForeignKey(
        "activities.PlanItem",
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    group = models.ForeignKey(
        "organisations.DeputyGroup",
        verbose_name=_("deputy group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    station = models.ForeignKey(
        "organisations.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=120)
    organiser = models.CharField(_("organiser"), max_length=120)
    other_participants = models.CharField(
        _("other participants"),
        max_length=300,
        blank=True,
        help_text=_("Leaders, officials and others taking part who are not deputies."),
    )
    state = models.CharField(_("state"), max_length=20, choices=ActivityState.choices, default=ActivityState.PLANNED)
    notice_text = models.TextField(_("notice"), blank=True, max_length=5000)
    notice_sent_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    # The secret in the sign-in QR code; drawn again when staff withdraw a leaked code.
    signin_token = models.CharField(max_length=64, unique=True, editable=False)
    minutes = models.TextField(_("minutes"), blank=True, max_length=50000)
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="county",
        township=("township", "townships"),
        # A deputy sees the activities they are invited to (the notice, sign-in, leave).
        owner="participants__mandate__person__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["township", "starts_at"], name="activity_township_start"),
            models.Index(fields=["county", "category", "starts_at"], name="activity_county_cat_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.township_id

    @property
    def is_joint(self) -> bool:
        return self.township_id is None

    @property
    def date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class SigninMethod(models.TextChoices):
    QR = "qr", _("By QR code")
    STAFF = "staff", _("By staff")


class LeaveState(models.TextChoices):
    NONE = "", _("No leave asked")
    PENDING = "pending", _("Leave asked")
    APPROVED = "approved", _("Leave approved")
    REFUSED = "refused", _("Leave refused")


class Participant(ScopedModel, UUIDModel, TimeStampedModel):
    """A deputy invited to an activity. Status moves invited → present (sign-in) or leave (approved);
    the invited who neither signed in nor had leave are absent once the activity is recorded held."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participants"
    )
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="activity_participations"
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.INVITED
    )
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signin_method = models.CharField(_("signed in"), max_length=10, choices=SigninMethod.choices, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    leave_state = models.CharField(_("leave"), max_length=10, choices=LeaveState.choices, blank=True, default="")
    leave_reason = models.CharField(_("reason for leave"), max_length=300, blank=True)
    leave_note = models.CharField(_("decision note"), max_length=300, blank=True)
    leave_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="activity__county",
        township=("activity__township", "activity__townships"),
        owner="mandate__person__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["activity", "mandate__person__name_stroke_key", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "mandate"], name="participant_once_per_activity")]
        indexes = [models.Index(fields=["activity", "status"], name="participant_activity_status")]

    def __str__(self) -> str:
        return f"{self.mandate.person} · {self.get_status_display()}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.activity.audit_place()


class ActivityPhoto(ScopedModel, UUIDModel, TimeStampedModel):
    """A photo of an activity (type checked by ``core.uploads``), stored under a random name and
    served only through a scoped download."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to="activities/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ACTIVITY_PART_SCOPE

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.activity.audit_place()


class Finding(ScopedModel, UUIDModel, TimeStampedModel):
    """A problem an activity found. ``case`` is the casework case it became (source: finding of an
    activity), which links back here."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="findings"
    )
    text = models.TextField(_("finding"), max_length=5000)
    raised_by = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_findings",
    )
    case = models.OneToOneField(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_finding",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="activity__county",
        township=("activity__township", "activity__townships"),
        owner="raised_by__person__user",
        editors=ACTIVITY_EDITORS,
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["activity", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.activity.audit_place()
