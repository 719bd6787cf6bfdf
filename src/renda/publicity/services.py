"""Publicity's writes: news items (compose, submit, select for the public page, withdraw, sent to a
medium, recorded as published) and articles (register, correct, confirm, reject). Every write checks
who may act (``permissions``), runs in a transaction and writes its audit entry there; edits carry
the version the form started from (``StaleEdit`` when someone saved in between). Refusals are
``ValidationError`` (per field, in Chinese) or ``PermissionDenied``."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.scoping import VIEW, scoped
from renda.core.locking import StaleEdit
from renda.core.uploads import check_upload
from renda.organisations.models import Township

from . import permissions as may
from .models import Article, ArticleState, MediaLevel, NewsItem, NewsKind, NewsState


class Conflict(ValidationError):
    """The step does not fit the row's state (confirming an article twice, a profile without the
    deputy's consent on the public page): shown above the form, 409 from the API."""


PHOTO_TYPES = frozenset({"jpg", "jpeg", "png"})
SCAN_TYPES = frozenset({"pdf", "jpg", "jpeg", "png"})


# ---------------------------------------------------------------- shared checks


def _own_township(actor: Any, township: Township | None) -> Township:
    """The township, if it is one the actor may write for; PermissionDenied otherwise."""
    if township is None:
        raise ValidationError({"township": _("Choose the township.")})
    if actor is not None and not scoped(Township, actor, VIEW).filter(pk=township.pk).exists():
        raise PermissionDenied
    return township


