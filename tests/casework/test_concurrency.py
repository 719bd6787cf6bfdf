"""Concurrent edits of a case never overwrite each other silently: the version a form started from
(``StaleEdit``), the row lock on PostgreSQL (two steps at once: exactly one succeeds), and case
numbers unique per county however many filings run at once."""

import contextlib
import threading

import pytest
from django.db import connection, connections, transaction

from renda.accounts.roles import Role
from renda.casework import services
from renda.casework.models import Case, CaseEvent, CaseReply, CaseSource, CaseState
from renda.casework.workflow import IllegalTransition
from renda.core.locking import StaleEdit
from tests import factories
from tests.conftest import build_world

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time, so writers never overlap"
)
REPLY = {"reply_class": "A", "done_items": "已修复", "consultation": "phone", "signer": "王主任"}


def file(world, title="路灯损坏", **extra) -> Case:
    return services.file_case(
        extra.pop("actor", world.staff_a),
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title=title,
        content="主街路灯损坏多处。",
        signers=[world.mandate_a],
        **extra,
    )


# ---- the version: the second of two forms is refused --------------------------------------------


def test_two_staff_with_the_same_version_the_second_is_refused_and_nothing_is_overwritten(world):
    case = file(world)
    seen_by_both = case.version
    services.tag(case, world.staff_a, version=seen_by_both, is_key=True, key_leader="张县长", is_repeated=False)
    with pytest.raises(StaleEdit):
        services.tag(case, world.county_admin, version=seen_by_both, is_key=False, is_repeated=True)
    case.refresh_from_db()
    assert (case.is_key, case.key_leader, case.is_repeated) == (True, "张县长", False)
    assert case.version == seen_by_both + 1


def test_a_stale_form_is_refused_before_the_state_is_looked_at(world):
    case = file(world)
    version = case.version
    services.accept(case, world.staff_a, version=version, reason="属实")
    with pytest.raises(StaleEdit):
        services.reject(case, world.county_admin, version=version, reason="不予立案")
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    assert list(CaseEvent.objects.unscoped().filter(case=case).values_list("transition", flat=True)) == [
        "submit",
        "accept",
    ]


def test_every_step_moves_the_version_so_older_forms_go_stale(world):
    case = file(world)
    case = services.accept(case, world.staff_a, version=case.version)
    case = services.assign(case, world.staff_a, version=case.version, lead=world.agency_a)
    version = case.version
    services.add_note(case, world.handler_x, text="已勘查")  # a note moves it too
    with pytest.raises(StaleEdit):
        services.agency_accept(case, world.handler_x, version=version)


def test_the_case_number_retry_works_inside_an_outer_transaction(world, monkeypatch):
    """A filing that collides with a number taken meanwhile takes the next one, even inside the
    caller's transaction (the public form files inside ``claim_submission``'s): the failed INSERT
    is rolled back to its savepoint, and the transaction goes on."""
    first = file(world)
    real = services._next_reference
    calls = []

    def colliding(county_id, year):
        calls.append(1)
        return first.reference if len(calls) == 1 else real(county_id, year)

    monkeypatch.setattr(services, "_next_reference", colliding)
    with transaction.atomic():
        second = file(world, title="另一件")
        assert Case.objects.unscoped().filter(pk=second.pk).exists()  # the transaction is usable
    assert len(calls) == 2
    assert second.reference != first.reference
    assert Case.objects.unscoped().filter(reference=first.reference).count() == 1


# ---- PostgreSQL: real threads ------------------------------------------------------------------


