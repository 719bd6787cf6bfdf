"""Personal information: validation, masking by default, audited reveal."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from stdnum.cn import ric

from renda.accounts.models import AuditEntry
from renda.core.pii import explain_phone, mask_id_number, mask_phone, validate_id_number, validate_phone

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


def test_masks_keep_region_and_last_four():
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")  # the function expects a placeholder digit


@pytest.mark.parametrize(
    "value, message",
    [
        ("110105194912310021", "校验码"),
        ("1101051949123100", "18"),
        (with_check_digit("11010519491331002"), "出生日期"),
        (with_check_digit("99999919750307123"), "地区"),
        ("11010519491231002Y", "身份证"),
    ],
)
def test_bad_id_numbers_are_refused_in_chinese(value, message):
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    assert message in str(error.value.messages[0])


def test_valid_id_number_and_phones_pass():
    validate_id_number(ID_NUMBER)
    validate_id_number(ID_NUMBER.lower())
    # Born before 龙游县's code existed (1985), numbered with it when the card was issued.
    validate_id_number(with_check_digit("33082519620629066"))
    validate_phone("13912345678")
    validate_phone("+86 199 1234 5678")
    validate_phone("0570-7012345")
    with pytest.raises(ValidationError):
        validate_phone("12345")


def test_detail_page_shows_masked_values_only(client, world):
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:person_detail", args=[world.person_a.uuid])).content.decode()
    assert ID_NUMBER not in body and PHONE not in body
    assert "110105********002X" in body and "139****5678" in body
    assert not re.search(r"\b1[3-9]\d{9}\b", body)


def reveal_url(person, field="phone"):
    return reverse("accounts:pii_reveal", args=["deputies.person", person.uuid, field])


def test_staff_reveal_is_audited(client, world):
    client.force_login(world.staff_a)
    response = client.post(reveal_url(world.person_a), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert PHONE in response.content.decode()
    entry = AuditEntry.objects.get(event="pii.reveal")
    assert (entry.actor, entry.outcome, entry.target_id, entry.data) == (
        world.staff_a,
        "success",
        str(world.person_a.uuid),
        {"field": "phone"},
    )
    assert entry.township_id is None or entry.township_id == world.township_a.pk
    assert PHONE not in str(entry.data) and PHONE not in entry.target_label


def test_reveal_needs_post(client, world):
    client.force_login(world.staff_a)
    assert client.get(reveal_url(world.person_a)).status_code == 405


def test_leader_may_read_but_not_reveal(client, world):
    client.force_login(world.leader)
    assert client.post(reveal_url(world.person_a)).status_code == 403
    assert AuditEntry.objects.get(event="pii.reveal").outcome == "denied"


def test_deputy_may_reveal_own_values_only(client, world):
    client.force_login(world.deputy_a)
    assert client.post(reveal_url(world.person_a, "id_number")).status_code == 200
    assert client.post(reveal_url(world.person_b, "id_number")).status_code == 404


def test_only_personal_information_fields_can_be_revealed(client, world):
    client.force_login(world.staff_a)
    assert client.post(reveal_url(world.person_a, "full_name")).status_code == 404
    assert (
        client.post(reverse("accounts:pii_reveal", args=["auth.group", world.person_a.uuid, "name"])).status_code == 404
    )
    assert (
        client.post(reverse("accounts:pii_reveal", args=["nosuch.model", world.person_a.uuid, "x"])).status_code == 404
    )


def test_id_numbers_and_phones_are_encrypted_at_rest_and_found_by_blind_index(world):
    from django.db import connection

    from renda.core.pii import blind_index_of
    from renda.deputies.models import Person

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM deputies_person WHERE id = %s", [world.person_a.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert stored_id.startswith("v1:") and ID_NUMBER not in stored_id
    assert stored_phone.startswith("v1:") and PHONE not in stored_phone
    assert Person.objects.get(pk=world.person_a.pk).id_number == ID_NUMBER
    digest = blind_index_of(Person, "id_number", ID_NUMBER.lower())
    assert set(Person.objects.filter(id_number_index=digest)) == {world.person_a}


def test_same_value_encrypts_differently_each_time():
    from renda.core import crypto

    assert crypto.encrypt(PHONE) != crypto.encrypt(PHONE)
    assert crypto.decrypt(crypto.encrypt(PHONE)) == PHONE


@pytest.mark.parametrize(
    ("number", "explanation"),
    [
        ("13912345678", None),
        ("0570-7012345", None),  # a landline with its area code is a valid phone
        ("+86 139 1234 5678", None),
        ("139l2345678", "这里有“l”"),
        ("13912345678/0570", "这里有“/”"),
        ("1391234567", "手机号码应为 11 位，这里是 10 位。"),
        ("139123456789", "手机号码应为 11 位，这里是 12 位。"),
        ("12312345678", "没有以 123 开头的手机号码"),
        ("057070123", "座机号码由区号加 7 至 8 位号码组成"),
        ("8123456", "缺少区号"),
        ("12", "手机号码应为 11 位，这里是 2 位。"),
        ("99", "不是有效的电话号码"),
    ],
)
def test_a_refused_phone_number_says_what_is_wrong(number, explanation):
    found = explain_phone(number)
    if explanation is None:
        assert found is None
    else:
        assert explanation in found and number not in found  # the message never repeats the number
        with pytest.raises(ValidationError):
            validate_phone(number)
