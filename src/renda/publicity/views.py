"""Publicity's staff pages (/publicity/): news items and deputies' profiles, and the articles the
media published (用稿) with their totals, decisions and the year's Excel. Thin: scope, form, service."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.accounts import audit
from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, scoped
from renda.core.forms import preselect_only_choice, show_refusal
from renda.core.locking import StaleEdit
from renda.core.uploads import CONTENT_TYPES
from renda.deputies.models import Mandate
from renda.deputies.selectors import serving_on
from renda.documents.excel import Sheet, workbook
from renda.organisations.models import Township

from . import permissions as may
from . import selectors, services
from .forms import (
    ArticleFilterForm,
    ArticleForm,
    NewsFilterForm,
    NewsForm,
    RecordPublishedForm,
    RejectForm,
    SentToMediaForm,
)
from .models import MediaLevel

REFUSALS = (ValidationError, PermissionDenied, StaleEdit)
PAGE_SIZE = 30


def _townships(user):
    return scoped(Township, user, VIEW)


def _mandates(user):
    return (
        scoped(Mandate, user, VIEW)
        .filter(serving_on(timezone.localdate()), person__township__isnull=False)
        .select_related("person__township")
        .order_by("person__township__name", "person__name_stroke_key", "id")
    )


def _content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lstrip(".").lower(), "application/octet-stream")


def _file(request, field_file, *, event: str, target, name: str):
    """A stored file, opened after the caller's scope check; every look is audited."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    audit.record(event, actor=request.user, target=target, data={"file": name})
    return FileResponse(handle, filename=name, content_type=_content_type(field_file.name))


# ---------------------------------------------------------------- news items


