"""The demo's notice board and reports to voters: notices on every township's board, reports for
about 60% of each congress's deputies."""

import random

import pytest

from renda.activities.models import VoterReport
from renda.demo.notices import seed_notices_and_reports
from renda.notices.models import Notice
from tests import factories

pytestmark = pytest.mark.django_db


def test_seeding_fills_every_board_and_reports(world):
    VoterReport.objects.unscoped().all().delete()
    for _ in range(9):
        factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term)
    counts = seed_notices_and_reports(world.county, random.Random(3))
    for township in (world.township_a, world.township_b):
        assert Notice.objects.unscoped().filter(township=township).count() == 2
    assert Notice.objects.unscoped().filter(county=world.county, township__isnull=True).count() == 2
    assert VoterReport.objects.unscoped().filter(township=world.township_a).count() == 6  # 60% of ten
    assert counts["held"] + counts["missed"] + counts["scheduled"] == VoterReport.objects.unscoped().count()
