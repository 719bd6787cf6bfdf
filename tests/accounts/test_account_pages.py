"""The account pages a new county needs (issue 8 item 3): the form keeps what was typed, agencies
show where they belong, and a deputy's account is linked to the deputy's record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from renda.accounts import services
from renda.accounts.models import AuditEntry, User
from renda.accounts.roles import Role
from tests import factories


def test_the_account_form_keeps_what_was_typed_on_an_error(client, world):
    client.force_login(world.sysadmin)
    response = client.post(reverse("accounts:user_create"), {"username": "staff_a", "full_name": "新来的专干"})
    body = response.content.decode()
    assert response.status_code == 200 and "新来的专干" in body and 'value="staff_a"' in body
    assert User.objects.filter(full_name="新来的专干").count() == 0


def test_agencies_are_listed_under_their_county_with_their_township(client, world):
    client.force_login(world.secadmin)
    body = client.get(reverse("accounts:user_authorisation", args=[world.handler_x.uuid])).content.decode()
    agencies = body[body.index('name="agency"') :]
    assert f'<optgroup label="{world.county.name}">' in agencies
    assert f"{world.agency_a.name}（甲镇）" in agencies and f"{world.county_agency.name}（县级）" in agencies


@pytest.fixture
def new_deputy(world):
    """A deputy's account that the security administrator has granted, not yet linked, and a
    person of township B without an account."""
    account = factories.UserFactory(username="deputy_c", role=Role.DEPUTY, county=world.county)
    person = factories.PersonFactory(township=world.township_b, full_name="丙代表")
    return account, person


def test_the_county_administrator_links_a_deputy_account_to_its_person(client, world, new_deputy):
    account, person = new_deputy
    client.force_login(world.county_admin)
    listing = client.get(reverse("accounts:user_list")).content.decode()
    row = listing[listing.index("deputy_c") : listing.index("</tr>", listing.index("deputy_c"))]
    assert "未关联代表信息" in row
    url = reverse("accounts:user_person_link", args=[account.uuid])
    page = client.get(url).content.decode()
    # People with an account already (person_a, person_b) are not offered.
    assert "丙代表（乙镇）" in page and world.person_a.full_name not in page
    assert client.post(url, {"person": person.pk}).status_code == 302
    person.refresh_from_db()
    assert person.user == account
    entry = AuditEntry.objects.get(event="accounts.user.person_link")
    assert (entry.actor, entry.data["person"]) == (world.county_admin, str(person.uuid))
    listing = client.get(reverse("accounts:user_list")).content.decode()
    row = listing[listing.index("deputy_c") : listing.index("</tr>", listing.index("deputy_c"))]
    assert "未关联代表信息" not in row
    # Unlinking frees the person again.
    assert client.post(url, {"person": ""}).status_code == 302
    person.refresh_from_db()
    assert person.user is None


def test_one_person_one_account(client, world, new_deputy):
    account, _person = new_deputy
    client.force_login(world.county_admin)
    url = reverse("accounts:user_person_link", args=[account.uuid])
    response = client.post(url, {"person": world.person_a.pk})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    with pytest.raises(ValidationError):
        services.user_person_link(user=account, person=world.person_a, actor=world.county_admin)
    assert User.objects.get(pk=world.deputy_a.pk).person == world.person_a


def test_a_person_of_another_county_is_refused(world, new_deputy):
    account, _person = new_deputy
    stranger = factories.PersonFactory(township=factories.TownshipFactory(county=world.other_county))
    with pytest.raises(PermissionDenied):
        services.user_person_link(user=account, person=stranger, actor=world.county_admin)
    assert not User.objects.filter(person=stranger).exists()


def test_only_the_county_office_links_people(client, world, new_deputy):
    account, person = new_deputy
    url = reverse("accounts:user_person_link", args=[account.uuid])
    # Administrators see no deputies' records; another county's administrator does not see the account.
    for username, status in {"sysadmin": 403, "secadmin": 403, "other_county_admin": 404, "staff_a": 404}.items():
        client.force_login(world.users[username])
        assert client.get(url).status_code == status, username
        assert client.post(url, {"person": person.pk}).status_code == status, username
    # Only deputies' accounts belong with a person.
    client.force_login(world.county_admin)
    assert client.get(reverse("accounts:user_person_link", args=[world.leader.uuid])).status_code == 403
    person.refresh_from_db()
    assert person.user is None
