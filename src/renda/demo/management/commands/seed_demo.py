"""Build the demo county: real townships from the division codes, fictional people.

Repeatable: the same seed gives the same county. Refuses to run in the production profile.
"""

import random
from datetime import date, timedelta
from typing import cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.deputies import services as deputy_services
from renda.deputies.models import (
    DutyRecord,
    Gender,
    LiaisonAssignment,
    Mandate,
    MandateEvent,
    MandateEventKind,
    MandateLevel,
    Person,
    VoterContact,
)
from renda.organisations.models import Agency, County, DeputyGroup, Station, StationKind, Term
from renda.organisations.services import county_create_from_division

from ... import data
from ...activities import seed_activities
from ...assessment import seed_assessment
from ...casework import seed_cases
from ...digest import seed_digests
from ...evaluations import seed_evaluations
from ...findings import seed_findings
from ...meetings import seed_meetings
from ...notices import seed_notices_and_reports
from ...plans import seed_plans
from ...publicity import seed_publicity
from ...reception import seed_reception

DEMO_COUNTY_CODE = "330825"  # 龙游县: 13 towns and townships (one 畲族乡) and 2 subdistricts
DEMO_PASSWORD = "Renda-Demo-2026!"


def demo_terms(today: date) -> tuple[tuple[int, date, date], tuple[int, date, date]]:
    """The township and county terms in office: the demo's congresses are in the last year of their
    five-year term (the 2021 elections) and stay so — once the 20 December that ends the term has
    passed, the demo's term starts a year later, so that the year of records the demo holds before
    today always lies inside the term in office."""
    start = today.year - 5 if (today.month, today.day) < (12, 20) else today.year - 4
    return (12, date(start, 12, 20), date(start + 5, 12, 19)), (18, date(start, 12, 26), date(start + 5, 12, 25))


DEPUTIES_PER_TOWNSHIP = 46
POINTS_DAY = date(2026, 11, 27)  # the demo's "today" for points, so the seed is repeatable
COUNTY_DEPUTIES_PER_TOWNSHIP = 9


