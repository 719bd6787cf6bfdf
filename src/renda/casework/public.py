"""The citizens' side (no account): submitting an opinion at a station's or a deputy's public page
or through the public API, and following it by tracking code. The pages and the API call these.

What a citizen gives is minimal: a name or nothing (匿名), a phone for a call-back or nothing, and
never an ID number — text that looks like one is refused in every field. What the status page shows
is public by construction (``PublicStatus``): the state in plain words, the dates of the public
steps, the public reply and its class; never a name or a phone, of the citizen or of staff.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.pii import normalise_phone, validate_phone
from renda.core.submission import claim_submission
from renda.core.tracking import normalise_tracking_code

from . import services
from .models import Case, CaseEvent, CaseRating, CaseReply, CaseSource, CaseState
from .reception import title_from
from .workflow import Step

if TYPE_CHECKING:
    from renda.deputies.models import Mandate
    from renda.organisations.models import Station

S = CaseState

# 17 digits and a digit or X, possibly written in groups: what a 公民身份号码 looks like. Refused
# whether or not its check digit is right: the point is that none is ever stored.
_ID_LIKE = re.compile(r"\d{17}[\dXx]")
_SEPARATORS = re.compile(r"[\s\-_.·]")


# What a citizen reads when a field is refused, on the pages (``forms_public``) and from the API.
ID_NUMBER_REFUSED = gettext_lazy(
    "Please do not write an ID number here: it is not needed, and we do not keep ID numbers."
)
PHONE_REFUSED = gettext_lazy("This is not a valid phone number.")


def looks_like_id_number(text: str) -> bool:
    return bool(_ID_LIKE.search(_SEPARATORS.sub("", text or "")))


def no_id_number(value: str) -> None:
    """A form field's validator: ValidationError when ``value`` looks like an ID number."""
    if looks_like_id_number(value):
        raise ValidationError(ID_NUMBER_REFUSED)


def refuse_id_numbers(fields: dict[str, str]) -> None:
    """ValidationError on every field holding what looks like an ID number."""
    errors = {name: ID_NUMBER_REFUSED for name, value in fields.items() if looks_like_id_number(value)}
    if errors:
        raise ValidationError(errors)


def clean_phone(value: str) -> str:
    """The call-back phone, normalised; empty is allowed; ValidationError when it is not a phone."""
    value = normalise_phone(value)
    if value:
        validate_phone(value)
    return value


# ---------------------------------------------------------------- the public pages' subjects


def active_station(uuid) -> Station | None:
    from renda.organisations.models import Station

    # A public page names the station by its UUID; no user, so no scope: only active stations.
    return (
        Station.objects.unscoped()
        .select_related("township", "township__county")
        .filter(uuid=uuid, is_active=True, township__is_active=True)
        .first()
    )


def serving_mandate(uuid, today: dt.date | None = None) -> Mandate | None:
    from renda.deputies.models import Mandate

    mandate = (
        Mandate.objects.unscoped()
        .select_related("person", "person__township", "station", "station__township")
        .filter(uuid=uuid)
        .first()
    )
    if mandate is None or not mandate.serving_on(today or timezone.localdate()):
        return None
    return mandate


def mandate_station(mandate: Mandate) -> Station | None:
    station = mandate.station
    if station is not None and station.is_active and station.township_id == mandate.person.township_id:
        return station
    return None


def coming_reception_days(station: Station, today: dt.date | None = None, limit: int = 4) -> list:
    """The station's next planned reception days, as its public notice gives them: date, place and
    the names of the deputies on duty."""
    from django.db.models import Prefetch

    from renda.deputies.models import Mandate

    from .models import ReceptionDay, ReceptionState

    return list(
        ReceptionDay.objects.unscoped()
        .filter(station=station, state=ReceptionState.PLANNED, date__gte=today or timezone.localdate())
        .prefetch_related(Prefetch("deputies", queryset=Mandate.objects.unscoped().select_related("person")))
        .order_by("date")[:limit]
    )


# ---------------------------------------------------------------- submitting


