"""Issue 9 item 2: personal data leaves the server in full only through the audited reveal.

The world is given a known, distinct ID number, mobile number and address for every record that
holds one (deputies, voters kept in contact, agencies' contacts, every account). Then every page
and form of the crawl registry and every API read is requested by every persona, and the full
value of each known number must appear nowhere: not in HTML, not in a form's value, not in JSON,
not inside a downloaded workbook or document. Masked values (110105********002X) are expected.
"""

import io
import zipfile
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.core.forms import PersonalDataFormMixin
from renda.core.pii import PersonalInformationField
from renda.deputies.models import VoterContact
from renda.organisations.models import Agency
from tests import factories
from tests.crawl.urls import SAMPLES, page_url_names

# Each test gets the same numbers; every one is a valid number of its kind, so forms accept them.
ID_A, ID_B = "11010519491231002X", factories.valid_id_number(4242)
ADDRESS_A = "示范县甲镇东风路88号3幢201室"


def _give_known_values(world) -> dict[str, str]:
    """Set a distinct personal value on every record of the world; returns label -> full value."""
    known: dict[str, str] = {}
    serial = iter(range(1000, 2000))

    def phone() -> str:
        return f"139{next(serial):08d}"

    for side, person, id_number in (("a", world.person_a, ID_A), ("b", world.person_b, ID_B)):
        person.id_number, person.phone = id_number, phone()
        person.address = ADDRESS_A if side == "a" else "示范县乙镇西街7号"
        person.save()
        known[f"person_{side}.id_number"] = person.id_number
        known[f"person_{side}.phone"] = person.phone
        known[f"person_{side}.address"] = person.address
        contact = VoterContact.objects.create(
            mandate=getattr(world, f"mandate_{side}"), name=f"选民{side}", village="东村", since=date(2022, 1, 1)
        )
        contact.phone = phone()
        contact.save()
        known[f"voter_{side}.phone"] = contact.phone
    for agency in Agency.objects.all():
        agency.contact_phone = phone()
        agency.save()
        known[f"agency {agency.name}.contact_phone"] = agency.contact_phone
    for username, user in world.users.items():
        user.phone = phone()
        user.save()
        known[f"{username}.phone"] = user.phone
    assert len(set(known.values())) == len(known), "every known value must be distinct"
    return known


def _texts(response) -> list[str]:
    """The text of a response, and of every member of a downloaded workbook or document."""
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [archive.read(member).decode("utf-8", "replace") for member in archive.namelist()]
    return [content.decode("utf-8", "replace")]


def _leaks(response, known: dict[str, str]) -> list[str]:
    found = []
    for text in _texts(response):
        found += [label for label, value in known.items() if value in text or value.lower() in text]
    return found


def _api_urls(client, world) -> list[str]:
    """Every GET of the API, with the path filled by an object of township A."""
    client.force_login(world.staff_a)
    fill = {
        "/deputies/": world.person_a.uuid,
        "/mandates/": world.mandate_a.uuid,
        "/groups/": world.group_a.uuid,
        "/stations/": world.station_a.uuid,
        "/townships/": world.township_a.uuid,
    }
    urls = []
    for path, operations in client.get("/api/v1/openapi.json").json()["paths"].items():
        if "get" not in operations:
            continue
        for prefix, uuid in fill.items():
            if prefix in path:
                path = path.replace("{uuid}", str(uuid))
        urls.append(path)
    return urls


@pytest.fixture
def known(world):
    return _give_known_values(world)


def test_every_page_form_and_api_read_of_every_role_shows_no_full_personal_value(world, known):
    client = Client(raise_request_exception=False)
    pages = []
    for name in page_url_names():
        sample = SAMPLES[name]
        pages.append(reverse(name, kwargs=sample(world, "a") if sample else None))
    pages += _api_urls(client, world)
    leaks, seen = [], 0
    for username, user in world.users.items():
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code == 200:
                seen += 1
                leaks += [f"{username} GET {url}: {label}" for label in _leaks(response, known)]
    assert leaks == []
    # Guards the guard: the pages were read, and the masked forms of the values are on them.
    assert seen > 300
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:person_detail", args=[world.person_a.uuid])).content.decode()
    assert "110105********002X" in body


def test_the_reveal_is_the_one_way_to_the_full_value_and_it_is_audited(client, world, known):
    client.force_login(world.staff_a)
    url = reverse("accounts:pii_reveal", args=["deputies.person", world.person_a.uuid, "id_number"])
    assert ID_A in client.post(url).content.decode()
    entries = AuditEntry.objects.filter(event="pii.reveal", actor=world.staff_a)
    assert entries.filter(target_id=str(world.person_a.uuid)).exists()


