from django.conf import settings
from django.core.management.base import BaseCommand

from renda.accounts.models import User

from .seed_demo import DEMO_PASSWORD

DEMO_USERNAMES = [
    "county_admin",
    "staff_a",
    "staff_b",
    "deputy_a",
    "handler_x",
    "leader",
    "sysadmin",
    "secadmin",
    "auditadmin",
]


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            return
        accounts = User.objects.filter(username__in=DEMO_USERNAMES).select_related("township", "agency", "county")
        if not accounts:
            return
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for user in sorted(accounts, key=lambda u: DEMO_USERNAMES.index(u.username)):
            scope = user.agency or user.township or user.county or "全系统"
            self.stdout.write(f"  {user.username:<14} {user.get_role_display():<8} {scope}  {user.full_name}")
