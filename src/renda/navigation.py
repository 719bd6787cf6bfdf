"""The navigation bar: what each role works on. Entries are links only; every page enforces its own scope.

The apps declare their entries in ``core.registry.menu`` (see their apps.py); this module imports none of them."""

from django.utils.translation import gettext_lazy as _

from renda.core.registry import MenuEntry, menu_for

HOME = MenuEntry(code="home", label=_("Home"), url_name="home", order=0)


def items_for(user) -> list[MenuEntry]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [HOME, *menu_for(user)]


def navigation(request):
    return {"nav_items": items_for(getattr(request, "user", None))}
