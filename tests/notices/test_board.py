"""The notice board: staff post to their township's deputies, the county administrator to every
township or the chosen ones; a deputy sees the notice marked unread and confirms it with one button;
the sender sees who has read it and who has not; an outsider gets 404."""

import pytest

from renda.notices import services
from renda.notices.models import Notice, Recipient

pytestmark = pytest.mark.django_db


def compose(client, data):
    return client.post("/notices/new/", data)


def test_staff_post_to_their_deputies_who_confirm_reading(client_for, world):
    client = client_for(world.staff_a)
    response = compose(client, {"title": "甲镇学习通知", "kind": "study", "body": "周五下午集中学习"})
    notice = Notice.objects.unscoped().get(title="甲镇学习通知")
    assert response.status_code == 302 and notice.township == world.township_a
    assert list(notice.recipients.values_list("user__username", flat=True)) == ["deputy_a"]

    deputy = client_for(world.deputy_a)
    board = deputy.get("/notices/").content.decode()
    assert "甲镇学习通知" in board and "未读" in board
    page = deputy.get(f"/notices/{notice.uuid}/").content.decode()
    assert "周五下午集中学习" in page and "我已阅读" in page
    deputy.post(f"/notices/{notice.uuid}/read/")
    assert Recipient.objects.unscoped().get(notice=notice).read_at is not None
    assert "我已阅读" not in deputy.get(f"/notices/{notice.uuid}/").content.decode()

    sender = client_for(world.staff_a).get(f"/notices/{notice.uuid}/").content.decode()
    assert "谁已阅读" in sender and world.deputy_a.full_name in sender and "尚未阅读" not in sender


def test_the_sender_sees_who_has_not_read_and_the_delivery_error(client_for, world):
    notice = services.post(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        title="甲镇通知",
        body="正文",
        recipients=[world.deputy_a],
    )
    Recipient.objects.unscoped().filter(notice=notice).update(delivery_error="号码无效")
    page = client_for(world.staff_a).get(f"/notices/{notice.uuid}/").content.decode()
    assert "尚未阅读" in page and "号码无效" in page


def test_a_field_left_empty_gets_its_own_chinese_error_and_keeps_what_was_typed(client_for, world):
    response = compose(client_for(world.staff_a), {"title": "", "kind": "general", "body": "保留的正文"})
    page = response.content.decode()
    assert response.status_code == 200 and "请填写通知标题" in page and "保留的正文" in page
    assert not Notice.objects.unscoped().exists()


def test_the_county_administrator_posts_to_chosen_townships(client_for, world):
    client = client_for(world.county_admin)
    compose(client, {"title": "乙镇专项通知", "kind": "general", "body": "正文", "townships": [world.township_b.pk]})
    notice = Notice.objects.unscoped().get(title="乙镇专项通知")
    assert notice.township is None
    assert list(notice.recipients.values_list("user__username", flat=True)) == ["deputy_b"]
    compose(client, {"title": "全县通知", "kind": "general", "body": "正文"})
    everyone = Notice.objects.unscoped().get(title="全县通知")
    assert set(everyone.recipients.values_list("user__username", flat=True)) == {"deputy_a", "deputy_b"}
    # A township of another county is no choice.
    foreign = client_for(world.other_county_admin)
    response = compose(
        foreign, {"title": "越权", "kind": "general", "body": "正文", "townships": [world.township_a.pk]}
    )
    assert response.status_code == 200 and not Notice.objects.unscoped().filter(title="越权").exists()


def test_the_board_filters_by_kind_and_the_deputy_sees_only_their_own(client_for, world):
    services.post(
        None,
        county=world.county,
        township=world.township_a,
        title="甲镇会议通知",
        body="x",
        recipients=[world.deputy_a],
        kind="meeting",
    )
    services.post(
        None,
        county=world.county,
        township=world.township_a,
        title="甲镇学习资料",
        body="x",
        recipients=[world.deputy_a],
        kind="study",
    )
    services.post(
        None,
        county=world.county,
        township=world.township_b,
        title="乙镇会议通知",
        body="x",
        recipients=[world.deputy_b],
        kind="meeting",
    )
    deputy = client_for(world.deputy_a)
    page = deputy.get("/notices/?kind=meeting").content.decode()
    assert "甲镇会议通知" in page and "甲镇学习资料" not in page and "乙镇会议通知" not in page
    assert deputy.get("/notices/?kind=nonsense").status_code == 200


def test_withdrawing_takes_the_notice_off_the_deputies_board(client_for, world):
    notice = services.post(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        title="甲镇撤回",
        body="x",
        recipients=[world.deputy_a],
    )
    staff = client_for(world.staff_a)
    assert staff.post(f"/notices/{notice.uuid}/withdraw/", {}).status_code == 200  # the box not ticked
    staff.post(f"/notices/{notice.uuid}/withdraw/", {"confirm": "on"})
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None
    assert "甲镇撤回" not in client_for(world.deputy_a).get("/notices/").content.decode()


@pytest.mark.parametrize("outsider", ["staff_b", "deputy_b", "other_county_admin"])
def test_an_outsider_gets_404_on_every_page_of_a_notice(client_for, world, outsider):
    notice = services.post(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        title="甲镇内部",
        body="x",
        recipients=[world.deputy_a],
    )
    client = client_for(getattr(world, outsider))
    for url in (f"/notices/{notice.uuid}/", f"/notices/{notice.uuid}/withdraw/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/notices/{notice.uuid}/read/").status_code == 404


def test_the_home_page_shows_unread_notices_with_a_button_and_staff_see_how_many_have_not_read(client_for, world):
    notice = services.post(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        title="甲镇首页通知",
        body="x",
        recipients=[world.deputy_a],
    )
    home = client_for(world.deputy_a).get("/").content.decode()
    assert "甲镇首页通知" in home and "我已阅读" in home
    response = client_for(world.deputy_a).post(f"/notices/{notice.uuid}/read/", {"next": "home"})
    assert response.status_code == 302 and response.url == "/"
    assert "甲镇首页通知" not in client_for(world.deputy_a).get("/").content.decode()
    staff_home = client_for(world.staff_a).get("/").content.decode()
    assert "甲镇首页通知" in staff_home and "0 人未读" in staff_home
