"""The citizens' pages (no account), mounted at /p/: a station's and a deputy's opinion form (the
QR codes lead here), and the status page by tracking code.

Every page is rate-limited per address, generously (a reception day's queue shares one address),
and a submission also per station; beyond the limits the friendly 429 page answers. An unknown
station, deputy or code is a friendly 404 page."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit
from renda.core.submission import InvalidSubmissionToken, issue_submission_token
from renda.core.tracking import normalise_tracking_code

from . import public
from .forms_public import CitizenRatingForm, LookupForm, OpinionForm
from .workflow import IllegalTransition


def _too_many(request, seconds: int):
    response = render(request, "errors/429.html", {"retry_seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _not_found(request, message: str):
    return render(request, "casework/public/not_found.html", {"message": message}, status=404)


def _opinion_page(request, *, station, township, heading, deputy=None, via: str):
    if request.method == "POST":
        seconds = public.over_limit(request, kind="submit", station=station)
        if seconds:
            return _too_many(request, seconds)
        form = OpinionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            opinion = public.Opinion(
                content=data["content"], title=data["title"], citizen_name=data["name"], citizen_phone=data["phone"]
            )
            try:
                code, _created = public.submit_opinion(
                    data["token"], station=station, township=township, opinion=opinion, via=via
                )
            except InvalidSubmissionToken:
                # An expired or altered page: a fresh token, and the citizen sends the same text again.
                form = OpinionForm(request.POST.dict() | {"token": issue_submission_token()})
                form.is_valid()
                form.add_error(None, _("The page had expired. Please check your text and send it again."))
            except ValidationError as error:
                show_refusal(form, error)
            else:
                return render(
                    request,
                    "casework/public/submitted.html",
                    {"code": code, "status_url": reverse("public:status", args=[code]), "station": station},
                )
    else:
        form = OpinionForm(initial={"token": issue_submission_token()})
    return render(
        request,
        "casework/public/opinion_form.html",
        {
            "form": form,
            "station": station,
            "township": township,
            "heading": heading,
            "deputy": deputy,
            "coming_days": public.coming_reception_days(station) if station is not None else [],
        },
    )


@login_not_required
def station_page(request, uuid):
    station = public.active_station(uuid)
    if station is None:
        return _not_found(request, _("This station's page does not exist or is no longer in use."))
    return _opinion_page(request, station=station, township=station.township, heading=station.name, via="qr")


@login_not_required
def deputy_page(request, uuid):
    mandate = public.serving_mandate(uuid)
    if mandate is None:
        return _not_found(request, _("This deputy's page does not exist or the deputy no longer serves."))
    station = public.mandate_station(mandate)
    return _opinion_page(
        request,
        station=station,
        township=mandate.person.township,
        heading=_("Deputy %(name)s") % {"name": mandate.person.full_name},
        deputy=mandate,
        via="qr",
    )


@login_not_required
def lookup(request):
    """Enter a tracking code (a GET form: nothing is written)."""
    form = LookupForm(request.GET or None)
    if form.is_bound:
        seconds = public.over_limit(request, kind="lookup")
        if seconds:
            return _too_many(request, seconds)
        if form.is_valid():
            code = normalise_tracking_code(form.cleaned_data["code"])
            if code is None:
                form.add_error("code", _("A tracking code has 16 letters and digits, like 7K3M-Q9XD-2HTA-PW4E."))
            else:
                return redirect("public:status", code=code)
    return render(request, "casework/public/lookup.html", {"form": form})


@login_not_required
def status(request, code):
    """The progress of one opinion and its public answer; the citizen rates the answer here."""
    seconds = public.over_limit(request, kind="lookup")
    if seconds:
        return _too_many(request, seconds)
    case = public.find_by_code(code)
    if case is None:
        return _not_found(request, _("No opinion has this tracking code. Check the code and try again."))
    if normalise_tracking_code(code) != code:
        return redirect("public:status", code=case.tracking_code)
    form = CitizenRatingForm(request.POST or None)
    rated = False
    if request.method == "POST" and form.is_valid():
        try:
            public.rate_answer(
                case,
                handling=form.cleaned_data["handling"],
                result=form.cleaned_data["result"],
                comment=form.cleaned_data["comment"],
            )
        except IllegalTransition:
            form.add_error(None, _("The answer cannot be rated now."))
        except StaleEdit:
            form.add_error(None, _("Someone changed this case at the same moment. Please send your rating again."))
        except ValidationError as error:
            show_refusal(form, error)
        else:
            rated = True
    return render(
        request,
        "casework/public/status.html",
        {"status": public.public_status(case), "form": form, "rated": rated},
    )
