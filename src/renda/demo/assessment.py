"""The demo county's annual assessment of townships (domain.md §9).

- Last year's scheme, 乡镇（街道）人大工作考核, from before the platform: 100 points in five sections
  and bonus points (特色亮点, 用稿), every indicator entered by the county after reading the
  townships' ledgers, with evidence; a few adjustments with their reasons; published on 15 January
  of this year. (The demo's records cover the last twelve months only: computing last year from
  them would score every township on a few weeks.)
- This year's scheme, copied from last year's, with the indicators the platform counts switched to
  its measures (sessions, presidium meetings, casework, reception days, activities, reports to
  voters, groups, plans, evaluations, the roster, and 用稿 from the publicity app's measure); still
  a draft: the field checks have reached about half the townships.
- Year documents: the county's guidance for both years, each township's plan for this year and its
  summary of last year (quoting its figures).

Everything goes through ``assessment.services`` as the county administrator on the demo clock;
deterministic for a seed; dates relative to the day the demo is seeded. Called by ``seed_demo`` as
``seed_assessment(county, rng)``, the last of the casework block (it reads what the others made)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.assessment import services
from renda.assessment.measures import measures
from renda.assessment.models import DocumentKind, Formula, Indicator, IndicatorKind, Result, Scheme
from renda.organisations.models import County, Township

from .casework import Clock

PUBLICITY_MEASURE = "publicity.article_points"

# (section, [(indicator, max score, measure or "", formula, full_at, zero_at, guidance)]); 100 points.
SECTIONS: list[tuple[str, list[tuple]]] = [
    (
        "党委重视",
        [
            ("党委专题研究人大工作", 5, "", "", None, None, "党委每年至少专题研究人大工作一次，听取人大工作汇报。"),
            ("人大工作人员和经费保障", 5, "", "", None, None, "配备专职人大专干，人大工作经费列入财政预算。"),
        ],
    ),
    (
        "依法履职与监督工作",
        [
            ("依法召开人代会", 8, "meetings.sessions", Formula.LINEAR, 2, 0, "每年召开人民代表大会会议不少于两次。"),
            ("主席团会议", 6, "meetings.presidium", Formula.LINEAR, 1, 0, "主席团每季度至少召开一次会议。"),
            ("开展工作评议", 6, "activities.evaluations", Formula.STEP, 1, None, "每年组织代表评议站所工作。"),
            ("年度工作计划落实", 5, "activities.plans", Formula.LINEAR, 100, 0, "年度计划确定的活动按期开展。"),
            ("代表建议按时答复", 5, "casework.on_time", Formula.LINEAR, 95, 60, "代表建议和群众意见按期答复。"),
        ],
    ),
    (
        "代表工作",
        [
            ("代表参加活动", 8, "activities.per_deputy", Formula.LINEAR, 4, 0, "代表人均参加闭会期间活动四次以上。"),
            (
                "代表向选民述职",
                7,
                "activities.voter_reports",
                Formula.LINEAR,
                33,
                0,
                "每年三分之一以上代表向选民述职。",
            ),
            ("代表小组活动", 6, "activities.groups", Formula.LINEAR, 100, 50, "代表小组每季度至少开展一次活动。"),
            ("代表进站接待选民", 5, "casework.reception", Formula.LINEAR, 12, 0, "联络站每月至少安排一次接待选民日。"),
            ("群众满意度", 5, "casework.satisfaction", Formula.LINEAR, 90, 60, "建议办理结果满意和基本满意的比例。"),
            ("代表信息管理", 4, "deputies.roster", Formula.LINEAR, 100, 80, "代表名册完整，代表小组和联络站齐全。"),
        ],
    ),
    (
        "自身建设",
        [
            ("代表之家和联络站阵地建设", 5, "", "", None, None, "实地查看阵地的场所、标识、制度和台账。"),
            ("制度建设和档案管理", 5, "", "", None, None, "人大工作制度健全，会议和活动档案规范完整。"),
            ("人大干部学习培训", 5, "", "", None, None, "人大主席、专干参加县级以上培训。"),
        ],
    ),
    (
        "宣传与理论研究",
        [
            ("人大宣传信息", 5, "", "", None, None, "向县人大常委会报送人大工作信息。"),
            ("理论研究文章", 5, "", "", None, None, "撰写人大工作理论研究和调研文章。"),
        ],
    ),
]
HIGHLIGHT = ("特色亮点", 3, "“一镇街一特色”，经县人大常委会认定的创新做法。")
ARTICLES = ("宣传用稿", 5, "在各级媒体刊发人大工作稿件，按媒体级别计分。")

EVIDENCE = {
    "党委专题研究人大工作": ["党委会议纪要{n}份，专题研究人大工作", "党委书记听取人大工作汇报{n}次，有会议记录"],
    "人大工作人员和经费保障": [
        "配备专职人大专干{n}名，人大工作经费列入年度预算",
        "专干{n}名，经费保障到位，有预算文件",
    ],
    "代表之家和联络站阵地建设": ["实地检查代表之家和{n}个联络站，场所、标识、制度上墙", "检查联络站{n}个，台账齐全"],
    "制度建设和档案管理": ["查阅会议和活动档案{n}卷，装订规范", "制度汇编一册，档案{n}卷，个别记录不全"],
    "人大干部学习培训": ["人大主席、专干参加县级以上培训{n}人次", "参加培训{n}人次，有培训证明"],
    "人大宣传信息": ["报送人大工作信息{n}篇，县人大采用{m}篇", "报送信息{n}篇，采用{m}篇"],
    "理论研究文章": ["撰写理论研究文章{m}篇，获县级交流", "调研文章{m}篇"],
}
HIGHLIGHTS = [
    "“代表夜谈”进村入户，收集民意成效明显",
    "推行“民生实事项目代表票决制”",
    "建立“代表联络站+网格”工作机制",
    "开展“代表领办民生微实事”活动",
    "打造“流动代表联络站”，服务山区群众",
]
ADJUSTMENTS = [
    ("依法召开人代会", Decimal(2), "一次会议记录为纸质档案，县人大常委会核实后补记。"),
    ("代表小组活动", Decimal(-2), "代表小组活动台账与平台记录不一致，经核实扣分。"),
    ("代表进站接待选民", Decimal(1), "汛期集中接待选民未在平台登记，经核实补记。"),
]

GUIDANCE_POINTS = [
    "坚持党的领导。乡镇（街道）党（工）委每年至少专题研究一次人大工作，及时帮助解决人大工作中的困难和问题。",
    "依法召开人民代表大会会议。乡镇人大每年至少召开两次人民代表大会会议，会前做好议题准备和代表视察调研，会后抓好决议决定的贯彻落实。",
    "加强主席团建设。主席团每季度至少召开一次会议，研究闭会期间代表活动和监督工作。",
    "扎实开展监督工作。围绕党委中心工作和群众关切，组织代表开展视察、调研和执法检查，每年至少组织一次代表评议站所工作。",
    "做好代表建议办理工作。代表建议和群众意见按期交办、答复，答复率和满意率作为考核的重要内容。",
    "丰富代表闭会期间活动。代表小组每季度至少开展一次活动，代表之家和联络站每月至少安排一次接待选民日，年内三分之一以上代表向原选区选民述职。",
    "加强自身建设。配齐配强人大工作力量，健全工作制度，规范档案管理，加强人大干部和代表的学习培训。",
    "加强宣传和理论研究。及时报送人大工作信息，积极向各级媒体投稿，总结推广“一镇街一特色”的经验做法。",
]


def _county_admin(county: County) -> User | None:
    return User.objects.filter(role=Role.COUNTY_ADMIN, county=county, is_active=True).order_by("pk").first()


def _indicators(scheme: Scheme) -> dict[str, Indicator]:
    """The scheme's indicators by name, in the scheme's order."""
    return {
        i.name: i
        for i in Indicator.objects.unscoped().filter(section__scheme=scheme).order_by("section__order", "order")
    }


def _staff(township: Township) -> User | None:
    return User.objects.filter(role=Role.TOWNSHIP_STAFF, township=township, is_active=True).order_by("pk").first()


class AssessmentSeeder:
    def __init__(self, county: County, rng: random.Random, today: date, admin: User):
        self.county, self.rng, self.today, self.admin = county, rng, today, admin
        self.clock = Clock()
        self.townships = list(services.assessed_townships(county))
        # How well each township does what the county checks by hand: steady within the demo.
        self.diligence = {t.pk: rng.uniform(0.6, 0.98) for t in self.townships}

    def at(self, day: date, hour: int = 10) -> None:
        self.clock.now = timezone.make_aware(datetime.combine(min(day, self.today), time(hour)))

    def seed(self) -> dict[str, int]:
        with self.clock.running():
            last = self.last_year()
            this = self.this_year(last)
            documents = self.documents(last)
        return {"schemes": 2 if this else 1, "documents": documents}

    # Schemes

    def build(self, year: int, *, computed: bool) -> Scheme:
        """The scheme's sections and indicators; without ``computed`` every indicator is entered by
        the county after reading the ledgers (the years before the platform)."""
        scheme = services.create_scheme(
            self.county,
            self.admin,
            year=year,
            title=f"{year}年度乡镇（街道）人大工作考核",
            notes="考核结果分为优秀、合格和通报批评三个等次，作为评先评优的重要依据。",
        )
        for order, (name, indicators) in enumerate(SECTIONS, start=1):
            section = services.add_section(scheme, self.admin, name=name, order=order * 10)
            for index, (title, max_score, measure, formula, full_at, zero_at, guidance) in enumerate(indicators):
                services.add_indicator(
                    section,
                    self.admin,
                    name=title,
                    guidance=guidance,
                    order=index + 1,
                    max_score=Decimal(max_score),
                    weight=Decimal(1),
                    **self.rule(measure if computed else "", formula, full_at, zero_at),
                )
        bonus = services.add_section(scheme, self.admin, name="加分项目", order=90)
        name, max_score, guidance = HIGHLIGHT
        services.add_indicator(
            bonus,
            self.admin,
            name=name,
            guidance=guidance,
            order=1,
            max_score=Decimal(max_score),
            kind=IndicatorKind.ENTERED,
            is_bonus=True,
        )
        name, max_score, guidance = ARTICLES
        if computed and measures.get(PUBLICITY_MEASURE) is not None:
            services.add_indicator(
                bonus,
                self.admin,
                name=name,
                guidance=guidance,
                order=2,
                max_score=Decimal(max_score),
                kind=IndicatorKind.COMPUTED,
                is_bonus=True,
                measure=PUBLICITY_MEASURE,
                formula=Formula.PER_UNIT,
                per_unit=Decimal(1),
            )
        else:
            services.add_indicator(
                bonus,
                self.admin,
                name=name,
                guidance=guidance,
                order=2,
                max_score=Decimal(max_score),
                kind=IndicatorKind.ENTERED,
                is_bonus=True,
            )
        return scheme

    @staticmethod
    def rule(measure: str, formula: str, full_at, zero_at) -> dict:
        if not measure:
            return {"kind": IndicatorKind.ENTERED, "is_bonus": False}
        return {
            "kind": IndicatorKind.COMPUTED,
            "is_bonus": False,
            "measure": measure,
            "formula": formula,
            "full_at": None if full_at is None else Decimal(full_at),
            "zero_at": None if zero_at is None else Decimal(zero_at),
            "per_unit": None,
        }

    def points(self, township: Township, max_score: Decimal) -> Decimal:
        share = min(1.0, self.diligence[township.pk] + self.rng.uniform(-0.15, 0.12))
        return (max_score * Decimal(str(max(share, 0.3)))).quantize(Decimal("0.1"))

    def evidence(self, name: str, township: Township) -> str:
        template = self.rng.choice(EVIDENCE.get(name, ["年终查阅台账和实地检查记录{n}份"]))
        n, m = self.rng.randint(2, 12), self.rng.randint(1, 4)
        return f"{township.name}：" + template.format(n=n, m=m, township=township.name)

    def enter(self, scheme: Scheme, townships: list[Township]) -> None:
        entered = [i for i in _indicators(scheme).values() if i.kind == IndicatorKind.ENTERED]
        for township in townships:
            for indicator in entered:
                if indicator.name == HIGHLIGHT[0]:
                    if self.rng.random() < 0.4:
                        continue
                    points = Decimal(self.rng.choice([1, 2, 2, 3]))
                    evidence = f"{township.name}{self.rng.choice(HIGHLIGHTS)}，经县人大常委会认定。"
                elif indicator.name == ARTICLES[0]:
                    count = self.rng.randint(0, 5)
                    if not count:
                        continue
                    points, evidence = Decimal(count), f"{township.name}：在市级以上媒体刊发人大工作稿件{count}篇。"
                else:
                    points, evidence = (
                        self.points(township, indicator.max_score),
                        self.evidence(indicator.name, township),
                    )
                services.enter_score(indicator, township, self.admin, points=points, evidence=evidence)

    def last_year(self) -> Scheme:
        """Last year, before the platform: the county read every township's ledgers at the year's end
        and entered each indicator's points with what it found; published in January."""
        year = self.today.year - 1
        self.at(date(year, 2, 20))
        scheme = self.build(year, computed=False)
        # The field checks at the year's end, the adjustments after the county's review.
        self.at(date(year + 1, 1, 8))
        self.enter(scheme, self.townships)
        indicators = _indicators(scheme)
        for (name, points, reason), township in zip(
            ADJUSTMENTS, self.rng.sample(self.townships, min(len(ADJUSTMENTS), len(self.townships))), strict=False
        ):
            services.adjust(indicators[name], township, self.admin, points=points, reason=f"{township.name}{reason}")
        published = date(year + 1, 1, 15)
        self.at(published, 15)
        scheme.refresh_from_db()
        services.publish(scheme, self.admin, version=scheme.version, today=published)
        return scheme

    def this_year(self, last: Scheme) -> Scheme | None:
        """This year, on the platform: last year's scheme copied, and the indicators the platform
        counts switched to its measures; the field checks have reached about half the townships."""
        year = self.today.year
        self.at(date(year, 2, 1))
        scheme = services.copy_scheme(last, self.admin, year=year, title=f"{year}年度乡镇（街道）人大工作考核")
        copied = _indicators(scheme)
        for _section, indicators in SECTIONS:
            for title, _max, measure, formula, full_at, zero_at, _guidance in indicators:
                if measure:
                    services.update_indicator(
                        copied[title], self.admin, **self.rule(measure, formula, full_at, zero_at)
                    )
        if measures.get(PUBLICITY_MEASURE) is not None:
            services.update_indicator(
                copied[ARTICLES[0]],
                self.admin,
                kind=IndicatorKind.COMPUTED,
                is_bonus=True,
                measure=PUBLICITY_MEASURE,
                formula=Formula.PER_UNIT,
                per_unit=Decimal(1),
            )
        self.at(self.today - timedelta(days=self.rng.randint(3, 20)))
        checked = self.rng.sample(self.townships, (len(self.townships) + 1) // 2)
        self.enter(scheme, sorted(checked, key=lambda t: t.name))
        return scheme

    # Year documents

    def documents(self, last: Scheme) -> int:
        made = 0
        for year, day in ((last.year, date(last.year, 2, 25)), (self.today.year, date(self.today.year, 2, 25))):
            self.at(day)
            services.add_document(
                self.county,
                self.admin,
                township=None,
                year=year,
                kind=DocumentKind.GUIDANCE,
                title=f"关于做好{year}年度乡镇人大工作的指导意见",
                text=self.guidance_text(year),
            )
            made += 1
        results = {r.township_id: r for r in Result.objects.unscoped().filter(scheme=last)}
        indicators = {str(i.uuid): i for i in _indicators(last).values()}
        for township in self.townships:
            author = _staff(township) or self.admin
            self.at(date(self.today.year, 1, 10) + timedelta(days=self.rng.randint(0, 4)))
            services.add_document(
                self.county,
                author,
                township=township,
                year=last.year,
                kind=DocumentKind.SUMMARY,
                title=f"{township.name}人大{last.year}年度工作总结",
                text=self.summary_text(township, last.year, results.get(township.pk), indicators),
            )
            self.at(date(self.today.year, 2, 28) + timedelta(days=self.rng.randint(0, 10)))
            services.add_document(
                self.county,
                author,
                township=township,
                year=self.today.year,
                kind=DocumentKind.PLAN,
                title=f"{township.name}人大{self.today.year}年度工作计划",
                text=self.plan_text(township, self.today.year),
            )
            made += 2
        return made

    def guidance_text(self, year: int) -> str:
        numerals = "一二三四五六七八九十"
        lines = [
            "各乡镇人大、街道人大工委：",
            f"为深入贯彻落实党中央关于坚持和完善人民代表大会制度的重要思想，推动乡镇人大工作与时俱进，"
            f"现就做好{year}年度乡镇人大工作提出如下意见。",
        ]
        lines += [f"{numerals[i]}、{point}" for i, point in enumerate(GUIDANCE_POINTS)]
        lines.append(
            f"县人大常委会将按照《{year}年度乡镇（街道）人大工作考核》对各乡镇（街道）进行考核，考核结果予以通报。"
        )
        lines.append("龙游县人大常委会")
        return "\n".join(lines)

    def summary_text(self, township: Township, year: int, result: Result | None, indicators: dict) -> str:
        figures = {}
        if result is not None:
            for key, line in result.lines.items():
                indicator = indicators.get(key)
                if indicator is not None and indicator.measure and line.get("value") is not None:
                    figures[indicator.measure] = Decimal(line["value"])
        said = []
        sentences = {
            "meetings.sessions": "召开人民代表大会会议{v}次",
            "casework.reception": "各联络站开展接待选民日{v}次",
            "activities.per_deputy": "代表人均参加活动约{v}次",
            "casework.on_time": "代表建议和群众意见按时答复率约{v}%",
            "casework.satisfaction": "群众满意和基本满意率约{v}%",
            "activities.voter_reports": "约{v}%的代表向选民述职",
        }
        for code, sentence in sentences.items():
            if code in figures:
                said.append(sentence.format(v=figures[code].quantize(Decimal(1))))
        lines = [
            f"{year}年，{township.name}人大在党委的坚强领导下，紧紧围绕中心工作，依法履职，各项工作取得新成效。",
            "一、依法履职情况。"
            + ("全年" + "，".join(said) + "。" if said else "全年依法召开人代会，主席团按季度召开会议。"),
            "二、代表工作情况。组织代表开展视察、调研和小组活动，落实代表进站接待选民制度，推动解决了一批群众急难愁盼问题。",
            "三、自身建设情况。健全人大工作制度，规范档案管理，组织人大干部和代表参加学习培训。",
            "四、存在的不足和下一步打算。部分代表履职积极性有待提高，代表小组活动形式还不够丰富，下一步将加强代表培训，创新活动方式。",
        ]
        if result is not None:
            lines.append(f"（{year}年度考核得分{result.total}分。）")
        return "\n".join(lines)

    def plan_text(self, township: Township, year: int) -> str:
        sessions = "两" if township.has_congress else "若干"
        return "\n".join(
            [
                f"{township.name}人大{year}年度工作计划",
                f"一、依法召开人民代表大会会议。全年召开人代会{sessions}次，主席团每季度至少召开一次会议。",
                f"二、开展监督工作。围绕{self.rng.choice(['乡村振兴', '农村人居环境整治', '民生实事项目', '养老服务'])}"
                f"组织代表视察和调研，开展一次站所工作评议。",
                "三、加强代表工作。代表小组每季度开展活动，联络站每月安排接待选民日，三分之一以上代表向选民述职。",
                "四、加强自身建设。完善工作制度，规范档案管理，做好宣传信息报送。",
            ]
        )


def seed_assessment(county: County, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Last year's published assessment, this year's draft and the year documents; nothing when the
    county has no administrator or no township."""
    today = today or timezone.localdate()
    admin = _county_admin(county)
    if admin is None or not services.assessed_townships(county).exists():
        return {"schemes": 0, "documents": 0}
    return AssessmentSeeder(county, rng, today, admin).seed()
