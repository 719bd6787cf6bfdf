"""Background work: roster imports. Tasks take primary keys and call the import functions."""

from django_tasks import task

from . import importing
from .models import ImportJob, ImportStatus


@task()
def import_check(job_pk: int) -> str:
    job = ImportJob.objects.unscoped().select_related("township", "term").get(pk=job_pk)
    if job.status == ImportStatus.VALIDATING:
        importing.check_job(job)
    return job.status


@task()
def import_apply(job_pk: int) -> int:
    job = ImportJob.objects.unscoped().select_related("township", "term", "created_by").get(pk=job_pk)
    if job.status != ImportStatus.IMPORTING:
        return 0
    try:
        return importing.apply_job(job)
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
        raise
