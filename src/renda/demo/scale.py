"""Data at scale for measuring the platform (issue 14): counties of real townships, each with the
deputies, cases, activities and congress sessions a county holds in a year, written with bulk
inserts rather than through the services, ``build(townships, counties, seed)``.

The rows are those the services would write: case states agree with their timelines (every step
an event, the deadlines the deadline rules derive, an answer for every answered case, a rating by
every rater of a rated one), case numbers run per county and year in the order received,
tracking codes are unique, personal information goes through its model fields (encrypted, blind
index filled: ``bulk_create`` prepares each value as ``save`` does), names get their pinyin and
stroke columns, and each county's points ledger is computed by ``points_recompute`` at the end.
Per-step audit entries are not written: the load is one operator's action, audited once.

Repeatable: every county draws from its own generator seeded with the run's seed and its code,
and every UUID comes from it, so the same seed gives the same rows, and the first county (龙游县,
15 townships) is the same at every size; more counties, busier ones, add volume around it. Dates are relative
to ``today``, so that something is always due and overdue.
"""

from __future__ import annotations

import base64
import math
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock
from functools import cache
from typing import Any, TextIO, cast

from django.contrib.auth.hashers import make_password
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext
from stdnum.cn import ric

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.activities.models import (
    Activity,
    ActivityCategory,
    ActivityState,
    ActivityType,
    Participant,
    ParticipantStatus,
    SigninMethod,
)
from renda.activities.types import DEFAULT_TYPES
from renda.casework import deadlines
from renda.casework.models import (
    Case,
    CaseAssignment,
    CaseCategory,
    CaseEvent,
    CaseNote,
    CaseRating,
    CaseReply,
    CaseSigner,
    CaseSource,
    CaseState,
    Satisfaction,
)
from renda.casework.services import DEFAULT_CATEGORIES, SYSTEM
from renda.casework.workflow import Step
from renda.core.tracking import ALPHABET, GROUP_LENGTH, GROUPS
from renda.deputies import services as deputy_services
from renda.deputies.models import (
    Gender,
    Mandate,
    MandateEvent,
    MandateEventKind,
    MandateLevel,
    Person,
    PointEntry,
)
from renda.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingState
from renda.meetings.models import SigninMethod as MeetingSignin
from renda.organisations import divisions
from renda.organisations.models import (
    CONGRESS_KINDS,
    Agency,
    County,
    DeputyGroup,
    Station,
    StationKind,
    Term,
    Township,
    TownshipKind,
)

from . import data
from .activities import MINUTES, SUPERVISION, activity_organiser, activity_place
from .casework import COMMENTS, NOTES, ON_SPOT_REPLIES, REJECT_REASONS, TOPICS
from .management.commands.seed_demo import DEMO_COUNTY_CODE, DEMO_PASSWORD, DemoCounty, demo_terms

S = CaseState
TOWNSHIPS_PER_COUNTY = 15
SIZES = {"county": 15, "city": 150, "province": 1500}
BATCH = 2000


@dataclass(frozen=True)
class Knobs:
    """How much each township holds. The defaults give a county of 15 townships about 1,000 deputies
    and 5,000 cases; tests turn them down. The points ledger is computed for the first county (the
    personas'), and for every county with ``points_everywhere``: the service takes about as long as
    generating the county, and the nightly recomputation fills the others anyway."""

    deputies_per_township: int = 72
    cases_per_township: int = 333
    activities: bool = True
    meetings: bool = True
    points_everywhere: bool = False
    # The counties around the first are busier (a city's, a province's), so that a city of 150
    # townships holds about 15,000 deputies and 100,000 cases, a province ten times that.
    other_counties_deputies: float = 1.5
    other_counties_cases: float = 2.1

    def for_other_counties(self) -> Knobs:
        return replace(
            self,
            deputies_per_township=round(self.deputies_per_township * self.other_counties_deputies),
            cases_per_township=round(self.cases_per_township * self.other_counties_cases),
        )


@dataclass
class ScaleWorld:
    county: County
    township: Township
    users: dict[str, User]
    case: Case
    mandate: Mandate
    activity: Activity
    agency: Agency
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def default_counties(townships: int) -> int:
    return max(1, math.ceil(townships / TOWNSHIPS_PER_COUNTY))


def county_plan(townships: int, counties: int) -> list[tuple[divisions.Division, list[divisions.Division]]]:
    """Which real counties and townships: 龙游县 first (when it has enough), then the counties of
    Zhejiang, then the rest of the country in code order, each with its first townships by code.
    Counties, not urban districts: the first townships of a county taken must be towns and
    townships for two thirds at least (a district of subdistricts has no township congresses, and
    would hold a fraction of a county's deputies and cases). Raises ValueError when no real county
    fits."""
    if townships < 1 or counties < 1 or counties > townships:
        raise ValueError("townships and counties must be positive, and no more counties than townships")
    per, extra = divmod(townships, counties)
    sizes = [per + (1 if index < extra else 0) for index in range(counties)]
    every = divisions.counties()
    ordered = [DEMO_COUNTY_CODE] + sorted(
        (code for code in every if code != DEMO_COUNTY_CODE), key=lambda code: (not code.startswith("33"), code)
    )
    chosen: list[tuple[divisions.Division, list[divisions.Division]]] = []
    candidates = iter(ordered)
    for size in sizes:
        for code in candidates:
            towns = divisions.townships_of(code)
            congresses = sum(TownshipKind.from_name(town.name) in CONGRESS_KINDS for town in towns[:size])
            if len(towns) >= size and (code == DEMO_COUNTY_CODE or 3 * congresses >= 2 * size):
                chosen.append((every[code], towns[:size]))
                break
        else:
            raise ValueError(f"not enough real counties with {size} townships")
    return chosen


