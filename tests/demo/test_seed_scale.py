"""Data at scale (``seed_scale``): repeatable, consistent with the services' rules, and the
benchmark's personas see their data through the scope. Built small: two counties of three
townships with a few deputies and cases each."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.accounts.roles import Role
from renda.accounts.scoping import scoped
from renda.casework.models import Case, CaseEvent, CaseRating, CaseReply, CaseSigner, CaseState
from renda.core.pii import validate_id_number
from renda.demo.scale import Knobs, ScaleWorld, build, county_plan
from renda.deputies.models import Person, PointEntry
from renda.organisations.models import County

TODAY = date(2026, 11, 27)
SMALL = Knobs(deputies_per_township=10, cases_per_township=20)
TINY = Knobs(deputies_per_township=4, cases_per_township=8)


def small_world(seed: int = 1) -> ScaleWorld:
    return build(6, counties=2, seed=seed, knobs=SMALL, today=TODAY)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Built once for the module's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield small_world()
        transaction.set_rollback(True)


@pytest.fixture
def scale_world(built, db) -> ScaleWorld:
    return built


def snapshot() -> tuple[list, list, list]:
    people = list(Person.objects.unscoped().order_by("uuid").values_list("uuid", "full_name", "id_number", "phone"))
    cases = list(
        Case.objects.unscoped()
        .order_by("uuid")
        .values_list("uuid", "reference", "title", "state", "received_on", "answer_due_on", "tracking_code")
    )
    events = list(
        CaseEvent.objects.unscoped().order_by("case__uuid", "at", "transition").values_list("transition", "at")
    )
    return people, cases, events


def test_the_same_seed_gives_the_same_rows(db):
    """First in the module: it builds before the module's world exists."""

    def rows(seed: int) -> tuple[list, list, list]:
        with transaction.atomic():
            build(3, seed=seed, knobs=TINY, today=TODAY)
            taken = snapshot()
            transaction.set_rollback(True)
        return taken

    first = rows(1)
    assert first[1], "cases were generated"
    assert rows(1) == first
    assert rows(2)[0] != first[0]


def test_the_first_county_is_the_same_whatever_the_size():
    assert county_plan(15, 1)[0] == county_plan(1500, 100)[0]
    first, towns = county_plan(1500, 100)[0]
    assert first.name == "龙游县" and len(towns) == 15


def test_cases_agree_with_their_timeline(scale_world):
    cases = list(Case.objects.unscoped().prefetch_related("events", "replies", "ratings", "signers"))
    states = {case.state for case in cases}
    assert len(states) >= 5 and {CaseState.IN_PROGRESS, CaseState.CLOSED} <= states
    references = [(case.county_id, case.reference) for case in cases]
    assert len(set(references)) == len(references)
    for case in cases:
        events = sorted(case.events.all(), key=lambda e: e.at)
        assert events[0].transition == "submit" and events[0].from_state == CaseState.DRAFT
        # Each step starts where the one before it left the case, and the last leaves it in its state.
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_state == before.to_state, case.reference
        assert events[-1].to_state == case.state
        if case.state in (CaseState.ANSWERED, CaseState.RATED, CaseState.CLOSED):
            assert case.replies.count() == 1 and case.answered_on and case.rating_due_on
        if case.state in (CaseState.RATED, CaseState.CLOSED):
            raters = case.signers.count() + (1 if case.is_citizen_opinion else 0)
            assert case.ratings.count() == raters
        if case.state not in (CaseState.SUBMITTED, CaseState.REJECTED, CaseState.HANDLED_ON_SPOT):
            assert case.source == "session_suggestion" or case.assign_due_on
        if case.is_citizen_opinion:
            assert case.tracking_code and not case.signers.exists()
        else:
            assert case.signers.filter(is_lead=True).count() == 1
    assert CaseReply.objects.unscoped().exists() and CaseRating.objects.unscoped().exists()
    assert CaseSigner.objects.unscoped().filter(mandate=scale_world.mandate).exists()


def test_personal_information_is_stored_as_the_fields_store_it(scale_world):
    person = Person.objects.unscoped().order_by("pk").first()
    validate_id_number(person.id_number)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_number_index FROM deputies_person WHERE id = %s", [person.pk])
        stored_id, stored_phone, index = cursor.fetchone()
    assert person.id_number not in stored_id and person.phone not in stored_phone and index
    assert person.name_pinyin and person.name_stroke_key
    assert PointEntry.objects.unscoped().filter(county=scale_world.county).exists()


def test_one_audit_entry_for_the_whole_load(scale_world):
    entry = AuditEntry.objects.get(event="demo.seed")
    assert entry.data["command"] == "seed_scale" and entry.data["rows"] == sum(scale_world.rows.values())
    assert not AuditEntry.objects.filter(event__startswith="casework.").exists()


def test_personas_see_their_data_through_the_scope(scale_world, client_for):
    users = scale_world.users
    assert {key: user.role for key, user in users.items()} == {
        "county_admin": Role.COUNTY_ADMIN,
        "leader": Role.LEADER,
        "staff": Role.TOWNSHIP_STAFF,
        "deputy": Role.DEPUTY,
        "handler": Role.AGENCY_HANDLER,
    }
    township_cases = Case.objects.unscoped().filter(township=scale_world.township)
    assert set(scoped(Case, users["staff"])) == set(township_cases)
    assert scoped(Case, users["county_admin"]).count() == Case.objects.for_county(scale_world.county).count()
    assert scoped(Case, users["handler"]).exists()
    assert scoped(Case, users["deputy"]).exists()
    other = Case.objects.unscoped().exclude(county=scale_world.county).first()
    assert other is not None and County.objects.count() == 2
    client = client_for(users["county_admin"])
    assert client.get(reverse("casework:detail", args=[other.uuid])).status_code == 404
    assert client.get(reverse("casework:detail", args=[scale_world.case.uuid])).status_code == 200


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        ("county_admin", ["home", "casework:list", "deputies:roster", "activities:list"]),
        ("leader", ["home"]),
        ("staff", ["home", "casework:list", "case", "deputies:roster", "activities:list", "activity"]),
        ("deputy", ["home", "case"]),
        ("handler", ["home", "casework:inbox"]),
    ],
)
def test_the_personas_main_pages_answer(scale_world, client_for, persona, pages):
    client = client_for(scale_world.users[persona])
    case = Case.objects.unscoped().filter(signers__mandate=scale_world.mandate).first() if persona == "deputy" else None
    urls = {
        "case": reverse("casework:detail", args=[(case or scale_world.case).uuid]),
        "activity": reverse("activities:detail", args=[scale_world.activity.uuid]),
    }
    for page in pages:
        response = client.get(urls.get(page) or reverse(page))
        assert response.status_code == 200, (persona, page, response.status_code)


def test_the_command_refuses_a_database_with_counties_and_bad_sizes(scale_world, settings):
    settings.PRODUCTION = False  # CI's second run is the production profile, refused before these checks
    with pytest.raises(CommandError, match="空库"):
        call_command("seed_scale", "--townships", "3")
    with pytest.raises(CommandError, match="--size"):
        call_command("seed_scale")


def test_the_command_refuses_the_production_profile(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_scale", "--size", "county")
