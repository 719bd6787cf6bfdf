"""Pages of the deputies capability: roster, people and mandates, import and export, composition,
groups and stations, liaison, archive, points and the deputy's own page. Thin: scope, form, service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, can, get_scoped_or_404, scoped
from renda.documents import excel
from renda.documents.http import download_response
from renda.organisations.models import County, DeputyGroup, Station, Township

from . import archive, contributions, exports, importing, permissions, roster_columns, selectors, services
from .forms import (
    ColumnMappingForm,
    CompositionForm,
    ContestForm,
    ContestResolveForm,
    DeputySettingsForm,
    DutyRecordForm,
    LeaderboardForm,
    LiaisonForm,
    MandateEventForm,
    MandateForm,
    PersonForm,
    PointRuleForm,
    RosterFilterForm,
    RosterImportForm,
    VoterContactForm,
)
from .models import (
    DeputySettings,
    DutyRecord,
    ImportJob,
    ImportStatus,
    LiaisonAssignment,
    Mandate,
    MandateEvent,
    MandateLevel,
    Person,
    PointContest,
    PointEntry,
    PointRule,
    VoterContact,
)

# Right after saving a person who holds no mandate yet: where to find them again.
NO_MANDATE_HINT = gettext_lazy(
    "This person holds no mandate yet, so no congress counts them and the roster lists them only "
    "under the status “No mandate”. Record their mandate to put them on the roster."
)


def roster_filters(request) -> tuple[RosterFilterForm, selectors.RosterFilters]:
    form = RosterFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.RosterFilters(
            query=data["q"],
            township=data["township"],
            group=data["group"],
            station=data["station"],
            level=data["level"],
            status=data["status"] or "serving",
            composition=data["composition"],
            as_of=data["as_of"],
            order=data["order"] or "strokes",
        )
    return form, selectors.RosterFilters()


def roster(request):
    require(permissions.may_view_roster(request.user))
    form, filters = roster_filters(request)
    people = selectors.roster(request.user, filters, today=timezone.localdate())
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/roster.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "can_edit": permissions.may_change_roster(request.user),
            "can_export": permissions.may_export_roster(request.user),
        },
    )


def person_detail(request, uuid):
    person = get_scoped_or_404(Person.objects.select_related("township__county"), request.user, VIEW, uuid=uuid)
    mandates = (
        person.mandates.select_related("term__township", "term__county", "group", "station")
        .prefetch_related("events", "liaisons", "voter_contacts")
        .order_by("-starts_on")
    )
    browses = permissions.may_browse_roster(request.user)
    return render(
        request,
        "deputies/person_detail.html",
        {
            "person": person,
            "mandates": mandates,
            "can_edit": permissions.may_change_person(request.user, person),
            # A deputy reads their own record here, not the members of groups, stations or liaison lists.
            "can_browse_units": browses,
            "can_view_liaisons": browses and permissions.may_view_liaisons(request.user),
        },
    )


def person_create(request):
    require(permissions.may_change_roster(request.user))
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = services.person_save(
            person=form.save(commit=False), actor=request.user, changed_fields=form.changed_data
        )
        messages.success(request, _("Saved: %(name)s") % {"name": person})
        messages.info(request, NO_MANDATE_HINT)
        return redirect("deputies:mandate_create", uuid=person.uuid)
    return render(request, "deputies/form.html", {"form": form, "title": _("New deputy")})


def person_edit(request, uuid):
    person = get_scoped_or_404(Person, request.user, CHANGE, uuid=uuid)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.person_save(person=form.save(commit=False), actor=request.user, changed_fields=form.changed_data)
        messages.success(request, _("Saved: %(name)s") % {"name": person})
        if not person.mandates.exists():
            messages.warning(request, NO_MANDATE_HINT)
        return redirect("deputies:person_detail", uuid=person.uuid)
    return render(request, "deputies/form.html", {"form": form, "title": _("Edit deputy"), "back": person})


def mandate_create(request, uuid):
    person = get_scoped_or_404(Person, request.user, CHANGE, uuid=uuid)
    form = MandateForm(
        request.POST or None, instance=Mandate(person=person), user=request.user, township=person.township
    )
    if request.method == "POST" and form.is_valid():
        services.mandate_create(
            mandate=form.save(commit=False),
            starts_on=form.cleaned_data["starts_on"],
            start_kind=form.cleaned_data["start_kind"],
            document_number=form.cleaned_data["document_number"],
            actor=request.user,
        )
        messages.success(request, _("Mandate recorded."))
        return redirect("deputies:person_detail", uuid=person.uuid)
    return render(request, "deputies/form.html", {"form": form, "title": _("New mandate"), "back": person})


def mandate_edit(request, uuid):
    mandate = get_scoped_or_404(Mandate.objects.select_related("person__township"), request.user, CHANGE, uuid=uuid)
    form = MandateForm(request.POST or None, instance=mandate, user=request.user, township=mandate.person.township)
    if request.method == "POST" and form.is_valid():
        services.mandate_update(mandate=form.save(commit=False), actor=request.user, changed_fields=form.changed_data)
        messages.success(request, _("Mandate saved."))
        return redirect("deputies:person_detail", uuid=mandate.person.uuid)
    return render(request, "deputies/form.html", {"form": form, "title": _("Edit mandate"), "back": mandate.person})


def mandate_event_create(request, uuid):
    mandate = get_scoped_or_404(Mandate.objects.select_related("person__township"), request.user, CHANGE, uuid=uuid)
    form = MandateEventForm(request.POST or None, instance=MandateEvent(mandate=mandate))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mandate_event_record(
                mandate=mandate,
                kind=data["kind"],
                date=data["date"],
                document_number=data["document_number"],
                note=data["note"],
                actor=request.user,
            )
        except services.DeputyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Status change recorded."))
            return redirect("deputies:person_detail", uuid=mandate.person.uuid)
    return render(
        request, "deputies/form.html", {"form": form, "title": _("Record a status change"), "back": mandate.person}
    )


def voter_contact_create(request, uuid):
    mandate = get_scoped_or_404(Mandate.objects.select_related("person__township"), request.user, CHANGE, uuid=uuid)
    form = VoterContactForm(request.POST or None, instance=VoterContact(mandate=mandate))
    if request.method == "POST" and form.is_valid():
        services.voter_contact_save(
            contact=form.save(commit=False), actor=request.user, changed_fields=form.changed_data
        )
        messages.success(request, _("Voter added."))
        return redirect("deputies:person_detail", uuid=mandate.person.uuid)
    return render(
        request, "deputies/form.html", {"form": form, "title": _("Add a voter kept in contact"), "back": mandate.person}
    )


@require_POST
def voter_contact_delete(request, uuid):
    contact = get_scoped_or_404(VoterContact.objects.select_related("mandate__person"), request.user, CHANGE, uuid=uuid)
    person = contact.mandate.person
    services.voter_contact_remove(contact=contact, actor=request.user)
    messages.success(request, _("Voter removed."))
    return redirect("deputies:person_detail", uuid=person.uuid)


def group_members(request, uuid):
    group = get_scoped_or_404(DeputyGroup.objects.select_related("township", "station"), request.user, VIEW, uuid=uuid)
    members = selectors.roster_as_of(request.user, timezone.localdate()).filter(group=group)
    members = members.select_related("person", "station").order_by("person__name_stroke_key")
    return render(request, "deputies/unit_members.html", {"unit": group, "members": members, "kind": "group"})


def station_members(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, VIEW, uuid=uuid)
    members = selectors.roster_as_of(request.user, timezone.localdate()).filter(station=station)
    members = members.select_related("person__township", "group").order_by("level", "person__name_stroke_key")
    return render(request, "deputies/unit_members.html", {"unit": station, "members": members, "kind": "station"})


def mandate_archive(request, uuid):
    mandate = get_scoped_or_404(
        Mandate.objects.select_related("person__township", "term__township", "term__county", "group", "station"),
        request.user,
        VIEW,
        uuid=uuid,
    )
    lines = archive.timeline(mandate, viewer=request.user)
    return render(
        request,
        "deputies/archive.html",
        {
            "mandate": mandate,
            "sections": archive.by_section(lines),
            "totals": archive.point_totals(mandate),
            "may_download": permissions.may_download_archive(request.user, mandate),
        },
    )


def township_choices(user):
    return scoped(Township, user, VIEW).order_by("division_code", "name")


# --- Import and export -------------------------------------------------------------------------


def import_upload(request):
    require(permissions.may_change_roster(request.user))
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can(request.user, VIEW, data["township"]):
            raise PermissionDenied
        job = importing.import_start(
            township=data["township"],
            term=data["term"],
            level=data["level"],
            filename=data["file"].name,
            data=data["file"].read(),
            actor=request.user,
        )
        return redirect("deputies:import_detail", uuid=job.uuid)
    jobs = scoped(ImportJob, request.user, VIEW).select_related("township", "created_by")[:10]
    return render(
        request, "deputies/import_upload.html", {"form": form, "jobs": jobs, "columns": roster_columns.ROSTER_COLUMNS}
    )


def import_template(request):
    require(permissions.may_change_roster(request.user))
    # A blank template holds nobody's records: served as every download is, not audited.
    return download_response(importing.template_workbook(), "代表名册导入模板.xlsx")


def _import_page(request, job, mapping_form=None):
    template = "deputies/import_detail.html#progress" if request.htmx else "deputies/import_detail.html"
    if mapping_form is None and job.can_remap and can(request.user, CHANGE, job):
        mapping_form = ColumnMappingForm(job=job)
    return render(request, template, {"job": job, "mapping_form": mapping_form})


def import_detail(request, uuid):
    job = get_scoped_or_404(ImportJob.objects.select_related("township", "term"), request.user, VIEW, uuid=uuid)
    return _import_page(request, job)


@require_POST
def import_mapping(request, uuid):
    job = get_scoped_or_404(ImportJob.objects.select_related("township", "term"), request.user, CHANGE, uuid=uuid)
    if not job.can_remap:
        messages.error(request, _("This import can no longer be changed."))
        return redirect("deputies:import_detail", uuid=job.uuid)
    form = ColumnMappingForm(request.POST, job=job)
    if not form.is_valid():
        return _import_page(request, job, form)
    try:
        importing.import_map(job=job, fields=form.mapping(), actor=request.user)
    except importing.MappingError as error:
        form.add_error(None, str(error))
        return _import_page(request, job, form)
    return redirect("deputies:import_detail", uuid=job.uuid)


@require_POST
def import_confirm(request, uuid):
    job = get_scoped_or_404(ImportJob, request.user, CHANGE, uuid=uuid)
    if job.status != ImportStatus.VALID:
        messages.error(request, _("Only a file without errors can be imported."))
    else:
        importing.import_confirm(job=job, actor=request.user)
    return redirect("deputies:import_detail", uuid=job.uuid)


@require_POST
def import_cancel(request, uuid):
    job = get_scoped_or_404(ImportJob, request.user, CHANGE, uuid=uuid)
    importing.import_cancel(job=job, actor=request.user)
    messages.info(request, _("The import was cancelled and the file deleted."))
    return redirect("deputies:import_upload")


def roster_export(request):
    require(permissions.may_view_roster(request.user))
    _form, filters = roster_filters(request)
    people = list(selectors.roster(request.user, filters, today=timezone.localdate()))
    day = filters.as_of or timezone.localdate()
    caption = _("Roster of deputies as of %(day)s") % {"day": f"{day:%Y-%m-%d}"}
    return export_response(
        request,
        kind="deputies.roster",
        filename=f"代表名册_{day:%Y%m%d}.xlsx",
        row_count=sum(len(person.shown_mandates) for person in people),
        subjects=ExportSubjects(
            townships=[person.township.name for person in people], people=[person.uuid for person in people]
        ),
        build=lambda grant: exports.roster_workbook(
            rows=exports.roster_rows(people, unmasked=not grant.masked), caption=caption, footer_note=grant.footer
        ),
    )


# --- Composition -------------------------------------------------------------------------------


def _composition_context(request):
    require(permissions.may_view_mandates(request.user))
    day = timezone.localdate()
    form = CompositionForm(request.GET or None)
    level = MandateLevel.TOWNSHIP
    if form.is_valid():
        day = form.cleaned_data["as_of"] or day
        level = form.cleaned_data["level"] or level
    rows, overall, measures = selectors.composition(request.user, day=day, level=level)
    return {"form": form, "day": day, "level": level, "rows": rows, "overall": overall, "measures": measures}


def composition(request):
    context = _composition_context(request)
    chart = {
        "labels": [str(label) for _key, label in context["measures"][:8]],
        "shares": [share for _count, share in context["overall"]["shares"][:8]],
        "title": _("Share of all deputies (%)"),
    }
    return render(request, "deputies/composition.html", {**context, "chart": chart})


def composition_export(request):
    context = _composition_context(request)
    apart = context["level"] == MandateLevel.TOWNSHIP
    headers = ["乡镇（街道）", "代表总数"]
    for _key, label in context["measures"]:
        headers += [f"{label}", f"{label} %"]
    if apart:
        headers.append(str(_("County deputies living here")))
    rows = []
    for row in [*context["rows"], {**context["overall"], "person__township__name": _("All")}]:
        line = [row["person__township__name"], row["total"]]
        for count, share in row["shares"]:
            line += [count, share]
        if apart:
            line.append(row["county_residents"])
        rows.append(line)
    day = context["day"]

    def build(grant) -> bytes:
        sheet = excel.Sheet(
            title="代表结构",
            headers=headers,
            rows=rows,
            caption=_("Composition of deputies as of %(day)s") % {"day": f"{day:%Y-%m-%d}"},
            footer_note=grant.footer,
        )
        return excel.workbook(sheets=[sheet])

    # Counts per township, nobody's personal information: audited and stamped, no export role or cap.
    return export_response(
        request,
        kind="deputies.composition",
        filename=f"代表结构_{day:%Y%m%d}.xlsx",
        row_count=len(rows),
        subjects=ExportSubjects(townships=[row["person__township__name"] for row in context["rows"]]),
        build=build,
        personal=False,
    )


# --- Liaison ----------------------------------------------------------------------------------


def liaison_list(request, uuid):
    township = get_scoped_or_404(Township, request.user, VIEW, uuid=uuid)
    require(permissions.may_view_liaisons(request.user))
    may_change = permissions.may_assign_liaisons(request.user, township)
    form = None
    if may_change:
        form = LiaisonForm(
            request.POST or None,
            instance=LiaisonAssignment(township=township, since=timezone.localdate()),
            user=request.user,
            township=township,
        )
        if request.method == "POST" and form.is_valid():
            services.liaison_assign(liaison=form.save(commit=False), actor=request.user)
            messages.success(request, _("Liaison assigned."))
            return redirect("deputies:liaison_list", uuid=township.uuid)
    elif request.method == "POST":
        raise PermissionDenied
    liaisons = (
        scoped(LiaisonAssignment, request.user, VIEW)
        .filter(township=township)
        .select_related("mandate__person")
        .order_by("leader_name", "mandate__person__name_stroke_key")
    )
    return render(request, "deputies/liaison_list.html", {"township": township, "liaisons": liaisons, "form": form})


@require_POST
def liaison_delete(request, uuid):
    liaison = get_scoped_or_404(LiaisonAssignment.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    township = liaison.township
    services.liaison_remove(liaison=liaison, actor=request.user)
    messages.success(request, _("Liaison removed."))
    return redirect("deputies:liaison_list", uuid=township.uuid)


# --- Points -----------------------------------------------------------------------------------


def leaderboard(request):
    require(permissions.may_view_mandates(request.user))
    form = LeaderboardForm(request.GET or None, user=request.user)
    board = form.board(today=timezone.localdate())
    people = selectors.leaderboard(request.user, **board)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/leaderboard.html",
        {
            "form": form,
            "page": page,
            "board": board,
            "may_resolve_contests": permissions.may_resolve_contests(request.user),
            "duties_township": form.single_township if permissions.may_view_duties(request.user) else None,
            "may_view_rules": permissions.may_view_point_rules(request.user),
        },
    )


def mandate_points(request, uuid):
    mandate = get_scoped_or_404(
        Mandate.objects.select_related("person__township__county"), request.user, VIEW, uuid=uuid
    )
    entries = list(mandate.point_entries.select_related("contest").order_by("-date", "kind"))
    contests = mandate.contests.order_by("-created_at")
    return render(
        request,
        "deputies/mandate_points.html",
        {
            "mandate": mandate,
            "entries": [(entry, contributions.label_of(entry.kind)) for entry in entries],
            "years": selectors.points_explained(entries),
            "yearly_base": services.settings_for(mandate.person.township.county).yearly_base_points,
            "contests": contests,
            "is_own": permissions.may_contest_points(request.user, mandate),
            "may_record_duties": permissions.may_record_duties(request.user, mandate),
        },
    )


def rule_list(request):
    require(permissions.may_view_point_rules(request.user))
    rules = selectors.point_rules(request.user)
    settings_row = scoped(DeputySettings, request.user, VIEW).first()
    labels = {kind.code: kind.label for kind in contributions.kinds()}
    return render(
        request,
        "deputies/rule_list.html",
        {
            "rules": [(rule, labels.get(rule.kind, rule.kind)) for rule in rules],
            "settings_row": settings_row,
            "may_change": permissions.may_manage_points(request.user),
        },
    )


def _county_for_rules(request) -> County:
    county = scoped(County, request.user, CHANGE).first()
    if county is None or not permissions.may_manage_points(request.user):
        raise PermissionDenied
    return county


def rule_create(request):
    county = _county_for_rules(request)
    default = selectors.point_rule_default(county=county, kind_code=request.GET.get("kind", ""))
    form = PointRuleForm(request.POST or None, instance=default)
    return _rule_form(request, form, _("New point rule"))


def rule_edit(request, uuid):
    rule = get_scoped_or_404(PointRule, request.user, CHANGE, uuid=uuid)
    form = PointRuleForm(request.POST or None, instance=rule)
    return _rule_form(request, form, _("Edit point rule"))


def _rule_form(request, form, title):
    if request.method == "POST" and form.is_valid():
        try:
            services.point_rule_save(rule=form.save(commit=False), actor=request.user, changed_fields=form.changed_data)
        except services.DeputyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rule saved; points recomputed."))
            return redirect("deputies:rule_list")
    return render(request, "deputies/form.html", {"form": form, "title": title})


def settings_edit(request):
    county = _county_for_rules(request)
    row = services.settings_for(county)
    form = DeputySettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.settings_save(
            deputy_settings=form.save(commit=False), actor=request.user, changed_fields=form.changed_data
        )
        messages.success(request, _("Settings saved; points recomputed."))
        return redirect("deputies:rule_list")
    return render(request, "deputies/form.html", {"form": form, "title": _("Settings for deputies' work")})


@require_POST
def points_recompute(request):
    county = _county_for_rules(request)
    change = services.points_recompute(county=county, actor=request.user)
    messages.success(request, _("Points recomputed: %(count)s entries.") % {"count": change.entries})
    return redirect("deputies:rule_list")


def contest_create(request, uuid):
    entry = get_scoped_or_404(PointEntry.objects.select_related("mandate__person"), request.user, VIEW, uuid=uuid)
    require(permissions.may_contest_points(request.user, entry.mandate))
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_create(entry=entry, reason=form.cleaned_data["reason"], actor=request.user)
        except services.DeputyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your contest has been sent to the staff."))
            return redirect("deputies:mandate_points", uuid=entry.mandate.uuid)
    return render(request, "deputies/contest_form.html", {"form": form, "entry": entry})


def contest_list(request):
    require(permissions.may_resolve_contests(request.user))
    contests = (
        scoped(PointContest, request.user, VIEW)
        .select_related("mandate__person__township", "resolved_by")
        .order_by("status", "-created_at")
    )
    page = Paginator(contests, 50).get_page(request.GET.get("page"))
    return render(request, "deputies/contest_list.html", {"page": page})


def contest_resolve(request, uuid):
    contest = get_scoped_or_404(
        PointContest.objects.select_related("mandate__person__township"), request.user, CHANGE, uuid=uuid
    )
    form = ContestResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contest_resolve(
                contest=contest,
                accept=data["decision"] == "accept",
                corrected_points=data["corrected_points"],
                note=data["note"],
                actor=request.user,
            )
        except services.DeputyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Contest answered."))
            return redirect("deputies:contest_list")
    return render(request, "deputies/contest_resolve.html", {"form": form, "contest": contest})


# --- Other duties ---------------------------------------------------------------------------


def duty_list(request, uuid):
    """One deputy's other duties: read by whoever may see the mandate, recorded by its staff."""
    mandate = get_scoped_or_404(Mandate.objects.select_related("person__township"), request.user, VIEW, uuid=uuid)
    duties = scoped(DutyRecord, request.user, VIEW).filter(mandate=mandate)
    return render(
        request,
        "deputies/duty_list.html",
        {"mandate": mandate, "duties": duties, "may_record": permissions.may_record_duties(request.user, mandate)},
    )


