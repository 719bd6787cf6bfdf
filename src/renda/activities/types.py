"""The activity types a county starts with: one per category, named as the speeches name them. The
county administrator renames, adds and retires types afterwards (``services_types``)."""

from __future__ import annotations

from typing import Any

from .models import ActivityCategory, ActivityType

DEFAULT_TYPES = (
    ("视察", ActivityCategory.INSPECTION),
    ("调研", ActivityCategory.INVESTIGATION),
    ("执法检查", ActivityCategory.ENFORCEMENT_CHECK),
    ("听取专项工作报告", ActivityCategory.WORK_REPORT),
    ("学习培训", ActivityCategory.STUDY),
    ("代表小组活动", ActivityCategory.GROUP),
    ("接待选民", ActivityCategory.RECEPTION),
    ("向选民述职", ActivityCategory.VOTER_REPORT),
    ("“五带头”活动", ActivityCategory.FIVE_LEADS),
    ("县镇联动活动", ActivityCategory.JOINT),
    ("其他活动", ActivityCategory.OTHER),
)


def ensure_default_types(county: Any, *, model: Any = ActivityType) -> None:
    """Give a county without types the usual ones (``model`` lets the data migration use its own)."""
    # The base manager: a system write, made inside a request too (a county set up on its page).
    if model._base_manager.filter(county_id=county.pk).exists():
        return
    model._base_manager.bulk_create(
        model(county_id=county.pk, name=name, category=category.value, order=index)
        for index, (name, category) in enumerate(DEFAULT_TYPES, 1)
    )


def on_county_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        ensure_default_types(instance)
