"""The county's public page of congress work (/public/<county>/): no account needed.

Only the items the county administrator put on the public page are shown (the selectors' state
filter); a deputy's profile is there only with the deputy's consent and shows the deputy's name and
township with the text and photo — never a phone, an ID number or an address. Anything else —
an unknown county or item, a draft, a withdrawn item, the photo of an item not public — is 404."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from renda.core.uploads import CONTENT_TYPES

from . import selectors
from .forms import PublicFilterForm

PAGE_SIZE = 10


def _county(uuid):
    county = selectors.public_county(uuid)
    if county is None:
        raise Http404
    return county


@login_not_required
def public_page(request, county):
    county = _county(county)
    townships = selectors.public_townships(county)
    form = PublicFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    township = next((t for t in townships if data.get("township") and t.uuid == data["township"]), None)
    items = selectors.public_items(county, kind=data.get("kind", ""), township=township)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/public/list.html",
        {"county": county, "page": page, "form": form, "townships": townships, "township": township},
    )


@login_not_required
def public_item(request, county, uuid):
    county = _county(county)
    item = selectors.public_item(county, uuid)
    if item is None:
        raise Http404
    return render(request, "publicity/public/item.html", {"county": county, "item": item})


@login_not_required
def public_photo(request, county, uuid):
    """The photo of a public item; 404 as soon as the item is not (or no longer) public."""
    county = _county(county)
    item = selectors.public_item(county, uuid)
    if item is None or not item.photo:
        raise Http404
    try:
        handle = item.photo.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = PurePath(item.photo.name).suffix.lstrip(".").lower()
    return FileResponse(handle, content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))
