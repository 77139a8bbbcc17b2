"""The demo district's disclosure applications and appeal cases.

Four steps, appended to ``build.STEPS``:

1. **2022's tail**: applications received in December 2022 and still open at the year's
   end, answered in January 2023: the 2023 report's 上年结转.
2. **2023**: the year of the seed report. Counted for the whole district, section 三
   reproduces the seed's legible figures (the outcome total 1311 · 23 · 0 · 0 · 2 · 202 ·
   1538, 41 natural persons carried over to 2024, the 其他 row 43 · 0 · 0 · 0 · 2 · 0 · 45);
   the other outcome rows are a plausible split of our own (``OUTCOMES_2023``). The 41
   carried over are received in late December and answered in January 2024.
3. **2023's appeals**: section 四 exactly as the seed prints it, most cases linked to the
   application they are about, the ones pending at the year's end decided in 2024 (one
   still pending).
4. **This year's work**: about sixty applications open *today* (``timezone.localdate()``),
   a few overdue, some awaiting a correction, in consultation or extended, several in the
   education commission where the demo ``handler`` works, plus thirty answered earlier.
   This step is relative to the day the demo is built: the same seed on another day gives
   other dates. A database built earlier keeps its own (now older) set, because
   a step never rebuilds what it finds.

Every state is written through ``applications.actions`` and ``appeals.actions`` with
explicit dates (working days of the calendar in force), exactly as staff would, so the
events, clocks and audit log are real. Idempotence: each demo application has the client
token ``demo-<batch>-<serial>`` and each appeal case its (body, case number); a step plans
everything from its seeded generator, then writes only what the database lacks.

Letters (replies, notices) are deferred (``actions.letters_deferred``): each is rendered
when first downloaded. ``actions.request_extension``, ``assign`` and ``correct_outcome``
take no date (they are dated the day they run), so the demo uses them only for this year's
work. Applicants are invented: names from common surnames, resident ID numbers of region
110102 with fake birth dates and valid check digits, 138 phone numbers, example.com
addresses.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import ric, uscc

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.appeals import actions as appeal_actions
from xxgk.appeals.models import AppealCase
from xxgk.applications import actions, pii
from xxgk.applications.clock import ConsultationKind
from xxgk.applications.models import Application, Channel, Delivery, IdDocument, ProvisionForm
from xxgk.core.today import fixed_today
from xxgk.holidays.calendar import current_calendar
from xxgk.workdays import WorkCalendar

from . import district

DISTRICT = district.DISTRICT[0]
EDUCATION = f"{DISTRICT}103"
NP, CE, LS, OO = ("natural_person", "commercial_enterprise", "legal_service_institution",
                  "other_organization")

# ---- The figures ------------------------------------------------------------------------

# The seed's legible figures for 2023 (../shared/spec/annual-report-format.md).
SEED_2023_TOTAL = {NP: 1311, CE: 23, LS: 2, OO: 202}
SEED_2023_CARRIED_TO_NEXT_YEAR = {NP: 41}
SEED_2023_OTHER_OTHER = {NP: 43, LS: 2}
SEED_2023_APPEALS = {
    "reconsideration": {"upheld": 138, "corrected": 8, "other": 92, "pending": 8},
    "litigation_direct": {"upheld": 15, "corrected": 0, "other": 1, "pending": 1},
    "litigation_after_reconsideration": {"upheld": 9, "corrected": 0, "other": 0, "pending": 1},
}

# Every application closed in 2023, by outcome and applicant column. The seed's text lost
# all rows but 其他 and the total; this split is ours. Its zero rows follow the legible
# zeros of the extraction (不予处理 5 and 其他处理 1–2, no fee ever being charged).
OUTCOMES_2023: dict[str, dict[str, int]] = {
    "disclosed": {NP: 452, CE: 9, OO: 80},
    "partially_disclosed": {NP: 95, CE: 3, OO: 20},
    "withheld.prohibited_by_law": {NP: 2},
    "withheld.security_and_stability": {NP: 1},
    "withheld.third_party_rights": {NP: 38, CE: 2, OO: 6},
    "withheld.internal_affairs": {NP: 9},
    "withheld.process_information": {NP: 22, OO: 4},
    "withheld.enforcement_files": {NP: 6},
    "withheld.inquiry_matters": {NP: 4},
    "unavailable.not_held": {NP: 470, CE: 7, OO: 70},
    "unavailable.needs_creation": {NP: 48, CE: 1, OO: 8},
    "unavailable.unclear_after_correction": {NP: 12},
    "not_processed.petition_or_complaint": {NP: 52, OO: 4},
    "not_processed.repeated": {NP: 55, CE: 1, OO: 10},
    "not_processed.publication": {NP: 2},
    "other.other": {NP: 43, LS: 2},
}
# Of those, the ones received in December 2022 (the 2023 report's 上年结转).
OUTCOMES_2022_TAIL: dict[str, dict[str, int]] = {
    "disclosed": {NP: 12, OO: 1},
    "partially_disclosed": {NP: 3},
    "withheld.third_party_rights": {NP: 2},
    "unavailable.not_held": {NP: 13, OO: 1},
    "unavailable.needs_creation": {NP: 1},
    "not_processed.repeated": {NP: 1},
    "other.other": {NP: 1},
}
# The 41 received in December 2023 and answered in January 2024.
OUTCOMES_CARRIED_TO_2024: dict[str, dict[str, int]] = {
    "disclosed": {NP: 15},
    "partially_disclosed": {NP: 4},
    "unavailable.not_held": {NP: 16},
    "unavailable.needs_creation": {NP: 2},
    "not_processed.repeated": {NP: 2},
    "not_processed.petition_or_complaint": {NP: 2},
}
# Share of 其他 closed by withdrawal rather than by a reply.
WITHDRAWN_SHARE = 0.8

# Where the year's applications go (agency code suffix → weight); the seed: "申请内容主要
# 围绕房屋征收拆迁、疏解腾退及政府制发的公文".
AGENCY_WEIGHTS: dict[str, float] = {
    "134": 28, "113": 14, "111": 10, "": 6, "101": 4, "103": 3, "107": 2, "110": 2,
    "124": 2, "127": 2, "106": 1.5, "114": 1.5, "102": 1, "109": 1, "119": 1, "112": 1,
    "128": 0.5, "115": 0.5, "117": 0.5, "130": 0.5,
    "001": 0.6, "003": 0.8, "007": 0.8, "009": 0.8, "010": 0.8, "011": 0.5, "012": 1.4,
    "013": 2.2, "014": 1.8, "015": 1.6, "016": 1.6, "017": 1.8, "018": 1.6, "019": 1.8,
    "020": 1.9,
}
TOPIC_OF_AGENCY = {"134": "expropriation", "113": "housing", "111": "planning", "": "government",
                   "101": "government", "103": "education"}

# ---- Invented people, organisations and places ----------------------------------------

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
            "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
            "黎贺顾毛郝龚邵万钱严武戴孔汤")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国文辉鹏红梅林峰凤琴云莲淑宇鑫博志浩晨雪颖佳欣宁思婷阳斌"
POSTCODES = ("100032", "100034", "100035", "100044", "100045", "100050", "100052", "100053",
             "100054", "100055", "100120")
PLACES = ("大吉片", "菜市口西", "宣武门外东大街", "广安门外", "白纸坊", "天桥", "椿树", "陶然亭",
          "牛街", "西四北", "砖塔胡同", "杨梅竹斜街", "琉璃厂", "大栅栏", "南新华街", "校场口",
          "鸭子桥", "半步桥", "里仁街", "北线阁", "西砖胡同", "前门西河沿")
LANES = ("东杨威胡同", "樱桃斜街", "铁树斜街", "棕树斜街", "粉房琉璃街", "果子巷", "贾家胡同",
         "永光寺西街", "储库营胡同", "南柳巷", "西草场街", "北新华街", "新文化街", "西四北三条",
         "百万庄大街", "展览路", "月坛北街", "白云路")
COMMUNITIES = ("西便门", "真武庙", "三里河", "白云观", "大栅栏西街", "前门西河沿", "福州馆",
               "新安中里", "红莲北里", "鸭子桥", "半步桥", "自新路", "华嘉", "南菜园", "育新街")
PROJECTS = ("{place}地区危旧房改造项目", "{place}片区棚户区改造项目", "{place}平房区申请式退租项目",
            "{place}地块土地一级开发项目", "{place}历史文化街区保护性修缮项目",
            "{place}片区城市更新项目")
DOC_TOPICS = ("关于进一步加强老旧小区综合整治工作的实施意见", "直管公房申请式退租工作实施方案",
              "国有土地上房屋征收与补偿工作规程", "背街小巷环境精细化整治提升工作方案",
              "疏解整治促提升专项行动工作方案", "历史文化街区保护更新实施方案",
              "城市更新行动计划", "老城保护和城市更新工作要点", "违法建设专项治理工作方案",
              "平房院落保护性修缮和恢复性修建工作方案")
DOC_KINDS = ("西政发", "西政办发", "西政办字", "西政函")
COMPANY_WORDS = ("华信", "京西", "广安", "宣南", "金阙", "德胜", "月坛", "恒远", "瑞丰", "泰和",
                 "嘉禾", "天桥", "和平", "新源", "永泰")
COMPANY_KINDS = ("房地产开发有限公司", "物业管理有限公司", "建筑工程有限公司", "商贸有限公司",
                 "文化传媒有限公司", "科技有限公司")
LAW_FIRMS = ("北京市京西律师事务所", "北京市宣南律师事务所")
OTHER_ORGS = ("{c}社区居民委员会", "{c}小区业主委员会", "{c}院落自管会", "{place}股份经济合作社")
RESPONSIBLE_AGENCIES = ("北京市住房和城乡建设委员会", "北京市规划和自然资源委员会",
                        "北京市西城区房屋征收事务中心", "北京市不动产登记中心西城分中心",
                        "北京市西城区住房和城市建设委员会", "国家税务总局北京市西城区税务局")
CONSULTED_AGENCIES = ("北京市规划和自然资源委员会", "北京市住房和城乡建设委员会",
                      "北京市西城区财政局", "北京市西城区司法局")

# Requests by subject: {project} {place} {address} {year} {doc} {community} {agency} {school}.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "expropriation": (
        "申请公开{project}的房屋征收决定、征收补偿方案及征收范围红线图。",
        "申请公开{project}{year}年度征收补偿资金的拨付和使用情况。",
        "申请公开{project}的社会稳定风险评估报告及结论。",
        "申请公开{project}选定房地产价格评估机构的公告及结果。",
        "申请公开{project}的征收补偿协议签约率和搬迁进度公示。",
        "申请公开{address}所在院落被列入{project}的依据文件。",
    ),
    "housing": (
        "申请公开{address}所在楼房老旧小区综合整治项目的立项批复、施工合同及竣工验收资料。",
        "申请公开{project}安置房的房源信息及分配方案。",
        "申请公开{community}社区{year}年加装电梯项目的补贴审批材料。",
        "申请公开{project}疏解腾退后腾退空间的利用规划。",
        "申请公开{year}年西城区保障性住房配租配售的公示名单及审核标准。",
    ),
    "planning": (
        "申请公开{address}地块的建设工程规划许可证及附件、附图。",
        "申请公开{project}的规划设计条件及控制性详细规划批复。",
        "申请公开{place}地区{year}年街区控制性详细规划的公示材料。",
        "申请公开{address}院内建筑物的规划核验意见。",
    ),
    "government": (
        "申请公开{doc}全文。",
        "申请公开{doc}及其政策解读材料。",
        "申请公开{year}年区政府研究{project}的相关批复文件。",
        "申请公开区政府关于{project}实施主体的授权文件。",
    ),
    "education": (
        "申请公开{year}年西城区义务教育阶段入学工作实施意见及多校划片范围。",
        "申请公开{school}{year}年校舍改造工程的招标文件及中标结果。",
        "申请公开{year}年西城区学前教育专项资金的分配情况。",
        "申请公开{school}对口入学地址范围及确定依据。",
    ),
    "subdistrict": (
        "申请公开{community}社区{year}年背街小巷环境整治项目的资金使用情况。",
        "申请公开{address}院内违法建设拆除的相关决定及依据。",
        "申请公开{project}疏解腾退工作中{address}房屋的腾退协议签订情况公示。",
        "申请公开{community}社区{year}年度临时救助的审批公示材料。",
        "申请公开{community}社区{year}年停车自治管理方案及收费标准的制定依据。",
    ),
    "general": (
        "申请公开{agency}{year}年部门预算、部门决算及“三公”经费使用情况。",
        "申请公开{agency}{year}年作出的涉及{address}的行政处罚决定书。",
        "申请公开{doc}全文。",
        "申请公开{agency}{year}年政府采购项目的合同及验收材料。",
        "申请公开{agency}对{address}相关事项的处理依据。",
    ),
}
# Requests whose answer depends on what is asked more than on who is asked.
OUTCOME_TEMPLATES: dict[str, tuple[str, ...]] = {
    "withheld.third_party_rights": (
        "申请公开{project}中{address}房屋的分户评估报告及补偿明细。",
        "申请公开{address}邻户的征收补偿协议。",
    ),
    "withheld.process_information": (
        "申请公开{year}年区政府专题会议研究{project}的会议纪要。",
        "申请公开{agency}就{project}向上级机关所作请示及内部研究意见。",
    ),
    "withheld.internal_affairs": ("申请公开{agency}{year}年内部人员考核及工作分工文件。",),
    "withheld.enforcement_files": ("申请公开{agency}查处{address}违法建设案件的全部执法案卷。",),
    "withheld.inquiry_matters": ("申请公开{address}房屋的产权登记信息及权属来源。",),
    "withheld.prohibited_by_law": ("申请公开{address}所在区域人民防空工程的分布图。",),
    "withheld.security_and_stability": ("申请公开{place}地区重点安保目标的分布及警力部署情况。",),
    "not_processed.petition_or_complaint": (
        "反映{address}存在违法建设，要求{agency}依法查处并答复处理结果。",
        "投诉{project}征收工作人员工作作风问题，要求作出处理。",
        "举报{address}群租房扰民问题，请求处理。",
    ),
    "not_processed.publication": ("申请获取《西城区志》《西城年鉴（{year}）》纸质版。",),
    "unavailable.needs_creation": (
        "申请公开{year}年以来{project}全部被征收人的补偿金额统计及平均值分析。",
        "申请公开{agency}近五年各类投诉的分类统计及对比分析。",
    ),
}

REPLY_BODIES: dict[str, str] = {
    "disclosed": "经查，您申请公开的信息属于可以公开的政府信息，现予以提供。",
    "partially_disclosed": "经查，您申请公开的信息中部分内容不予公开，本机关已作区分处理，对可以公开的部分予以提供。",
    "withheld": "经查，您申请公开的信息{label}，依照《中华人民共和国政府信息公开条例》{article}的规定，不予公开。",
    "unavailable.not_held": "经检索，本机关未制作或获取您申请公开的政府信息。",
    "unavailable.needs_creation": "您申请的信息需要本机关对现有政府信息进行加工、分析，依照《中华人民共和国政府信息公开条例》第三十八条的规定，本机关不予另行制作。",
    "unavailable.unclear_after_correction": "经补正，您的申请内容仍不明确，本机关无法提供。",
    "not_processed.petition_or_complaint": "您提出的事项属于信访、投诉、举报，不属于政府信息公开申请，请通过信访渠道反映。",
    "not_processed.repeated": "您已就相同内容提出过申请，本机关已依法答复，不再重复处理。",
    "not_processed.publication": "您申请获取的信息属于公开出版物，可通过公开发行渠道获取。",
    "other.correction_overdue": "您无正当理由未在补正期限内补正申请，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "other.other": "经与申请人沟通，申请人已通过其他途径获取所需信息，本申请办结。",
}
CORRECTION_REQUEST = "请明确所需信息的名称、文号或者便于查询的其他特征性描述。"
CORRECTION_TEXT = "补正说明：已补充所需信息的名称、文号及形成时间。"
WITHDRAWAL_REASON = "申请人已通过其他途径获取所需信息，申请撤回。"
EXTENSION_REASON = "申请涉及信息量较大，需调取多个年度的档案，经政务公开办负责人同意延长答复期限。"
OUTCOME_CORRECTION_REASON = "复核发现原统计口径有误，按实际答复内容更正。"
UNFAVOURABLE = tuple(k for k in taxonomy.OUTCOME_KEYS
                     if k.split(".")[0] in {"withheld", "unavailable", "not_processed"}
                     or k == "partially_disclosed")


# ---- Plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    column: str
    name: str
    id_document_type: str
    identity: pii.Identity


@dataclass(frozen=True)
class Correct:
    requested: dt.date
    deadline: dt.date
    corrected: dt.date | None


@dataclass(frozen=True)
class Consult:
    sent: dt.date
    kind: str
    party: str
    answered: dt.date | None


@dataclass(frozen=True)
class Reply:
    on: dt.date
    outcome: str
    responsible_agency: str = ""


@dataclass(frozen=True)
class Withdraw:
    on: dt.date


@dataclass(frozen=True)
class Assign:
    """Dated the day the demo runs (actions.assign takes no date)."""


@dataclass(frozen=True)
class Extend:
    """Requested the day the demo runs; approved the same day when ``approved``."""

    days: int
    approved: bool


@dataclass(frozen=True)
class CorrectOutcome:
    """Dated the day the demo runs (actions.correct_outcome takes no date)."""

    outcome: str


Step = Correct | Consult | Reply | Withdraw | Assign | Extend | CorrectOutcome


@dataclass
class Plan:
    agency_code: str
    applicant: Applicant
    description: str
    received_on: dt.date | None  # None: receipt not yet confirmed
    arrived_at: dt.datetime
    channel: str
    provision_form: str
    delivery: str
    document_number: str = ""
    steps: list[Step] = field(default_factory=list)
    token: str = ""


# ---- Dates -------------------------------------------------------------------------------


class Days:
    """Working-day arithmetic on the calendar in force (weekends assumed for unknown years,
    as the clock does)."""

    def __init__(self) -> None:
        self.cal: WorkCalendar = current_calendar(assume_weekends=True)

    def add(self, d: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(d, n)

    def back(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day before ``d`` (``d`` itself, if working, for n = 0)."""
        d = self.on_or_before(d)
        while n:
            d -= dt.timedelta(days=1)
            if self.cal.is_working_day(d):
                n -= 1
        return d

    def on_or_before(self, d: dt.date) -> dt.date:
        while not self.cal.is_working_day(d):
            d -= dt.timedelta(days=1)
        return d

    def on_or_after(self, d: dt.date) -> dt.date:
        while not self.cal.is_working_day(d):
            d += dt.timedelta(days=1)
        return d

    def between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days, d = [], first
        while d <= last:
            if self.cal.is_working_day(d):
                days.append(d)
            d += dt.timedelta(days=1)
        return days


