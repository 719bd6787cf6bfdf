from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.ordering import NaturalKeyField
from renda.core.pii import PhoneField
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

COUNTY_STAFF = frozenset({Role.COUNTY_ADMIN})
COUNTY_AND_TOWNSHIP_STAFF = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


class County(ScopedModel, UUIDModel, TimeStampedModel):
    """A county or district (县/区) whose congress standing committee runs this installation's work.
    One installation may serve several counties, e.g. all of a city's."""

    name = models.CharField(_("name"), max_length=50)
    division_code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        help_text=_("Six-digit code of the National Bureau of Statistics."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Counties differ: some let each township's staff record its own congress terms, others keep
    # that with the county office (which can always do it, for all townships in one form).
    townships_register_terms = models.BooleanField(_("townships record their own terms"), default=False)

    # Setting up a county is the system administrator's work (installation settings, 三员分立);
    # its county administrators and leaders read it.
    scope = Scope(
        county="pk",
        readers=frozenset({Role.SYSTEM_ADMIN, Role.COUNTY_ADMIN, Role.LEADER}),
        editors=frozenset({Role.SYSTEM_ADMIN, Role.COUNTY_ADMIN}),
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["division_code"]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.pk, None


class TownshipKind(models.TextChoices):
    TOWN = "town", _("Town (镇)")
    TOWNSHIP = "township", _("Township (乡)")
    ETHNIC_TOWNSHIP = "ethnic_township", _("Ethnic township (民族乡)")
    SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")
    OTHER = "other", _("Other township-level area")

    @classmethod
    def from_name(cls, name: str) -> "TownshipKind":
        """Infer the kind from an official name, as the statistical division list gives no kind."""
        if name.endswith("街道") or name.endswith("街道办事处"):
            return cls.SUBDISTRICT
        if name.endswith("族乡"):
            return cls.ETHNIC_TOWNSHIP
        if name.endswith("镇"):
            return cls.TOWN
        if name.endswith("乡"):
            return cls.TOWNSHIP
        return cls.OTHER


CONGRESS_KINDS = (TownshipKind.TOWN, TownshipKind.TOWNSHIP, TownshipKind.ETHNIC_TOWNSHIP)


class Township(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """A township, town or subdistrict. Towns and townships have their own congress (乡镇人大);
    a subdistrict has none: the county congress keeps a working committee there (街道工委)."""

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="townships")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=TownshipKind.choices)
    division_code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        help_text=_("Nine-digit code of the National Bureau of Statistics."),
    )
    address = models.CharField(_("office address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope = Scope(county="county", township="pk", editors=COUNTY_STAFF)

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["county", "division_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="township_unique_name_in_county",
                violation_error_message=_("The county has a township of this name already."),
            ),
            models.UniqueConstraint(
                fields=["division_code"],
                condition=~Q(division_code=""),
                name="township_unique_division_code",
                violation_error_message=_("Another township has this division code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.pk

    @property
    def has_congress(self) -> bool:
        return self.kind in CONGRESS_KINDS

    @property
    def body_name(self) -> str:
        """What the township's congress body is called: 人大 or, in a subdistrict, 人大工委."""
        return str(_("People's Congress") if self.has_congress else _("Congress working committee"))


class StationKind(models.TextChoices):
    HOME = "home", _("Deputies' home (代表之家)")
    STATION = "station", _("Liaison station (代表联络站)")
    POINT = "point", _("Contact point (联系点)")


class Station(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """A place where deputies of several levels meet voters (多级代表进站)."""

    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="stations"
    )
    name = models.CharField(_("name"), max_length=80)
    name_order = NaturalKeyField(_("order by name"), source="name")
    kind = models.CharField(_("kind"), max_length=20, choices=StationKind.choices, default=StationKind.STATION)
    address = models.CharField(_("address"), max_length=200, blank=True)
    reception_schedule = models.CharField(
        _("reception days"),
        max_length=100,
        blank=True,
        help_text=_("For example: every Wednesday; the 9th and 19th."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope = Scope(county="township__county", township="township", editors=COUNTY_AND_TOWNSHIP_STAFF)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["township", "name_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="station_unique_name",
                violation_error_message=_("The township has a station of this name already."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeputyGroup(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="deputy_groups"
    )
    name = models.CharField(_("name"), max_length=80)
    name_order = NaturalKeyField(_("order by name"), source="name")
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope = Scope(county="township__county", township="township", editors=COUNTY_AND_TOWNSHIP_STAFF)

    class Meta:
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        ordering = ["township", "name_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="deputy_group_unique_name",
                violation_error_message=_("The township has a deputy group of this name already."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    GOVERNMENT_OFFICE = "office", _("Government office")
    STATION = "station", _("Station or institute (站所)")
    VERTICAL = "vertical", _("Vertically managed unit")
    SUPERVISION = "supervision", _("Supervisory commission")
    COURT = "court", _("Court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    OTHER = "other", _("Other")


class Agency(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """A handling agency (承办单位). County-level agencies have no township."""

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="agencies")
    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Leave empty for a county-level agency."),
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.GOVERNMENT_OFFICE)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = PhoneField(_("contact phone"))
    is_active = models.BooleanField(_("active"), default=True)

    scope = Scope(
        county="county", township="township", agency="pk", county_wide=True, editors=COUNTY_AND_TOWNSHIP_STAFF
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["county", "township", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "township", "name"],
                name="agency_unique_name",
                violation_error_message=_("An agency of this name exists already."),
            ),
            models.UniqueConstraint(
                fields=["county", "name"],
                condition=Q(township__isnull=True),
                name="agency_unique_county_name",
                violation_error_message=_("An agency of this name exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level_label(self) -> str:
        return str(self.township) if self.township_id else str(_("County level"))


class TermLevel(models.TextChoices):
    COUNTY = "county", _("County congress")
    TOWNSHIP = "township", _("Township congress")


def in_office_on(day) -> Q:
    """Terms in office on ``day``: ``ends_on`` is a term's last day (the next one starts the day after)."""
    return Q(starts_on__lte=day, ends_on__gte=day)


class Term(ScopedModel, UUIDModel, TimeStampedModel):
    """A term (届) of the county congress or of one township congress, five years long."""

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="terms")
    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terms",
    )
    number = models.PositiveSmallIntegerField(_("term number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # The congress's size (township terms): the legal number of seats follows from the population
    # counted for the election; the county may fix the figure itself (domain.md §4).
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Inhabitants counted when this term's seats were set."),
    )
    fixed_seats = models.PositiveSmallIntegerField(
        _("seats fixed by the county"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the legal number computed from the population."),
    )

    scope = Scope(county="county", township="township", county_wide=True, editors=COUNTY_STAFF)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["county", "township", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "township", "number"],
                name="term_unique_number",
                violation_error_message=_("This term is recorded already."),
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"),
        ]

    def __str__(self) -> str:
        body = self.township.name if self.township is not None else self.county.name
        return _("%(body)s term %(number)s") % {"body": body, "number": self.number}

    @property
    def level(self) -> str:
        return TermLevel.TOWNSHIP if self.township_id else TermLevel.COUNTY
