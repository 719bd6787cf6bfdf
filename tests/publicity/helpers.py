"""Shared makers for the publicity tests."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.publicity import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%test\n"


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "版面.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def article(
    world, *, township=None, level="city", published_on=date(2026, 3, 1), title="代表视察农村公路", confirm=True
):
    township = township or world.township_a
    staff = world.staff_a if township == world.township_a else world.staff_b
    row = services.article_register(
        actor=staff,
        township=township,
        title=title,
        medium="衢州日报",
        level=level,
        published_on=published_on,
        link="https://example.com/a",
    )
    if confirm:
        row = services.article_confirm(article=row, actor=world.county_admin)
    return row


def item(world, *, township=None, kind="work_news", title="甲镇召开人代会", public=False, photo=None, consent=True):
    township = township or world.township_a
    staff = world.staff_a if township == world.township_a else world.staff_b
    mandate = None
    if kind == "deputy_profile":
        mandate = world.mandate_a if township == world.township_a else world.mandate_b
    row = services.news_create(
        actor=staff,
        township=township,
        kind=kind,
        title=title,
        body="会议听取了政府工作报告。",
        mandate=mandate,
        consent=consent,
        photo=photo,
    )
    if public:
        row = services.news_submit(item=row, actor=staff)
        row = services.news_publish(item=row, actor=world.county_admin)
    return row
