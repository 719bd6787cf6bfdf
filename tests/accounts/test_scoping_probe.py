"""The review's probe, on whichever database the suite runs (SQLite by default, PostgreSQL with
DATABASE_URL): paths through to-many relations give one row each, and a lookup outside the scope
is 404, never 500."""

from datetime import date

import pytest
from django.http import Http404

from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.roles import Role
from renda.deputies.models import Mandate, MandateLevel, Person
from tests import factories
from tests.scoping_probe.models import ProbeAssignment, ProbeCase


@pytest.fixture
def second_mandate(world):
    """Deputy A also sits in the county congress: one person, two mandates."""
    term = factories.TermFactory(county=world.county, township=None, number=18)
    return factories.MandateFactory(person=world.person_a, term=term, level=MandateLevel.COUNTY)


def case(world, title: str, **kwargs) -> ProbeCase:
    return ProbeCase.objects.create(
        county=world.county, township=world.township_a, title=title, filed_by=world.mandate_a, **kwargs
    )


def test_deputy_with_two_mandates_reads_each_row_once(world, second_mandate, client):
    filed = case(world, "修路建议")
    # Co-signed with both mandates: a plain join on the owner path would give the row twice.
    filed.cosigners.add(world.mandate_a, second_mandate)
    joined = ProbeCase.objects.unscoped().filter(cosigners__person__user=world.deputy_a)
    assert joined.count() == 2, "the probe needs a to-many path that repeats rows"

    assert list(scoped(ProbeCase, world.deputy_a)) == [filed]
    assert get_scoped_or_404(ProbeCase, world.deputy_a, uuid=filed.uuid) == filed
    assert set(scoped(Mandate, world.deputy_a)) == {world.mandate_a, second_mandate}
    assert list(scoped(Person, world.deputy_a)) == [world.person_a]
    assert list(scoped(ProbeCase, world.deputy_b)) == []
    with pytest.raises(Http404):
        get_scoped_or_404(ProbeCase, world.deputy_b, uuid=filed.uuid)

    # The pages and the API of a deputy holding two mandates: each mandate once, no 500.
    client.force_login(world.deputy_a)
    mandates = client.get("/api/v1/mandates").json()["items"]
    assert sorted(m["uuid"] for m in mandates) == sorted([str(world.mandate_a.uuid), str(second_mandate.uuid)])
    assert client.get(f"/api/v1/deputies/{world.person_a.uuid}").status_code == 200
    assert client.get(f"/api/v1/deputies/{world.person_b.uuid}").status_code == 404
    for url in (
        "/deputies/me/",
        f"/deputies/{world.person_a.uuid}/",
        f"/deputies/mandates/{second_mandate.uuid}/archive/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    me = client.get("/deputies/me/").content.decode()
    assert me.count(f"/deputies/mandates/{second_mandate.uuid}/archive/") == me.count(
        f"/deputies/mandates/{world.mandate_a.uuid}/archive/"
    )


def test_case_reaches_the_lead_and_co_agencies_once_and_no_one_else(world):
    county_handler = factories.UserFactory(role=Role.AGENCY_HANDLER, agency=world.county_agency)
    shared = case(world, "河道整治")
    # Agency A was assigned, handed the case back, and was assigned again as lead: two rows, one case.
    ProbeAssignment.objects.create(case=shared, agency=world.agency_a, is_lead=True, handed_back_on=date(2026, 3, 1))
    ProbeAssignment.objects.create(case=shared, agency=world.agency_a, is_lead=True)
    ProbeAssignment.objects.create(case=shared, agency=world.agency_b)
    # The county agency had it and handed it back: no longer its case.
    ProbeAssignment.objects.create(case=shared, agency=world.county_agency, handed_back_on=date(2026, 2, 1))

    for handler in (world.handler_x, world.handler_y):
        assert list(scoped(ProbeCase, handler)) == [shared], handler.username
        assert get_scoped_or_404(ProbeCase, handler, VIEW, uuid=shared.uuid) == shared
    assert list(scoped(ProbeCase, county_handler)) == []
    with pytest.raises(Http404):
        get_scoped_or_404(ProbeCase, county_handler, uuid=shared.uuid)
    # Nobody is an editor of the probe: a change is refused to the agencies as to everyone.
    with pytest.raises(Http404):
        get_scoped_or_404(ProbeCase, world.handler_x, CHANGE, uuid=shared.uuid)


def test_system_reads_name_the_county_or_township(world):
    own = case(world, "甲镇的案子")
    other = ProbeCase.objects.create(
        county=world.county, township=world.township_b, title="乙镇的案子", filed_by=world.mandate_b
    )
    assert set(ProbeCase.objects.for_county(world.county)) == {own, other}
    assert list(ProbeCase.objects.for_township(world.township_b)) == [other]
    assert list(ProbeCase.objects.for_county(world.other_county)) == []
    assert set(Mandate.objects.for_township(world.township_a)) == {world.mandate_a}