class Tally:
    """Rows written and seconds spent per table."""

    def __init__(self) -> None:
        self.rows: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def insert(self, model: type[models.Model], rows: Sequence[Any]) -> list[Any]:
        started = time.perf_counter()
        created = model._base_manager.bulk_create(rows, batch_size=BATCH)
        label = model._meta.db_table
        self.rows[label] += len(rows)
        self.seconds[label] += time.perf_counter() - started
        return created

    def timed(self, label: str, rows: int, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        self.rows[label] += rows
        self.seconds[label] += time.perf_counter() - started
        return result


class Deadlines:
    """The deadline rules, memoised per day: a county's cases start on a few hundred days."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, date], date] = {}

    def __call__(self, rule: Callable[[date], date], day: date) -> date:
        key = (rule.__name__, day)
        if key not in self.cache:
            self.cache[key] = rule(day)
        return self.cache[key]


@dataclass
class Place:
    """One township while its county is generated."""

    township: Township
    term: Term | None
    stations: list[Station]
    groups: list[DeputyGroup]
    agencies: list[Agency]
    staff: User
    mandates: list[Mandate] = field(default_factory=list)  # serving, the township's own congress first


class CountyGenerator:
    """One county: everything in it from one generator, in one transaction per table group."""

    def __init__(self, *, seed: int, code: str, towns, knobs: Knobs, today: date, tally: Tally, world: dict, first):
        self.rng = random.Random(f"{seed}-{code}")
        # seed_demo's name, village and phone generators, drawing from this county's generator.
        self.demo = DemoCounty(self.rng)
        self.code, self.towns, self.knobs, self.today, self.tally = code, towns, knobs, today, tally
        self.world, self.first = world, first
        self.due = Deadlines()
        self.used_ids: set[str] = set()
        self.tracking_codes: set[str] = world.setdefault("tracking_codes", set())

    # ------------------------------------------------------------ small helpers

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def token(self) -> str:
        return base64.urlsafe_b64encode(self.rng.getrandbits(192).to_bytes(24, "big")).decode()

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, clock(hour, minute)))

    def gender(self, female: float = 0.3) -> str:
        return Gender.FEMALE if self.rng.random() < female else Gender.MALE

    def id_number(self, birth: date, gender: str) -> str:
        """A valid ID number issued in this county (its real division code)."""
        while True:
            odd = self.rng.choice([1, 3, 5, 7, 9])
            sequence = self.rng.randint(0, 99) * 10 + (odd - 1 if gender == Gender.FEMALE else odd)
            body = f"{self.code}{birth:%Y%m%d}{sequence:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def tracking_code(self) -> str:
        while True:
            chars = "".join(self.rng.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
            code = "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))
            if code not in self.tracking_codes:
                self.tracking_codes.add(code)
                return code

    def user(self, username: str, full_name: str, role: str, **scope: Any) -> User:
        user = User(uuid=self.uuid(), username=username, full_name=full_name, role=role, **scope)
        if username in PERSONA_NAMES:
            # A person may try the personas by hand (the bench forces its logins): the demo's password,
            # hashed once for all five, as hashing costs a second each.
            user.password, user.password_changed_at = persona_password(), timezone.now()
        else:
            user.set_unusable_password()
        return user

    # ------------------------------------------------------------ the county

    def run(self, division) -> County:
        with transaction.atomic():
            county = self.tally.insert(
                County, [County(uuid=self.uuid(), name=division.name, division_code=division.code)]
            )[0]
            self.county = county
            types = self.tally.insert(
                ActivityType,
                [
                    ActivityType(uuid=self.uuid(), county=county, name=name, category=category.value, order=index)
                    for index, (name, category) in enumerate(DEFAULT_TYPES, 1)
                ],
            )
            self.types = {t.category: t for t in types}
            self.categories = {
                c.name: c
                for c in self.tally.insert(
                    CaseCategory,
                    [
                        CaseCategory(uuid=self.uuid(), county=county, name=name, order=index)
                        for index, name in enumerate(DEFAULT_CATEGORIES, 1)
                    ],
                )
            }
            self.places = self.organisation(county)
            self.people()
        with transaction.atomic():
            self.cases()
        if self.knobs.activities:
            with transaction.atomic():
                self.activities()
        if self.knobs.meetings:
            with transaction.atomic():
                self.meetings()
        if not (self.first or self.knobs.points_everywhere):
            return county
        # The ledger is derived: computed by the service, as the nightly run would.
        with transaction.atomic():
            self.tally.timed(
                "points_recompute (deputies_pointentry)",
                0,
                lambda: deputy_services.points_recompute(county=county, actor=None, today=self.today),
            )
            self.tally.rows["points_recompute (deputies_pointentry)"] += PointEntry.objects.for_county(county).count()
        return county

    def organisation(self, county: County) -> list[Place]:
        township_spec, county_spec = demo_terms(self.today)
        self.county_term = self.tally.insert(
            Term,
            [
                Term(
                    uuid=self.uuid(),
                    county=county,
                    number=county_spec[0],
                    starts_on=county_spec[1],
                    ends_on=county_spec[2],
                )
            ],
        )[0]
        full_county = divisions.full_county_name(self.code)
        townships = self.tally.insert(
            Township,
            [
                Township(
                    uuid=self.uuid(),
                    county=county,
                    name=town.name,
                    kind=TownshipKind.from_name(town.name),
                    division_code=town.code,
                    address=f"{full_county}{town.name}人民政府",
                )
                for town in self.towns
            ],
        )
        terms = {
            term.township_id: term
            for term in self.tally.insert(
                Term,
                [
                    Term(
                        uuid=self.uuid(),
                        county=county,
                        township=township,
                        number=township_spec[0],
                        starts_on=township_spec[1],
                        ends_on=township_spec[2],
                    )
                    for township in townships
                    if township.has_congress
                ],
            )
        }
        stations: dict[int, list[Station]] = defaultdict(list)
        station_rows = []
        for township in townships:
            short = township.name[:-2] if township.name.endswith("街道") else township.name[:-1]
            station_rows.append(
                Station(
                    uuid=self.uuid(),
                    township=township,
                    name=f"{short}人大代表之家",
                    kind=StationKind.HOME,
                    address=f"{township.name}人民政府一楼",
                    reception_schedule="每月9日、19日",
                )
            )
            villages = {self.demo.village() for _n in range(self.rng.randint(1, 3))}
            for index, village in enumerate(sorted(villages)):
                station_rows.append(
                    Station(
                        uuid=self.uuid(),
                        township=township,
                        name=f"{village}村代表联络站",
                        kind=StationKind.STATION,
                        address=f"{village}村文化礼堂",
                        reception_schedule=["每周三上午", "每月15日"][index % 2],
                    )
                )
        for station in self.tally.insert(Station, station_rows):
            stations[station.township_id].append(station)
        groups: dict[int, list[DeputyGroup]] = defaultdict(list)
        group_rows = []
        for township in townships:
            for index in range(self.rng.randint(3, 5) if township.has_congress else 0):
                own = stations[township.pk]
                group_rows.append(
                    DeputyGroup(
                        uuid=self.uuid(),
                        township=township,
                        name=f"第{'一二三四五'[index]}代表小组",
                        station=own[index % len(own)],
                    )
                )
        for group in self.tally.insert(DeputyGroup, group_rows):
            groups[group.township_id].append(group)
        agency_rows = [
            Agency(uuid=self.uuid(), county=county, name=name, kind=kind, contact_phone=self.demo.phone())
            for name, kind in data.COUNTY_AGENCIES
        ]
        for township in townships:
            agency_rows += [
                Agency(
                    uuid=self.uuid(),
                    county=county,
                    township=township,
                    name=f"{township.name}{name}",
                    kind=kind,
                    contact_name=self.demo.name(self.gender(0.5)),
                    contact_phone=self.demo.phone(),
                )
                for name, kind in self.rng.sample(data.TOWNSHIP_AGENCIES, 2)
            ]
        agencies = self.tally.insert(Agency, agency_rows)
        self.county_agencies = {a.name: a for a in agencies if a.township_id is None}
        own_agencies: dict[int, list[Agency]] = defaultdict(list)
        for agency in agencies:
            if agency.township_id:
                own_agencies[agency.township_id].append(agency)
        # The accounts: the county's administrator and leader, each township's staff, a handler per agency.
        persona_town = next((t for t in townships if t.has_congress), townships[0]) if self.first else None
        users = [
            self.user(
                self.name_for("county_admin"), f"{county.name}人大联工委 周主任", Role.COUNTY_ADMIN, county=county
            ),
            self.user(self.name_for("leader"), f"{county.name}人大常委会 领导", Role.LEADER, county=county),
        ]
        for township in townships:
            username = "staff" if township == persona_town else f"staff_{township.division_code}"
            users.append(
                self.user(username, f"{township.name}人大 专干", Role.TOWNSHIP_STAFF, county=county, township=township)
            )
        for index, agency in enumerate(agencies):
            # The persona handler is chosen once the cases are known (``persona_handler``).
            username = f"handler_{self.code}_{index:03d}"
            users.append(
                self.user(username, f"{agency.name} 经办人", Role.AGENCY_HANDLER, county=county, agency=agency)
            )
        users = self.tally.insert(User, users)
        self.admin = users[0]
        staff = {u.township_id: u for u in users if u.role == Role.TOWNSHIP_STAFF}
        self.handlers = {u.agency_id: u for u in users if u.role == Role.AGENCY_HANDLER}
        if self.first:
            self.world["users"] = {u.username: u for u in users if u.username in PERSONA_NAMES}
            self.world["township"] = persona_town
            self.world["county"] = county
        return [
            Place(
                township=t,
                term=terms.get(t.pk),
                stations=stations[t.pk],
                groups=groups[t.pk],
                agencies=own_agencies[t.pk],
                staff=staff[t.pk],
            )
            for t in townships
        ]

    def name_for(self, persona: str) -> str:
        return persona if self.first else f"{persona}_{self.code}"

    # ------------------------------------------------------------ deputies

    def people(self) -> None:
        """Each congress township's deputies (a few of them county deputies too); a subdistrict's
        county deputies only. The persona deputy is the first of the persona township."""
        full_county = divisions.full_county_name(self.code)
        people: list[tuple[Place, Person]] = []
        for place in self.places:
            count = self.knobs.deputies_per_township if place.term else max(1, self.knobs.deputies_per_township // 4)
            for _n in range(count):
                gender = self.gender()
                birth = date(1960, 1, 1) + timedelta(days=self.rng.randint(0, 365 * 40))
                village = self.demo.village()
                person = Person(
                    uuid=self.uuid(),
                    township=place.township,
                    full_name=self.demo.name(gender),
                    gender=gender,
                    ethnicity=self.rng.choice(data.ETHNICITIES),
                    birth_date=birth,
                    party=self.rng.choice(data.PARTIES),
                    education=self.rng.choice(data.EDUCATIONS),
                    occupation=self.rng.choice(data.OCCUPATIONS),
                    id_number=self.id_number(birth, gender),
                    phone=self.demo.phone(),
                    address=f"{full_county}{place.township.name}{village}村{self.rng.randint(1, 120)}号",
                    workplace=self.rng.choice(data.WORKPLACES).format(village=village, township=place.township.name),
                )
                deputy_services.fill_name_columns(person)
                people.append((place, person))
        deputy_user = None
        if self.first:
            persona_town = self.world["township"]
            person = next(p for place, p in people if place.township == persona_town)
            deputy_user = self.tally.insert(
                User, [self.user("deputy", person.full_name, Role.DEPUTY, county=self.county)]
            )[0]
            person.user = deputy_user
            self.world["users"]["deputy"] = deputy_user
        self.tally.insert(Person, [p for _place, p in people])
        mandates: list[Mandate] = []
        county_seats: Counter[int] = Counter()
        township_seats: Counter[int] = Counter()
        for index, (place, person) in enumerate(people):
            if place.term is not None:
                township_seats[place.term.pk] += 1
                number = township_seats[place.term.pk]
                group = place.groups[number % len(place.groups)]
                mandates.append(self.mandate(person, place.term, MandateLevel.TOWNSHIP, number, group, group.station))
            # Every twelfth township deputy and every subdistrict deputy sits in the county congress.
            if place.term is None or index % 12 == 0:
                county_seats[place.township.pk] += 1
                mandates.append(
                    self.mandate(
                        person,
                        self.county_term,
                        MandateLevel.COUNTY,
                        int(f"{place.township.division_code[-3:]}{county_seats[place.township.pk]:02d}"),
                        None,
                        place.stations[0],
                    )
                )
        mandates = self.tally.insert(Mandate, mandates)
        self.tally.insert(
            MandateEvent,
            [
                MandateEvent(
                    uuid=self.uuid(),
                    mandate=m,
                    kind=MandateEventKind.ELECTED,
                    date=cast(date, m.starts_on),
                    document_number="",
                )
                for m in mandates
            ],
        )
        by_township: dict[int, list[Mandate]] = defaultdict(list)
        township_of = {person.pk: place.township.pk for place, person in people}
        for mandate in mandates:
            by_township[township_of[mandate.person_id]].append(mandate)
        for place in self.places:
            own = by_township[place.township.pk]
            # The township's own deputies first: they sign its suggestions and attend its activities.
            place.mandates = [m for m in own if m.level == MandateLevel.TOWNSHIP] or own
        if deputy_user is not None:
            self.world["mandate"] = next(m for m in mandates if m.person.user_id == deputy_user.pk)

    def mandate(self, person, term, level, number, group, station) -> Mandate:
        return Mandate(
            uuid=self.uuid(),
            person=person,
            term=term,
            level=level,
            deputy_number=f"{term.number}{number:03d}",
            constituency=f"{person.township.name}第{number // 3 + 1}选区"
            if level == MandateLevel.TOWNSHIP
            else f"{person.township.name}选区",
            group=group,
            station=station,
            starts_on=term.starts_on,
            **self.demo.flags(person),
        )

    # ------------------------------------------------------------ cases

    def cases(self) -> None:
        """A year of cases per township, each walked through its steps in memory (the rows the
        services write at each step), then numbered per county and year in the order received."""
        walks: list[CaseWalk] = []
        session_day = date(self.today.year, 1, 12)
        if session_day > self.today:
            session_day = date(self.today.year - 1, 1, 12)
        persona_mandate = self.world.get("mandate") if self.first else None
        for place in self.places:
            deputy_cases = 0
            for _n in range(self.knobs.cases_per_township):
                walk = CaseWalk(self, place, len(walks))
                source = self.rng.choices(
                    [CaseSource.SESSION_SUGGESTION, CaseSource.RECESS_SUGGESTION, CaseSource.CITIZEN_OPINION],
                    weights=[20 if place.term else 0, 35, 45],
                )[0]
                received = session_day if source == CaseSource.SESSION_SUGGESTION else None
                lead = None
                if source != CaseSource.CITIZEN_OPINION:
                    deputy_cases += 1
                    # The persona deputy leads one suggestion in ten of their township's.
                    if persona_mandate is not None and place.mandates[0] == persona_mandate and deputy_cases % 10 == 1:
                        lead = persona_mandate
                walk.build(source, received, lead)
                walks.append(walk)
        walks.sort(key=lambda w: (w.received, w.order))
        numbers: Counter[int] = Counter()
        for walk in walks:
            year = walk.received.year
            numbers[year] += 1
            walk.case.reference = f"{year}-{numbers[year]:05d}"
        cases = self.tally.insert(Case, [w.case for w in walks])
        parts: dict[type[models.Model], list[Any]] = defaultdict(list)
        for walk in walks:
            for row in walk.parts:
                row.case_id = walk.case.pk
                parts[type(row)].append(row)
        for model in (CaseSigner, CaseAssignment, CaseEvent, CaseNote, CaseReply, CaseRating):
            self.tally.insert(model, parts[model])
        if self.first:
            township = self.world["township"]
            own = [c for c in cases if c.township_id == township.pk and c.state == S.IN_PROGRESS]
            self.world["case"] = own[0] if own else next(c for c in cases if c.township_id == township.pk)
            self.persona_handler(walks)

    def persona_handler(self, walks: list[CaseWalk]) -> None:
        """The handler persona: the one whose agency has the most of the persona township's cases
        in hand (lead, being handled), so that its inbox is never empty."""
        township, working = self.world["township"], {S.ASSIGNED, S.IN_PROGRESS}
        in_hand: Counter[int] = Counter(
            row.agency_id
            for walk in walks
            if walk.place.township == township and walk.case.state in working
            for row in walk.parts
            if isinstance(row, CaseAssignment) and row.is_lead
        )
        agency_id = max(in_hand, key=lambda pk: (in_hand[pk], -pk)) if in_hand else next(iter(self.handlers))
        handler = self.handlers[agency_id]
        handler.username, handler.password, handler.password_changed_at = "handler", persona_password(), timezone.now()
        handler.save(update_fields=["username", "password", "password_changed_at"])
        self.world["users"]["handler"] = handler
        self.world["agency"] = handler.agency

    # ------------------------------------------------------------ activities

    def activities(self) -> None:
        """A township's year: supervision most months, a study session a quarter, each group's
        activity a quarter, and two planned ahead (one noticed). Held ones have their attendance."""
        rows: list[tuple[Activity, list[Participant]]] = []
        start = self.today - timedelta(days=360)
        for place in self.places:
            plans: list[tuple[str, str, date, DeputyGroup | None]] = []  # category, title, day, group
            for month in range(12) if place.term else range(0, 12, 3):
                if self.rng.random() < 0.15:
                    continue
                category, title = self.rng.choice(SUPERVISION)
                day = weekday(start + timedelta(days=30 * month + self.rng.randint(0, 20)))
                plans.append((category, title.format(place.township.name), day, None))
            if place.term:
                for quarter in range(4):
                    day = weekday(start + timedelta(days=90 * quarter + 40 + self.rng.randint(0, 20)))
                    plans.append(
                        (ActivityCategory.STUDY, f"{place.township.name}代表学习培训（第{quarter + 1}期）", day, None)
                    )
                for group in place.groups:
                    for quarter in range(4):
                        day = weekday(start + timedelta(days=90 * quarter + self.rng.randint(5, 80)))
                        plans.append((ActivityCategory.GROUP, f"{group.name}集中活动", day, group))
                for days in (12, 20):
                    title = f"视察{place.township.name}冬季安全生产"
                    plans.append((ActivityCategory.INSPECTION, title, weekday(self.today + timedelta(days=days)), None))
            rows += [self.activity(place, *planned) for planned in plans]
        self.tally.insert(Activity, [a for a, _p in rows])
        participants = []
        for activity, invited in rows:
            for participant in invited:
                participant.activity_id = activity.pk
                participants.append(participant)
        self.tally.insert(Participant, participants)
        if self.first:
            mandate = self.world["mandate"]
            self.world["activity"] = next(
                a for a, invited in rows if a.state == ActivityState.HELD and any(p.mandate == mandate for p in invited)
            )

    def activity(self, place: Place, category: str, title: str, day: date, group) -> tuple[Activity, list[Participant]]:
        township = place.township
        starts = self.at(day, 9)
        activity = Activity(
            uuid=self.uuid(),
            county=self.county,
            township=township,
            type=self.types[category],
            category=category,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place=activity_place(township, category),
            organiser=activity_organiser(township),
            group=group,
            signin_token=self.token(),
            created_by=place.staff,
        )
        if group is not None:
            invited = [m for m in place.mandates if m.group_id == group.pk]
        else:
            invited = self.rng.sample(place.mandates, min(len(place.mandates), self.rng.randint(5, 10)))
        notice_days = self.rng.choice((7, 5, 4, 1))
        held = day < self.today
        version = 1
        if held or day - self.today < timedelta(days=15):
            activity.state = ActivityState.NOTIFIED
            activity.notice_sent_at = self.at(day - timedelta(days=notice_days), 10)
            activity.notice_text = self.notice_text(activity)
            version += 1
        participants = []
        for mandate in invited:
            participant = Participant(uuid=self.uuid(), mandate=mandate, status=ParticipantStatus.INVITED)
            if held:
                chance = self.rng.random()
                if chance < 0.1:
                    participant.status = ParticipantStatus.LEAVE
                    participant.leave_state = "approved"
                    participant.leave_reason = self.rng.choice(("外出学习", "身体不适", "单位工作冲突"))
                    participant.leave_decided_by = place.staff
                elif chance < 0.9:
                    participant.status = ParticipantStatus.PRESENT
                    participant.signed_in_at = self.at(day, 8, self.rng.randint(30, 59))
                    participant.signin_method = self.rng.choice((SigninMethod.QR, SigninMethod.STAFF))
                    if participant.signin_method == SigninMethod.STAFF:
                        participant.signed_in_by = place.staff
                else:
                    participant.status = ParticipantStatus.ABSENT
            participants.append(participant)
        if held:
            activity.state = ActivityState.HELD
            activity.held_at = self.at(day, 12, 30)
            version += 1
            if self.rng.random() < 0.85:
                activity.minutes = MINUTES.format(self.rng.randint(2, 6))
                version += 1
        activity.version = version
        return activity, participants

    @staticmethod
    def notice_text(activity: Activity) -> str:
        from renda.activities.services import default_notice_text

        return default_notice_text(activity)

    # ------------------------------------------------------------ congress sessions

    def meetings(self) -> None:
        """This year's session of each township congress (held in January), its deputies' attendance."""
        day = date(self.today.year, 1, 12)
        if day > self.today:
            day = date(self.today.year - 1, 1, 12)
        rows: list[tuple[Meeting, list[Attendance]]] = []
        for place in self.places:
            if place.term is None:
                continue
            number = day.year - place.term.starts_on.year + 1
            meeting = Meeting(
                uuid=self.uuid(),
                county=self.county,
                township=place.township,
                term=place.term,
                kind=MeetingKind.SESSION,
                number=number,
                starts_at=self.at(day, 8, 30),
                ends_on=day + timedelta(days=1),
                venue=f"{place.township.name}人民政府大会议室",
                state=MeetingState.CLOSED,
                notice_sent_at=self.at(day - timedelta(days=30), 10),
                signin_token=self.token(),
                opened_at=self.at(day, 8, 30),
                closed_at=self.at(day + timedelta(days=1), 11, 30),
                created_by=place.staff,
                version=4,
            )
            attendance = []
            for mandate in place.mandates:
                present = self.rng.random() < 0.93
                attendance.append(
                    Attendance(
                        uuid=self.uuid(),
                        mandate=mandate,
                        status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                        signed_in_at=self.at(day, 8, self.rng.randint(0, 29)) if present else None,
                        signin_method=MeetingSignin.QR if present else "",
                    )
                )
            rows.append((meeting, attendance))
        self.tally.insert(Meeting, [m for m, _a in rows])
        attendances = []
        for meeting, attendance in rows:
            for row in attendance:
                row.meeting_id = meeting.pk
                attendances.append(row)
        self.tally.insert(Attendance, attendances)


def weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@cache
def persona_password() -> str:
    return make_password(DEMO_PASSWORD)


PERSONA_NAMES = frozenset({"county_admin", "leader", "staff", "deputy", "handler"})


class CaseWalk:
    """One case and its rows, stepped forward in time as far as its plan and today allow."""

    def __init__(self, gen: CountyGenerator, place: Place, order: int):
        self.gen, self.place, self.rng, self.order = gen, place, gen.rng, order
        self.parts: list[Any] = []

    def event(self, step: Step, day: date, hour: int, *, actor: User | None, label: str = "", to=None, **extra):
        before = self.case.state
        if to is not None:
            self.case.state = to
        self.parts.append(
            CaseEvent(
                transition=step.value,
                from_state=before,
                to_state=self.case.state,
                actor=actor,
                actor_label=label or (str(actor) if actor is not None else ""),
                at=self.gen.at(day, hour, self.rng.randint(0, 59)),
                reason=extra.pop("reason", ""),
                data=extra.pop("data", {}),
            )
        )
        # Every step but the filing itself and a note goes through ``move``, which bumps the version.
        if step not in (Step.SUBMIT, Step.NOTE):
            self.case.version += 1

    def later(self, day: date, low: int, high: int) -> date:
        return weekday(day + timedelta(days=self.rng.randint(low, high)))

    def build(self, source: str, received: date | None, lead) -> None:
        gen, place, rng, today = self.gen, self.place, self.rng, self.gen.today
        received = self.received = received or today - timedelta(days=rng.randint(0, 364))
        category, title, content, agency_name = rng.choice(TOPICS)
        village = gen.demo.village()
        words = {"village": village, "township": place.township.name}
        citizen = source == CaseSource.CITIZEN_OPINION
        staff = place.staff
        self.case = case = Case(
            uuid=gen.uuid(),
            county=gen.county,
            township=place.township,
            source=source,
            title=title.format(**words),
            content=content.format(**words),
            category=gen.categories.get(category),
            station=rng.choice(place.stations) if citizen else None,
            citizen_name=gen.demo.name(gen.gender(0.5)) if citizen and rng.random() < 0.8 else "",
            citizen_phone=gen.demo.phone() if citizen else "",
            tracking_code=gen.tracking_code() if citizen else None,
            state=S.DRAFT,
            received_on=received,
            created_by=None if citizen else staff,
            version=1,
        )
        signers: list[Mandate] = []
        if not citizen:
            lead = lead or rng.choice(place.mandates)
            others = [m for m in rng.sample(place.mandates, min(3, len(place.mandates))) if m != lead]
            signers = [lead] + (others[: rng.randint(1, 2)] if rng.random() < 0.3 else [])
            self.parts += [CaseSigner(mandate=m, is_lead=index == 0) for index, m in enumerate(signers)]
        if source != CaseSource.SESSION_SUGGESTION:
            case.assign_due_on = gen.due(deadlines.assign_due, received)
        self.event(
            Step.SUBMIT,
            received,
            9,
            actor=None if citizen else staff,
            label=gettext("Citizen") if citizen else "",
            to=S.SUBMITTED,
        )
        # Review: most are accepted; some handled on the spot or not accepted.
        day = self.later(received, 0, 3)
        if day > today:
            return
        roll = rng.random()
        if roll < 0.06:
            self.event(Step.REJECT, day, 10, actor=staff, to=S.REJECTED, reason=rng.choice(REJECT_REASONS))
            case.closed_on = day
            return
        if roll < 0.14 and citizen:
            self.event(
                Step.HANDLE_ON_SPOT, day, 10, actor=staff, to=S.HANDLED_ON_SPOT, reason=rng.choice(ON_SPOT_REPLIES)
            )
            case.closed_on = day
            return
        self.event(Step.ACCEPT, day, 10, actor=staff, to=S.ACCEPTED)
        day = self.later(day, 0, 4)
        if day > today or rng.random() < 0.03:
            return
        # Assignment to the agency best placed, the township's own for its own matters.
        lead_agency = gen.county_agencies.get(agency_name) if agency_name else None
        lead_agency = lead_agency or rng.choice(place.agencies)
        co = []
        if rng.random() < 0.15:
            co = [a for a in rng.sample(list(gen.county_agencies.values()), 2) if a != lead_agency][:1]
        now = gen.at(day, 14)
        assignment = CaseAssignment(
            agency=lead_agency,
            is_lead=True,
            assigned_at=now,
            assigned_on=day,
            hand_back_until=gen.due(deadlines.hand_back_until, day),
        )
        self.parts.append(assignment)
        self.parts += [
            CaseAssignment(
                agency=agency,
                is_lead=False,
                assigned_at=now,
                assigned_on=day,
                hand_back_until=gen.due(deadlines.hand_back_until, day),
                view_due_on=gen.due(deadlines.co_view_due, day),
            )
            for agency in co
        ]
        case.assigned_on = day
        case.answer_due_on = gen.due(deadlines.answer_due, day)
        self.event(
            Step.ASSIGN,
            day,
            14,
            actor=staff,
            to=S.ASSIGNED,
            data={"lead": str(lead_agency), "co": [str(agency) for agency in co]},
        )
        handler = gen.handlers[lead_agency.pk]
        day = self.later(day, 1, 5)
        if day > today:
            return
        self.event(Step.AGENCY_ACCEPT, day, 9, actor=handler, to=S.IN_PROGRESS, data={"agency": str(lead_agency)})
        assignment.accepted_at = gen.at(day, 9)
        if rng.random() < 0.5:
            note_day = self.later(day, 1, 5)  # before the earliest answer
            if note_day <= today:
                text = rng.choice(NOTES)
                self.event(Step.NOTE, note_day, 15, actor=handler)
                self.parts.append(CaseNote(agency=lead_agency, author=handler, text=text, at=gen.at(note_day, 15)))
        # The answer, within the three months mostly; a tenth still open past the deadline.
        day = self.later(day, 10, 75 if rng.random() < 0.9 else 120)
        if day > today:
            return
        reply_class = rng.choices("ABCD", weights=[55, 30, 10, 5])[0]
        planned = reply_class in {"B", "C"}
        short = lead_agency.name.removeprefix("县").removeprefix(place.township.name)[:2]
        self.parts.append(
            CaseReply(
                round=0,
                agency=lead_agency,
                reply_class=reply_class,
                done_items="已组织人员现场核查，完成维修整改，并建立日常巡查机制。"
                if reply_class in {"A", "B"}
                else "",
                planned_items="已列入明年工作计划，分步实施。" if planned else "",
                planned_by=date(day.year + 1, 6, 30) if planned else None,
                not_adopted_reasons="受现有财力和规划限制，暂不具备实施条件，留作参考。" if reply_class == "D" else "",
                consultation=rng.choices(["meeting", "visit", "phone", "none"], weights=[40, 30, 25, 5])[0],
                public_text="您反映的问题已办理，详见答复内容。感谢您的关心和支持。",
                signer=f"{lead_agency.name}负责人 {gen.demo.name(gen.gender())}",
                contact_name=gen.demo.name(gen.gender(0.5)),
                contact_phone=lead_agency.contact_phone,
                document_number=f"{short}复〔{day.year}〕{self.order}号",
                answered_by=handler,
                answered_at=gen.at(day, 16),
                due_on=case.answer_due_on,
            )
        )
        case.answered_on = day
        case.rating_due_on = gen.due(deadlines.rating_due, day)
        self.event(Step.ANSWER, day, 16, actor=handler, to=S.ANSWERED, data={"class": reply_class, "round": 0})
        # Everyone asked rates within the window (satisfied or basically: a "not satisfied" would
        # send the case back, which this load leaves to the demo); staff record most ratings.
        raters: list[Mandate | None] = [*signers, *([None] if citizen else [])]
        last = day
        for mandate in raters:
            rated = min(self.later(day, 1, 8), case.rating_due_on)
            if rated > today:
                return
            handling, result = (
                rng.choices([Satisfaction.SATISFIED, Satisfaction.BASIC], weights=[80, 20])[0] for _n in range(2)
            )
            self.event(
                Step.RATE,
                rated,
                11,
                actor=staff,
                data={"handling": handling, "result": result, "rater": "deputy" if mandate else "citizen"},
            )
            self.parts.append(
                CaseRating(
                    round=0,
                    mandate=mandate,
                    handling=handling,
                    result=result,
                    comment=rng.choice(COMMENTS) if mandate else "",
                    rated_by=staff,
                    recorded_by_staff=True,
                    rated_at=gen.at(rated, 11),
                )
            )
            last = max(last, rated)
        self.event(Step.RATING_COMPLETE, last, 12, actor=None, label=SYSTEM, to=S.RATED)
        day = self.later(last, 1, 10)
        if day > today or rng.random() < 0.25:
            return
        self.event(Step.CLOSE, day, 10, actor=staff, to=S.CLOSED)
        case.closed_on = day


def build(
    townships: int,
    counties: int | None = None,
    seed: int = 1,
    stdout: TextIO | None = None,
    *,
    knobs: Knobs | None = None,
    today: date | None = None,
) -> ScaleWorld:
    """Generate ``townships`` townships in ``counties`` counties (by default one per 15) and return
    the personas and samples of the first county (see the module's docstring). Expects a database
    without counties; the caller decides whether the profile allows it."""
    knobs = knobs or Knobs()
    today = today or timezone.localdate()
    counties = counties or default_counties(townships)
    plan = county_plan(townships, counties)
    tally, world = Tally(), cast(dict[str, Any], {})
    started, cpu = time.perf_counter(), time.process_time()
    for index, (division, towns) in enumerate(plan):
        generator = CountyGenerator(
            seed=seed,
            code=division.code,
            towns=towns,
            knobs=knobs if index == 0 else knobs.for_other_counties(),
            today=today,
            tally=tally,
            world=world,
            first=index == 0,
        )
        generator.run(division)
        reset_queries()  # under DEBUG every insert's SQL is kept: a province's would fill the memory
        if stdout is not None:
            elapsed = time.perf_counter() - started
            total = sum(tally.rows.values())
            stdout.write(
                f"{index + 1}/{len(plan)} {division.name}: {total:,} rows, {elapsed:.1f} s, "
                f"{total / elapsed:,.0f} rows/s\n"
            )
    # A bulk load leaves the planner the statistics of an empty database until autovacuum comes by:
    # PostgreSQL then plans the first pages' joins as if each table held a row (a heat map took twice
    # as long). ANALYZE is what an operator runs after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    rows = dict(tally.rows)
    first = world["county"]
    audit.record(
        "demo.seed",
        actor=None,
        target=first,
        data={
            "command": "seed_scale",
            "townships": townships,
            "counties": counties,
            "seed": seed,
            "rows": sum(rows.values()),
        },
    )
    if stdout is not None:
        report(tally, seconds, time.process_time() - cpu, stdout)
    return ScaleWorld(
        county=first,
        township=world["township"],
        users=world["users"],
        case=world["case"],
        mandate=world["mandate"],
        activity=world["activity"],
        agency=world["agency"],
        rows=rows,
        seconds=seconds,
    )


def report(tally: Tally, seconds: float, cpu: float, stdout: TextIO) -> None:
    """Rows and seconds per table (the inserts, values prepared and encrypted included), the time
    spent generating rows in memory, and the total, in wall-clock and in this process's CPU time
    (on a shared machine the CPU time is the steadier figure)."""
    total = sum(tally.rows.values())
    stdout.write(f"{'table':<40} {'rows':>10} {'seconds':>9} {'rows/s':>10}\n")
    for label, count in sorted(tally.rows.items(), key=lambda item: -item[1]):
        spent = tally.seconds[label]
        rate = f"{count / spent:,.0f}" if spent and count else ""
        stdout.write(f"{label:<40} {count:>10,} {spent:>9.1f} {rate:>10}\n")
    stdout.write(f"{'(generating rows in memory)':<40} {'':>10} {seconds - sum(tally.seconds.values()):>9.1f}\n")
    stdout.write(f"{'total (wall clock)':<40} {total:>10,} {seconds:>9.1f} {total / seconds:>10,.0f}\n")
    stdout.write(f"{'total (CPU of this process)':<40} {total:>10,} {cpu:>9.1f} {total / cpu:>10,.0f}\n")