def township_duties(request, uuid):
    township = get_scoped_or_404(Township, request.user, VIEW, uuid=uuid)
    require(permissions.may_view_duties(request.user))
    duties = (
        scoped(DutyRecord, request.user, VIEW)
        .filter(mandate__person__township=township)
        .select_related("mandate__person")
        .order_by("-date", "mandate__person__name_stroke_key", "pk")
    )
    page = Paginator(duties, 50).get_page(request.GET.get("page"))
    return render(request, "deputies/township_duties.html", {"township": township, "page": page})


def duty_create(request, uuid):
    mandate = get_scoped_or_404(Mandate.objects.select_related("person__township"), request.user, CHANGE, uuid=uuid)
    require(permissions.may_record_duties(request.user, mandate))
    form = DutyRecordForm(request.POST or None, instance=DutyRecord(mandate=mandate))
    return _duty_form(request, form, mandate, _("Record another duty"))


def duty_edit(request, uuid):
    duty = get_scoped_or_404(
        DutyRecord.objects.select_related("mandate__person__township"), request.user, CHANGE, uuid=uuid
    )
    form = DutyRecordForm(request.POST or None, instance=duty)
    return _duty_form(request, form, duty.mandate, _("Edit a duty"))


def _duty_form(request, form, mandate, title):
    if request.method == "POST" and form.is_valid():
        services.duty_save(duty=form.save(commit=False), actor=request.user, changed_fields=form.changed_data)
        messages.success(request, _("Duty saved; the deputy's points follow shortly."))
        return redirect("deputies:duty_list", uuid=mandate.uuid)
    return render(
        request,
        "deputies/form.html",
        {"form": form, "title": title, "back": mandate.person},
    )