def _arrival(rng: random.Random, received: dt.date, channel: str,
             not_after: dt.date | None = None) -> dt.datetime:
    """When the application arrived: online ones often the evening or weekend before the
    office confirmed them; posted ones on the day signed for."""
    day = received
    if channel in (Channel.ONLINE, Channel.FAX) and rng.random() < 0.35:
        day = received - dt.timedelta(days=rng.randint(1, 3))
    if not_after is not None and day >= not_after:
        day = not_after - dt.timedelta(days=1)
    hour = rng.randint(8, 22) if channel == Channel.ONLINE else rng.randint(9, 16)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59))))


# ---- Invented applicants ----------------------------------------------------------------


class People:
    """A pool of invented applicants: many who apply once or twice, a few who apply often
    (as in real districts, where housing disputes bring the same names back)."""

    def __init__(self, rng: random.Random, persons: int = 700, frequent: int = 12) -> None:
        self.rng = rng
        self.persons = [self._person() for _ in range(persons)]
        self.frequent = self.persons[:frequent]
        self.organisations = {
            CE: [self._organisation(CE, f"北京{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}",
                                    "91110102") for _ in range(15)],
            LS: [self._organisation(LS, name, "31110000") for name in LAW_FIRMS],
            OO: [self._organisation(OO, rng.choice(OTHER_ORGS).format(
                c=rng.choice(COMMUNITIES), place=rng.choice(PLACES)), "54110102")
                for _ in range(40)],
        }

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def _contact(self) -> dict[str, str]:
        rng = self.rng
        return {
            "phone": f"138{rng.randint(0, 99_999_999):08d}",
            "email": f"applicant{rng.randint(1000, 99999)}@example.com" if rng.random() < 0.4 else "",
            "address": f"北京市西城区{rng.choice(LANES)}{rng.randint(1, 120)}号",
            "postcode": rng.choice(POSTCODES),
        }

    def _person(self) -> Applicant:
        rng = self.rng
        born = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randint(0, 55 * 365))
        body = f"110102{born:%Y%m%d}{rng.randint(1, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")
        return Applicant(NP, self.name(), IdDocument.RESIDENT_ID,
                         pii.Identity(id_number=number, **self._contact()))

    def _organisation(self, column: str, name: str, prefix: str) -> Applicant:
        body = prefix + "".join(self.rng.choice("0123456789") for _ in range(9))
        code = body + uscc.calc_check_digit(body + "0")
        return Applicant(column, name, "", pii.Identity(id_number=code, contact_person=self.name(),
                                                       **self._contact()))

    def pick(self, column: str, frequent: bool = False) -> Applicant:
        if column == NP:
            pool = self.frequent if frequent or self.rng.random() < 0.2 else self.persons
            return self.rng.choice(pool)
        return self.rng.choice(self.organisations[column])


