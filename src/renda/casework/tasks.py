"""Background work for casework. Tasks take primary keys or dates and call a service."""

import datetime as dt

from django_tasks import task

from . import deadlines


@task()
def deadlines_recompute(first: str, last: str) -> int:
    """Enqueued when the working-day calendar changes: open cases' deadlines follow it."""
    return deadlines.recompute_open(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
