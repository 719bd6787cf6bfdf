"""The staff's casework pages: the list, entering a case, the detail page and its steps, the
categories, the menu and the home card — for township staff, the county administrator and a
leader (read-only), with the outsiders refused, stale forms refused and typed input kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.casework import services
from renda.casework.models import Case, CaseCategory, CaseExtension, CaseRating, CaseSource, CaseState
from renda.core import registry

S = CaseState
STALE = "此记录已被他人修改"
OUTSIDERS = ("staff_b", "handler_y", "deputy_b", "other_county_admin")


def new_case(world, *, title="甲镇河道清淤建议", source=CaseSource.RECESS_SUGGESTION, **kwargs) -> Case:
    kwargs.setdefault("signers", [world.mandate_a] if source != CaseSource.CITIZEN_OPINION else [])
    return services.file_case(
        world.staff_a, township=world.township_a, source=source, title=title, content=f"{title}，详见内容。", **kwargs
    )


def assigned_case(world) -> Case:
    case = services.accept(new_case(world), world.staff_a)
    return services.assign(case, world.staff_a, lead=world.agency_a)


def answered_case(world) -> Case:
    case = services.agency_accept(assigned_case(world), world.handler_x)
    services.answer(case, world.handler_x, reply_class="A", done_items="已清淤", consultation="phone", signer="王主任")
    return Case.objects.unscoped().get(pk=case.pk)


def step(client, case: Case, code: str, data: dict | None = None, *, version: int | None = None, **extra):
    fields = {"version": case.version if version is None else version, **(data or {})}
    return client.post(
        reverse("casework:step", args=[case.uuid, code]),
        {f"{code}-{key}": value for key, value in fields.items()},
        **extra,
    )


def fresh(case: Case) -> Case:
    return Case.objects.unscoped().get(pk=case.pk)


# ---------------------------------------------------------------- pages per persona


@pytest.mark.parametrize("username", ["staff_a", "county_admin", "leader"])
def test_list_and_detail_for_staff_and_leader(client_for, world, username):
    case = world.rows["casework.case"]["a"][0]
    client = client_for(world.users[username])
    listing = client.get(reverse("casework:list"))
    assert listing.status_code == 200
    assert case.reference in listing.content.decode()
    detail = client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    for text in (case.title, "甲镇已更换路灯十二盏", "甲镇已安排维修队勘查", "甲镇需采购灯具", "甲镇满意", "A类"):
        assert text in detail, text
    # The timeline names each step.
    assert "立案" in detail and "交办" in detail


def test_leader_reads_only(client_for, world):
    case = world.rows["casework.case"]["a"][0]
    client = client_for(world.leader)
    page = client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert reverse("casework:step", args=[case.uuid, "close"]) not in page
    assert client.get(reverse("casework:new")).status_code == 403
    assert step(client, fresh(case), "close").status_code == 403
    assert client.get(reverse("casework:categories")).status_code == 403


def test_staff_see_the_steps_the_state_allows(client_for, world):
    case = new_case(world)
    page = client_for(world.staff_a).get(reverse("casework:detail", args=[case.uuid])).content.decode()
    for code in ("accept", "merge", "reject", "handle_on_spot", "tag"):
        assert reverse("casework:step", args=[case.uuid, code]) in page, code
    for code in ("assign", "close", "remind"):
        assert reverse("casework:step", args=[case.uuid, code]) not in page, code


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_on_side_a(client_for, world, username):
    case = world.rows["casework.case"]["a"][0]
    client = client_for(world.users[username])
    assert client.get(reverse("casework:detail", args=[case.uuid])).status_code == 404
    for code in ("tag", "close", "accept", "remind"):
        assert client.get(reverse("casework:step", args=[case.uuid, code])).status_code == 404
        assert step(client, fresh(case), code).status_code == 404
    assert fresh(case).state == S.RATED


def test_unknown_step_is_404(client_for, world):
    case = world.rows["casework.case"]["a"][0]
    assert client_for(world.staff_a).get(reverse("casework:step", args=[case.uuid, "fly"])).status_code == 404


# ---------------------------------------------------------------- the list


def test_list_filters_and_search(client_for, world):
    assert world.rows["casework.case"]["a"]
    overdue = new_case(world, title="甲镇超期事项")
    Case.objects.unscoped().filter(pk=overdue.pk).update(assign_due_on=timezone.localdate() - timedelta(days=2))
    key = new_case(world, title="甲镇重点事项")
    services.tag(key, world.staff_a, is_key=True, key_leader="李主任", is_repeated=False)
    client = client_for(world.staff_a)

    def titles(**query):
        return client.get(reverse("casework:list"), query).content.decode()

    page = titles(state="overdue")
    assert "甲镇超期事项" in page and "甲镇重点事项" not in page and "text-bg-danger" in page
    assert "甲镇重点事项" in titles(key="on") and "甲镇超期事项" not in titles(key="on")
    assert "甲镇超期事项" in titles(q="超期") and "甲镇重点事项" not in titles(q="超期")
    assert overdue.reference in titles(q=overdue.reference)
    assert "甲镇路灯损坏建议" in titles(agency=str(world.agency_a.uuid))
    assert "甲镇超期事项" not in titles(agency=str(world.agency_a.uuid))
    assert "甲镇超期事项" in titles(state="to_review", source=CaseSource.RECESS_SUGGESTION)
    assert "甲镇超期事项" not in titles(state="finished")
    # Filters it cannot read are ignored, not an error.
    assert client.get(reverse("casework:list"), {"year": "abc", "township": "x"}).status_code == 200


def test_list_shows_no_other_township(client_for, world):
    assert world.rows["casework.case"]["b"]
    page = client_for(world.staff_a).get(reverse("casework:list")).content.decode()
    assert "甲镇路灯损坏建议" in page and "乙镇路灯损坏建议" not in page
    county = client_for(world.county_admin).get(reverse("casework:list")).content.decode()
    assert "甲镇路灯损坏建议" in county and "乙镇路灯损坏建议" in county


def test_list_query_count_is_bounded(client_for, world, django_assert_max_num_queries):
    for number in range(30):
        case = new_case(world, title=f"甲镇事项{number}")
        if number % 3 == 0:
            services.assign(services.accept(case, world.staff_a), world.staff_a, lead=world.agency_a)
    client = client_for(world.county_admin)
    client.get(reverse("casework:list"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("casework:list"), {"state": "open"})
    assert "甲镇事项29" in response.content.decode()


# ---------------------------------------------------------------- a new case


def test_staff_enter_a_deputys_suggestion(client_for, world):
    client = client_for(world.staff_a)
    assert client.get(reverse("casework:new")).status_code == 200
    category = world.rows["casework.casecategory"]["a"][0]
    response = client.post(
        reverse("casework:new"),
        {
            "source": CaseSource.RECESS_SUGGESTION,
            "township": str(world.township_a.uuid),
            "category": str(category.uuid),
            "title": "甲镇学校门口交通安全",
            "content": "上下学时段车辆拥堵。",
            "lead": str(world.mandate_a.uuid),
            "received_on": timezone.localdate().isoformat(),
        },
    )
    case = Case.objects.unscoped().get(title="甲镇学校门口交通安全")
    assert response.status_code == 302 and response.url == reverse("casework:detail", args=[case.uuid])
    assert case.state == S.SUBMITTED and case.category == category
    assert list(case.signers.values_list("mandate_id", "is_lead")) == [(world.mandate_a.pk, True)]


def test_staff_enter_a_citizens_opinion_with_a_masked_phone(client_for, world):
    client = client_for(world.staff_a)
    client.post(
        reverse("casework:new"),
        {
            "source": CaseSource.CITIZEN_OPINION,
            "township": str(world.township_a.uuid),
            "title": "甲镇自来水水压低",
            "content": "五楼以上经常停水。",
            "citizen_name": "赵先生",
            "citizen_phone": "13812345678",
            "station": str(world.station_a.uuid),
        },
    )
    case = Case.objects.unscoped().get(title="甲镇自来水水压低")
    assert case.citizen_phone == "13812345678" and case.tracking_code and case.station == world.station_a
    page = client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert "赵先生" in page and "138****5678" in page and "13812345678" not in page


def test_a_suggestion_files_no_citizen_typed_before_the_source_changed(client_for, world):
    client_for(world.staff_a).post(
        reverse("casework:new"),
        {
            "source": CaseSource.RECESS_SUGGESTION,
            "township": str(world.township_a.uuid),
            "title": "甲镇桥梁维修建议",
            "content": "桥面破损。",
            "lead": str(world.mandate_a.uuid),
            "citizen_name": "赵先生",
            "citizen_phone": "13812345678",
            "station": str(world.station_a.uuid),
        },
    )
    case = Case.objects.unscoped().get(title="甲镇桥梁维修建议")
    assert (case.citizen_name, case.citizen_phone, case.station) == ("", "", None)


def test_bad_input_keeps_what_was_typed(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        reverse("casework:new"),
        {
            "source": CaseSource.RECESS_SUGGESTION,
            "township": str(world.township_a.uuid),
            "title": "",
            "content": "已输入的内容保留",
            "citizen_phone": "12345",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已输入的内容保留" in page and "这个字段是必填项" in page
    # A deputy's suggestion without a deputy: the service's Chinese message on the signer field.
    response = client.post(
        reverse("casework:new"),
        {
            "source": CaseSource.RECESS_SUGGESTION,
            "township": str(world.township_a.uuid),
            "title": "没有代表的建议",
            "content": "内容",
        },
    )
    assert "没有代表的建议" in response.content.decode()
    assert "代表" in response.content.decode() and not Case.objects.unscoped().filter(title="没有代表的建议").exists()


def test_signers_of_another_township_are_refused(client_for, world):
    response = client_for(world.county_admin).post(
        reverse("casework:new"),
        {
            "source": CaseSource.RECESS_SUGGESTION,
            "township": str(world.township_a.uuid),
            "title": "跨镇联名",
            "content": "内容",
            "lead": str(world.mandate_a.uuid),
            "co_signers": [str(world.mandate_b.uuid)],
        },
    )
    assert response.status_code == 200 and not Case.objects.unscoped().filter(title="跨镇联名").exists()


def test_deputy_saves_a_draft_and_submits_it(client_for, world):
    client = client_for(world.deputy_a)
    page = client.get(reverse("casework:new")).content.decode()
    assert world.person_a.full_name in page and "钱乙" not in page
    client.post(
        reverse("casework:new"),
        {
            "source": CaseSource.RECESS_SUGGESTION,
            "title": "甲镇农村公路养护",
            "content": "村道坑洼。",
            "lead": str(world.mandate_a.uuid),
            "action": "draft",
        },
    )
    case = Case.objects.unscoped().get(title="甲镇农村公路养护")
    assert case.state == S.DRAFT and case.township == world.township_a and case.created_by == world.deputy_a
    assert (
        reverse("casework:step", args=[case.uuid, "submit"])
        in client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    )
    step(client, case, "submit")
    assert fresh(case).state == S.SUBMITTED
    # Another deputy's mandate is not theirs to file with.
    client.post(
        reverse("casework:new"),
        {"source": CaseSource.RECESS_SUGGESTION, "title": "冒名", "content": "x", "lead": str(world.mandate_b.uuid)},
    )
    assert not Case.objects.unscoped().filter(title="冒名").exists()


def test_duplicates_are_proposed_while_typing(client_for, world):
    existing = world.rows["casework.case"]["a"][0]
    foreign = world.rows["casework.case"]["b"][0]
    client = client_for(world.staff_a)
    url = reverse("casework:duplicates")
    assert client.get(url, {"title": "路灯", "township": str(world.township_a.uuid)}).content.decode().strip() == ""
    query = {"title": "主街路灯坏了", "content": "甲镇主街路灯损坏，晚上很黑", "township": str(world.township_a.uuid)}
    page = client.get(url, query).content.decode()
    assert existing.reference in page and foreign.title not in page
    # The county's administrator sees both townships' cases, and is proposed the one of the township typed for.
    page = client_for(world.county_admin).get(url, query).content.decode()
    assert existing.reference in page


def test_merge_proposes_the_likely_duplicate_first(client_for, world):
    existing = world.rows["casework.case"]["a"][0]
    other = new_case(world, title="甲镇河道清淤建议")
    case = new_case(world, title="甲镇主街路灯损坏，夜间出行不便")
    page = client_for(world.staff_a).get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert f"★ {existing.reference}" in page
    assert page.index(f"★ {existing.reference}") < page.index(f">{other.reference} ")


# ---------------------------------------------------------------- the steps


def test_accept(client_for, world):
    case = new_case(world)
    response = step(client_for(world.staff_a), case, "accept", {"reason": "符合立案条件"})
    assert response.status_code == 302
    assert fresh(case).state == S.ACCEPTED
    assert case.events.last().reason == "符合立案条件"


def test_reject_needs_a_reason_and_keeps_the_form(client_for, world):
    case = new_case(world)
    client = client_for(world.staff_a)
    response = step(client, case, "reject", {"reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert fresh(case).state == S.SUBMITTED
    step(client, case, "reject", {"reason": "不属于本级职权"})
    assert fresh(case).state == S.REJECTED


def test_handled_on_the_spot(client_for, world):
    case = new_case(world)
    step(client_for(world.staff_a), case, "handle_on_spot", {"reply_text": "已当场答复"})
    assert fresh(case).state == S.HANDLED_ON_SPOT


def test_merge_into_an_open_case(client_for, world):
    main = world.rows["casework.case"]["a"][0]
    other = services.accept(new_case(world, title="甲镇主街路灯又坏"), world.staff_a)
    target = new_case(world, title="甲镇主街路灯维修")
    client = client_for(world.staff_a)
    page = client.get(reverse("casework:detail", args=[other.uuid])).content.decode()
    assert target.reference in page
    step(client, fresh(other), "merge", {"into": str(target.uuid), "reason": "同一事项"})
    other = fresh(other)
    assert other.state == S.MERGED and other.merged_into == target
    page = client.get(reverse("casework:detail", args=[target.uuid])).content.decode()
    assert other.reference in page
    assert main.pk != target.pk


def test_assign_and_reassign_after_return(client_for, world):
    case = services.accept(new_case(world), world.staff_a)
    client = client_for(world.staff_a)
    page = client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert world.agency_a.name in page and world.county_agency.name in page and world.agency_b.name not in page
    step(client, case, "assign", {"lead": str(world.agency_a.uuid), "co": [str(world.county_agency.uuid)]})
    case = fresh(case)
    assert case.state == S.ASSIGNED
    assert {(a.agency_id, a.is_lead) for a in case.assignments.all()} == {
        (world.agency_a.pk, True),
        (world.county_agency.pk, False),
    }
    services.hand_back(case, world.handler_x, reason="不属于本单位职责")
    case = fresh(case)
    assert case.state == S.RETURNED
    step(client, case, "assign", {"lead": str(world.county_agency.uuid)})
    case = fresh(case)
    assert case.state == S.ASSIGNED
    assert case.assignments.get(handed_back_at__isnull=True).agency == world.county_agency


def test_assign_refuses_an_agency_of_another_township(client_for, world):
    case = services.accept(new_case(world), world.staff_a)
    response = step(client_for(world.county_admin), case, "assign", {"lead": str(world.agency_b.uuid)})
    assert response.status_code == 200 and fresh(case).state == S.ACCEPTED


def test_decide_an_extension(client_for, world):
    case = services.agency_accept(assigned_case(world), world.handler_x)
    until = case.answer_due_on + timedelta(days=20)
    extension = services.request_extension(case, world.handler_x, until=until, reason="需要论证")
    client = client_for(world.staff_a)
    case = fresh(case)
    response = step(client, case, "extension_decision", {"extension": extension.pk, "decision": "refuse", "reason": ""})
    assert "请填写理由" in response.content.decode()
    step(client, fresh(case), "extension_decision", {"extension": extension.pk, "decision": "approve"})
    extension = CaseExtension.objects.unscoped().get(pk=extension.pk)
    assert extension.approved is True and fresh(case).answer_due_on == until


def test_remind_no_more_often_than_allowed(client_for, world):
    case = assigned_case(world)
    client = client_for(world.staff_a)
    step(client, case, "remind")
    assert case.reminders.count() == 1
    page = client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert "起可再次催办" in page
    response = step(client, fresh(case), "remind")
    assert "方可再次催办" in response.content.decode()
    assert case.reminders.count() == 1


def test_tag_key_supervision_needs_its_leader(client_for, world):
    case = new_case(world)
    client = client_for(world.staff_a)
    response = step(client, case, "tag", {"is_key": "on", "key_leader": "", "is_repeated": "on"})
    page = response.content.decode()
    assert (
        "请填写督办领导" in page
        and 'name="tag-is_repeated" class="form-check-input" id="id_tag-is_repeated" checked' in page
    )
    step(client, case, "tag", {"is_key": "on", "key_leader": "张副主任", "is_repeated": "on"})
    case = fresh(case)
    assert case.is_key and case.key_leader == "张副主任" and case.is_repeated


def test_send_back_rate_on_behalf_and_close(client_for, world):
    case = answered_case(world)
    client = client_for(world.staff_a)
    step(client, case, "rehandle", {"reason": "答复未回应核心诉求"})
    case = fresh(case)
    assert case.state == S.REHANDLING and case.rehandle_count == 1
    services.answer(
        case,
        world.handler_x,
        reply_class="B",
        planned_items="明年实施",
        planned_by=timezone.localdate(),
        consultation="meeting",
        signer="王主任",
    )
    case = fresh(case)
    page = client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert world.person_a.full_name in page
    step(
        client,
        case,
        "rate",
        {"rater": f"{case.pk}:{world.mandate_a.pk}", "handling": "satisfied", "result": "basic", "comment": "电话告知"},
    )
    rating = CaseRating.objects.unscoped().get(case=case, round=1)
    assert rating.recorded_by_staff and rating.result == "basic" and rating.rated_by == world.staff_a
    case = fresh(case)
    assert case.state == S.RATED
    step(client, case, "close")
    assert fresh(case).state == S.CLOSED


def test_close_still_unsatisfied_needs_a_reason(client_for, world, settings):
    settings.RENDA_CASE_MAX_REHANDLINGS = 0
    case = answered_case(world)
    services.rate(case, world.deputy_a, mandate=world.mandate_a, handling="unsatisfied", result="unsatisfied")
    case = fresh(case)
    assert case.state == S.RATED
    client = client_for(world.staff_a)
    response = step(client, case, "close", {"reason": ""})
    assert "请填写理由" in response.content.decode() and fresh(case).state == S.RATED
    step(client, case, "close", {"reason": "已尽最大努力，条件不具备"})
    assert fresh(case).state == S.CLOSED


def test_a_stale_version_is_refused_and_changes_nothing(client_for, world):
    case = new_case(world)
    shown = case.version
    services.tag(case, world.county_admin, is_key=False, is_repeated=True)
    client = client_for(world.staff_a)
    response = step(client, case, "accept", {"reason": "立案说明"}, version=shown)
    page = response.content.decode()
    assert response.status_code == 200 and STALE in page and "立案说明" in page
    assert fresh(case).state == S.SUBMITTED
    response = step(client, case, "tag", {"is_key": "on", "key_leader": "李"}, version=shown)
    assert STALE in response.content.decode() and not fresh(case).is_key


def test_a_step_the_state_no_longer_allows_says_why(client_for, world):
    case = new_case(world)
    version = case.version
    client = client_for(world.staff_a)
    step(client, case, "accept", version=version)
    response = step(client, fresh(case), "reject", {"reason": "迟到的驳回"})
    assert response.status_code == 200 and "迟到的驳回" in response.content.decode()
    assert fresh(case).state == S.ACCEPTED


def test_htmx_step_answers_a_redirect_or_the_form(client_for, world):
    case = new_case(world)
    client = client_for(world.staff_a)
    response = step(client, case, "reject", {"reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="step-reject"' in response.content.decode()
    assert "<html" not in response.content.decode()
    response = step(client, case, "accept", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("casework:detail", args=[case.uuid])


def test_a_step_page_works_without_javascript(client_for, world):
    case = new_case(world)
    client = client_for(world.staff_a)
    page = client.get(reverse("casework:step", args=[case.uuid, "reject"])).content.decode()
    assert 'name="reject-reason"' in page
    response = step(client, case, "reject", {"reason": ""})
    assert "<html" in response.content.decode()


# ---------------------------------------------------------------- categories, menu, home


def test_county_admin_keeps_the_categories(client_for, world):
    client = client_for(world.county_admin)
    CaseCategory.objects.unscoped().filter(county=world.county).delete()
    client.post(reverse("casework:category_defaults"))
    names = list(CaseCategory.objects.unscoped().filter(county=world.county).values_list("name", flat=True))
    assert names == ["财政经济", "农业农村", "城建环资", "教科文卫", "内务司法", "社会建设"]
    client.post(reverse("casework:categories"), {"name": "民族宗教"})
    duplicate = client.post(reverse("casework:categories"), {"name": "民族宗教"})
    assert "已有" in duplicate.content.decode() or "民族宗教" in duplicate.content.decode()
    added = CaseCategory.objects.unscoped().get(county=world.county, name="民族宗教")
    client.post(reverse("casework:category_edit", args=[added.uuid]), {"name": "民族宗教侨务"})
    client.post(reverse("casework:category_move", args=[added.uuid]), {"direction": "up"})
    client.post(reverse("casework:category_active", args=[added.uuid]), {"active": "0"})
    added.refresh_from_db()
    assert added.name == "民族宗教侨务" and not added.is_active and added.order == 6
    events = set(AuditEntry.objects.filter(event__startswith="casework.category.").values_list("event", flat=True))
    assert events == {
        "casework.category.defaults",
        "casework.category.create",
        "casework.category.rename",
        "casework.category.move",
        "casework.category.deactivate",
    }
    # A deactivated category is no longer offered for a new case.
    assert str(added.uuid) not in client_for(world.staff_a).get(reverse("casework:new")).content.decode()


def test_categories_are_the_county_administrators(client_for, world):
    category = world.rows["casework.casecategory"]["a"][0]
    for username in ("staff_a", "leader"):
        client = client_for(world.users[username])
        assert client.get(reverse("casework:categories")).status_code == 403
    client = client_for(world.other_county_admin)
    assert client.post(reverse("casework:category_edit", args=[category.uuid]), {"name": "改名"}).status_code == 404
    category.refresh_from_db()
    assert category.name != "改名"


def test_menu_and_home_card(client_for, world):
    entry = registry.menu.get("casework.list")
    assert entry is not None
    assert entry.visible(world.staff_a) and entry.visible(world.leader) and not entry.visible(world.sysadmin)
    case = new_case(world)
    Case.objects.unscoped().filter(pk=case.pk).update(assign_due_on=timezone.localdate() - timedelta(days=1))
    home = client_for(world.staff_a).get(reverse("home")).content.decode()
    assert "建议意见" in home and reverse("casework:list") + "?state=overdue" in home


def test_a_step_without_its_version_says_the_page_is_out_of_date(client_for, world):
    case = new_case(world)
    client = client_for(world.staff_a)
    response = client.post(reverse("casework:step", args=[case.uuid, "accept"]), {"accept-reason": "说明"})
    page = response.content.decode()
    assert "页面已过期" in page and "说明" in page and fresh(case).state == S.SUBMITTED


def test_timeline_says_who_did_what_in_words(client_for, world):
    case = world.rows["casework.case"]["a"][0]
    page = client_for(world.leader).get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert "满意" in page and "satisfied" not in page
    assert world.staff_a.full_name in page and "staff_a" not in page
