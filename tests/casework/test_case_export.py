"""The case list in Excel: the list's filters (``filters``), masked personal data
unless the unmasked route, the export role, a bounded number of queries."""

import io

import pytest
import python_calamine
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.casework import services as cases
from renda.casework.models import CaseSource


def cells(response) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


@pytest.fixture
def opinion(world):
    case = cases.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.CITIZEN_OPINION,
        title="菜市场噪音扰民",
        content="凌晨卸货噪音大。",
        citizen_name="钱多多",
        citizen_phone="13812345678",
    )
    return cases.assign(cases.accept(case, world.staff_a), world.staff_a, lead=world.agency_a)


def references(response) -> set[str]:
    return {row[1] for row in cells(response)[2:] if row and row[1]}


@pytest.mark.django_db
def test_export_holds_what_the_list_shows(client, world, opinion):
    client.force_login(world.county_admin)
    for params in (
        {},
        {"source": "citizen_opinion"},
        {"state": "handling"},
        {"state": "finished"},
        {"q": opinion.reference},
        {"township": str(world.township_b.uuid)},
        {"agency": str(world.agency_a.uuid)},
        {"year": str(opinion.received_on.year)},
        {"state": "x", "agency": "nope", "year": "12"},  # nonsense filters nothing, on both
    ):
        listed = {case.reference for case in client.get(reverse("casework:list"), params).context["page"]}
        assert references(client.get(reverse("casework:export"), params)) == listed, params
    assert opinion.reference in references(client.get(reverse("casework:export"), {"state": "handling"}))
    assert opinion.reference not in references(client.get(reverse("casework:export"), {"state": "finished"}))


@pytest.mark.django_db
def test_export_masked_by_default_and_scoped(client, world, opinion):
    client.force_login(world.staff_a)
    response = client.get(reverse("casework:export"), {"source": "citizen_opinion"})
    assert response.status_code == 200
    rows = cells(response)
    text = "\n".join(str(cell) for row in rows for cell in row)
    assert opinion.reference in text and "钱**" in text and "138****5678" in text
    assert "钱多多" not in text and "13812345678" not in text
    assert AuditEntry.objects.filter(event="export.casework.cases").exists()
    # The unmasked route asks for a reason first (a GET never gets the file).
    response = client.get(reverse("casework:export"), {"unmasked": "1"})
    assert response.status_code == 200 and "spreadsheetml" not in response["Content-Type"]
    response = client.post(reverse("casework:export") + "?unmasked=1", {"reason": "回访群众需要完整号码"})
    assert "spreadsheetml" in response["Content-Type"]
    assert "13812345678" in "\n".join(str(cell) for row in cells(response) for cell in row)
    # Township B sees none of township A's cases; agencies and deputies may not export.
    client.force_login(world.staff_b)
    assert opinion.reference not in "\n".join(str(c) for r in cells(client.get(reverse("casework:export"))) for c in r)
    for user in (world.handler_x, world.deputy_a):
        client.force_login(user)
        assert client.get(reverse("casework:export")).status_code == 403


@pytest.mark.django_db
def test_export_queries_are_bounded(client, world, opinion, django_assert_max_num_queries):
    client.force_login(world.county_admin)
    client.get(reverse("casework:export"))
    for index in range(5):
        cases.file_case(
            world.staff_a,
            township=world.township_a,
            source=CaseSource.RECESS_SUGGESTION,
            title=f"建议{index}",
            content="内容",
            signers=[world.mandate_a],
        )
    with django_assert_max_num_queries(25):
        assert client.get(reverse("casework:export")).status_code == 200