@require_POST
def duty_delete(request, uuid):
    duty = get_scoped_or_404(DutyRecord.objects.select_related("mandate__person"), request.user, CHANGE, uuid=uuid)
    mandate = duty.mandate
    services.duty_remove(duty=duty, actor=request.user)
    messages.success(request, _("Duty deleted."))
    return redirect("deputies:duty_list", uuid=mandate.uuid)


# --- The deputy's own page -------------------------------------------------------------------


def my_work(request):
    """我的履职: a deputy's points, archive and what is asked of them, for a phone screen."""
    require(permissions.may_view_own_work(request.user))
    today = timezone.localdate()
    mandates = list(selectors.own_mandates(request.user).filter(selectors.serving_on(today)))
    cards = []
    for mandate in mandates:
        deputy_settings = services.settings_for(mandate.person.township.county)
        contacts = list(mandate.voter_contacts.order_by("since"))
        cards.append(
            {
                "mandate": mandate,
                "points": selectors.own_points(mandate, today),
                "timeline": archive.timeline(mandate, viewer=request.user)[-10:],
                "contacts": contacts,
                "min_contacts": deputy_settings.min_voter_contacts,
                "contacts_missing": max(0, deputy_settings.min_voter_contacts - len(contacts)),
                "liaisons": list(mandate.liaisons.all()),
            }
        )
    return render(request, "deputies/my_work.html", {"cards": cards})


def mandate_archive_docx(request, uuid):
    mandate = get_scoped_or_404(
        Mandate.objects.select_related(
            "person__township__county", "term__township", "term__county", "group", "station"
        ),
        request.user,
        VIEW,
        uuid=uuid,
    )
    person = mandate.person
    own = permissions.is_own_mandate(request.user, mandate)
    return export_response(
        request,
        # A deputy's own archive needs no export permission, and is audited under its own name.
        kind="deputies.archive.own" if own else "deputies.archive",
        filename=f"履职档案_{person.full_name}.docx",
        row_count=1,
        subjects=ExportSubjects(townships=[person.township.name], people=[person.uuid]),
        build=lambda grant: archive.archive_document(mandate, viewer=request.user, footer_note=grant.footer),
        personal=not own,
    )
