"""The demo county is repeatable: the same seed builds the same people, another seed others."""

import random

from django.db import transaction

from renda.demo.management.commands.seed_demo import DemoCounty
from renda.deputies.models import Person


def test_same_seed_builds_the_same_people(db):
    def build(seed: int) -> list[tuple[str, str]]:
        with transaction.atomic():
            DemoCounty(random.Random(seed)).build()
            people = list(
                Person.objects.order_by("township__division_code", "id").values_list("full_name", "id_number")
            )
            transaction.set_rollback(True)
        return people

    assert build(1) == build(1)
    assert build(1) != build(2)
