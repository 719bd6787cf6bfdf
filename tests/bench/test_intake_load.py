"""The load test's own pieces that need no gunicorn (``renda.bench.intake_load``): reading the
public form and the "received" page as rendered, finding the staff's case links, and the
comparison of acknowledged tracking codes with the database that decides lost, unexpected and
duplicated submissions. The load run itself is a measurement, not part of the suite."""

from django.urls import reverse

from renda.bench.intake_load import Acknowledged, case_links, hidden_fields, reconcile, tracking_code
from renda.casework.models import Case, CaseSource

TEXT = "村口路灯坏了三盏，晚上看不清路。"


def _filed(client, world) -> tuple[str, object]:
    url = reverse("public:station", args=[world.station_a.uuid])
    fields = hidden_fields(client.get(url).content.decode())
    form = {"token": fields["token"], "content": TEXT, "title": "", "name": "", "anonymous": "on", "phone": ""}
    return fields["token"], client.post(url, form)


def test_the_code_read_from_the_received_page_is_the_filed_case_s(client, world):
    token, response = _filed(client, world)
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert tracking_code(response.content.decode()) == case.tracking_code
    # What a re-submit of the same form reads: the first code again.
    url = reverse("public:station", args=[world.station_a.uuid])
    again = client.post(url, {"token": token, "content": TEXT, "title": "", "name": "", "anonymous": "on"})
    assert tracking_code(again.content.decode()) == case.tracking_code


def test_the_form_page_gives_its_tokens_and_no_tracking_code(client, world):
    page = client.get(reverse("public:station", args=[world.station_a.uuid])).content.decode()
    fields = hidden_fields(page)
    assert fields["token"] and fields["csrfmiddlewaretoken"]
    assert tracking_code(page) is None


def test_the_staff_reader_finds_the_case_pages_in_the_case_list(client, world, client_for):
    _filed(client, world)
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    listing = client_for(world.users["staff_a"]).get(reverse("casework:list")).content.decode()
    assert case_links(listing) == [reverse("casework:detail", args=[case.uuid])]


def test_every_acknowledged_code_stored_once_is_clean():
    acks = [Acknowledged("t1", "CODE-1", "甲"), Acknowledged("t2", "CODE-2", "乙")]
    result = reconcile(acks, [("CODE-1", "甲"), ("CODE-2", "乙")])
    assert result.clean
    assert (result.acknowledged, result.stored) == (2, 2)


def test_a_re_submit_answered_with_the_same_code_is_one_submission():
    acks = [Acknowledged("t1", "CODE-1", "甲"), Acknowledged("t1", "CODE-1", "甲")]
    assert reconcile(acks, [("CODE-1", "甲")]).clean


def test_an_acknowledged_code_missing_from_the_database_is_lost():
    result = reconcile([Acknowledged("t1", "CODE-1", "甲"), Acknowledged("t2", "CODE-2", "乙")], [("CODE-1", "甲")])
    assert result.lost == ["CODE-2"]
    assert not result.clean


def test_a_stored_case_nobody_was_told_about_is_unexpected():
    result = reconcile([Acknowledged("t1", "CODE-1", "甲")], [("CODE-1", "甲"), ("CODE-9", "丙")])
    assert result.unexpected == ["CODE-9"]
    assert not result.lost


def test_one_token_answered_with_two_codes_is_a_duplicate():
    acks = [Acknowledged("t1", "CODE-1", "甲"), Acknowledged("t1", "CODE-2", "甲")]
    result = reconcile(acks, [("CODE-1", "甲"), ("CODE-2", "甲")])
    assert result.duplicate_tokens == ["t1"]
    assert result.duplicate_contents == ["甲"]


def test_one_text_stored_twice_is_a_duplicate_even_if_unacknowledged():
    result = reconcile([Acknowledged("t1", "CODE-1", "甲")], [("CODE-1", "甲"), ("CODE-2", "甲")])
    assert result.duplicate_contents == ["甲"]
    assert result.unexpected == ["CODE-2"]


def test_one_code_answered_to_two_citizens_is_caught():
    acks = [Acknowledged("t1", "CODE-1", "甲"), Acknowledged("t2", "CODE-1", "乙")]
    result = reconcile(acks, [("CODE-1", "甲")])
    assert result.duplicate_codes == ["CODE-1"]
    assert result.mismatched == ["CODE-1"]
