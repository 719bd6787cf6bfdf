"""The citizens' pages: a station's and a deputy's opinion form, the tracking code, the status page
without personal data, idempotent submission, ID numbers refused, rate limits answered with the
friendly 429 page, and the audited reveal of the call-back phone."""

import re
import threading
from datetime import UTC, datetime
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
import time_machine
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.casework import public
from renda.casework import services as cases
from renda.casework.models import Case, CaseSource, CaseState
from renda.core.tracking import ALPHABET

TOKEN = re.compile(r'name="token" value="([^"]+)"')
PHONE = "13912345678"


def station_url(world) -> str:
    return reverse("public:station", args=[world.station_a.uuid])


def form_token(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


def opinion(token: str, **extra) -> dict:
    return {
        "token": token,
        "title": "",
        "content": "村口路灯坏了三盏，晚上看不清路。",
        "name": "王小明",
        "phone": PHONE,
    } | extra


def submit(client, world, **extra):
    url = station_url(world)
    return client.post(url, opinion(form_token(client, url), **extra))


def test_a_station_page_files_one_citizen_opinion_with_a_tracking_code(client, world):
    response = submit(client, world)
    assert response.status_code == 200
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert case.tracking_code in response.content.decode()
    assert reverse("public:status", args=[case.tracking_code]) in response.content.decode()
    assert (case.station, case.township, case.citizen_name, case.citizen_phone) == (
        world.station_a,
        world.township_a,
        "王小明",
        PHONE,
    )
    assert case.title.startswith("村口路灯坏了") and case.state == CaseState.SUBMITTED
    assert case.created_by is None
    # At least 64 random bits: 16 characters of a 32-letter alphabet.
    assert len(case.tracking_code.replace("-", "")) * 5 >= 64
    assert all(char in ALPHABET for char in case.tracking_code.replace("-", ""))
    entry = AuditEntry.objects.get(event="casework.case.create", target_id=str(case.uuid))
    assert entry.data["channel"] == "qr"


def test_anonymous_opinion_keeps_no_name(client, world):
    submit(client, world, anonymous="on", phone="")
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert (case.citizen_name, case.citizen_phone) == ("", "")


def test_the_same_token_twice_makes_one_case_and_shows_the_same_code(client, world):
    url = station_url(world)
    data = opinion(form_token(client, url))
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 200
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert case.tracking_code in first.content.decode() and case.tracking_code in second.content.decode()


@pytest.mark.parametrize(
    "field, value",
    [
        ("content", "我的身份证号是11010519491231002X，请回电"),
        ("name", "110105194912310021"),
        ("phone", "110105 19491231 002X"),
        ("title", "身份证 11010519491231002x"),
    ],
)
def test_text_that_looks_like_an_id_number_is_refused_in_every_field(client, world, field, value):
    response = submit(client, world, **{field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert "不要填写身份证号码" in body and "ID number" not in body
    assert not Case.objects.unscoped().filter(source=CaseSource.CITIZEN_OPINION).exists()
    # What was typed stays in the form (except what was refused, which is shown back too).
    assert "村口路灯坏了" in body or field == "content"


def test_a_bad_phone_is_refused_in_chinese_and_the_text_is_kept(client, world):
    response = submit(client, world, phone="12345")
    body = response.content.decode()
    assert "不是有效的电话号码" in body and "村口路灯坏了三盏" in body
    assert not Case.objects.unscoped().filter(source=CaseSource.CITIZEN_OPINION).exists()


def test_an_empty_opinion_is_refused(client, world):
    response = submit(client, world, content="  ")
    assert response.status_code == 200
    assert not Case.objects.unscoped().filter(source=CaseSource.CITIZEN_OPINION).exists()


def test_an_expired_token_asks_to_send_again_keeping_the_text(client, world):
    response = client.post(station_url(world), opinion("not-a-token"))
    assert response.status_code == 200
    assert "村口路灯坏了三盏" in response.content.decode()
    assert not Case.objects.unscoped().filter(source=CaseSource.CITIZEN_OPINION).exists()


def test_unknown_station_deputy_or_code_is_a_friendly_404(client, world):
    import uuid

    for url in (
        reverse("public:station", args=[uuid.uuid4()]),
        reverse("public:deputy", args=[uuid.uuid4()]),
        reverse("public:status", args=["7K3M-Q9XD-2HTA-PW4E"]),
        reverse("public:status", args=["nonsense"]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "casework/public/not_found.html" in [t.name for t in response.templates]


def test_a_deputys_page_shows_name_and_station_but_no_personal_data(client, world):
    person = world.mandate_a.person
    person.phone = "13700001111"
    person.save()
    url = reverse("public:deputy", args=[world.mandate_a.uuid])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert person.full_name in body and world.station_a.name in body
    for private in ("13700001111", "1370", person.id_number, str(person.uuid)):
        assert private not in body
    token = TOKEN.search(body).group(1)
    client.post(url, opinion(token))
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert (case.township, case.station) == (world.township_a, world.station_a)


def test_a_deputy_no_longer_serving_has_no_page(client, world):
    from datetime import date

    mandate = world.mandate_a
    mandate.ends_on = date(2020, 1, 1)
    mandate.starts_on = date(2016, 1, 1)
    mandate.save()
    assert client.get(reverse("public:deputy", args=[mandate.uuid])).status_code == 404


def answered_citizen_case(world):
    case = cases.file_case(
        None,
        township=world.township_a,
        source=CaseSource.CITIZEN_OPINION,
        title="桥面破损",
        content="东桥桥面破损。",
        station=world.station_a,
        citizen_name="李四喜",
        citizen_phone=PHONE,
    )
    case = cases.accept(case, world.staff_a)
    case = cases.assign(case, world.staff_a, lead=world.agency_a)
    case = cases.agency_accept(case, world.handler_x)
    cases.answer(
        case,
        world.handler_x,
        reply_class="A",
        done_items="已修补桥面",
        public_text="桥面已于本月修补完毕。",
        consultation="phone",
        signer="赵主任",
        contact_name="周联系",
        contact_phone="13800009999",
    )
    return Case.objects.unscoped().get(pk=case.pk)


def test_the_status_page_shows_progress_and_answer_and_no_personal_data(client, world):
    world.handler_x.full_name = "孙承办"
    world.handler_x.save()
    world.staff_a.full_name = "吴干事"
    world.staff_a.save()
    case = answered_citizen_case(world)
    response = client.get(reverse("public:status", args=[case.tracking_code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "桥面已于本月修补完毕" in body and "A类" in body
    for private in (
        "李四喜",
        PHONE,
        PHONE[-4:],
        "孙承办",
        "吴干事",
        "handler_x",
        "staff_a",
        "赵主任",
        "周联系",
        "13800009999",
    ):
        assert private not in body, private
    assert str(case.uuid) not in body


def test_the_citizen_rates_the_answer_on_the_status_page(client, world):
    case = answered_citizen_case(world)
    url = reverse("public:status", args=[case.tracking_code])
    assert "handling" in client.get(url).content.decode()
    response = client.post(url, {"handling": "satisfied", "result": "basic", "comment": "谢谢"})
    assert response.status_code == 200
    rating = case.ratings.get()
    assert (rating.mandate, rating.handling, rating.result, rating.rated_by) == (None, "satisfied", "basic", None)
    case.refresh_from_db()
    assert case.state == CaseState.RATED
    # Once rated, a second rating is refused politely.
    again = client.post(url, {"handling": "unsatisfied", "result": "unsatisfied"})
    assert again.status_code == 200 and case.ratings.count() == 1


def test_a_code_typed_loosely_is_found(client, world):
    case = answered_citizen_case(world)
    typed = case.tracking_code.lower().replace("-", " ")
    response = client.get(reverse("public:lookup"), {"code": typed})
    assert response.status_code == 302 and response.url == reverse("public:status", args=[case.tracking_code])
    bad = client.get(reverse("public:lookup"), {"code": "abc"})
    assert bad.status_code == 200 and "16" in bad.content.decode()


# Frozen inside a minute: the test is about the count, not about where a window boundary falls.
@time_machine.travel(datetime(2026, 3, 4, 9, 30, 10, tzinfo=UTC), tick=False)
def test_a_crowd_behind_one_address_gets_through_and_excess_gets_the_friendly_429(client, world, settings):
    settings.RENDA_PUBLIC_RATE_PER_MINUTE = "5/m"
    url = station_url(world)
    statuses = [
        client.post(url, opinion(form_token(client, url)), REMOTE_ADDR="10.0.0.7").status_code for _ in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2
    refused = client.post(url, opinion(form_token(client, url)), REMOTE_ADDR="10.0.0.7")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "errors/429.html" in [t.name for t in refused.templates]
    assert Case.objects.unscoped().filter(source=CaseSource.CITIZEN_OPINION).count() == 5
    assert client.post(url, opinion(form_token(client, url)), REMOTE_ADDR="10.0.0.8").status_code == 200


@time_machine.travel(datetime(2026, 3, 4, 9, 30, 10, tzinfo=UTC), tick=False)
def test_a_station_is_limited_across_addresses(client, world, settings):
    settings.RENDA_PUBLIC_RATE_PER_STATION = "3/h"
    url = station_url(world)
    statuses = [
        client.post(url, opinion(form_token(client, url)), REMOTE_ADDR=f"10.0.1.{n}").status_code for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


@time_machine.travel(datetime(2026, 3, 4, 9, 30, 10, tzinfo=UTC), tick=False)
def test_guessing_codes_is_rate_limited(client, world, settings):
    settings.RENDA_PUBLIC_LOOKUP_RATE = "4/m"
    statuses = [client.get(reverse("public:status", args=[f"7K3M-Q9XD-2HTA-PW4{n}"])).status_code for n in range(6)]
    assert statuses == [404] * 4 + [429] * 2


# ---------------------------------------------------------------- the call-back phone


def reveal_url(case) -> str:
    return reverse("accounts:pii_reveal", args=["casework.case", case.uuid, "citizen_phone"])


def test_township_staff_and_the_handling_agency_reveal_the_phone_audited(client, world):
    case = answered_citizen_case(world)
    for user in (world.staff_a, world.handler_x):
        client.force_login(user)
        response = client.post(reveal_url(case), HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and PHONE in response.content.decode()
    entries = AuditEntry.objects.filter(event="pii.reveal", target_id=str(case.uuid), outcome="success")
    assert entries.count() == 2


def test_outsiders_and_deputies_only_see_the_mask(client, world):
    case = answered_citizen_case(world)
    for user in (world.staff_b, world.handler_y, world.deputy_a, world.leader):
        client.force_login(user)
        assert client.post(reveal_url(case)).status_code in (403, 404), user.username
    assert not AuditEntry.objects.filter(event="pii.reveal", outcome="success").exists()


def test_no_one_reveals_the_phone_once_the_case_is_finished(client, world):
    case = answered_citizen_case(world)
    public.rate_answer(case, handling="satisfied", result="satisfied")
    case = cases.close(Case.objects.unscoped().get(pk=case.pk), world.staff_a)
    for user in (world.staff_a, world.handler_x):
        client.force_login(user)
        assert client.post(reveal_url(case)).status_code in (403, 404)
    assert not AuditEntry.objects.filter(event="pii.reveal", outcome="success").exists()


def test_the_case_page_masks_the_phone_and_offers_the_reveal_only_to_those_who_may(client, world):
    case = answered_citizen_case(world)
    url = reverse("casework:detail", args=[case.uuid])
    client.force_login(world.staff_a)
    staff_html = client.get(url).content.decode()
    assert "李四喜" in staff_html and "139****5678" in staff_html and PHONE not in staff_html
    assert reveal_url(case) in staff_html and "reveal-citizen-phone" in staff_html
    client.force_login(world.leader)
    leader_html = client.get(url).content.decode()
    assert "139****5678" in leader_html and reveal_url(case) not in leader_html


# ---------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_of_the_public_form_produces_exactly_one_case(live_server):
    from tests.conftest import build_world

    world = build_world()
    url = f"{live_server.url}{station_url(world)}"
    with urlopen(url, timeout=10) as response:
        cookie = response.headers["Set-Cookie"]
        page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    token = TOKEN.search(page).group(1)
    body = urlencode(opinion(token)).encode()
    barrier = threading.Barrier(2)
    pages: list[str] = []

    def post():
        barrier.wait()
        headers = {"Cookie": f"csrftoken={csrf}", "X-CSRFToken": csrf, "Referer": url}
        with urlopen(Request(url, data=body, headers=headers), timeout=30) as answer:
            pages.append(answer.read().decode())

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pages) == 2
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert all(case.tracking_code in page for page in pages)


# ---------------------------------------------------------------- unit


def test_id_number_detection():
    assert public.looks_like_id_number("11010519491231002X")
    assert public.looks_like_id_number("身份证：110105-1949-1231-0021")
    assert not public.looks_like_id_number("电话13912345678，门牌12号")
    assert not public.looks_like_id_number("")


# ---------------------------------------------------------------- the public API


def post_api(client, payload: dict, key: str | None = "k-1", **extra):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/public/opinions", data=payload, content_type="application/json", headers=headers, **extra
    )


def api_opinion(world, **extra) -> dict:
    return {"station": str(world.station_a.uuid), "content": "河道有垃圾", "name": "", "phone": PHONE} | extra


def test_the_public_api_files_once_per_idempotency_key_without_an_account(client, world):
    first = post_api(client, api_opinion(world))
    again = post_api(client, api_opinion(world))
    assert first.status_code == again.status_code == 200
    assert first.json()["created"] and not again.json()["created"]
    code = first.json()["tracking_code"]
    assert again.json()["tracking_code"] == code
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert case.tracking_code == code and case.citizen_phone == PHONE
    # The same key with another text is another opinion: a key never returns someone else's code.
    other = post_api(client, api_opinion(world, content="另一条意见"))
    assert other.json()["tracking_code"] != code
    # The key may come in the body too.
    body_key = post_api(client, api_opinion(world, idempotency_key="k-2", content="第三条"), key=None)
    assert body_key.status_code == 200
    status = client.get(f"/api/v1/public/status/{code.lower()}")
    assert status.status_code == 200
    data = status.json()
    assert data["tracking_code"] == code and data["state"] and PHONE not in status.content.decode()


def test_the_public_api_refuses_bad_input_clearly(client, world):
    import uuid

    assert post_api(client, api_opinion(world), key=None).status_code == 400
    refused = post_api(client, api_opinion(world, content="身份证110105194912310021"))
    assert refused.status_code == 422 and "content" in refused.json()["errors"]
    assert post_api(client, api_opinion(world, phone="12")).status_code == 422
    assert post_api(client, api_opinion(world, station=str(uuid.uuid4()))).status_code == 404
    assert client.get("/api/v1/public/status/NOPE").status_code == 404
    assert not Case.objects.unscoped().filter(source=CaseSource.CITIZEN_OPINION).exists()


@time_machine.travel(datetime(2026, 3, 4, 9, 30, 10, tzinfo=UTC), tick=False)
def test_the_public_api_is_rate_limited(client, world, settings):
    settings.RENDA_PUBLIC_RATE_PER_MINUTE = "2/m"
    settings.RENDA_PUBLIC_LOOKUP_RATE = "2/m"
    statuses = [post_api(client, api_opinion(world, content=f"意见{n}"), key=f"k{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    lookups = [client.get("/api/v1/public/status/XXXX").status_code for _ in range(3)]
    assert lookups == [404, 404, 429]
    assert client.get("/api/v1/public/status/XXXX")["Retry-After"] == "60"


def test_an_opinion_answered_on_the_spot_shows_the_answer(client, world):
    case = cases.file_case(
        None,
        township=world.township_a,
        source=CaseSource.CITIZEN_OPINION,
        title="咨询低保政策",
        content="想了解低保申请条件。",
        citizen_name="陈某",
    )
    cases.handle_on_spot(case, world.staff_a, reply_text="已当面解释低保申请条件和所需材料。")
    body = client.get(reverse("public:status", args=[case.tracking_code])).content.decode()
    assert "已当面解释低保申请条件" in body and "陈某" not in body


def test_a_merged_opinion_follows_its_main_case(client, world):
    main = answered_citizen_case(world)
    other = cases.file_case(
        None, township=world.township_a, source=CaseSource.CITIZEN_OPINION, title="桥面", content="桥面坏了"
    )
    # Merging needs an open main case before its answer: merge a fresh one into a fresh main.
    fresh_main = cases.file_case(
        None, township=world.township_a, source=CaseSource.CITIZEN_OPINION, title="桥", content="东桥"
    )
    cases.merge(other, world.staff_a, into=fresh_main, reason="同一事项")
    body = client.get(reverse("public:status", args=[other.tracking_code])).content.decode()
    assert "合并" in body
    assert main.tracking_code not in body


def test_the_station_page_announces_the_coming_reception_days(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from renda.casework import reception

    reception.day_save(
        station=world.station_a,
        actor=world.staff_a,
        date=timezone.localdate() + timedelta(days=5),
        place="甲镇文化礼堂",
        deputies=[world.mandate_a],
    )
    body = client.get(station_url(world)).content.decode()
    title = body[body.index("<title>") : body.index("</title>")]
    assert world.station_a.name in title and "甲镇文化礼堂" not in title
    assert body.count("甲镇文化礼堂") == 1 and world.mandate_a.person.full_name in body