@dataclass(frozen=True)
class Opinion:
    content: str
    title: str = ""
    citizen_name: str = ""
    citizen_phone: str = ""


def check_opinion(opinion: Opinion) -> Opinion:
    """The opinion as it will be filed, or ValidationError with a message per field (the API's
    check; the form checks the same through ``forms_public``)."""
    refuse_id_numbers(
        {
            "title": opinion.title,
            "content": opinion.content,
            "name": opinion.citizen_name,
            "phone": opinion.citizen_phone,
        }
    )
    errors: dict[str, object] = {}
    content = (opinion.content or "").strip()
    if not content:
        errors["content"] = _("Describe the matter.")
    elif len(content) > 5000:
        errors["content"] = _("Please keep it under 5000 characters.")
    if len(opinion.title or "") > 120:
        errors["title"] = _("Please keep the title under 120 characters.")
    if len(opinion.citizen_name or "") > 30:
        errors["name"] = _("Please keep the name under 30 characters.")
    try:
        phone = clean_phone(opinion.citizen_phone)
    except ValidationError:
        errors["phone"] = PHONE_REFUSED
        phone = ""
    if errors:
        raise ValidationError(errors)
    return Opinion(
        content=content,
        title=(opinion.title or "").strip() or title_from(content),
        citizen_name=(opinion.citizen_name or "").strip(),
        citizen_phone=phone,
    )


def submit_opinion(
    token: str, *, station: Station | None, township=None, opinion: Opinion, via: str
) -> tuple[str, bool]:
    """File a citizen's opinion once per form token (a double click, a retry or a concurrent
    duplicate gets the first one's tracking code). Returns (tracking code, whether this call filed it).
    Raises ``InvalidSubmissionToken`` and ``ValidationError``."""
    opinion = check_opinion(opinion)
    township = station.township if station is not None else township

    def create() -> str:
        case = services.file_case(
            None,
            township=township,
            source=CaseSource.CITIZEN_OPINION,
            title=opinion.title,
            content=opinion.content,
            station=station,
            citizen_name=opinion.citizen_name,
            citizen_phone=opinion.citizen_phone,
            created_via=via,
        )
        return str(case.tracking_code)

    return claim_submission(token, create)


# ---------------------------------------------------------------- following it


def find_by_code(text: str) -> Case | None:
    code = normalise_tracking_code(text)
    if code is None:
        return None
    return (
        Case.objects.unscoped()
        .select_related("merged_into")
        .filter(tracking_code=code, source=CaseSource.CITIZEN_OPINION)
        .first()
    )


# What a citizen reads for each state of the case that answers them.
PUBLIC_STATES = {
    S.DRAFT: gettext_lazy("Received, waiting to be reviewed"),
    S.SUBMITTED: gettext_lazy("Received, waiting to be reviewed"),
    S.ACCEPTED: gettext_lazy("Accepted, being passed to the department in charge"),
    S.MERGED: gettext_lazy("Handled together with similar opinions"),
    S.REJECTED: gettext_lazy("Not taken up as a case"),
    S.HANDLED_ON_SPOT: gettext_lazy("Answered on the spot"),
    S.ASSIGNED: gettext_lazy("Being handled by the department in charge"),
    S.RETURNED: gettext_lazy("Being passed to the department in charge"),
    S.IN_PROGRESS: gettext_lazy("Being handled by the department in charge"),
    S.ANSWERED: gettext_lazy("Answered: please tell us whether you are satisfied"),
    S.REHANDLING: gettext_lazy("Being handled again"),
    S.RATED: gettext_lazy("Answered and rated"),
    S.CLOSED: gettext_lazy("Completed"),
}

# The steps shown on the public timeline (the others are the offices' internal work).
PUBLIC_STEPS = {
    Step.SUBMIT: gettext_lazy("Received"),
    Step.ACCEPT: gettext_lazy("Accepted"),
    Step.MERGE: gettext_lazy("Handled together with similar opinions"),
    Step.REJECT: gettext_lazy("Not taken up as a case"),
    Step.HANDLE_ON_SPOT: gettext_lazy("Answered on the spot"),
    Step.ASSIGN: gettext_lazy("Passed to the department in charge"),
    Step.AGENCY_ACCEPT: gettext_lazy("Department started handling"),
    Step.ANSWER: gettext_lazy("Answered"),
    Step.RATE: gettext_lazy("Rated"),
    Step.REHANDLE: gettext_lazy("Handled again"),
    Step.CLOSE: gettext_lazy("Completed"),
}


