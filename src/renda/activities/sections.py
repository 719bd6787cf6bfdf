"""The parts of an activity's page (participants and sign-in, minutes, photos, findings…): each area
declares its part once, from ``ActivitiesConfig.ready()``, with ``context(activity, user)`` answering
None when the part is not for this user."""

from renda.core.registry import PageParts

parts = PageParts("activity page parts")
