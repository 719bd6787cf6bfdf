"""Bootstrap an account without ``createsuperuser`` (S11): never a superuser, always one role."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from renda.accounts import services
from renda.accounts.roles import Role


class Command(BaseCommand):
    help = "Create an account with one role. The password is read from the terminal or RENDA_INITIAL_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument(
            "--role",
            required=True,
            choices=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.COUNTY_ADMIN],
        )
        parser.add_argument("--county", default="", help="division code of the county (county administrator only)")

    def handle(self, *args, username, full_name, role, county, **options):
        from renda.organisations.models import County

        county_obj = None
        if role == Role.COUNTY_ADMIN:
            county_obj = County.objects.unscoped().filter(division_code=county).first()
            if county_obj is None:
                raise CommandError(f"No county with division code {county!r}.")
        password = os.environ.get("RENDA_INITIAL_PASSWORD") or getpass.getpass("Password: ")
        try:
            user = services.account_create(
                username=username, full_name=full_name, role=role, password=password, county=county_obj
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