# ---- Writing the requests ---------------------------------------------------------------


def _weighted_suffix(rng: random.Random) -> str:
    return rng.choices(list(AGENCY_WEIGHTS), list(AGENCY_WEIGHTS.values()))[0]


def _agency_code(suffix: str) -> str:
    return f"{DISTRICT}{suffix}"


def _topic(suffix: str) -> str:
    if suffix in TOPIC_OF_AGENCY:
        return TOPIC_OF_AGENCY[suffix]
    return "subdistrict" if len(suffix) == 3 and suffix.startswith("0") else "general"


def _request(rng: random.Random, suffix: str, outcome: str, year: int,
             names: dict[str, str]) -> tuple[str, str]:
    """(description, document number) of a request to the agency ``suffix``."""
    templates = OUTCOME_TEMPLATES.get(outcome) or TEMPLATES[_topic(suffix)]
    place = rng.choice(PLACES)
    doc_no = f"{rng.choice(DOC_KINDS)}〔{rng.randint(year - 6, year - 1)}〕{rng.randint(1, 40)}号"
    values = {
        "place": place,
        "project": rng.choice(PROJECTS).format(place=place),
        "address": f"西城区{rng.choice(LANES)}{rng.randint(1, 120)}号",
        "year": rng.randint(year - 4, year - 1),
        "doc": f"《西城区{rng.choice(DOC_TOPICS)}》（{doc_no}）",
        "community": rng.choice(COMMUNITIES),
        "agency": names[_agency_code(suffix)].removeprefix("北京市").removeprefix("西城区"),
        "school": f"西城区{rng.choice(COMMUNITIES)}小学",
    }
    template = rng.choice(templates)
    return template.format(**values), doc_no if "{doc}" in template else ""


