from django import template
from django.urls import reverse

from ..forms import ExportReasonForm

register = template.Library()


@register.inclusion_tag("accounts/_export_unmasked_form.html", takes_context=True)
def unmasked_export_form(context, url_name: str):
    """The form that asks for full values with a reason (a POST; see ``accounts.exports``), for the
    export at ``url_name`` with the page's current filter."""
    request = context["request"]
    query = request.GET.copy()
    query["unmasked"] = "1"
    return {
        "form": ExportReasonForm(auto_id="unmasked_%s"),
        "action": f"{reverse(url_name)}?{query.urlencode()}",
        "csrf_token": context.get("csrf_token"),
    }
