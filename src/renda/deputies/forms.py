import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.scoping import VIEW, scoped
from renda.core.forms import StyledForm, StyledModelForm, preselect_only_choice
from renda.organisations.models import DeputyGroup, Station, Term, Township, in_office_on

from . import contributions, importing, services
from .models import (
    ETHNIC_GROUPS,
    STARTING_EVENTS,
    DeputySettings,
    DutyRecord,
    LiaisonAssignment,
    Mandate,
    MandateEvent,
    MandateEventKind,
    MandateLevel,
    Person,
    PointRule,
    VoterContact,
)
from .models.people import ENDING_EVENTS
from .selectors import serving_on

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

STATUS_CHOICES = [("serving", _("Serving")), ("ended", _("Ended")), ("all", _("All")), ("none", _("No mandate"))]
COMPOSITION_CHOICES = [
    ("", _("Any composition")),
    ("worker_farmer", _("Workers and farmers")),
    ("technical", _("Professional or technical staff")),
    ("leading_cadre", _("Leading cadres")),
    ("women", _("Women")),
    ("minority", _("Ethnic minorities")),
    ("reelected", _("Re-elected")),
    ("non_communist", _("Not members of the Communist Party")),
    ("returned_overseas", _("Returned overseas Chinese")),
]
ORDER_CHOICES = [("strokes", _("By surname strokes")), ("pinyin", _("By pinyin"))]