def run_together(target, count: int) -> list[object]:
    """Run ``target(n)`` in ``count`` threads released at once; each result or exception, by n."""
    results: list[object] = [None] * count
    start = threading.Barrier(count, timeout=30)

    def run(n: int) -> None:
        try:
            start.wait()
            results[n] = target(n)
        except Exception as exc:  # reported by the caller
            results[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs"
    return results


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_assigning_at_once_exactly_one_succeeds():
    world = build_world()
    case = services.accept(file(world), world.staff_a)
    staff = [world.staff_a, world.county_admin]
    version = case.version
    results = run_together(lambda n: services.assign(case, staff[n], version=version, lead=world.agency_a), 2)
    assert sorted(type(result).__name__ for result in results) == ["Case", "StaleEdit"]
    case.refresh_from_db()
    assert case.state == CaseState.ASSIGNED and case.version == version + 1
    assert case.assignments.filter(handed_back_at__isnull=True).count() == 1
    assert CaseEvent.objects.unscoped().filter(case=case, transition="assign").count() == 1


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_handlers_answering_at_once_exactly_one_succeeds():
    world = build_world()
    colleague = factories.UserFactory(role=Role.AGENCY_HANDLER, agency=world.agency_a)
    case = services.assign(services.accept(file(world), world.staff_a), world.staff_a, lead=world.agency_a)
    handlers = [world.handler_x, colleague]
    # Without a version: the row lock alone makes the second wait and then see the answered case.
    results = run_together(lambda n: services.answer(case, handlers[n], **{**REPLY, "signer": f"签发{n}"}), 2)
    assert sorted(type(result).__name__ for result in results) == ["CaseReply", "IllegalTransition"]
    assert isinstance(next(r for r in results if not isinstance(r, CaseReply)), IllegalTransition)
    assert CaseReply.objects.unscoped().filter(case=case).count() == 1
    assert CaseEvent.objects.unscoped().filter(case=case, transition="answer").count() == 1


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_never_share_a_case_number():
    world = build_world()
    other_county_township = factories.TownshipFactory(county=world.other_county)
    threads, per_thread = 8, 5

    def filings(n: int) -> list[str]:
        references = []
        for i in range(per_thread):
            township = other_county_township if (n + i) % 4 == 0 else world.township_a
            # Inside an outer transaction, as the public form files inside claim_submission's.
            with transaction.atomic():
                case = services.file_case(
                    None,
                    township=township,
                    source=CaseSource.CITIZEN_OPINION,
                    title=f"意见{n}-{i}",
                    content="内容",
                )
            references.append((case.county_id, case.reference))
        return references

    results = run_together(filings, threads)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    filed = [pair for result in results for pair in result]
    assert len(filed) == len(set(filed)) == threads * per_thread
    assert Case.objects.unscoped().count() == threads * per_thread
    for county_id in {county for county, _ in filed}:
        numbers = sorted(int(ref.split("-")[1]) for county, ref in filed if county == county_id)
        assert numbers == list(range(1, len(numbers) + 1))  # no gaps, no duplicates


def test_filing_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    """A public submission's share (``make bench`` measures the whole): savepoint, number, case,
    two audit entries, the submission on the timeline, the signers whose points it may change,
    release; PostgreSQL adds the number lock. (The calendar's days are read once per process: read
    here first.)"""
    from django.utils import timezone

    from renda.casework import deadlines

    deadlines.assign_due(timezone.localdate())
    with django_assert_max_num_queries(9 if connection.vendor == "postgresql" else 8):
        case = services.file_case(
            None,
            township=world.township_a,
            source=CaseSource.CITIZEN_OPINION,
            title="路灯不亮",
            content="村口路灯不亮。",
            citizen_name="李四",
            citizen_phone="13912345678",
        )
    assert case.state == CaseState.SUBMITTED and case.version == 1
    assert [e.transition for e in CaseEvent.objects.unscoped().filter(case=case)] == ["submit"]


def test_one_seal_after_a_commit_serves_all_its_entries(world, django_capture_on_commit_callbacks):
    from renda.accounts.models import AuditEntry

    with django_capture_on_commit_callbacks(execute=True):
        case = services.file_case(
            None, township=world.township_a, source=CaseSource.CITIZEN_OPINION, title="路灯", content="不亮"
        )
    entries = AuditEntry.objects.unscoped().filter(target_id=str(case.uuid)).order_by("seq")
    assert [e.event for e in entries] == ["casework.case.create", "casework.case.submit"]
    assert all(e.seq is not None and len(e.entry_hash) == 64 for e in entries)
    assert entries[1].prev_hash == entries[0].entry_hash


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_merges_crossing_each_other_do_not_deadlock(monkeypatch):
    """A into B and B into A at once. Each merge holds its rows while the other starts (the gate
    before the case's lock): taken in different orders, the two would wait for each other."""
    from django.core.exceptions import ValidationError

    world = build_world()
    first, second = file(world, title="甲"), file(world, title="乙")
    gate, real_lock = threading.Barrier(2, timeout=3), services.lock

    def lock_after_the_other_started(*args, **kwargs):
        # Broken when the other merge waits for this one's rows instead.
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()
        return real_lock(*args, **kwargs)

    monkeypatch.setattr(services, "lock", lock_after_the_other_started)
    pairs = [(first, second), (second, first)]
    results = run_together(lambda n: services.merge(pairs[n][0], world.staff_a, into=pairs[n][1], reason="同一事项"), 2)
    merged = [result for result in results if isinstance(result, Case)]
    refused = [result for result in results if isinstance(result, ValidationError | IllegalTransition)]
    assert (len(merged), len(refused)) == (1, 1), results
    states = sorted(Case.objects.unscoped().filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == [CaseState.MERGED, CaseState.SUBMITTED]
