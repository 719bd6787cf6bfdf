"""Forms of the meeting pages: the list's filters, planning and changing a meeting, cancelling it,
its notice, agenda, documents, participants and observers. They check what was typed; the rules
(the term, the numbering, one fifth of the deputies for an extra session…) are the services', whose
refusals are put back on these forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm
from renda.core.locking import VersionedFormMixin
from renda.deputies.models import Mandate
from renda.organisations.models import Township

from .models import AgendaKind, ExtraBasis, MeetingKind, MeetingState

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _mandate_label(mandate: Mandate) -> str:
    return mandate.person.full_name


def _requester_label(mandate: Mandate) -> str:
    return f"{mandate.person.full_name} · {mandate.person.township.name}"


class MeetingFilterForm(StyledForm):
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any township"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=[("", _("Any kind")), *MeetingKind.choices], required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any state")), *MeetingState.choices], required=False)

    def __init__(self, *args, townships, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["year"].choices = [("", _("Any year")), *((year, str(year)) for year in years)]


class PlanTimesMixin(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_datetime_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_INPUT, help_text=_("The meeting's last day."))
    venue = forms.CharField(label=_("Venue"), max_length=120, required=False)
    motion_deadline = forms.DateTimeField(
        label=_("Deadline for motions"),
        required=False,
        widget=_datetime_input(),
        help_text=_("Sessions only: motions are accepted until this time."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("County-level meetings only, e.g. the county standing committee's meeting."),
    )


class MeetingPlanForm(PlanTimesMixin, StyledForm):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), to_field_name="uuid")
    number = forms.IntegerField(
        label=_("Number within the term"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Leave empty for the next number; give it when entering earlier meetings of the term."),
    )
    extra_basis = forms.ChoiceField(
        label=_("Extra session"),
        choices=[("", _("No, a regular session")), *ExtraBasis.choices],
        required=False,
    )
    extra_requesters = forms.ModelMultipleChoiceField(
        label=_("Deputies asking for the extra session"),
        queryset=Mandate.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("At least one fifth of the deputies. Hold Ctrl (or ⌘) to choose several."),
    )

    field_order = [
        "kind",
        "township",
        "starts_at",
        "ends_on",
        "venue",
        "title",
        "number",
        "motion_deadline",
        "extra_basis",
        "extra_requesters",
    ]

    def __init__(self, *args, townships, requesters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        # The deputies on offer follow the township: htmx reloads the form when it changes.
        self.fields["township"].widget.attrs.update(
            {
                "hx-get": reverse("meetings:new"),
                "hx-trigger": "change",
                "hx-include": "#plan-form",
                "hx-target": "#plan-form",
                "hx-select": "#plan-form",
                "hx-swap": "outerHTML",
            }
        )
        field = self.fields["extra_requesters"]
        field.queryset = requesters
        field.label_from_instance = _requester_label  # type: ignore[attr-defined]


class MeetingEditForm(VersionedFormMixin, PlanTimesMixin, StyledForm):
    """The plan while it is being prepared; a session has no title, other meetings no deadline for motions."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.kind != MeetingKind.COUNTY:
            del self.fields["title"]
        else:
            self.fields["title"].required = True
        if meeting.kind != MeetingKind.SESSION:
            del self.fields["motion_deadline"]


class CancelForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoticeForm(VersionedFormMixin, StyledForm):
    text = forms.CharField(
        label=_("Meeting notice"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The expected deputies read it on their home page and on the meeting's page."),
    )


class AgendaItemForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of item"), choices=AgendaKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    presenter = forms.CharField(label=_("Presented by"), max_length=80, required=False)


class AgendaDocumentForm(StyledForm):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The types and size the service accepts (renda.core.uploads reads the same settings).
        self.fields["file"].help_text = gettext("Accepted file types: %(types)s; at most %(mb)s MB.") % {
            "types": "、".join(settings.RENDA_CASE_ATTACHMENT_TYPES),
            "mb": settings.RENDA_CASE_ATTACHMENT_MAX_MB,
        }


class ParticipantsForm(StyledForm):
    mandates = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Mandate.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["mandates"]
        field.queryset = choices
        field.label_from_instance = _mandate_label  # type: ignore[attr-defined]


class ObserverForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    position = forms.CharField(label=_("Workplace and position"), max_length=120, required=False)
