"""The break-glass superuser (S11): one account, disabled by default, enabled only in an
emergency. Enabling and disabling are audited, and the deployment check fails while it is on."""

from django.core.management.base import BaseCommand, CommandError

from renda.accounts import services
from renda.accounts.models import User


class Command(BaseCommand):
    help = "Enable or disable the break-glass superuser account (audited)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--enable", metavar="USERNAME")
        group.add_argument("--disable", metavar="USERNAME")
        parser.add_argument("--reason", default="", help="required to enable")

    def handle(self, *args, enable, disable, reason, **options):
        username = enable or disable
        user = User.objects.unscoped().filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        if enable and not reason.strip():
            raise CommandError("--reason is required to enable the break-glass account.")
        services.break_glass_set(user=user, enabled=bool(enable), reason=reason)
        state = "ENABLED — disable it as soon as the emergency is over" if enable else "disabled"
        self.stdout.write(f"Break-glass account {username}: {state}.")
