"""A GET changes nothing: every page the crawl registry knows, requested by every persona (and by
an anonymous visitor), leaves every table of the database as it was.

The comparison is a checksum of each table's rows, so an UPDATE is caught as well as an INSERT or
a DELETE. Only what a read writes by design is left out:

- the session table: the session is the visitor's own state (login clock, messages, CSRF);
- django-axes' tables: they record login attempts, which a page never makes;
- audit entries that record a read: a denial (``access.denied``, S15) and an export
  (``export.<kind>``, S31) are audited *because* they reveal or refuse data. An export approval
  (``export.approval.*``) is a change and stays compared, as does every other entry. A reveal of
  personal information (``pii.reveal``) is not left out: it is a POST (S30), never a GET.

The API's GET endpoints are not in the registry (tests/test_api.py crawls them); a bearer token
records when it was last used, as a login does.
"""

import hashlib

import pytest
from django.db import connection
from django.urls import reverse

from renda.accounts.models import AuditEntry

from .urls import SAMPLES, page_url_names

IGNORED_TABLE_PREFIXES = ("django_session", "axes_")
AUDITED_READS = (
    "event <> %s AND NOT (event LIKE %s AND event NOT LIKE %s)",
    ["access.denied", "export.%", "export.approval.%"],
)


def table_digests() -> dict[str, str]:
    """One digest of the rows of every table (the order rows come back in does not matter)."""
    digests = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table.startswith(IGNORED_TABLE_PREFIXES):
                continue
            sql, params = f"SELECT * FROM {connection.ops.quote_name(table)}", []
            if table == AuditEntry._meta.db_table:
                condition, params = AUDITED_READS
                sql += f" WHERE {condition}"
            cursor.execute(sql, params)
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


def test_the_checksum_sees_an_update(db):
    """Guards the guard: a changed value in an existing row changes the table's digest."""
    from renda.organisations.models import County

    county = County.objects.create(name="校验县", division_code="990199")
    before = table_digests()
    County.objects.filter(pk=county.pk).update(name="校验县二")
    assert changed_tables(before, table_digests()) == [County._meta.db_table]


def test_the_checksum_ignores_audited_reads_only(world):
    """A denial is a read and is left out; any other audit entry is a change and counts."""
    from renda.accounts import audit

    before = table_digests()
    audit.record("access.denied", actor=world.staff_a, target=world.person_b, outcome=audit.DENIED)
    audit.record_export(actor=world.staff_a, kind="deputies.roster", row_count=1)
    assert changed_tables(before, table_digests()) == []
    audit.record("deputies.person.update", actor=world.staff_a, target=world.person_a)
    assert changed_tables(before, table_digests()) == [AuditEntry._meta.db_table]


@pytest.mark.parametrize("name", page_url_names())
def test_get_changes_nothing(client, world, name):
    sample = SAMPLES[name]
    # The registry makes the rows a URL needs on first use: resolve the URL before the snapshot.
    url = reverse(name, kwargs=sample(world, "a") if sample else None)
    visitors = [None, *world.users.values()]
    for user in visitors:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        before = table_digests()
        response = client.get(url)
        assert response.status_code < 500
        who = user.username if user else "anonymous"
        assert changed_tables(before, table_digests()) == [], f"GET {name} as {who} wrote to the database"
