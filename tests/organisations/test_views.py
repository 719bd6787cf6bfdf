"""Managing the organisation tree in the app."""

from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.organisations.models import Agency, Station, Township


def test_staff_add_a_station_to_their_township_and_it_is_audited(client, world):
    client.force_login(world.staff_a)
    url = reverse("organisations:station_create", args=[world.township_a.uuid])
    response = client.post(
        url, {"name": "下村联络站", "kind": "station", "address": "下村", "reception_schedule": "每周三"}
    )
    assert response.status_code == 302
    station = Station.objects.get(name="下村联络站")
    assert station.township == world.township_a
    entry = AuditEntry.objects.get(event="organisations.station.create")
    assert (entry.actor, entry.target_id, entry.township_id) == (
        world.staff_a,
        str(station.uuid),
        world.township_a.pk,
    )


def test_invalid_form_keeps_what_was_typed(client, world):
    client.force_login(world.staff_a)
    url = reverse("organisations:station_create", args=[world.township_a.uuid])
    response = client.post(url, {"name": world.station_a.name, "kind": "station", "address": "保留的地址"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "保留的地址" in body
    assert "alert-danger" in body
    assert Station.objects.filter(name=world.station_a.name).count() == 1


def test_township_staff_add_agencies_to_their_own_township_only(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("organisations:agency_create"),
        {
            "name": "甲镇水利站",
            "kind": "station",
            "township": world.township_b.pk,
            "contact_phone": "13912345678",
        },
    )
    assert response.status_code == 302
    assert Agency.objects.get(name="甲镇水利站").township == world.township_a


def test_bad_phone_is_refused_with_a_message(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("organisations:agency_create"),
        {"name": "甲镇财政所", "kind": "station", "contact_phone": "123"},
    )
    assert response.status_code == 200
    assert not Agency.objects.filter(name="甲镇财政所").exists()


def test_county_admin_creates_and_edits_townships_staff_cannot(client, world):
    client.force_login(world.staff_a)
    assert client.get(reverse("organisations:township_create")).status_code == 403
    assert client.get(reverse("organisations:township_edit", args=[world.township_a.uuid])).status_code == 404
    client.force_login(world.county_admin)
    response = client.post(reverse("organisations:township_create"), {"name": "丙街道", "kind": "subdistrict"})
    assert response.status_code == 302
    township = Township.objects.get(name="丙街道")
    assert township.county == world.county and not township.has_congress


def test_deactivate_and_reactivate_a_station(client, world):
    client.force_login(world.staff_a)
    url = reverse("organisations:unit_set_active", args=["stations", world.station_a.uuid])
    assert client.post(url, {"active": "0", "next": "https://evil.example/"}).url == reverse("organisations:index")
    world.station_a.refresh_from_db()
    assert world.station_a.is_active is False
    client.post(url, {"active": "1"})
    world.station_a.refresh_from_db()
    assert world.station_a.is_active is True
    assert AuditEntry.objects.filter(target_id=str(world.station_a.uuid)).count() == 2
    assert (
        client.post(reverse("organisations:unit_set_active", args=["nothing", world.station_a.uuid])).status_code == 403
    )


def test_terms_only_for_townships_with_a_congress(client, world):
    subdistrict = Township.objects.create(county=world.county, name="丁街道", kind="subdistrict")
    client.force_login(world.county_admin)
    assert client.get(reverse("organisations:term_create", args=[subdistrict.uuid])).status_code == 403
    response = client.post(
        reverse("organisations:term_create", args=[world.township_a.uuid]),
        {"number": 13, "starts_on": "2027-01-01", "ends_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not world.township_a.terms.filter(number=13).exists()