class Command(BaseCommand):
    help = "Create the demo county with its townships, stations, groups, agencies, deputies and accounts."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when a county exists already.")
        parser.add_argument("--seed", type=int, default=20261127)

    def handle(self, *args, if_empty: bool, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("演示数据不能在生产环境中创建。")
        if County.objects.exists():
            if if_empty:
                self.stdout.write("已有数据，跳过演示数据。")
                return
            raise CommandError("数据库中已有县（区），演示数据只能建在空库中。")
        with transaction.atomic():
            DemoCounty(random.Random(seed)).build()
        self.stdout.write(self.style.SUCCESS("演示县已建好。"))


class DemoCounty:
    def __init__(self, rng: random.Random, *, casework: bool = True):
        self.rng = rng
        self.casework = casework
        self.used_ids: set[str] = set()

    def build(self) -> None:
        county = county_create_from_division(division_code=DEMO_COUNTY_CODE, actor=None)
        township_spec, county_spec = demo_terms(timezone.localdate())
        county_term = Term.objects.create(
            county=county, number=county_spec[0], starts_on=county_spec[1], ends_on=county_spec[2]
        )
        Agency.objects.bulk_create(Agency(county=county, name=name, kind=kind) for name, kind in data.COUNTY_AGENCIES)
        townships = list(county.townships.order_by("division_code"))
        first_town = None
        for township in townships:
            township.address = f"浙江省衢州市龙游县{township.name}人民政府"
            township.save(update_fields=["address"])
            stations = self.stations(township)
            groups = self.groups(township, stations)
            self.agencies(county, township)
            term = None
            if township.has_congress:
                term = Term.objects.create(
                    county=county,
                    township=township,
                    number=township_spec[0],
                    starts_on=township_spec[1],
                    ends_on=township_spec[2],
                )
                first_town = first_town or township
            self.deputies(township, term, county_term, stations, groups)
            if term is not None:
                self.status_changes(township, term, groups)
                self.liaison_and_voters(township)
                self.other_duties(township)
        self.accounts(county, townships, first_town)
        # A generator of its own, so that adding casework left the rest of the demo as it was.
        case_rng = random.Random(self.rng.random())
        # The meetings' too, drawn after it, so that adding meetings left the cases as they were.
        meeting_rng = random.Random(self.rng.random())
        # The plans' and the library's, drawn after the meetings'.
        plan_rng = random.Random(self.rng.random())
        notice_rng = random.Random(self.rng.random())
        evaluation_rng = random.Random(self.rng.random())
        # The activities' findings, drawn after the meetings'.
        finding_rng = random.Random(self.rng.random())
        # The activities' too, drawn after the meetings', so that adding them left the rest as it was.
        activity_rng = random.Random(self.rng.random())
        # The assessment's, drawn after every other, so that adding it left the rest as it was.
        assessment_rng = random.Random(self.rng.random())
        # Publicity's, drawn after the assessment's, so that adding it left the rest of the demo as it was.
        publicity_rng = random.Random(self.rng.random())
        if self.casework:
            seed_cases(county, case_rng)
            seed_reception(county, case_rng)
            seed_digests(county, case_rng)
            # Motions not placed on a session's agenda become suggestions: after the casework.
            seed_meetings(county, meeting_rng)
            # Plans count held activities and findings are raised at them: after the activities.
            seed_activities(county, activity_rng)
            seed_plans(county, plan_rng)
            seed_findings(county, finding_rng)
            seed_notices_and_reports(county, notice_rng)
            seed_evaluations(county, evaluation_rng)
            seed_publicity(county, publicity_rng)
            # The assessment reads every record above: the last of the casework block.
            seed_assessment(county, assessment_rng)
        deputy_services.points_recompute(county=county, actor=None, today=POINTS_DAY)
        audit.record("demo.seed", actor=None, target=county, data={"townships": len(townships)})

    def stations(self, township) -> list[Station]:
        short = township.name[:-2] if township.name.endswith("街道") else township.name[:-1]
        rows = [
            Station(
                township=township,
                name=f"{short}人大代表之家",
                kind=StationKind.HOME,
                address=f"{township.name}人民政府一楼",
                reception_schedule="每月9日、19日",
            )
        ]
        for index in range(self.rng.randint(1, 3)):
            village = self.village()
            rows.append(
                Station(
                    township=township,
                    name=f"{village}村代表联络站",
                    kind=StationKind.STATION,
                    address=f"{village}村文化礼堂",
                    reception_schedule=["每周三上午", "每月15日"][index % 2],
                )
            )
        return Station.objects.bulk_create(rows)

    def groups(self, township, stations) -> list[DeputyGroup]:
        count = self.rng.randint(3, 5)
        return DeputyGroup.objects.bulk_create(
            DeputyGroup(township=township, name=f"第{'一二三四五'[i]}代表小组", station=stations[i % len(stations)])
            for i in range(count)
        )

    def agencies(self, county, township) -> None:
        chosen = self.rng.sample(data.TOWNSHIP_AGENCIES, 2)
        Agency.objects.bulk_create(
            Agency(
                county=county,
                township=township,
                name=f"{township.name}{name}",
                kind=kind,
                contact_name=self.name(Gender.FEMALE if self.rng.random() < 0.5 else Gender.MALE),
                contact_phone=self.phone(),
            )
            for name, kind in chosen
        )

    def deputies(self, township, term, county_term, stations, groups) -> None:
        people: list[Person] = []
        township_count = DEPUTIES_PER_TOWNSHIP + self.rng.randint(-2, 2) if term else 0
        extra_county = COUNTY_DEPUTIES_PER_TOWNSHIP // 2 if term else COUNTY_DEPUTIES_PER_TOWNSHIP * 2
        for _index in range(township_count + extra_county):
            gender = Gender.FEMALE if self.rng.random() < 0.3 else Gender.MALE
            birth = date(1960, 1, 1) + timedelta(days=self.rng.randint(0, 365 * 40))
            people.append(self.person(township, gender, birth))
        people = Person.objects.bulk_create(people)
        mandates: list[Mandate] = []
        for index, person in enumerate(people[:township_count]):
            group = groups[index % len(groups)]
            mandates.append(
                Mandate(
                    person=person,
                    term=term,
                    level=MandateLevel.TOWNSHIP,
                    deputy_number=f"{term.number}{index + 1:03d}",
                    constituency=f"第{index // 3 + 1}选区",
                    group=group,
                    station=group.station,
                    starts_on=term.starts_on,
                    **self.flags(person),
                )
            )
        # Some township deputies are county deputies too (one person, two mandates); the rest of the
        # county deputies, and all those of a subdistrict, hold the county mandate only.
        county_people = people[: COUNTY_DEPUTIES_PER_TOWNSHIP // 2] + people[township_count:]
        for index, person in enumerate(county_people):
            mandates.append(
                Mandate(
                    person=person,
                    term=county_term,
                    level=MandateLevel.COUNTY,
                    deputy_number=f"{county_term.number}{township.division_code[-3:]}{index + 1:02d}",
                    constituency=f"{township.name}选区",
                    station=stations[0],
                    starts_on=county_term.starts_on,
                    **self.flags(person),
                )
            )
        mandates = Mandate.objects.bulk_create(mandates)
        MandateEvent.objects.bulk_create(  # every seeded mandate starts on its term's first day
            MandateEvent(mandate=m, kind=MandateEventKind.ELECTED, date=cast(date, m.starts_on), document_number="")
            for m in mandates
        )

    def person(self, township, gender: str, birth: date) -> Person:
        village = self.village()
        occupation = self.rng.choice(data.OCCUPATIONS)
        birth_date = birth if self.rng.random() < 0.7 else birth.replace(day=1)
        person = Person(
            township=township,
            full_name=self.name(gender),
            gender=gender,
            ethnicity=self.rng.choice(data.ETHNICITIES),
            birth_date=birth_date,
            party=self.rng.choice(data.PARTIES),
            education=self.rng.choice(data.EDUCATIONS),
            occupation=occupation,
            id_number=self.id_number(birth, gender),
            phone=self.phone(),
            address=f"浙江省衢州市龙游县{township.name}{village}村{self.rng.randint(1, 120)}号",
            workplace=self.rng.choice(data.WORKPLACES).format(village=village, township=township.name),
        )
        if birth_date.day == 1 and birth.day != 1:
            person.birth_date_precision = "month"
        deputy_services.fill_name_columns(person)
        return person

    def flags(self, person: Person) -> dict:
        return {
            "is_worker_farmer": person.occupation in {"farmer", "worker", "migrant_worker"},
            "is_technical": person.occupation == "technical",
            "is_leading_cadre": person.occupation == "leading_cadre",
            "is_reelected": self.rng.random() < 0.4,
            "is_returned_overseas": self.rng.random() < 0.01,
        }

    def status_changes(self, township, term, groups) -> None:
        """A resignation or a move in most townships, each seat refilled by a by-election."""
        serving = list(
            Mandate.objects.filter(person__township=township, term=term).select_related("person").order_by("pk")
        )
        for index in range(self.rng.randint(0, 2)):
            mandate = serving[-1 - index]
            kind = self.rng.choice([MandateEventKind.RESIGNED, MandateEventKind.MOVED_AWAY])
            left = date(2023, 1, 1) + timedelta(days=self.rng.randint(0, 500))
            deputy_services.mandate_event_record(
                mandate=mandate,
                kind=kind,
                date=left,
                document_number=f"{township.name[:2]}人〔{left.year}〕{index + 3}号",
                actor=None,
            )
            gender = Gender.FEMALE if self.rng.random() < 0.4 else Gender.MALE
            birth = date(1970, 1, 1) + timedelta(days=self.rng.randint(0, 365 * 25))
            person = self.person(township, gender, birth)
            person.save()
            group = groups[index % len(groups)]
            deputy_services.mandate_create(
                mandate=Mandate(
                    person=person,
                    term=term,
                    level=MandateLevel.TOWNSHIP,
                    deputy_number=f"{term.number}{900 + index}",
                    constituency=mandate.constituency,
                    group=group,
                    station=group.station,
                    **self.flags(person),
                ),
                starts_on=left + timedelta(days=self.rng.randint(60, 200)),
                start_kind=MandateEventKind.BY_ELECTION,
                document_number=f"{township.name[:2]}人〔{left.year}〕{index + 7}号",
                actor=None,
            )

    def liaison_and_voters(self, township) -> None:
        """Township leaders each liaise with a few deputies; each deputy keeps 3–7 voters in contact."""
        serving = list(
            Mandate.objects.filter(
                person__township=township, level=MandateLevel.TOWNSHIP, ends_on__isnull=True
            ).order_by("pk")
        )
        liaisons = []
        for index, title in enumerate(self.rng.sample(data.LEADER_TITLES, 3)):
            leader = self.rng.choice(data.LEADER_SURNAMES) + self.rng.choice(data.GIVEN_MALE + data.GIVEN_FEMALE)
            for mandate in serving[index::8][:6]:
                liaisons.append(
                    LiaisonAssignment(
                        township=township,
                        leader_name=leader,
                        leader_title=title,
                        mandate=mandate,
                        since=date(2022, 1, 10),
                    )
                )
        LiaisonAssignment.objects.bulk_create(liaisons)
        contacts = []
        for mandate in serving:
            for _n in range(self.rng.randint(3, 7)):
                contacts.append(
                    VoterContact(
                        mandate=mandate,
                        name=self.name(Gender.FEMALE if self.rng.random() < 0.5 else Gender.MALE),
                        village=self.village() + "村",
                        phone=self.phone(),
                        since=date(2022, 1, 1) + timedelta(days=self.rng.randint(0, 1700)),
                    )
                )
        VoterContact.objects.bulk_create(contacts)

    def other_duties(self, township) -> None:
        """A few other duties per township (training, articles, awards…), with their evidence. Drawn
        from a generator of their own, so adding them left the rest of the demo as it was."""
        rng = random.Random(township.division_code)
        serving = list(
            Mandate.objects.filter(
                person__township=township, level=MandateLevel.TOWNSHIP, ends_on__isnull=True
            ).order_by("pk")
        )
        DutyRecord.objects.bulk_create(
            DutyRecord(
                mandate=rng.choice(serving),
                kind=kind,
                title=title,
                evidence=evidence,
                date=date(2022, 3, 1) + timedelta(days=rng.randint(0, 1700)),
            )
            for kind, title, evidence in rng.sample(data.OTHER_DUTIES, 4)
        )

    def accounts(self, county, townships, first_town) -> None:
        second_town = next(t for t in townships if t.has_congress and t != first_town)
        handler_agency = first_town.agencies.first()
        deputy_person = Person.objects.filter(township=first_town, mandates__level=MandateLevel.TOWNSHIP)[0]
        specs = [
            ("county_admin", "县人大联工委 周主任", Role.COUNTY_ADMIN, {"county": county}),
            ("staff_a", f"{first_town.name}人大 王专干", Role.TOWNSHIP_STAFF, {"township": first_town}),
            ("staff_b", f"{second_town.name}人大 李专干", Role.TOWNSHIP_STAFF, {"township": second_town}),
            ("deputy_a", deputy_person.full_name, Role.DEPUTY, {"county": county}),
            ("handler_x", f"{handler_agency.name} 经办人", Role.AGENCY_HANDLER, {"agency": handler_agency}),
            ("leader", "县人大常委会 领导", Role.LEADER, {"county": county}),
            ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, {}),
            ("secadmin", "安全管理员", Role.SECURITY_ADMIN, {}),
            ("auditadmin", "审计管理员", Role.AUDIT_ADMIN, {}),
        ]
        for username, full_name, role, scope in specs:
            user = User(username=username, full_name=full_name, role=role, **scope)
            user.set_password(DEMO_PASSWORD)
            user.save()
            if role == Role.DEPUTY:
                deputy_person.user = user
                deputy_person.save(update_fields=["user"])

    def name(self, gender: str) -> str:
        chars = data.GIVEN_FEMALE if gender == Gender.FEMALE else data.GIVEN_MALE
        given = "".join(self.rng.choice(chars) for _ in range(self.rng.choice([1, 2, 2, 2])))
        return self.rng.choice(data.SURNAMES) + given

    def village(self) -> str:
        return self.rng.choice("龙溪石塘桥湖山乌白塔詹横") + self.rng.choice(data.VILLAGE_SUFFIXES)

    def phone(self) -> str:
        return self.rng.choice(["138", "139", "137", "135", "158", "159", "187", "188", "199"]) + "".join(
            str(self.rng.randint(0, 9)) for _ in range(8)
        )

    def id_number(self, birth: date, gender: str) -> str:
        while True:
            sequence = self.rng.randint(0, 99) * 10 + (
                self.rng.choice([0, 2, 4, 6, 8]) if gender == Gender.FEMALE else self.rng.choice([1, 3, 5, 7, 9])
            )
            body = f"{DEMO_COUNTY_CODE}{birth:%Y%m%d}{sequence:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
