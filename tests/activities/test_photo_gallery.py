"""Photos of an activity: staff upload JPG or PNG with a caption, the gallery part shows them, the
download is scoped and audited, staff delete them (audited); outsiders get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.activities.models import ActivityPhoto
from renda.activities.sections import parts
from tests.activities.findings_helpers import PDF, PNG, inspection

pytestmark = pytest.mark.django_db


def _png(name="河道现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_staff_upload_a_photo_the_gallery_shows_it_and_the_invited_deputy_sees_it(client_for, world):
    activity = inspection(world)
    client = client_for(world.staff_a)
    assert client.get(reverse("activities:photo_add", args=[activity.uuid])).status_code == 200
    response = client.post(
        reverse("activities:photo_add", args=[activity.uuid]), {"file": _png(), "caption": "清淤现场"}
    )
    assert response.status_code == 302
    photo = ActivityPhoto.objects.get(activity=activity)
    assert photo.name == "河道现场.png" and photo.caption == "清淤现场"
    assert "河道现场" not in photo.file.name and photo.file.name.endswith(".png")  # a random stored name
    assert AuditEntry.objects.filter(event="activities.photo.add").count() == 1

    shown = {part.code: (part, context) for part, context in parts.for_object(activity, world.staff_a)}
    part, context = shown["photos"]
    html = render_to_string(part.template, {"activity": activity, **context})
    assert "清淤现场" in html and reverse("activities:photo", args=[photo.uuid]) in html

    download = client.get(reverse("activities:photo", args=[photo.uuid]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    assert AuditEntry.objects.filter(event="export.activities.photo", actor=world.staff_a).count() == 1
    assert "清淤现场" in client.get(reverse("activities:detail", args=[activity.uuid])).content.decode()
    # Photos are the office's record: the invited deputy reads the activity without them.
    deputy = client_for(world.deputy_a)
    assert deputy.get(reverse("activities:photo", args=[photo.uuid])).status_code == 404
    body = deputy.get(reverse("activities:detail", args=[activity.uuid])).content.decode()
    assert "清淤现场" not in body and reverse("activities:photo_add", args=[activity.uuid]) not in body
    assert deputy.get(reverse("activities:photo_add", args=[activity.uuid])).status_code == 403


def test_only_jpg_or_png_and_the_form_keeps_the_caption(client_for, world):
    activity = inspection(world)
    client = client_for(world.staff_a)
    response = client.post(
        reverse("activities:photo_add", args=[activity.uuid]),
        {"file": SimpleUploadedFile("报告.pdf", PDF), "caption": "会场"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "照片只接受 JPG 或 PNG 格式。" in body and 'value="会场"' in body
    renamed = client.post(
        reverse("activities:photo_add", args=[activity.uuid]), {"file": SimpleUploadedFile("假图.png", PDF)}
    )
    assert renamed.status_code == 200 and not ActivityPhoto.objects.exists()


def test_staff_delete_a_photo_audited(client_for, world):
    activity = inspection(world)
    client = client_for(world.staff_a)
    client.post(reverse("activities:photo_add", args=[activity.uuid]), {"file": _png()})
    photo = ActivityPhoto.objects.get()
    assert client_for(world.deputy_a).post(reverse("activities:photo_delete", args=[photo.uuid])).status_code == 404
    client = client_for(world.staff_a)
    assert client.post(reverse("activities:photo_delete", args=[photo.uuid])).status_code == 302
    assert not ActivityPhoto.objects.exists()
    assert AuditEntry.objects.filter(event="activities.photo.delete").count() == 1


@pytest.mark.parametrize("username", ["staff_b", "deputy_b", "other_county_admin"])
def test_outsiders_get_404_on_photos(client_for, world, username):
    activity = inspection(world)
    client_for(world.staff_a).post(reverse("activities:photo_add", args=[activity.uuid]), {"file": _png()})
    photo = ActivityPhoto.objects.get()
    client = client_for(world.users[username])
    assert client.get(reverse("activities:photo", args=[photo.uuid])).status_code == 404
    assert client.get(reverse("activities:photo_add", args=[activity.uuid])).status_code == 404
    assert client.post(reverse("activities:photo_add", args=[activity.uuid]), {"file": _png()}).status_code == 404
    assert client.post(reverse("activities:photo_delete", args=[photo.uuid])).status_code == 404
    assert ActivityPhoto.objects.count() == 1
