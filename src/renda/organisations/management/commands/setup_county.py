from django.core.management.base import BaseCommand, CommandError

from renda.organisations import divisions
from renda.organisations.services import OrganisationError, county_create_from_division


class Command(BaseCommand):
    help = "Set up a county from its six-digit statistical division code, with all its townships."

    def add_arguments(self, parser):
        parser.add_argument("division_code")

    def handle(self, *args, division_code: str, **options):
        try:
            county = county_create_from_division(division_code=division_code, actor=None)
        except (OrganisationError, divisions.DivisionDataMissing) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{divisions.full_county_name(division_code)}：已建立 {county.townships.count()} 个乡镇（街道）。"
        )