def _reply_body(outcome: str) -> str:
    if outcome.startswith("withheld."):
        category = taxonomy.OUTCOMES_BY_KEY[outcome]
        return REPLY_BODIES["withheld"].format(label=category.label_zh, article=category.article)
    return REPLY_BODIES[outcome]


def _legal_basis(outcome: str) -> str:
    article = taxonomy.OUTCOMES_BY_KEY[outcome].article or "第三十六条"
    return article if article.startswith("《") else f"《中华人民共和国政府信息公开条例》{article}"


def _channel(rng: random.Random) -> tuple[str, str, str]:
    """(channel, form of provision, delivery): mostly online since 全程网办."""
    channel = rng.choices((Channel.ONLINE, Channel.IN_PERSON, Channel.REGISTERED_POST,
                           Channel.ORDINARY_POST), weights=(80, 10, 8, 2))[0]
    form = rng.choices((ProvisionForm.ELECTRONIC, ProvisionForm.PAPER, ProvisionForm.INSPECTION),
                       weights=(50, 45, 5))[0]
    if form == ProvisionForm.ELECTRONIC:
        delivery = rng.choice((Delivery.EMAIL, Delivery.ONLINE))
    elif form == ProvisionForm.PAPER:
        delivery = rng.choices((Delivery.POST, Delivery.COLLECT), weights=(80, 20))[0]
    else:
        delivery = Delivery.COLLECT
    return channel, form, delivery


