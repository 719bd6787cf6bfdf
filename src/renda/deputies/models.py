from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.accounts.roles import Role
from renda.accounts.scoping import ScopePaths
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.pii import BlindIndexField, IdNumberField, PhoneField

DEPUTY_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Person(UUIDModel, TimeStampedModel):
    """A natural person who holds one or more mandates. ``township`` is the township or subdistrict
    whose staff keep this person's record (for a county deputy: where they were elected or live)."""

    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="people"
    )
    full_name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = IdNumberField()
    id_number_index = BlindIndexField(source="id_number")
    phone = PhoneField(_("mobile phone"))
    workplace = models.CharField(_("workplace and position"), max_length=120, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    scope_paths = ScopePaths(county="township__county", township="township", owner="user", editors=DEPUTY_EDITORS)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["township", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class MandateLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("Serving")
    ENDED = "ended", _("Ended")


class Mandate(UUIDModel, TimeStampedModel):
    """A deputy's mandate (代表资格) in one term of one congress."""

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
    status = models.CharField(_("status"), max_length=10, choices=MandateStatus.choices, default=MandateStatus.ACTIVE)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    scope_paths = ScopePaths(
        county="person__township__county",
        township="person__township",
        owner="person__user",
        editors=DEPUTY_EDITORS,
    )

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["person", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "deputy_number"],
                condition=~Q(deputy_number=""),
                name="mandate_unique_number_in_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_level_display()}"
