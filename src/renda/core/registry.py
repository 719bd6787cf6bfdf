"""Plug-in points: what an app adds to the shared parts of the site (the menu, the home page, the
JSON API) without editing them. Each app fills these registries from its ``AppConfig.ready()``::

    from renda.core import registry
    registry.menu.add(registry.MenuEntry(
        code="cases.list", label=_("Cases"), url_name="cases:list", order=400, visible=may_see_cases,
    ))

The root modules (navigation, home view, API) read the registries and import no app. Entries are
links and summaries only: every page still enforces its own scope. Core imports no domain app, so
every app can import this module without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.urls import reverse
from django.utils.functional import Promise


class _Entry(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def order(self) -> int: ...


E = TypeVar("E", bound=_Entry)


class Registry(Generic[E]):
    """Entries keyed by ``code`` and read in ``(order, code)`` order. Declaring one code twice with
    different entries is a programming error (two apps claiming one name) and fails at start-up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, E] = {}

    def add(self, entry: E) -> E:
        existing = self._entries.get(entry.code)
        if existing is not None and existing != entry:
            raise ValueError(f"{self.name}: {entry.code!r} is declared twice")
        self._entries[entry.code] = entry
        return entry

    def remove(self, code: str) -> None:
        """For tests that declare an entry of their own."""
        self._entries.pop(code, None)

    def get(self, code: str) -> E | None:
        return self._entries.get(code)

    def __iter__(self) -> Iterator[E]:
        return iter(sorted(self._entries.values(), key=lambda entry: (entry.order, entry.code)))


def _anyone(user) -> bool:
    return True


@dataclass(frozen=True)
class MenuEntry:
    """A link in the navigation bar, shown to the signed-in users for whom ``visible(user)`` holds."""

    code: str
    label: str | Promise
    url_name: str
    order: int
    visible: Callable[[Any], bool] = _anyone

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class HomeCard:
    """A part of the home page for users of some roles: ``template`` is included with the page's
    context plus ``card``, the dict ``context(user)`` returns (a read; the home page writes nothing)."""

    code: str
    template: str
    roles: frozenset[str]
    order: int
    context: Callable[[Any], dict] | None = None


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router mounted under /api/v1/<prefix>. It inherits the API's authentication."""

    code: str
    prefix: str
    router: Any
    order: int = 0


menu: Registry[MenuEntry] = Registry("menu")
home_cards: Registry[HomeCard] = Registry("home cards")
api_routers: Registry[ApiRouter] = Registry("API routers")


def menu_for(user) -> list[MenuEntry]:
    return [entry for entry in menu if entry.visible(user)]


def home_cards_for(user) -> list[tuple[HomeCard, dict]]:
    """The user's cards with their context, in page order."""
    return [(card, card.context(user) if card.context else {}) for card in home_cards if user.role in card.roles]


@dataclass(frozen=True)
class PagePart:
    """A part of an object's page (a meeting's attendance, an activity's photos…) that an area of an
    app declares once; ``context(obj, user)`` reads what it shows in a bounded number of queries and
    answers None when the part is not for this user or this object."""

    code: str
    label: str | Promise
    template: str
    order: int
    context: Callable[[Any, Any], dict | None]


class PageParts(Registry[PagePart]):
    """The parts of one kind of page, shown in order without the page importing them."""

    def for_object(self, obj: Any, user: Any) -> list[tuple[PagePart, dict]]:
        shown = []
        for part in self:
            context = part.context(obj, user)
            if context is not None:
                shown.append((part, context))
        return shown