class RosterFilterForm(StyledForm):
    q = forms.CharField(label=_("Name, pinyin or initials"), required=False, max_length=50)
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any township"),
    )
    group = forms.ModelChoiceField(
        label=_("Deputy group"),
        queryset=DeputyGroup.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any deputy group"),
    )
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Station.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any station"),
    )
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("Any level")), *MandateLevel.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    composition = forms.ChoiceField(label=_("Composition"), choices=COMPOSITION_CHOICES, required=False)
    as_of = forms.DateField(label=_("Roster as of"), required=False, widget=DATE_INPUT)
    order = forms.ChoiceField(label=_("Order"), choices=ORDER_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        townships = scoped(Township, user, VIEW).order_by("division_code", "name")
        self.fields["township"].queryset = townships
        township = preselect_only_choice(self, "township") or _chosen(townships, self.data.get("township"))
        # County staff filter by township first: the groups and stations offered are that township's,
        # not the county's thousand (without a township, only the one asked for, as a link gives it).
        for name, model in (("group", DeputyGroup), ("station", Station)):
            units = scoped(model, user, VIEW).select_related("township")
            if township is not None:
                units = units.filter(township=township)
            else:
                units = units.filter(uuid=_uuid(self.data.get(name)))
            self.fields[name].queryset = units
            self.fields[name].label_from_instance = lambda unit: f"{unit.township.name} · {unit.name}"


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _chosen(townships, value) -> Township | None:
    key = _uuid(value)
    return townships.filter(uuid=key).first() if key else None


class PersonForm(StyledModelForm):
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=[(name, name) for name in ETHNIC_GROUPS])

    class Meta:
        model = Person
        fields = [
            "township",
            "full_name",
            "gender",
            "ethnicity",
            "birth_date",
            "birth_date_precision",
            "party",
            "education",
            "workplace",
            "occupation",
            "phone",
            "address",
            "id_number",
            "note",
        ]
        widgets = {"birth_date": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["township"].queryset = scoped(Township, user, VIEW)

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        if value:
            conflict = services.id_number_conflict(id_number=value, actor=self.user, exclude_pk=self.instance.pk)
            if conflict:
                raise ValidationError(conflict)
        return value


class MandateForm(StyledModelForm):
    starts_on = forms.DateField(label=_("Elected on"), widget=DATE_INPUT)
    start_kind = forms.ChoiceField(
        label=_("How"), choices=[(k.value, k.label) for k in MandateEventKind if k in STARTING_EVENTS]
    )
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)

    class Meta:
        model = Mandate
        fields = [
            "term",
            "level",
            "deputy_number",
            "constituency",
            "group",
            "station",
            "is_worker_farmer",
            "is_technical",
            "is_leading_cadre",
            "is_reelected",
            "is_returned_overseas",
        ]

    def __init__(self, *args, user, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = scoped(Term, user, VIEW).select_related("township", "county")
        self.fields["group"].queryset = scoped(DeputyGroup, user, VIEW).filter(township=township)
        self.fields["station"].queryset = scoped(Station, user, VIEW).filter(township=township)
        if self.instance.pk:
            for name in ("starts_on", "start_kind", "document_number"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        term, number = cleaned.get("term"), cleaned.get("deputy_number")
        if term and number:
            clash = Mandate.objects.unscoped().filter(term=term, deputy_number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("deputy_number", _("Another deputy of this term has this deputy card number."))
        return cleaned


class MandateEventForm(StyledModelForm):
    kind = forms.ChoiceField(
        label=_("Event"), choices=[(k.value, k.label) for k in MandateEventKind if k in ENDING_EVENTS]
    )

    class Meta:
        model = MandateEvent
        fields = ["kind", "date", "document_number", "note"]
        widgets = {"date": DATE_INPUT}


class LiaisonForm(StyledModelForm):
    class Meta:
        model = LiaisonAssignment
        fields = ["leader_name", "leader_title", "mandate", "since"]
        widgets = {"since": DATE_INPUT}

    def __init__(self, *args, user, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = (
            scoped(Mandate, user, VIEW)
            .filter(person__township=township)
            .filter(serving_on(timezone.localdate()))
            .select_related("person")
            .order_by("person__name_stroke_key")
        )
        self.fields["mandate"].label_from_instance = lambda m: f"{m.person.full_name} · {m.get_level_display()}"


class VoterContactForm(StyledModelForm):
    class Meta:
        model = VoterContact
        fields = ["name", "village", "phone", "since", "note"]
        widgets = {"since": DATE_INPUT}


class DeputySettingsForm(StyledModelForm):
    class Meta:
        model = DeputySettings
        fields = ["yearly_base_points", "min_voter_contacts"]


class PointRuleForm(StyledModelForm):
    kind = forms.ChoiceField(label=_("Kind of record"))

    class Meta:
        model = PointRule
        fields = ["kind", "amount", "yearly_cap", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in contributions.kinds()]
        if self.instance.pk:
            self.fields["kind"].disabled = True

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if self.instance.pk is None and PointRule.objects.for_county(self.instance.county).filter(kind=kind).exists():
            raise ValidationError(_("The county has a rule for this kind of record already."))
        return kind


class ContestForm(StyledForm):
    reason = forms.CharField(
        label=_("Why is this entry wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContestResolveForm(StyledForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    corrected_points = forms.DecimalField(
        label=_("Corrected points"),
        max_digits=7,
        decimal_places=1,
        required=False,
        help_text=_("If accepted: the points this record counts for. Empty removes them."),
    )
    note = forms.CharField(label=_("Answer to the deputy"), max_length=500, required=False)


class RosterImportForm(StyledForm):
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), to_field_name="uuid")
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), to_field_name="uuid")
    level = forms.ChoiceField(label=_("Level"), choices=MandateLevel.choices, initial=MandateLevel.TOWNSHIP)
    file = forms.FileField(label=_("Roster workbook (.xlsx)"))

    MAX_BYTES = 20 * 1024 * 1024

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = scoped(Township, user, VIEW).order_by("division_code", "name")
        self.fields["term"].queryset = scoped(Term, user, VIEW).select_related("township", "county")
        township = preselect_only_choice(self, "township")
        if township is not None and not self.initial.get("term"):
            # The township's term in office is the one a roster is almost always imported into.
            current = list(
                self.fields["term"].queryset.filter(in_office_on(timezone.localdate()), township=township)[:2]
            )
            if len(current) == 1:
                self.initial["term"] = current[0].uuid

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise ValidationError(_("This is not an Excel workbook (.xlsx)."))
        return upload

    def clean(self):
        cleaned = super().clean()
        township, term = cleaned.get("township"), cleaned.get("term")
        if township and term and term.township_id and term.township_id != township.pk:
            self.add_error("term", _("This term belongs to another township."))
        if term and cleaned.get("level") == MandateLevel.TOWNSHIP and not term.township_id:
            self.add_error("term", _("Township deputies belong to a township congress term."))
        return cleaned


class ColumnMappingForm(StyledForm):
    """One choice per column of an uploaded file: the roster column it holds, or 不导入. A column
    nobody recognised starts blank, so the form cannot be sent until the user decides."""

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = job.columns
        choices = [("", _("Choose what it holds")), *importing.field_choices()]
        for index, column in enumerate(self.columns):
            field = forms.ChoiceField(label=column["header"], choices=choices, initial=column["field"])
            field.widget.attrs["class"] = "form-select"
            self.fields[f"column_{index}"] = field

    def clean(self):
        cleaned = super().clean()
        taken: dict[str, str] = {}
        for index, column in enumerate(self.columns):
            field = cleaned.get(f"column_{index}")
            if not field or field == importing.IGNORE:
                continue
            if field in taken:
                self.add_error(
                    f"column_{index}",
                    _("“%(other)s” holds this already; choose another meaning or “%(ignore)s”.")
                    % {"other": taken[field], "ignore": _("Do not import")},
                )
            taken.setdefault(field, column["header"])
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {column["header"]: self.cleaned_data[f"column_{index}"] for index, column in enumerate(self.columns)}

    def rows(self):
        """Each column with its choice field and how it was decided, for the template."""
        return [(column, self[f"column_{index}"]) for index, column in enumerate(self.columns)]


CONGRESS_CHOICES = [(MandateLevel.TOWNSHIP, _("Township congress")), (MandateLevel.COUNTY, _("County congress"))]


class CompositionForm(StyledForm):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_INPUT)
    # A composition is one congress's: mixing levels would count a deputy of both congresses twice.
    level = forms.ChoiceField(label=_("Congress"), choices=CONGRESS_CHOICES, required=False)


