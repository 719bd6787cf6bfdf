"""Background delivery of notices beyond the platform (the notification backend)."""

from django_tasks import task

from . import services
from .models import Notice


@task()
def deliver_notice(notice_pk: int) -> int:
    notice = Notice.objects.unscoped().filter(pk=notice_pk, withdrawn_at__isnull=True).first()
    return services.deliver(notice) if notice else 0
