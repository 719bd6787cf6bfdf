"""Audit entries in words: the name of each event code and of each detail an entry carries, for the
pages of the audit and security administrators, who are not developers.

Each app declares the events it records, and the details it adds, from its ``AppConfig.ready()``::

    from renda.accounts import events
    events.register_events({"deputies.person.create": _("Deputy added"), ...})
    events.register_details({"new_people": _("New people"), "level": events.Detail(_("Level"), MandateLevel.choices)})

A code nobody declared is shown as it is, so a new event is never hidden (a test checks that every
event the code records has a name). Details are shown as labelled values; field names become the
fields' names (``id_number`` of a person → 身份证号).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext as _

Label = str | Promise
Words = Mapping[str, Label] | Iterable[tuple[str, Label]]


@dataclass(frozen=True)
class Detail:
    """A detail key's label and, for a detail holding a code, the words for its values: a choices
    list, or a function giving one when the values are only known once every app is ready. Several
    apps may give words for one key (``kind``); their vocabularies are read together."""

    label: Label
    words: Words | Callable[[], Words] | None = None


_events: dict[str, Label] = {}
_detail_labels: dict[str, Label] = {}
_detail_words: dict[str, list[Words | Callable[[], Words]]] = {}

# Details that hold field names of the entry's object; they are shown as the fields' names.
FIELD_DETAILS = {"field", "fields"}


def _declare(table: dict[str, Label], code: str, label: Label, what: str) -> None:
    existing = table.get(code)
    if existing is not None and str(existing) != str(label):
        raise ValueError(f"audit {what} {code!r} is declared twice with different names")
    table[code] = label


def register_events(labels: Mapping[str, Label]) -> None:
    """Name event codes (``{"auth.login": _("Logged in")}``). One code, one name across all apps."""
    for code, label in labels.items():
        _declare(_events, code, label, "event")


def register_details(labels: Mapping[str, Label | Detail]) -> None:
    """Name detail keys (``{"rows": _("Rows")}``), with a ``Detail`` where the value is a code."""
    for key, label in labels.items():
        detail = label if isinstance(label, Detail) else Detail(label)
        _declare(_detail_labels, key, detail.label, "detail")
        if detail.words is not None:
            _detail_words.setdefault(key, []).append(detail.words)


def _value_word(key: str, value: str) -> str:
    for source in _detail_words.get(key, ()):
        words = dict(source() if callable(source) else source)
        if value in words:
            return str(words[value])
    return value


def codes_named(text: str) -> list[str]:
    """The declared event codes whose name contains ``text``."""
    return [code for code, label in _events.items() if text in str(label)]


def event_label(code: str) -> str:
    """The event's name; the code itself for one nobody declared."""
    label = _events.get(code)
    return str(label) if label is not None else code


def _field_name(target_type: str, name: str) -> str:
    """The verbose name of field ``name`` of the model ``target_type`` ("deputies.person")."""
    try:
        model = apps.get_model(target_type)
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def field_path_label(path: str) -> str:
    """The model's and the field's names for a path: deputies.person.id_number → 人员 · 身份证号码."""
    app_label, model_name, field = (path.split(".", 2) + ["", ""])[:3]
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return path
    return f"{model._meta.verbose_name} · {_field_name(model._meta.label_lower, field)}"


def _word(value: Any, *, key: str, target_type: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "、".join(_word(item, key=key, target_type=target_type) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{label}：{word}" for label, word in describe(value, target_type=target_type))
    if key in FIELD_DETAILS and isinstance(value, str):
        return _field_name(target_type, value)
    if isinstance(value, str):
        return _value_word(key, value)
    return str(value)


def describe(data: Mapping[str, Any] | None, *, target_type: str = "") -> list[tuple[str, str]]:
    """An entry's details as (label, value) pairs in words, in the order they were recorded."""
    pairs = []
    for key, value in (data or {}).items():
        label = str(_detail_labels.get(key, key))
        pairs.append((label, _word(value, key=key, target_type=target_type)))
    return pairs