def _stored_file(field: str, upload: Any, accepted: frozenset[str], refusal: str) -> tuple[str, str]:
    """(the name the user gave, the random stored name) for an accepted upload; ValidationError if not."""
    name = PurePath(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in accepted:
        raise ValidationError({field: refusal})
    try:
        extension = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({field: error.message_dict.get("file", error.messages)}) from error
    return name[:200], f"{secrets.token_hex(16)}.{extension}"


def _lock(model: Any, row: Any, expected_version: int | None) -> Any:
    locked = model.objects.unscoped().select_for_update(of=("self",)).get(pk=row.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    return locked


def _bump(row: Any, *fields: str) -> None:
    row.version += 1
    row.save(update_fields=[*fields, "version", "updated_at"])


def _text(value: Any) -> str:
    return (value or "").strip()


# ---------------------------------------------------------------- news items


def _check_news(*, township: Township, kind: str, title: str, body: str, mandate: Any, consent: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if kind not in NewsKind.values:
        errors["kind"] = _("Choose the kind of item.")
    if not title:
        errors["title"] = _("Give the title.")
    elif len(title) > 120:
        errors["title"] = _("The title is too long.")
    if not body:
        errors["body"] = _("Write the text.")
    elif len(body) > 20000:
        errors["body"] = _("The text is too long.")
    if kind == NewsKind.DEPUTY_PROFILE:
        if mandate is None:
            errors["mandate"] = _("Choose the deputy the profile is about.")
        elif mandate.person.township_id != township.pk:
            errors["mandate"] = _("Choose a deputy of the township.")
    if errors:
        raise ValidationError(errors)
    profile = kind == NewsKind.DEPUTY_PROFILE
    return {"mandate": mandate if profile else None, "consent": bool(consent) and profile}


def _attach_photo(item: NewsItem, photo: Any) -> None:
    if photo is None:
        return
    _name, stored = _stored_file("photo", photo, PHOTO_TYPES, _("Photos are accepted as JPG or PNG files."))
    item.photo.save(stored, photo, save=False)


@transaction.atomic
def news_create(
    *,
    actor: Any,
    township: Township | None,
    kind: str,
    title: str,
    body: str,
    mandate: Any = None,
    consent: bool = False,
    photo: Any = None,
) -> NewsItem:
    """A draft news item or deputy profile of ``township``. A profile names a deputy of the township."""
    if actor is not None and not may.may_write_news(actor):
        raise PermissionDenied
    township = _own_township(actor, township)
    title, body = _text(title), _text(body)
    person = _check_news(township=township, kind=kind, title=title, body=body, mandate=mandate, consent=consent)
    item = NewsItem(
        county_id=township.county_id, township=township, kind=kind, title=title, body=body, created_by=actor, **person
    )
    _attach_photo(item, photo)
    item.save()
    audit.record("publicity.news.create", actor=actor, target=item, data={"kind": kind})
    return item


@transaction.atomic
def news_update(
    *,
    item: NewsItem,
    actor: Any,
    expected_version: int | None,
    kind: str,
    title: str,
    body: str,
    mandate: Any = None,
    consent: bool = False,
    photo: Any = None,
) -> NewsItem:
    """Change an item that is not on the public page."""
    if actor is not None and not may.may_change_item(actor, item):
        raise PermissionDenied
    item = _lock(NewsItem, item, expected_version)
    if item.state == NewsState.PUBLIC:
        raise Conflict(_("The item is on the public page; withdraw it before changing it."))
    title, body = _text(title), _text(body)
    person = _check_news(township=item.township, kind=kind, title=title, body=body, mandate=mandate, consent=consent)
    item.kind, item.title, item.body = kind, title, body
    item.mandate, item.consent = person["mandate"], person["consent"]
    fields = ["kind", "title", "body", "mandate", "consent"]
    if photo is not None:
        _attach_photo(item, photo)
        fields.append("photo")
    _bump(item, *fields)
    audit.record("publicity.news.update", actor=actor, target=item, data={"kind": kind})
    return item


@transaction.atomic
def news_submit(*, item: NewsItem, actor: Any) -> NewsItem:
    """Send a draft to the county, which may select it for the public page."""
    if actor is not None and not may.may_change_item(actor, item):
        raise PermissionDenied
    item = _lock(NewsItem, item, None)
    if item.state != NewsState.DRAFT:
        raise Conflict(_("The item has been submitted already."))
    item.state, item.submitted_at = NewsState.SUBMITTED, timezone.now()
    _bump(item, "state", "submitted_at")
    audit.record("publicity.news.submit", actor=actor, target=item)
    return item


@transaction.atomic
def news_publish(*, item: NewsItem, actor: Any) -> NewsItem:
    """Put a submitted (or withdrawn) item on the county's public page. A deputy's profile goes
    public only with the deputy's consent."""
    if actor is not None and not may.may_select_item(actor, item):
        raise PermissionDenied
    item = _lock(NewsItem, item, None)
    if item.state not in {NewsState.SUBMITTED, NewsState.WITHDRAWN}:
        raise Conflict(_("Only an item submitted to the county can go on the public page."))
    if item.kind == NewsKind.DEPUTY_PROFILE and not (item.consent and item.mandate_id):
        raise Conflict(_("The deputy has not agreed to publish the profile; it cannot go on the public page."))
    item.state, item.published_at = NewsState.PUBLIC, timezone.now()
    _bump(item, "state", "published_at")
    audit.record("publicity.news.publish", actor=actor, target=item)
    return item


@transaction.atomic
def news_withdraw(*, item: NewsItem, actor: Any) -> NewsItem:
    """Take an item off the public page (it may be selected again)."""
    if actor is not None and not may.may_select_item(actor, item):
        raise PermissionDenied
    item = _lock(NewsItem, item, None)
    if item.state != NewsState.PUBLIC:
        raise Conflict(_("The item is not on the public page."))
    item.state = NewsState.WITHDRAWN
    _bump(item, "state")
    audit.record("publicity.news.withdraw", actor=actor, target=item)
    return item


@transaction.atomic
def news_sent_to_media(*, item: NewsItem, actor: Any, medium: str, sent_on: date | None) -> NewsItem:
    """Record that the item was sent to a newspaper, site or new-media account."""
    if actor is not None and not may.may_record_media(actor, item):
        raise PermissionDenied
    medium = _text(medium)
    errors = {}
    if not medium:
        errors["medium"] = _("Name the medium.")
    elif len(medium) > 100:
        errors["medium"] = _("The name of the medium is too long.")
    if sent_on is None:
        errors["sent_on"] = _("Give the date.")
    if errors:
        raise ValidationError(errors)
    item = _lock(NewsItem, item, None)
    item.sent_to_medium, item.sent_on = medium, sent_on
    _bump(item, "sent_to_medium", "sent_on")
    audit.record("publicity.news.media", actor=actor, target=item, data={"medium": medium})
    return item


@transaction.atomic
def news_record_published(
    *,
    item: NewsItem,
    actor: Any,
    level: str,
    published_on: date | None,
    link: str = "",
    medium: str = "",
    title: str = "",
) -> Article:
    """The medium published the item: an article (submitted, for the county to confirm) linked to it,
    with the item's title and medium unless others are given."""
    if actor is not None and not may.may_record_media(actor, item):
        raise PermissionDenied
    return _register(
        actor=actor,
        township=item.township,
        title=_text(title) or item.title,
        medium=_text(medium) or item.sent_to_medium,
        level=level,
        published_on=published_on,
        link=link,
        scan=None,
        news_item=item,
    )


# ---------------------------------------------------------------- articles


def _check_article(*, title: str, medium: str, level: str, published_on: date | None, link: str) -> date:
    """The date it was published, once every field is right."""
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the title.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long.")
    if not medium:
        errors["medium"] = _("Name the medium.")
    elif len(medium) > 100:
        errors["medium"] = _("The name of the medium is too long.")
    if level not in MediaLevel.values:
        errors["level"] = _("Choose the level of the medium.")
    if published_on is None:
        errors["published_on"] = _("Give the date it was published.")
    elif published_on > timezone.localdate():
        errors["published_on"] = _("The date it was published cannot be in the future.")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _("Enter a web address starting with http:// or https://.")
        if len(link) > 500:
            errors["link"] = _("The web address is too long.")
    if errors or published_on is None:
        raise ValidationError(errors)
    return published_on


def _attach_scan(article: Article, scan: Any) -> None:
    if scan is None:
        return
    name, stored = _stored_file("scan", scan, SCAN_TYPES, _("Scans are accepted as PDF, JPG or PNG files."))
    article.scan.save(stored, scan, save=False)
    article.scan_name = name


def _register(
    *,
    actor: Any,
    township: Township,
    title: str,
    medium: str,
    level: str,
    published_on: date | None,
    link: str,
    scan: Any,
    news_item: NewsItem | None,
) -> Article:
    title, medium, link = _text(title), _text(medium), _text(link)
    published_on = _check_article(title=title, medium=medium, level=level, published_on=published_on, link=link)
    article = Article(
        county_id=township.county_id,
        township=township,
        title=title,
        medium=medium,
        level=level,
        published_on=published_on,
        link=link,
        news_item=news_item,
        created_by=actor,
    )
    _attach_scan(article, scan)
    article.save()
    data = {"media_level": level, "medium": medium}
    if news_item is not None:
        data["news_item"] = news_item.title
    audit.record("publicity.article.register", actor=actor, target=article, data=data)
    return article


@transaction.atomic
def article_register(
    *,
    actor: Any,
    township: Township | None,
    title: str,
    medium: str,
    level: str,
    published_on: date | None,
    link: str = "",
    scan: Any = None,
) -> Article:
    """Register an article the media published, for the county administrator to confirm."""
    if actor is not None and not may.may_register_articles(actor):
        raise PermissionDenied
    township = _own_township(actor, township)
    return _register(
        actor=actor,
        township=township,
        title=title,
        medium=medium,
        level=level,
        published_on=published_on,
        link=link,
        scan=scan,
        news_item=None,
    )


@transaction.atomic
def article_update(
    *,
    article: Article,
    actor: Any,
    expected_version: int | None,
    title: str,
    medium: str,
    level: str,
    published_on: date | None,
    link: str = "",
    scan: Any = None,
) -> Article:
    """Correct an article awaiting confirmation; a rejected one corrected is submitted again."""
    if actor is not None and not may.may_change_article(actor, article):
        raise PermissionDenied
    article = _lock(Article, article, expected_version)
    if article.state == ArticleState.CONFIRMED:
        raise Conflict(_("The article is confirmed already; it can no longer change."))
    title, medium, link = _text(title), _text(medium), _text(link)
    published_on = _check_article(title=title, medium=medium, level=level, published_on=published_on, link=link)
    resubmitted = article.state == ArticleState.REJECTED
    article.title, article.medium, article.level = title, medium, level
    article.published_on, article.link = published_on, link
    fields = ["title", "medium", "level", "published_on", "link"]
    if scan is not None:
        _attach_scan(article, scan)
        fields += ["scan", "scan_name"]
    if resubmitted:
        article.state = ArticleState.SUBMITTED
        fields.append("state")
    _bump(article, *fields)
    audit.record(
        "publicity.article.update", actor=actor, target=article, data={"media_level": level, "resubmitted": resubmitted}
    )
    return article


@transaction.atomic
def article_confirm(*, article: Article, actor: Any, expected_version: int | None = None) -> Article:
    """The county administrator confirms the article: it counts in the assessment from now on."""
    if actor is not None and not may.may_decide_on(actor, article):
        raise PermissionDenied
    article = _lock(Article, article, expected_version)
    if article.state != ArticleState.SUBMITTED:
        raise Conflict(_("Only an article awaiting confirmation can be confirmed or rejected."))
    article.state, article.decided_by, article.decided_at = ArticleState.CONFIRMED, actor, timezone.now()
    article.decision_note = ""
    _bump(article, "state", "decided_by", "decided_at", "decision_note")
    audit.record("publicity.article.confirm", actor=actor, target=article, data={"media_level": article.level})
    return article


@transaction.atomic
def article_reject(*, article: Article, actor: Any, reason: str, expected_version: int | None = None) -> Article:
    """The county administrator rejects the article, saying why; the township may correct it."""
    if actor is not None and not may.may_decide_on(actor, article):
        raise PermissionDenied
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the article.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("The reason is too long.")})
    article = _lock(Article, article, expected_version)
    if article.state != ArticleState.SUBMITTED:
        raise Conflict(_("Only an article awaiting confirmation can be confirmed or rejected."))
    article.state, article.decided_by, article.decided_at = ArticleState.REJECTED, actor, timezone.now()
    article.decision_note = reason
    _bump(article, "state", "decided_by", "decided_at", "decision_note")
    audit.record("publicity.article.reject", actor=actor, target=article, data={"reason": reason})
    return article
