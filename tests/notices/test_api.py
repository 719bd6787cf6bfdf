"""The notices API: a deputy lists their unread notices and confirms one; staff post and read who has
read; an outsider gets 404."""

import json

import pytest

from renda.accounts.services import api_token_create
from renda.notices import services
from renda.notices.models import Notice

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='手机端', actor=user)[1]}"}


def _notice(world):
    return services.post(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        title="甲镇接口通知",
        body="正文",
        recipients=[world.deputy_a],
    )


def test_a_deputy_lists_unread_notices_and_confirms_one(client, world):
    notice = _notice(world)
    phone = bearer(world.deputy_a)
    items = client.get("/api/v1/notices?unread=true", **phone).json()["items"]
    assert [(i["title"], i["unread"]) for i in items] == [("甲镇接口通知", True)]
    answer = client.post(f"/api/v1/notices/{notice.uuid}/read", **phone)
    assert answer.status_code == 200 and answer.json()["read_at"]
    assert client.get("/api/v1/notices?unread=true", **phone).json()["items"] == []


def test_staff_post_and_see_the_read_state(client, world):
    staff = bearer(world.staff_a)
    answer = client.post(
        "/api/v1/notices",
        data=json.dumps({"title": "接口发布", "body": "正文"}),
        content_type="application/json",
        **staff,
    )
    assert answer.status_code == 201
    notice = Notice.objects.unscoped().get(title="接口发布")
    rows = client.get(f"/api/v1/notices/{notice.uuid}/recipients", **staff).json()
    assert [(r["name"], r["read_at"]) for r in rows] == [(world.deputy_a.full_name, None)]
    empty = client.post(
        "/api/v1/notices", data=json.dumps({"title": "", "body": "正文"}), content_type="application/json", **staff
    )
    assert empty.status_code == 422 and "title" in empty.json()["errors"]
    refused = client.post(
        "/api/v1/notices",
        data=json.dumps({"title": "x", "body": "y"}),
        content_type="application/json",
        **bearer(world.deputy_a),
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("outsider", ["staff_b", "deputy_b", "other_county_admin"])
def test_an_outsider_gets_404(client, world, outsider):
    notice = _notice(world)
    headers = bearer(getattr(world, outsider))
    assert client.post(f"/api/v1/notices/{notice.uuid}/read", **headers).status_code == 404
    assert client.get(f"/api/v1/notices/{notice.uuid}/recipients", **headers).status_code == 404