@pytest.mark.parametrize(
    ("username", "url_name", "obj", "field"),
    [
        ("staff_a", "organisations:agency_edit", "agency_a", "contact_phone"),
        ("county_admin", "organisations:agency_edit", "agency_a", "contact_phone"),
        ("staff_a", "deputies:person_edit", "person_a", "id_number"),
        ("staff_a", "deputies:person_edit", "person_a", "phone"),
        ("staff_a", "deputies:person_edit", "person_a", "address"),
        ("sysadmin", "accounts:user_edit", "staff_a", "phone"),
    ],
)
def test_edit_forms_show_the_value_masked_as_placeholder_only(client, world, known, username, url_name, obj, field):
    """The probe's finding: the agency form pre-filled the contact phone for county and township
    staff, the account form the phone for the system administrator."""
    target = getattr(world, obj)
    target.refresh_from_db()
    client.force_login(world.users[username])
    body = client.get(reverse(url_name, args=[target.uuid])).content.decode()
    full = getattr(target, field)
    masked = target._meta.get_field(field).mask(full)
    assert full not in body
    assert f'placeholder="{masked}"' in body
    assert f'name="{field}__clear"' in body


def _agency_post(world, **personal) -> dict:
    agency = world.agency_a
    return {
        "name": agency.name,
        "kind": agency.kind,
        "township": agency.township.pk,
        "contact_name": "联系人",
        "version": agency.version,
        **personal,
    }


def test_blank_keeps_the_recorded_value(client, world, known):
    client.force_login(world.county_admin)
    before = Agency.objects.get(pk=world.agency_a.pk).contact_phone
    response = client.post(
        reverse("organisations:agency_edit", args=[world.agency_a.uuid]), _agency_post(world, contact_phone="")
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=world.agency_a.pk)
    assert agency.contact_phone == before
    assert agency.contact_name == "联系人"
    entry = AuditEntry.objects.filter(event__endswith="update", target_id=str(agency.uuid)).latest("id")
    assert "contact_phone" not in entry.data["fields"], "a kept value is not reported as changed"
    assert "contact_name" in entry.data["fields"]


def test_typing_replaces_the_recorded_value(client, world, known):
    client.force_login(world.county_admin)
    client.post(
        reverse("organisations:agency_edit", args=[world.agency_a.uuid]),
        _agency_post(world, contact_phone="139 0000 1111"),
    )
    agency = Agency.objects.get(pk=world.agency_a.pk)
    assert agency.contact_phone == "13900001111"
    entry = AuditEntry.objects.filter(event__endswith="update", target_id=str(agency.uuid)).latest("id")
    assert "contact_phone" in entry.data["fields"]


def test_the_clear_box_empties_the_value_and_not_together_with_a_new_one(client, world, known):
    client.force_login(world.county_admin)
    url = reverse("organisations:agency_edit", args=[world.agency_a.uuid])
    response = client.post(url, _agency_post(world, contact_phone="13900001111", contact_phone__clear="on"))
    assert response.status_code == 200
    assert "输入新值或清除已登记的值，不能同时进行" in response.content.decode()
    client.post(url, _agency_post(world, contact_phone="", contact_phone__clear="on"))
    agency = Agency.objects.get(pk=world.agency_a.pk)
    assert agency.contact_phone == ""
    entry = AuditEntry.objects.filter(event__endswith="update", target_id=str(agency.uuid)).latest("id")
    assert "contact_phone" in entry.data["fields"], "clearing is a change the audit log names"


def test_a_refused_new_value_keeps_the_old_one_and_says_why(client, world, known):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("organisations:agency_edit", args=[world.agency_a.uuid]), _agency_post(world, contact_phone="12345")
    )
    assert response.status_code == 200
    assert "电话号码" in response.content.decode()
    recorded = known[f"agency {world.agency_a.name}.contact_phone"]
    assert Agency.objects.get(pk=world.agency_a.pk).contact_phone == recorded


def test_every_model_form_with_a_personal_field_masks_it():
    """By construction: any model form of the platform that edits a personal field goes through
    PersonalDataFormMixin, so a new form cannot pre-fill a full number."""
    from django import forms

    import renda.accounts.forms  # noqa: F401
    import renda.deputies.forms  # noqa: F401
    import renda.organisations.forms  # noqa: F401

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    with_personal = []
    for form_class in set(subclasses(forms.ModelForm)):
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        if model is None or not form_class.__module__.startswith("renda."):
            continue
        personal = [
            name
            for name in form_class.base_fields
            if isinstance(getattr(model._meta, "_forward_fields_map", {}).get(name), PersonalInformationField)
        ]
        if personal:
            with_personal.append(form_class.__name__)
            assert issubclass(form_class, PersonalDataFormMixin), form_class
    assert {"AgencyForm", "PersonForm", "UserForm", "VoterContactForm"} <= set(with_personal)
