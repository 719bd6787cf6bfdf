import re
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.pii import BlindIndexField, IdNumberField, PersonalInformationField, PhoneField
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

from .choices import COMMUNIST, HAN, BirthDatePrecision, Education, Gender, Occupation, Party

DEPUTY_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})

# Records that belong to one mandate (its events, voter contacts, contests, other duties): placed
# where the mandate's person lives, and the deputy's own.
MANDATE_RECORD_SCOPE = Scope(
    county="mandate__person__township__county",
    township="mandate__person__township",
    owner="mandate__person__user",
    editors=DEPUTY_EDITORS,
)

_TOWNSHIP_PART = re.compile(r"^(.*?(?:街道|镇|乡))")


def mask_address(value: str) -> str:
    """Keep the address down to the township (…县湖镇镇****), hide the village, street and number."""
    if not value:
        return ""
    match = _TOWNSHIP_PART.match(value)
    if match and len(match.group(1)) < len(value):
        return match.group(1) + "****"
    return value[: min(len(value) // 2, 6)] + "****"


class AddressField(PersonalInformationField):
    """A postal address: personal information, encrypted at rest, masked to township level."""

    masker = staticmethod(mask_address)
    normaliser = staticmethod(lambda value: (value or "").strip())

    def __init__(self, verbose_name=None, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name or _("postal address"), *args, **kwargs)


class Person(ScopedModel, UUIDModel, TimeStampedModel):
    """A natural person who holds one or more mandates. ``township`` is the township or subdistrict
    whose staff keep this person's record (for a county deputy: where they were elected or live).

    Women, ethnic minorities and non-communists are derived from gender, ethnicity and party; the
    name columns for search and order are filled by ``services.person_save`` and the import."""

    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="people"
    )
    full_name = models.CharField(_("full name"), max_length=50)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=120, blank=True, editable=False, db_index=True)
    name_initials = models.CharField(_("initials"), max_length=50, blank=True, editable=False, db_index=True)
    name_stroke_key = models.CharField(_("stroke order key"), max_length=255, blank=True, editable=False)
    name_pinyin_key = models.CharField(_("pinyin order key"), max_length=255, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default=HAN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=5,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.DAY,
    )
    party = models.CharField(_("political affiliation"), max_length=20, choices=Party.choices, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    workplace = models.CharField(_("workplace and position"), max_length=120, blank=True)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices, blank=True)
    phone = PhoneField(_("mobile phone"))
    address = AddressField(_("postal address"))
    id_number = IdNumberField()
    id_number_index = BlindIndexField(source="id_number")
    note = models.TextField(_("note"), blank=True, max_length=500)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    scope = Scope(county="township__county", township="township", owner="user", editors=DEPUTY_EDITORS)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_stroke_key", "full_name"]
        indexes = [models.Index(fields=["township", "name_stroke_key"], name="person_township_strokes")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(id_number_index=""),
                name="person_unique_id_number",
                violation_error_message=_("A person with this ID number is recorded already."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id

    @property
    def is_woman(self) -> bool:
        return self.gender == Gender.FEMALE

    @property
    def is_minority(self) -> bool:
        return bool(self.ethnicity) and self.ethnicity != HAN

    @property
    def is_non_communist(self) -> bool:
        return bool(self.party) and self.party not in COMMUNIST

    @property
    def birth_display(self) -> str:
        if self.birth_date is None:
            return ""
        if self.birth_date_precision == BirthDatePrecision.MONTH:
            return f"{self.birth_date:%Y.%m}"
        return f"{self.birth_date:%Y.%m.%d}"

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class MandateLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("Serving")
    ENDED = "ended", _("Ended")


class Mandate(ScopedModel, UUIDModel, TimeStampedModel):
    """A deputy's mandate (代表资格) in one term of one congress.

    ``starts_on``, ``ends_on`` and ``status`` are kept by the event service from the mandate's
    dated events, so that the roster on any date is a plain range filter."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="mandates")
    term = models.ForeignKey(
        "organisations.Term", verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField(_("level"), max_length=20, choices=MandateLevel.choices)
    deputy_number = models.CharField(_("deputy card number"), max_length=30, blank=True)
    constituency = models.CharField(_("constituency or electing unit"), max_length=80, blank=True)
    group = models.ForeignKey(
        "organisations.DeputyGroup",
        verbose_name=_("deputy group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mandates",
    )
    station = models.ForeignKey(
        "organisations.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mandates",
    )
    # Composition flags as reported for this term (连任 is a property of the mandate, not the person).
    is_worker_farmer = models.BooleanField(_("worker or farmer"), default=False)
    is_technical = models.BooleanField(_("professional or technical staff"), default=False)
    is_leading_cadre = models.BooleanField(_("leading cadre"), default=False)
    is_reelected = models.BooleanField(_("re-elected"), default=False)
    is_returned_overseas = models.BooleanField(_("returned overseas Chinese"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=MandateStatus.choices, default=MandateStatus.ACTIVE)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    scope = Scope(
        county="person__township__county",
        township="person__township",
        owner="person__user",
        editors=DEPUTY_EDITORS,
    )

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["person", "-starts_on"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="mandate_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "deputy_number"],
                condition=~Q(deputy_number=""),
                name="mandate_unique_number_in_term",
                violation_error_message=_("Another deputy of this term has this deputy card number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_level_display()}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.person.audit_place()

    def serving_on(self, day: date) -> bool:
        return self.starts_on is not None and self.starts_on <= day and (self.ends_on is None or self.ends_on > day)


class MandateEventKind(models.TextChoices):
    ELECTED = "elected", _("Elected")
    BY_ELECTION = "by_election", _("Elected in a by-election")
    RESIGNED = "resigned", _("Resigned")
    RECALLED = "recalled", _("Recalled")
    MOVED_AWAY = "moved_away", _("Moved away")
    ENDED = "ended", _("Mandate ended")


STARTING_EVENTS = frozenset({MandateEventKind.ELECTED, MandateEventKind.BY_ELECTION})
ENDING_EVENTS = frozenset(
    {MandateEventKind.RESIGNED, MandateEventKind.RECALLED, MandateEventKind.MOVED_AWAY, MandateEventKind.ENDED}
)


class MandateEvent(ScopedModel, UUIDModel, TimeStampedModel):
    """A dated change of a mandate's status (elected, by-election, resigned, recalled…).

    A mandate starts with its first starting event and ends with its first ending event; the
    event on an end date ends the mandate on that day (the deputy is no longer on that day's roster)."""

    mandate = models.ForeignKey(Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=MandateEventKind.choices)
    date = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    scope = MANDATE_RECORD_SCOPE

    class Meta:
        verbose_name = _("mandate event")
        verbose_name_plural = _("mandate events")
        ordering = ["mandate", "date", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.mandate.person.audit_place()

    @property
    def is_start(self) -> bool:
        return self.kind in STARTING_EVENTS
