from django import template

from ..permissions import may_reveal
from ..services import pii_field

register = template.Library()


@register.inclusion_tag("components/pii.html", takes_context=True)
def pii(context, obj, field: str, revealable: bool = True):
    """A personal-information value, masked, with a reveal button for those who may reveal it.

    Lists pass ``revealable=False``: checking the permission costs a query per row.
    """
    model_field = pii_field(type(obj), field)
    user = context["request"].user
    return {
        "obj": obj,
        "field": field,
        "model_label": obj._meta.label_lower,
        "masked": model_field.mask(getattr(obj, field)),
        "may_reveal": revealable and may_reveal(user, obj, field),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def masked(obj, field: str) -> str:
    return pii_field(type(obj), field).mask(getattr(obj, field))