def _expand(table: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    """[(outcome, column), …] with one entry per application of the table."""
    return [(outcome, column) for outcome, columns in table.items()
            for column, n in columns.items() for _ in range(n)]


def _minus(a: dict[str, dict[str, int]], b: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {outcome: {column: n - b.get(outcome, {}).get(column, 0) for column, n in cols.items()}
            for outcome, cols in a.items()}


class Planner:
    """Plans applications: who asks whom for what, and what happens to each, on which day."""

    def __init__(self, rng: random.Random, days: Days, names: dict[str, str]) -> None:
        self.rng, self.days, self.names = rng, days, names
        self.people = People(rng)

    def agency(self, outcome: str = "") -> str:
        if outcome == "not_processed.petition_or_complaint":
            return self.rng.choice(("134", "127", "013", "014", "019", "020"))
        return _weighted_suffix(self.rng)

    def plan(self, outcome: str, column: str, received: dt.date, year: int,
             suffix: str | None = None, frequent: bool = False,
             not_after: dt.date | None = None) -> Plan:
        rng = self.rng
        suffix = self.agency(outcome) if suffix is None else suffix
        description, doc_no = _request(rng, suffix, outcome, year, self.names)
        channel, form, delivery = _channel(rng)
        applicant = self.people.pick(column, frequent or outcome == "not_processed.repeated")
        return Plan(_agency_code(suffix), applicant, description, received,
                    _arrival(rng, received, channel, not_after), channel, form, delivery, doc_no)

    def closing(self, plan: Plan, outcome: str) -> list[Step]:
        """Events from receipt to the reply (or withdrawal), dated from the receipt on,
        answered within the period as the seed says every application was."""
        rng, days = self.rng, self.days
        received = plan.received_on
        if outcome == "other.other" and rng.random() < WITHDRAWN_SHARE:
            return [Withdraw(days.add(received, rng.randint(1, 10)))]
        steps: list[Step] = []
        start = received
        if outcome == "unavailable.unclear_after_correction" or (
                outcome in ("disclosed", "partially_disclosed", "unavailable.not_held")
                and rng.random() < 0.06):
            requested = days.add(received, rng.randint(1, 5))
            deadline = requested + dt.timedelta(days=15)
            start = min(days.add(requested, rng.randint(2, 8)), deadline)
            steps.append(Correct(requested, deadline, start))
        last = start
        if outcome == "withheld.third_party_rights" or (
                outcome == "partially_disclosed" and rng.random() < 0.3):
            sent = days.add(start, rng.randint(2, 6))
            answered = days.add(sent, rng.randint(3, 14)) if rng.random() < 0.85 else None
            steps.append(Consult(sent, ConsultationKind.THIRD_PARTY,
                                 f"第三方（{self.people.name()}）", answered))
            last = answered or days.add(sent, 15)
        elif outcome == "disclosed" and rng.random() < 0.05:
            sent = days.add(start, rng.randint(2, 6))
            answered = days.add(sent, rng.randint(3, 12))
            steps.append(Consult(sent, ConsultationKind.AGENCY, rng.choice(CONSULTED_AGENCIES),
                                 answered))
            last = answered
        if last == start:
            on = days.add(start, rng.choices(range(1, 20), weights=[1, 2, 3] + [4] * 16)[0])
        else:
            on = days.add(last, rng.randint(1, 5))
        responsible = (rng.choice(RESPONSIBLE_AGENCIES)
                       if outcome == "unavailable.not_held" and rng.random() < 0.3 else "")
        steps.append(Reply(on, outcome, responsible))
        return steps


def _closing_date(steps: list[Step]) -> dt.date:
    last = steps[-1]
    assert isinstance(last, Reply | Withdraw)
    return last.on


# ---- Writing through the actions ---------------------------------------------------------


class Writer:
    """Submits planned applications through ``applications.actions``, as staff would."""

    def __init__(self) -> None:
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.users = {u.get_username(): u for u in get_user_model().objects.filter(
            username__in=["ogi", "reviewer", "handler", "edu-reviewer",
                          *(f"h{code}" for code in self.agencies)])}

    def names(self) -> dict[str, str]:
        return {code: agency.name for code, agency in self.agencies.items()}

    def handler(self, code: str, prefer_demo_handler: bool = False) -> object:
        if code == EDUCATION and prefer_demo_handler:
            return self.users["handler"]
        return self.users.get(f"h{code}") or self.users["ogi"]

    def reviewer(self, code: str) -> object:
        return self.users["edu-reviewer" if code == EDUCATION else "reviewer"]

    def write_all(self, plans: list[Plan], prefix: str, advance: Callable[[int], None],
                  current: bool = False) -> int:
        """Number the plans by arrival, then write those the database does not have."""
        plans.sort(key=lambda p: (p.arrived_at, p.agency_code, p.description))
        for serial, plan in enumerate(plans, 1):
            plan.token = f"{prefix}{serial:04d}"
        existing = set(Application.objects.filter(client_token__startswith=prefix)
                       .values_list("client_token", flat=True))
        # Letters are rendered when first downloaded, not thousands at once here.
        with actions.letters_deferred():
            for plan in plans:
                if plan.token not in existing:
                    self.write(plan, current)
                advance(1)
        return len(plans)

    def write(self, plan: Plan, current: bool) -> None:
        agency = self.agencies[plan.agency_code]
        submission = actions.Submission(
            applicant_column=plan.applicant.column, applicant_name=plan.applicant.name,
            id_document_type=plan.applicant.id_document_type, identity=plan.applicant.identity,
            description=plan.description, provision_form=plan.provision_form,
            delivery=plan.delivery, agency=agency, document_number=plan.document_number,
            channel=plan.channel,
        )
        application, _code = actions.submit_application(submission, client_token=plan.token,
                                                        arrived_at=plan.arrived_at)
        if plan.received_on is None:
            return
        handler = self.handler(plan.agency_code, prefer_demo_handler=current)
        # A past year's step is taken as on its own day: the clock it caches is then
        # computed up to that day, not counted day by day up to today (which, for 2023,
        # is most of the time the demo takes).
        on = nullcontext if current else fixed_today
        with on(plan.received_on):
            actions.confirm_receipt(application, received_on=plan.received_on, actor=handler)
        for step in plan.steps:
            self._apply(application, step, handler, on)

    def _apply(self, application: Application, step: Step, handler: object,
               on: Callable[[dt.date], AbstractContextManager[object]]) -> None:
        match step:
            case Correct():
                with on(step.requested):
                    actions.request_correction(application, what=CORRECTION_REQUEST,
                                               deadline=step.deadline, on=step.requested,
                                               actor=handler)
                if step.corrected:
                    with on(step.corrected):
                        actions.submit_correction(application, on=step.corrected,
                                                  text=CORRECTION_TEXT)
            case Consult():
                with on(step.sent):
                    actions.send_consultation(application, party=step.party,
                                              party_kind=step.kind, on=step.sent, actor=handler)
                if step.answered:
                    with on(step.answered):
                        actions.record_consultation_answer(
                            application, party=step.party, summary="书面回复意见已收到。",
                            on=step.answered, actor=handler)
            case Reply() | Withdraw():
                with on(step.on):
                    self._close(application, step, handler)
            case _:
                self._apply_today(application, step, handler)

    def _close(self, application: Application, step: Reply | Withdraw, handler: object) -> None:
        match step:
            case Reply():
                actions.reply(application, outcome=step.outcome,
                              legal_basis=_legal_basis(step.outcome),
                              body=_reply_body(step.outcome), on=step.on, actor=handler,
                              responsible_agency=step.responsible_agency)
            case Withdraw():
                actions.withdraw(application, reason=WITHDRAWAL_REASON, on=step.on)

    def _apply_today(self, application: Application, step: Step, handler: object) -> None:
        """The steps that take no date (this year's work only)."""
        match step:
            case Assign():
                actions.assign(application, handler, actor=handler)
            case Extend():
                actions.request_extension(application, days=step.days, reason=EXTENSION_REASON,
                                          actor=handler)
                if step.approved:
                    actions.approve_extension(application,
                                              approver=self.reviewer(application.agency.code),
                                              on=timezone.localdate())
            case CorrectOutcome():
                actions.correct_outcome(application, outcome=step.outcome,
                                        reason=OUTCOME_CORRECTION_REASON, actor=handler)


# ---- Step 1: 2022's tail -------------------------------------------------------------------

TAIL_2022 = sum(sum(c.values()) for c in OUTCOMES_2022_TAIL.values())


def build_2022_tail(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Received in December 2022, open on 31 December, answered in January 2023."""
    writer, days = Writer(), Days()
    planner = Planner(rng, days, writer.names())
    december = days.between(dt.date(2022, 12, 8), dt.date(2022, 12, 30))
    first_2023 = days.on_or_after(dt.date(2023, 1, 1))
    plans = []
    for outcome, column in _expand(OUTCOMES_2022_TAIL):
        while True:
            plan = planner.plan(outcome, column, rng.choice(december), 2022)
            steps = planner.closing(plan, outcome)
            # Whatever the path, nothing closes before the new year.
            end = steps[-1]
            end_on = max(end.on, days.add(first_2023, rng.randint(0, 6)))
            if end_on <= dt.date(2023, 1, 31):
                break
        steps[-1] = (Reply(end_on, end.outcome, end.responsible_agency)
                     if isinstance(end, Reply) else Withdraw(end_on))
        plan.steps = steps
        plans.append(plan)
    return writer.write_all(plans, "demo-2022-", advance)


# ---- Step 2: 2023 --------------------------------------------------------------------------

CLOSED_2023 = sum(sum(c.values()) for c in _minus(OUTCOMES_2023, OUTCOMES_2022_TAIL).values())
CARRIED_2024 = sum(sum(c.values()) for c in OUTCOMES_CARRIED_TO_2024.values())


def build_2023(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The seed's year: every application closed in it, and the 41 carried into 2024."""
    writer, days = Writer(), Days()
    planner = Planner(rng, days, writer.names())
    year_days = days.between(dt.date(2023, 1, 3), dt.date(2023, 12, 15))
    last_2023 = days.on_or_before(dt.date(2023, 12, 31))
    plans = []
    for outcome, column in _expand(_minus(OUTCOMES_2023, OUTCOMES_2022_TAIL)):
        while True:
            plan = planner.plan(outcome, column, rng.choice(year_days), 2023)
            plan.steps = planner.closing(plan, outcome)
            if _closing_date(plan.steps) <= last_2023:
                break
        plans.append(plan)
    late_december = days.between(dt.date(2023, 12, 18), last_2023)
    first_2024 = days.on_or_after(dt.date(2024, 1, 1))
    for outcome, column in _expand(OUTCOMES_CARRIED_TO_2024):
        received = rng.choice(late_december)
        plan = planner.plan(outcome, column, received, 2023)
        reply_on = max(days.add(received, rng.randint(5, 18)), first_2024)
        plan.steps = [Reply(reply_on, outcome)]
        plans.append(plan)
    return writer.write_all(plans, "demo-2023-", advance)


# ---- Step 3: 2023's appeals ---------------------------------------------------------------

# The applications of steps 1 and 2, which the appeals are about.
HISTORY_TOKENS = r"^demo-202[23]-"
APPEALS_2023 = sum(sum(r.values()) for r in SEED_2023_APPEALS.values())
RECONSIDERATION_BODIES = {DISTRICT: ("北京市人民政府", "京政复字〔{y}〕{n}号")}
DEFAULT_RECONSIDERATION_BODY = ("北京市西城区人民政府", "西政复字〔{y}〕第{n}号")
COURTS = {DISTRICT: ("北京市第四中级人民法院", "（{y}）京04行初{n}号")}
DEFAULT_COURT = ("北京市西城区人民法院", "（{y}）京0102行初{n}号")
# What a decision says, by reconsideration (True) or litigation (False) and result.
APPEAL_NOTES: dict[tuple[bool, str], tuple[str, ...]] = {
    (True, "upheld"): ("维持被申请人作出的政府信息公开答复。",),
    (True, "corrected"): ("撤销被申请人作出的答复，责令其在法定期限内重新答复。",
                          "确认被申请人逾期答复违法。"),
    (True, "other"): ("申请人撤回行政复议申请，行政复议终止。", "驳回行政复议申请。"),
    (False, "upheld"): ("驳回原告的诉讼请求。",),
    (False, "corrected"): ("撤销被告作出的答复，责令其重新答复。",),
    (False, "other"): ("原告撤回起诉，准予撤诉。", "裁定驳回起诉。"),
}


@dataclass
class CasePlan:
    kind: str
    result: str
    agency_code: str
    application: Application | None
    filed_on: dt.date
    decided_on: dt.date | None
    body: str = ""
    case_number: str = ""


def build_appeals_2023(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Section 四 of 2023 as the seed prints it; decisions after the year end in 2024."""
    days = Days()
    year_end = dt.date(2023, 12, 31)
    candidates = list(Application.objects.filter(
        client_token__regex=HISTORY_TOKENS, closed_on__year=2023, outcome__in=UNFAVOURABLE,
    ).select_related("agency").order_by("number"))
    rng.shuffle(candidates)
    used: set[int] = set()
    plans: list[CasePlan] = []

    def pick(fits: Callable[[Application], bool]) -> Application:
        for application in candidates:
            if application.pk not in used and fits(application):
                used.add(application.pk)
                return application
        raise LookupError("no demo application fits the appeal")

    def within(first: dt.date, last: dt.date) -> dt.date:
        return days.on_or_after(first + dt.timedelta(days=rng.randint(0, (last - first).days)))

    recon = SEED_2023_APPEALS["reconsideration"]
    for result, n in recon.items():
        for i in range(n):
            pending = result == "pending"
            lag = rng.randint(25, 58)  # decided within the 60 days of the law
            if pending:
                application = pick(
                    lambda a: dt.date(2023, 10, 20) <= a.closed_on <= dt.date(2023, 12, 15))
                filed = within(max(application.closed_on + dt.timedelta(days=5),
                                   dt.date(2023, 11, 10)), dt.date(2023, 12, 27))
                decided = days.on_or_after(max(filed + dt.timedelta(days=lag),
                                               dt.date(2024, 1, 2)))
            else:
                # A few cases concern applications xxgk never saw (claimed by post).
                unlinked = i % 40 == 39
                application = None if unlinked else pick(
                    lambda a, lag=lag: a.closed_on + dt.timedelta(days=10 + lag) <= year_end)
                closed = application.closed_on if application else dt.date(2023, 3, 1)
                latest = min(closed + dt.timedelta(days=55), year_end - dt.timedelta(days=lag))
                filed = within(closed + dt.timedelta(days=5), latest)
                decided = days.on_or_before(min(filed + dt.timedelta(days=lag), year_end))
            code = application.agency.code if application else _agency_code(_weighted_suffix(rng))
            plans.append(CasePlan("reconsideration", result, code, application, filed, decided))

    for result, n in SEED_2023_APPEALS["litigation_direct"].items():
        for _ in range(n):
            if result == "pending":
                application = pick(
                    lambda a: dt.date(2023, 7, 1) <= a.closed_on <= dt.date(2023, 11, 15))
                filed = within(max(application.closed_on + dt.timedelta(days=20),
                                   dt.date(2023, 10, 1)), dt.date(2023, 12, 20))
                decided = days.on_or_after(filed + dt.timedelta(days=rng.randint(120, 200)))
            else:
                application = pick(lambda a: a.closed_on <= dt.date(2023, 5, 31))
                filed = within(application.closed_on + dt.timedelta(days=15),
                               application.closed_on + dt.timedelta(days=60))
                decided = days.on_or_before(min(filed + dt.timedelta(days=rng.randint(60, 150)),
                                                year_end))
            plans.append(CasePlan("litigation_direct", result, application.agency.code,
                                  application, filed, decided))

    # Litigation after reconsideration follows an upheld reconsideration within 15 days.
    upheld = sorted((p for p in plans if p.kind == "reconsideration" and p.result == "upheld"
                     and p.application is not None), key=lambda p: p.decided_on)
    after = SEED_2023_APPEALS["litigation_after_reconsideration"]
    early = [p for p in upheld if p.decided_on <= dt.date(2023, 8, 31)]
    late = [p for p in upheld if dt.date(2023, 11, 1) <= p.decided_on <= dt.date(2023, 12, 15)]
    sources = rng.sample(early, after["upheld"]) + rng.sample(late, after["pending"])
    for source, result in zip(sources, ["upheld"] * after["upheld"] + ["pending"] * after["pending"],
                              strict=True):
        filed = days.on_or_after(source.decided_on + dt.timedelta(days=rng.randint(3, 14)))
        decided = (None if result == "pending"
                   else days.on_or_before(min(filed + dt.timedelta(days=rng.randint(45, 110)),
                                              year_end)))
        plans.append(CasePlan("litigation_after_reconsideration", result, source.agency_code,
                              source.application, filed, decided))

    _number_cases(plans)
    return _write_cases(plans, rng, advance)


def _number_cases(plans: list[CasePlan]) -> None:
    """Serial numbers per body in filing order, as bodies and courts give them."""
    plans.sort(key=lambda p: (p.filed_on, p.kind, p.application.number if p.application else ""))
    serials: Counter[str] = Counter()
    for plan in plans:
        if plan.kind == "reconsideration":
            body, pattern = RECONSIDERATION_BODIES.get(plan.agency_code,
                                                       DEFAULT_RECONSIDERATION_BODY)
        else:
            body, pattern = COURTS.get(plan.agency_code, DEFAULT_COURT)
        serials[body] += 1
        plan.body = body
        plan.case_number = pattern.format(y=plan.filed_on.year, n=serials[body])


def _write_cases(plans: list[CasePlan], rng: random.Random,
                 advance: Callable[[int], None]) -> int:
    writer = Writer()
    existing = set(AppealCase.objects.values_list("body", "case_number"))
    for plan in plans:
        # Drawn before the skip, so that what a run writes never depends on what it skips.
        result = plan.result if plan.result != "pending" else rng.choices(
            ("upheld", "corrected", "other"), weights=(80, 8, 12))[0]
        notes = rng.choice(APPEAL_NOTES[(plan.kind == "reconsideration", result)])
        if (plan.body, plan.case_number) in existing:
            advance(1)
            continue
        actor = writer.handler(plan.agency_code)
        case = appeal_actions.record_case(
            agency=writer.agencies[plan.agency_code], kind=plan.kind,
            case_number=plan.case_number, filed_on=plan.filed_on, body=plan.body,
            application=plan.application, actor=actor,
            notes="" if plan.application else "申请人称曾邮寄提出申请，本机关未收到。",
        )
        if plan.decided_on is not None:
            appeal_actions.record_decision(case, result=result, decided_on=plan.decided_on,
                                           notes=notes, actor=actor)
        advance(1)
    return len(plans)


# ---- Step 4: this year's work --------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    """A kind of open application today: how many, received how many working days ago."""

    name: str
    count: int
    received_ago: tuple[int, int]
    in_education: int


SITUATIONS: tuple[Situation, ...] = (
    Situation("submitted", 6, (1, 3), 1),
    Situation("running", 26, (0, 17), 4),
    Situation("due_soon", 6, (18, 20), 1),
    Situation("overdue", 6, (21, 28), 2),
    Situation("awaiting_correction", 6, (2, 6), 1),
    Situation("correction_lapsed", 2, (22, 26), 0),
    Situation("consultation", 6, (4, 12), 1),
    Situation("extended", 3, (14, 19), 0),
    Situation("extension_requested", 2, (15, 19), 1),
)
# Answered earlier this year (received 30 to 200 working days ago), by outcome.
ANSWERED_THIS_YEAR: dict[str, int] = {
    "disclosed": 10, "partially_disclosed": 3, "unavailable.not_held": 10,
    "withheld.third_party_rights": 2, "not_processed.repeated": 2,
    "other.correction_overdue": 2, "other.other": 1,
}
CURRENT = sum(s.count for s in SITUATIONS) + sum(ANSWERED_THIS_YEAR.values())


def build_current(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Live work for the workbench, relative to today; thirty answered earlier."""
    writer, days = Writer(), Days()
    planner = Planner(rng, days, writer.names())
    today = timezone.localdate()
    plans = []
    for situation in SITUATIONS:
        for i in range(situation.count):
            suffix = "103" if i < situation.in_education else planner.agency()
            received = days.back(today, rng.randint(*situation.received_ago))
            plan = planner.plan("", NP if rng.random() < 0.9 else OO, received, today.year,
                                suffix=suffix, not_after=today)
            plan.steps = _situation_steps(situation.name, rng, days, received, today)
            if situation.name == "submitted":
                plan.received_on = None
            plans.append(plan)
    window = days.between(days.back(today, 200), days.back(today, 30))
    outcomes = [outcome for outcome, n in ANSWERED_THIS_YEAR.items() for _ in range(n)]
    corrected = 0
    for outcome in outcomes:
        plan = planner.plan(outcome, NP, rng.choice(window), today.year)
        if outcome == "other.correction_overdue":
            requested = days.add(plan.received_on, 3)
            deadline = requested + dt.timedelta(days=15)
            plan.steps = [Correct(requested, deadline, None),
                          Reply(days.add(deadline, 2), outcome)]
        else:
            plan.steps = planner.closing(plan, outcome)
        if corrected < 2 and outcome == "unavailable.not_held":
            plan.steps.append(CorrectOutcome("disclosed"))
            corrected += 1
        plans.append(plan)
    return writer.write_all(plans, "demo-now-", advance, current=True)


def _situation_steps(name: str, rng: random.Random, days: Days, received: dt.date,
                     today: dt.date) -> list[Step]:
    match name:
        case "submitted":
            return []
        case "awaiting_correction":
            requested = min(days.add(received, rng.randint(1, 2)), today)
            return [Correct(requested, today + dt.timedelta(days=rng.randint(5, 14)), None),
                    Assign()]
        case "correction_lapsed":
            requested = days.add(received, 2)
            return [Correct(requested, requested + dt.timedelta(days=10), None), Assign()]
        case "consultation":
            sent = min(days.add(received, rng.randint(2, 3)), today)
            return [Consult(sent, ConsultationKind.THIRD_PARTY, "第三方（相关权利人）", None),
                    Assign()]
        case "extended" | "extension_requested":
            return [Assign(), Extend(rng.choice((10, 15, 20)), name == "extended")]
    return [Assign()]
