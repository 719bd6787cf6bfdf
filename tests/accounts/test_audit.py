"""The audit log: what is recorded, that it cannot be changed, and who may read it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from renda.accounts import audit
from renda.accounts.models import AuditEntry
from tests.factories import TEST_PASSWORD


def test_login_success_and_failure_are_recorded_with_address(client, world):
    client.post(reverse("accounts:login"), {"username": "staff_a", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("accounts:login"), {"username": "staff_a", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    failed, succeeded = AuditEntry.objects.order_by("id")
    assert (failed.event, failed.outcome, failed.actor, failed.data) == (
        "auth.login_failed",
        "failure",
        None,
        {"username": "staff_a"},
    )
    assert (succeeded.event, succeeded.actor, succeeded.ip_address) == (
        "auth.login",
        world.staff_a,
        "10.1.2.3",
    )
    assert len(succeeded.request_id) == 32
    assert "wrong" not in str(failed.data) and TEST_PASSWORD not in str(succeeded.data)


def test_logout_is_recorded(client, world):
    client.force_login(world.staff_a)
    client.post(reverse("accounts:logout"))
    assert AuditEntry.objects.filter(event="auth.logout", actor=world.staff_a).count() == 1


def test_entries_cannot_be_changed_or_deleted(world):
    entry = audit.record("test.event", actor=world.staff_a, target=world.township_a)
    assert (entry.county_id, entry.township_id) == (world.county.pk, world.township_a.pk)
    entry.event = "rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).event == "test.event"


def test_only_the_audit_administrator_reads_the_log(client, world):
    audit.record("test.event", actor=world.staff_a, target=world.township_a)
    for username in ("sysadmin", "secadmin", "county_admin", "staff_a"):
        client.force_login(world.users[username])
        assert client.get(reverse("accounts:audit_log")).status_code == 403, username
    client.force_login(world.auditadmin)
    response = client.get(reverse("accounts:audit_log"), {"event": "test.", "actor": "staff_a"})
    assert response.status_code == 200
    assert "test.event" in response.content.decode()


def test_audit_search_filters_and_survives_bad_input(client, world):
    audit.record("organisations.station.create", actor=world.staff_a, target=world.station_a)
    audit.record("organisations.station.create", actor=world.staff_b, target=world.station_b)
    client.force_login(world.auditadmin)
    body = client.get(reverse("accounts:audit_log"), {"actor": "staff_b"}).content.decode()
    assert world.station_b.name in body and world.station_a.name not in body
    assert client.get(reverse("accounts:audit_log"), {"since": "not-a-date", "page": "x"}).status_code == 200