def news_list(request):
    user = request.user
    require(may.may_view_news(user))
    form = NewsFilterForm(request.GET or None, townships=_townships(user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.NewsFilters(
        kind=data.get("kind", ""), township=data.get("township"), state=data.get("state", ""), q=data.get("q", "")
    )
    page = Paginator(selectors.news_items(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/news_list.html",
        {
            "page": page,
            "form": form,
            "can_write": may.may_write_news(user),
            "can_select": may.may_select_items(user),
            # The county's public page, to see what citizens see.
            "public_county": user.county if user.county_id else getattr(user.township, "county", None),
        },
    )


def _news_form_page(request, form, *, item=None, title):
    return render(request, "publicity/news_form.html", {"form": form, "item": item, "title": title})


def news_new(request):
    user = request.user
    require(may.may_write_news(user))
    form = NewsForm(request.POST or None, request.FILES or None, townships=_townships(user), mandates=_mandates(user))
    preselect_only_choice(form, "township")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.news_create(
                actor=user,
                township=data["township"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                mandate=data["mandate"],
                consent=data["consent"],
                photo=data["photo"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The item is saved as a draft."))
            return redirect("publicity:news_item", uuid=item.uuid)
    return _news_form_page(request, form, title=gettext_lazy("Write a news item"))


def news_item(request, uuid):
    user = request.user
    item = selectors.news_for_page(user, uuid)
    return render(
        request,
        "publicity/news_item.html",
        {
            "item": item,
            "articles": list(item.articles.order_by("-published_on", "-id")),
            "can_edit": may.may_edit_item(user, item),
            "can_submit": may.may_submit_item(user, item),
            "can_publish": may.may_publish_item(user, item),
            "can_withdraw": may.may_withdraw_item(user, item),
            "can_media": may.may_record_media(user, item),
        },
    )


def news_edit(request, uuid):
    user = request.user
    item = selectors.news_for_page(user, uuid)
    require(may.may_edit_item(user, item))
    initial = {
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "mandate": item.mandate_id,
        "consent": item.consent,
        "version": item.version,
    }
    form = NewsForm(request.POST or None, request.FILES or None, initial=initial, mandates=_mandates(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.news_update(
                item=item,
                actor=user,
                expected_version=data.get("version"),
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                mandate=data["mandate"],
                consent=data["consent"],
                photo=data["photo"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicity:news_item", uuid=item.uuid)
    return _news_form_page(request, form, item=item, title=gettext_lazy("Change the news item"))


def _news_step(request, uuid, step, done):
    user = request.user
    item = selectors.news_for_page(user, uuid)
    try:
        step(item=item, actor=user)
    except PermissionDenied:
        raise
    except (ValidationError, StaleEdit) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(getattr(error, "message", error))])))
    else:
        messages.success(request, done)
    return redirect("publicity:news_item", uuid=item.uuid)


@require_POST
def news_submit(request, uuid):
    return _news_step(request, uuid, services.news_submit, _("The item is submitted to the county."))


@require_POST
def news_publish(request, uuid):
    return _news_step(request, uuid, services.news_publish, _("The item is on the public page."))


@require_POST
def news_withdraw(request, uuid):
    return _news_step(request, uuid, services.news_withdraw, _("The item is taken off the public page."))


def news_photo(request, uuid):
    """The item's photo for staff (through the scope, audited); the public page serves its own."""
    item = selectors.news_for_page(request.user, uuid)
    return _file(
        request, item.photo, event="export.publicity.photo", target=item, name=PurePath(item.photo.name or "").name
    )


def news_media(request, uuid):
    user = request.user
    item = selectors.news_for_page(user, uuid)
    require(may.may_record_media(user, item))
    initial = {"medium": item.sent_to_medium, "sent_on": item.sent_on or timezone.localdate()}
    form = SentToMediaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_sent_to_media(item=item, actor=user, **form.cleaned_data)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Recorded as sent to the medium."))
            return redirect("publicity:news_item", uuid=item.uuid)
    return render(
        request,
        "publicity/step_form.html",
        {
            "form": form,
            "item": item,
            "title": gettext_lazy("Record as sent to a medium"),
            "button": gettext_lazy("Save"),
        },
    )


def news_published(request, uuid):
    user = request.user
    item = selectors.news_for_page(user, uuid)
    require(may.may_record_media(user, item))
    form = RecordPublishedForm(request.POST or None, initial={"medium": item.sent_to_medium})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.news_record_published(
                item=item,
                actor=user,
                medium=data["medium"],
                level=data["level"],
                published_on=data["published_on"],
                link=data["link"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The article is registered; the county will confirm it."))
            return redirect("publicity:article", uuid=article.uuid)
    return render(
        request,
        "publicity/step_form.html",
        {
            "form": form,
            "item": item,
            "title": gettext_lazy("Record as published by the medium"),
            "button": gettext_lazy("Register the article"),
        },
    )


# ---------------------------------------------------------------- articles


def _article_filters(request, user):
    form = ArticleFilterForm(request.GET or None, townships=_townships(user))
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or (None if request.GET.get("year") == "" else timezone.localdate().year)
    filters = selectors.ArticleFilters(
        year=year,
        township=data.get("township"),
        level=data.get("level", ""),
        state=data.get("state", ""),
        q=data.get("q", ""),
    )
    if not form.is_bound:
        form.initial["year"] = year
    return form, filters


def article_list(request):
    user = request.user
    require(may.may_view_articles(user))
    form, filters = _article_filters(request, user)
    rows = selectors.articles(user, filters)
    totals, points = selectors.totals_by_level(rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/article_list.html",
        {
            "page": page,
            "form": form,
            "totals": totals,
            "points": points,
            "year": filters.year,
            "can_register": may.may_register_articles(user),
            "can_export": may.may_export_articles(user),
        },
    )


def article_new(request):
    user = request.user
    require(may.may_register_articles(user))
    form = ArticleForm(request.POST or None, request.FILES or None, townships=_townships(user))
    preselect_only_choice(form, "township")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.article_register(
                actor=user,
                township=data["township"],
                title=data["title"],
                medium=data["medium"],
                level=data["level"],
                published_on=data["published_on"],
                link=data["link"],
                scan=data["scan"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The article is registered; the county will confirm it."))
            return redirect("publicity:article", uuid=article.uuid)
    return render(request, "publicity/article_form.html", {"form": form, "title": gettext_lazy("Register an article")})


def article_detail(request, uuid):
    user = request.user
    article = selectors.article_for_page(user, uuid)
    return render(
        request,
        "publicity/article.html",
        {
            "article": article,
            "can_edit": may.may_edit_article(user, article),
            "can_decide": may.may_decide_article(user, article),
        },
    )


def article_edit(request, uuid):
    user = request.user
    article = selectors.article_for_page(user, uuid)
    require(may.may_edit_article(user, article))
    initial = {name: getattr(article, name) for name in ("title", "medium", "level", "published_on", "link", "version")}
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.article_update(
                article=article,
                actor=user,
                expected_version=data.get("version"),
                title=data["title"],
                medium=data["medium"],
                level=data["level"],
                published_on=data["published_on"],
                link=data["link"],
                scan=data["scan"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicity:article", uuid=article.uuid)
    return render(
        request,
        "publicity/article_form.html",
        {"form": form, "article": article, "title": gettext_lazy("Correct the article")},
    )


@require_POST
def article_confirm(request, uuid):
    user = request.user
    article = selectors.article_for_page(user, uuid)
    require(may.may_decide_article(user, article))
    try:
        services.article_confirm(article=article, actor=user)
    except (ValidationError, StaleEdit) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(getattr(error, "message", error))])))
    else:
        messages.success(request, _("The article is confirmed; it counts in the assessment."))
    return redirect("publicity:article", uuid=article.uuid)


def article_reject(request, uuid):
    user = request.user
    article = selectors.article_for_page(user, uuid)
    require(may.may_decide_article(user, article))
    form = RejectForm(request.POST or None, initial={"version": article.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.article_reject(
                article=article,
                actor=user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The article is rejected; the township may correct it."))
            return redirect("publicity:article", uuid=article.uuid)
    return render(
        request,
        "publicity/step_form.html",
        {
            "form": form,
            "article": article,
            "title": gettext_lazy("Reject the article"),
            "button": gettext_lazy("Reject"),
            "css": "danger",
        },
    )


def article_scan(request, uuid):
    article = selectors.article_for_page(request.user, uuid)
    return _file(request, article.scan, event="export.publicity.scan", target=article, name=article.scan_name or "scan")


def article_export(request):
    """用稿统计: the year's confirmed articles per township and media level, with the points."""
    user = request.user
    require(may.may_export_articles(user))
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    table = selectors.year_by_township(user, year)
    levels = MediaLevel.choices
    headers = [_("Township"), *[str(label) for _code, label in levels], _("Articles"), _("Points earned")]
    rows: list[list[object]] = [
        [row.township.name, *[row.counts.get(code, 0) for code, _label in levels], row.total, float(row.points)]
        for row in table
    ]
    rows.append(
        [
            _("Total"),
            *[sum(row.counts.get(code, 0) for row in table) for code, _label in levels],
            sum(row.total for row in table),
            float(sum((row.points for row in table), 0)),
        ]
    )
    caption = _("Articles in the media in %(year)s (confirmed)") % {"year": year}
    return export_response(
        request,
        kind="publicity.articles",
        filename=f"用稿统计_{year}.xlsx",
        row_count=len(table),
        subjects=ExportSubjects(townships=[row.township.name for row in table]),
        build=lambda grant: workbook(
            sheets=[Sheet(title=str(year), headers=headers, rows=rows, caption=caption, footer_note=grant.footer)]
        ),
        personal=False,
    )


def home_county(user) -> dict:
    return selectors.home_county(user)
