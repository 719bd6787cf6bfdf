"""The county's settings for deputies' work, leaders' liaison (分工联系代表) and voters kept in contact."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.pii import PhoneField
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

from .people import DEPUTY_EDITORS, MANDATE_RECORD_SCOPE, Mandate

COUNTY_EDITORS = frozenset({Role.COUNTY_ADMIN})


class DeputySettings(ScopedModel, UUIDModel, TimeStampedModel):
    """Per county: the yearly base of points and what each deputy is asked to do (settings, not code)."""

    county = models.OneToOneField(
        "organisations.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="deputy_settings"
    )
    yearly_base_points = models.DecimalField(_("yearly base points"), max_digits=6, decimal_places=1, default=60)
    min_voter_contacts = models.PositiveSmallIntegerField(_("voters each deputy keeps contact with"), default=5)

    # Township people read their county's settings through the county's townships.
    scope = Scope(county="county", township="county__townships", editors=COUNTY_EDITORS)

    class Meta:
        verbose_name = _("deputy settings")
        verbose_name_plural = _("deputy settings")

    def __str__(self) -> str:
        return str(self.county)

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, None


class LiaisonAssignment(ScopedModel, UUIDModel, TimeStampedModel):
    """A leader assigned to keep in touch with a deputy (分工联系代表)."""

    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="liaisons"
    )
    leader_name = models.CharField(_("leader"), max_length=50)
    leader_title = models.CharField(_("position"), max_length=80, blank=True)
    leader_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaisons",
    )
    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="liaisons")
    since = models.DateField(_("since"))

    scope = Scope(county="township__county", township="township", owner="mandate__person__user", editors=DEPUTY_EDITORS)

    class Meta:
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        ordering = ["township", "leader_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader_name", "mandate"],
                name="liaison_unique_pair",
                violation_error_message=_("This leader liaises with this deputy already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader_name} → {self.mandate.person}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id


class VoterContact(ScopedModel, UUIDModel, TimeStampedModel):
    """A voter a deputy keeps in contact with (联系选民). The phone is personal information."""

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="voter_contacts"
    )
    name = models.CharField(_("voter"), max_length=50)
    village = models.CharField(_("village or community"), max_length=80, blank=True)
    phone = PhoneField(_("phone"))
    since = models.DateField(_("in contact since"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope = MANDATE_RECORD_SCOPE

    class Meta:
        verbose_name = _("voter contact")
        verbose_name_plural = _("voter contacts")
        ordering = ["mandate", "since", "name"]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.mandate.person.audit_place()
