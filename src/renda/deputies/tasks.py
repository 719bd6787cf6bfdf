"""Background work: roster imports and points. Tasks take primary keys and call a service."""

from django_tasks import task

from . import importing, services
from .models import ImportJob, ImportStatus


@task()
def import_check(job_pk: int) -> str:
    job = ImportJob.objects.unscoped().select_related("township", "term").get(pk=job_pk)
    if job.status == ImportStatus.VALIDATING:
        try:
            importing.check_job(job)
        except Exception:
            # Unreadable files are reported where they are read; this is for the unforeseen, which is
            # still raised for the log, but must not leave the page at "checking 0%" for ever.
            importing.check_failed(job)
            raise
    return job.status


@task()
def import_apply(job_pk: int) -> int:
    job = ImportJob.objects.unscoped().select_related("township", "term", "created_by").get(pk=job_pk)
    if job.status != ImportStatus.IMPORTING:
        return 0
    return importing.apply_job_or_fail(job)


@task()
def points_refresh(mandate_pks: list[int], source_type_pk: int, source_uuid: str) -> int:
    """Enqueued on commit when a record of a declared kind is saved or deleted (contributions)."""
    change = services.points_refresh(mandate_pks=mandate_pks, source_type_pk=source_type_pk, source_uuid=source_uuid)
    return change.created + change.updated + change.deleted
