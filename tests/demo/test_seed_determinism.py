"""The demo county is repeatable: the same seed builds the same people and cases, another seed
other people (built without casework, which is the slow part and follows its own generator)."""

import random

from django.db import transaction

from renda.casework.models import Case
from renda.demo.management.commands.seed_demo import DemoCounty
from renda.deputies.models import Person


def test_same_seed_builds_the_same_people_and_cases(db):
    def build(seed: int, *, casework: bool = True) -> tuple[list, list]:
        with transaction.atomic():
            DemoCounty(random.Random(seed), casework=casework).build()
            people = list(
                Person.objects.order_by("township__division_code", "id").values_list("full_name", "id_number")
            )
            cases = list(
                Case.objects.order_by("township__division_code", "reference").values_list(
                    "reference", "title", "state", "received_on", "answer_due_on", "rehandle_count"
                )
            )
            transaction.set_rollback(True)
        return people, cases

    first = build(1)
    assert first[1], "the demo county has casework"
    assert build(1) == first
    assert build(2, casework=False)[0] != first[0]
