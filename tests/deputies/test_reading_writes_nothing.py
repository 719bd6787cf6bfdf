"""Reading the point rules and the settings shows the defaults in force without storing them;
the first change stores them. (tests/crawl/test_get_is_safe.py checks every page for writes.)"""

from decimal import Decimal

from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.deputies import contributions
from renda.deputies.models import DeputySettings, PointRule


def test_rule_list_shows_defaults_without_storing_them(client, world):
    client.force_login(world.county_admin)
    response = client.get(reverse("deputies:rule_list"))
    assert response.status_code == 200
    assert not PointRule.objects.exists()
    shown = {rule.kind: rule.amount for rule, _label in response.context["rules"]}
    assert shown == {kind.code: kind.default_points for kind in contributions.kinds()}
    body = response.content.decode()
    assert "默认分值" in body
    assert f"{reverse('deputies:rule_create')}?kind=deputies.voter_contact" in body


def test_a_default_rule_is_stored_when_the_county_sets_it(client, world):
    client.force_login(world.county_admin)
    url = f"{reverse('deputies:rule_create')}?kind=deputies.voter_contact"
    form = client.get(url).context["form"]
    assert (form.initial["kind"], form.initial["amount"]) == ("deputies.voter_contact", Decimal(1))
    response = client.post(url, {"kind": "deputies.voter_contact", "amount": "2", "is_active": "on"})
    assert response.status_code == 302
    assert PointRule.objects.get(county=world.county, kind="deputies.voter_contact").amount == 2
    # Saving a rule recomputes the points, which puts every other kind's default in force too.
    rules = [rule for rule, _label in client.get(reverse("deputies:rule_list")).context["rules"]]
    assert all(rule.pk for rule in rules) and len(rules) == len(contributions.kinds())
    assert {rule.kind: rule.amount for rule in rules}["deputies.voter_contact"] == 2


def test_settings_are_stored_on_the_first_save_only(client, world):
    client.force_login(world.county_admin)
    form = client.get(reverse("deputies:settings_edit")).context["form"]
    assert (form.initial["yearly_base_points"], form.initial["min_voter_contacts"]) == (60, 5)
    assert not DeputySettings.objects.exists()
    client.force_login(world.deputy_a)
    assert client.get(reverse("deputies:my_work")).context["cards"][0]["min_contacts"] == 5
    assert not DeputySettings.objects.exists()
    client.force_login(world.county_admin)
    response = client.post(reverse("deputies:settings_edit"), {"yearly_base_points": "50", "min_voter_contacts": "3"})
    assert response.status_code == 302
    assert DeputySettings.objects.get(county=world.county).min_voter_contacts == 3
    assert AuditEntry.objects.filter(event="deputies.settings.update", actor=world.county_admin).exists()
    client.force_login(world.deputy_a)
    assert client.get(reverse("deputies:my_work")).context["cards"][0]["min_contacts"] == 3


def test_buttons_follow_the_named_checks(client, world):
    """The roster's export button for those who may export; the contests link for those who answer them."""
    export = reverse("deputies:roster_export")
    contests = reverse("deputies:contest_list")
    for username, may_export, may_resolve in (
        ("staff_a", True, True),
        ("county_admin", True, True),
        ("leader", False, False),
        ("deputy_a", False, False),
    ):
        client.force_login(world.users[username])
        assert (export in client.get(reverse("deputies:roster")).content.decode()) is may_export, username
        assert (contests in client.get(reverse("deputies:leaderboard")).content.decode()) is may_resolve, username
