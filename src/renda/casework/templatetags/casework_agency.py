"""What the detail page's agency, deputy and attachment partials need, computed for the signed-in
user from ``case`` alone, so the page that includes them passes nothing else::

    {% load casework_agency %}{% agency_actions case as actions %}
"""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from .. import inbox
from .. import permissions as may
from ..forms_agency import RateForm, rate_choices

register = template.Library()


@register.simple_tag(takes_context=True)
def agency_actions(context, case) -> inbox.CaseActions:
    """The agency's steps the user may take on ``case`` now."""
    return inbox.case_actions(context["request"].user, case)


@register.simple_tag(takes_context=True)
def deputy_rating(context, case) -> dict | None:
    """A signing deputy's rating of ``case``: ``state`` (``inbox.RatingState``) and, while the
    answer awaits their rating, a blank ``form``; None for anyone who did not sign the case."""
    user = context["request"].user
    if not may.may_rate(user, case):
        return None
    state = inbox.rating_state(user, case)
    form = None
    if state.awaiting:
        form = RateForm(initial={"next": context["request"].get_full_path()}, mandates=rate_choices(state))
    return {"state": state, "form": form}


@register.simple_tag(takes_context=True)
def case_attachments(context, case) -> dict:
    user = context["request"].user
    return {"files": inbox.attachments_of(user, case), "may_add": may.may_add_attachment(user, case)}


@register.simple_tag(takes_context=True)
def here(context) -> str:
    """The page being shown, for the forms' way back."""
    return context["request"].get_full_path()


@register.simple_tag
def attachment_rules() -> str:
    """The accepted types and size, from the settings the service checks against."""
    return _("Accepted file types: %(types)s; at most %(mb)s MB.") % {
        "types": "、".join(settings.RENDA_CASE_ATTACHMENT_TYPES),
        "mb": settings.RENDA_CASE_ATTACHMENT_MAX_MB,
    }