class LeaderboardForm(StyledForm):
    """A board is one congress's: the township congress's deputies or the county congress's."""

    level = forms.ChoiceField(label=_("Congress"), choices=CONGRESS_CHOICES, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.ChoiceField(
        label=_("Period"),
        choices=[("", _("Whole year")), ("1", _("Q1")), ("2", _("Q2")), ("3", _("Q3")), ("4", _("Q4"))],
        required=False,
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any township"),
    )
    group = forms.ModelChoiceField(
        label=_("Deputy group"),
        queryset=DeputyGroup.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any deputy group"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        townships = scoped(Township, user, VIEW).order_by("division_code", "name")
        self.fields["township"].queryset = townships
        self.fields["group"].queryset = scoped(DeputyGroup, user, VIEW).select_related("township")
        self.fields["group"].label_from_instance = lambda g: f"{g.township.name} · {g.name}"
        # Someone who sees one township has one obvious board: its own congress, its own township.
        own = list(townships[:2])
        self.single_township = own[0] if len(own) == 1 else None
        if self.single_township is not None:
            self.fields["township"].empty_label = None
            self.default_level = MandateLevel.TOWNSHIP
        else:
            self.default_level = MandateLevel.COUNTY
        self.fields["level"].initial = self.default_level

    def board(self, *, today) -> dict:
        """The board asked for, with the defaults for what was left out."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or today.year,
            "quarter": int(data["quarter"]) if data.get("quarter") else None,
            "level": data.get("level") or self.default_level,
            "township": data.get("township"),
            "group": data.get("group"),
        }


class DutyRecordForm(StyledModelForm):
    class Meta:
        model = DutyRecord
        fields = ["kind", "date", "title", "evidence"]
        widgets = {"date": DATE_INPUT, "evidence": forms.Textarea(attrs={"rows": 3})}

    def clean_date(self):
        day = self.cleaned_data["date"]
        mandate = self.instance.mandate
        if day > timezone.localdate():
            raise ValidationError(_("The date is in the future; record a duty once it has been done."))
        if (mandate.starts_on and day < mandate.starts_on) or (mandate.ends_on and day >= mandate.ends_on):
            raise ValidationError(_("The date is outside this deputy's term of office."))
        return day