@dataclass(frozen=True)
class PublicStep:
    on: dt.date
    label: str


@dataclass
class PublicStatus:
    code: str
    title: str
    received_on: dt.date | None
    state: str
    finished: bool
    steps: list[PublicStep] = field(default_factory=list)
    reply_text: str = ""
    reply_class: str = ""
    answered_on: dt.date | None = None
    may_rate: bool = False
    rating: str = ""


def _steps(events: list[CaseEvent]) -> list[PublicStep]:
    steps = []
    for event in events:
        label = PUBLIC_STEPS.get(event.transition)  # type: ignore[call-overload]
        if label is not None:
            steps.append(PublicStep(on=timezone.localtime(event.at).date(), label=str(label)))
    return steps


def public_status(case: Case) -> PublicStatus:
    """What the status page shows of ``case`` (the citizen's own case; if merged, the main case's
    progress and answer)."""
    main = services.main_case(case)
    events = list(case.events.order_by("at", "id"))
    if main.pk != case.pk:
        merged_at = events[-1].at if events else timezone.now()
        events += list(main.events.filter(at__gte=merged_at).order_by("at", "id"))
    reply: CaseReply | None = main.replies.order_by("-round").first()
    reply_text = reply.public_text if reply is not None else ""
    if not reply_text and main.state == S.HANDLED_ON_SPOT:
        spot = main.events.filter(transition=Step.HANDLE_ON_SPOT).order_by("-at").first()
        reply_text = spot.reason if spot else ""
    own_rating = (
        CaseRating.objects.unscoped()
        .filter(case=case, mandate__isnull=True, round=main.rehandle_count)
        .exclude(result="no_opinion")
        .first()
    )
    return PublicStatus(
        code=str(case.tracking_code),
        title=case.title,
        received_on=case.received_on,
        state=str(PUBLIC_STATES.get(S(main.state), main.get_state_display())),
        finished=main.state in (S.CLOSED, S.REJECTED, S.HANDLED_ON_SPOT),
        steps=_steps(events),
        reply_text=reply_text,
        reply_class=reply.reply_class_label if reply is not None else "",
        answered_on=main.answered_on,
        may_rate=main.state == S.ANSWERED and own_rating is None,
        rating=own_rating.get_result_display() if own_rating else "",
    )


def rate_answer(case: Case, *, handling: str, result: str, comment: str = "") -> CaseRating:
    """The citizen's rating of the answer, by tracking code (``services.rate``'s checks apply:
    only while answered, once per round)."""
    refuse_id_numbers({"comment": comment})
    return services.rate(case, None, citizen=True, handling=handling, result=result, comment=comment)


# ---------------------------------------------------------------- rate limits


def over_limit(request, *, kind: str, station: Station | None = None) -> int | None:
    """Count one request of ``kind`` ("submit" or "lookup") from this address (and, for a
    submission, for this station); the seconds to wait when a limit is exceeded, else None.
    The limits are settings, read on each request."""
    from django.conf import settings

    from renda.core.ratelimit import Rate, by_address, hit

    address = by_address(request)
    if kind == "lookup":
        checks = [(f"public.lookup:{address}", settings.RENDA_PUBLIC_LOOKUP_RATE)]
    else:
        checks = [
            (f"public.submit.m:{address}", settings.RENDA_PUBLIC_RATE_PER_MINUTE),
            (f"public.submit.h:{address}", settings.RENDA_PUBLIC_RATE_PER_HOUR),
        ]
        if station is not None:
            checks.append((f"public.station:{station.pk}", settings.RENDA_PUBLIC_RATE_PER_STATION))
    for key, text in checks:
        rate = Rate.parse(text)
        if not hit(key, rate):
            return rate.seconds
    return None
