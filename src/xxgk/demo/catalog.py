"""The demo district's catalogue, every year from 2023 to today, modelled on the seed.

Every agency of the district keeps its catalogue in xxgk, so the annual reports and the
scorecards count it (``catalog.counting``) and nobody enters those figures (the demo's
reports leave out what the records count: ``demo.reports._not_counted``). For 2023 the district's counts are the seed's where it gives
them: 25,284 items on the portal (门户网站发布信息; every item published is on it), 1,506 in
key areas, 49 policy documents with 41 interpretations, 2,512 items also on Weibo and
2,613 on WeChat; section 二, lost in the seed's text, is the demo's own (12 normative
documents issued, 5 repealed, 86 in force at the year's end: ``reports.PROACTIVE_2023``).
Every later year is near 2023 (:func:`targets`); this year's runs to today.

What a year holds:

- **Items** written in bulk (``catalog.bulk.publish_history``, ``Origin.XXGK``), shared
  among the agencies by kind and weight (:data:`WEIGHTS`): real titles of provincial
  documents adapted to the agency (``titles``), with 文号 in the agency's style
  (粤府〔2023〕68号 → 京西政发〔2023〕68号), and the routine items of a catalogue
  (budgets, procurement, licensing and penalty decisions, statistics, community notices);
  each in the tree's category its title calls for, the key-area ones in their key area.
  A few are published later than Art. 26's 20 working days.
- **Policy documents** with their interpretations and validity, written one by one
  through ``catalog.actions`` (a few dozen a year): the normative documents of section 二,
  each repealing or amending an older one now and then (``by_document``), and the older
  documents of 2014–2022 they act on, with their own history of repeals, expiries and
  amendments, so that the validity clean-up has work.
- **Drafts and items in review** (a handful a year, through the actions, by the agency's
  handler): those of past years were left unpublished and count as late; this year's fall
  due around today, so that the workbench's due list and the reminders have work.

Deterministic: a year's records are drawn from its own generator (``history.year_rng``).
Idempotent: an agency's items of a year are written in one call or not at all, and a
year that has them is skipped; documents and drafts are found again by agency and title.
``SCALE`` shrinks the bulk items (the tests' knob); policies and drafts are never scaled.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.utils import timezone

from xxgk.agencies.models import Agency
from xxgk.catalog import actions
from xxgk.catalog.actions import ItemText
from xxgk.catalog.bulk import HistoryRecord, publish_history
from xxgk.catalog.models import (
    Category,
    InfoItem,
    ItemState,
    Origin,
    PolicyDocument,
    ValidityChange,
)

from . import district, titles
from .applications import Days
from .history import history_years, year_rng

YEAR = 2023
SCALE = 1.0


@dataclass(frozen=True)
class Targets:
    """What the district's catalogue counts for a year (summed over its agencies)."""

    items: int          # published, policy documents and interpretations included
    key_area: int
    policy_documents: int
    interpretations: int
    weibo: int
    wechat: int
    normative: int      # of the policy documents: normative documents (section 二 issued)
    repeals: int        # older normative documents repealed in the year
    amendments: int
    drafts: int

    @property
    def bulk(self) -> int:
        """The items written in bulk: all but the policy documents and interpretations."""
        return self.items - self.policy_documents - self.interpretations


SEED_2023 = Targets(items=25_284, key_area=1506, policy_documents=49, interpretations=41,
                    weibo=2512, wechat=2613, normative=12, repeals=5, amendments=3,
                    drafts=4)
# The older normative documents, issued 2014–2022: how many, and their fates by the end
# of 2022 (79 in force, so that 2023's 12 issued and 5 repealed leave the seed's 86).
OLDER_DOCUMENTS = 110
OLDER_REPEALED, OLDER_EXPIRED, OLDER_AMENDED = 18, 13, 8
OLDER_YEARS = range(2014, YEAR)


def targets(year: int, today: dt.date | None = None) -> Targets:
    """The year's targets: the seed's for 2023; near them later (a function of the year
    only); this year's scaled to the part of it that has passed."""
    today = today or timezone.localdate()
    if year == YEAR:
        chosen = SEED_2023
    else:
        rng = random.Random(f"demo-catalogue-targets:{year}")
        policies = SEED_2023.policy_documents + rng.randint(-6, 6)
        chosen = Targets(
            items=round(SEED_2023.items * rng.uniform(0.94, 1.08)),
            key_area=round(SEED_2023.key_area * rng.uniform(0.9, 1.15)),
            policy_documents=policies,
            interpretations=min(round(policies * rng.uniform(0.8, 0.9)), policies),
            weibo=round(SEED_2023.weibo * rng.uniform(0.9, 1.12)),
            wechat=round(SEED_2023.wechat * rng.uniform(0.92, 1.15)),
            normative=rng.randint(9, 15), repeals=rng.randint(3, 7),
            amendments=rng.randint(1, 3), drafts=rng.randint(3, 6))
    if year == today.year:
        part = (today - dt.date(year, 1, 1)).days / (dt.date(year, 12, 31)
                                                     - dt.date(year, 1, 1)).days
        keep = ("items", "key_area", "policy_documents", "interpretations", "weibo", "wechat",
                "normative", "repeals", "amendments")
        values = {name: round(getattr(chosen, name) * part) for name in keep}
        values["interpretations"] = min(values["interpretations"], values["policy_documents"])
        values["normative"] = min(values["normative"], values["policy_documents"])
        chosen = Targets(**values, drafts=12)
    return chosen


def bulk_targets(year: int, today: dt.date | None = None) -> Targets:
    """:func:`targets` with the bulk part scaled by ``SCALE`` (the portal's figure then is
    the scaled bulk plus the policy documents and interpretations)."""
    full = targets(year, today)
    if SCALE == 1.0:
        return full
    bulk = round(full.bulk * SCALE)
    return Targets(items=bulk + full.policy_documents + full.interpretations,
                   key_area=min(round(full.key_area * SCALE), bulk),
                   policy_documents=full.policy_documents,
                   interpretations=full.interpretations, weibo=round(full.weibo * SCALE),
                   wechat=round(full.wechat * SCALE), normative=full.normative,
                   repeals=full.repeals, amendments=full.amendments, drafts=full.drafts)


# ---- The agencies ----------------------------------------------------------------------

TOP = district.DISTRICT[0]
# (code suffix — "" for the district government —, 文号 prefix, weight: share of the items)
AGENCIES: tuple[tuple[str, str, float], ...] = (
    ("", "京西政发", 1.2), ("101", "京西政办发", 2.5), ("102", "京西发改发", 1.5),
    ("103", "京西教发", 3.0), ("104", "京西科信发", 1.0), ("105", "京西民宗发", 0.4),
    ("106", "京公西分发", 2.0), ("107", "京西民发", 2.2), ("108", "京西司发", 1.2),
    ("109", "京西财发", 2.0), ("110", "京西人社发", 2.5), ("111", "京规自西发", 1.5),
    ("112", "京西环发", 1.5), ("113", "京西建发", 2.5), ("114", "京西城管发", 2.0),
    ("115", "京西交发", 1.2), ("116", "京西水发", 0.8), ("117", "京西商发", 1.3),
    ("118", "京西文旅发", 1.4), ("119", "京西卫发", 3.0), ("120", "京西退役军人发", 0.6),
    ("121", "京西应急发", 1.5), ("122", "京西审发", 0.6), ("123", "京西国资发", 0.8),
    ("124", "京西市监发", 4.5), ("125", "京西统发", 1.0), ("126", "京西医保发", 1.2),
    ("127", "京西城执发", 3.5), ("128", "京西园发", 0.8), ("129", "京西体发", 0.8),
    ("130", "京西信发", 0.5), ("131", "京西政服发", 2.5), ("132", "京西人防发", 0.4),
    ("133", "京西金融发", 0.6), ("134", "京西征收发", 1.2),
)
SUBDISTRICT_WEIGHT = 0.9
# The key areas each agency publishes in (tree.DEFAULT_TREE's key_area codes).
KEY_AREAS: dict[str, tuple[str, ...]] = {
    "": ("yshj",), "101": ("yshj",), "102": ("yshj",), "103": ("ywjy",), "107": ("ylfw", "shjzfl"),
    "110": ("wgjy",), "112": ("sthj",), "113": ("bzxaj", "zdfwzs"), "117": ("yshj",),
    "118": ("ggwhty",), "119": ("ylws",), "121": ("aqsc",), "124": ("spyp", "yshj"),
    "126": ("ylws",), "129": ("ggwhty",), "131": ("yshj",), "134": ("zdfwzs",),
    "subdistrict": ("ylfw", "shjzfl"),
}
# Words of a real title that make it an agency's (the first agency whose words match).
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("134", ("征收", "拆迁")), ("126", ("医疗保障", "医保")), ("103", ("教育", "学校", "学生", "教师", "幼儿")),
    ("119", ("卫生", "医疗", "医院", "疾病", "健康", "药品", "艾滋病", "传染", "计生")),
    ("110", ("就业", "人力资源", "社会保险", "社保", "工资", "职业", "人才", "劳动")),
    ("107", ("民政", "养老", "救助", "社会组织", "殡葬", "安葬", "慈善", "婚姻", "地名", "残疾")),
    ("113", ("住房", "建筑", "建设工程", "房地产", "物业", "保障性", "棚户区")),
    ("112", ("环境", "污染", "生态", "大气", "碳", "节能", "减排")),
    ("124", ("市场", "质量", "食品", "价格", "商事", "企业登记", "知识产权", "标准化", "特种设备")),
    ("121", ("安全生产", "应急", "消防", "防汛", "危险化学品", "火灾")),
    ("118", ("文化", "旅游", "文物", "非物质文化遗产")), ("129", ("体育", "全民健身")),
    ("115", ("交通", "道路", "停车", "公交", "运输")), ("116", ("水务", "水资源", "排水", "供水", "节水")),
    ("117", ("商务", "消费", "外贸", "招商", "开放", "外资")),
    ("104", ("科技", "科学技术", "信息化", "数字", "创新", "互联网", "大数据")),
    ("125", ("统计", "普查")), ("131", ("政务服务", "审批", "营商环境", "一网通办")),
    ("108", ("法治", "司法", "行政复议", "律师", "公证", "普法", "调解", "合法性审核")),
    ("122", ("审计",)), ("123", ("国有资产", "国有企业", "国资", "国有资本")),
    ("109", ("财政", "预算", "决算", "资金", "债务", "会计", "政府采购")),
    ("128", ("绿化", "园林", "公园")), ("114", ("城市管理", "市容", "环卫", "垃圾", "燃气", "供热")),
    ("106", ("公安", "治安", "户籍")), ("111", ("规划", "土地", "自然资源", "测绘", "不动产")),
    ("120", ("退役军人", "优抚", "拥军")), ("132", ("人民防空", "人防")), ("133", ("金融",)),
    ("130", ("信访",)), ("105", ("民族", "宗教")), ("102", ("发展改革", "经济", "投资", "产业", "信用")),
)
# The agencies that issue normative documents, with their share of them.
ISSUERS: tuple[tuple[str, float], ...] = (
    ("", 4.0), ("101", 2.5), ("103", 0.6), ("107", 0.5), ("109", 0.5), ("110", 0.5),
    ("113", 0.6), ("119", 0.5), ("124", 0.6), ("131", 0.4),
)


def agency_code(suffix: str) -> str:
    return f"{TOP}{suffix}"


PREFIXES: dict[str, str] = {agency_code(s): p for s, p, _w in AGENCIES}


def short_name(agency: Agency) -> str:
    return agency.name.removeprefix("北京市").removeprefix("西城区")


WEIGHTS: dict[str, float] = {agency_code(s): w for s, _p, w in AGENCIES}


def _prefix(agency: Agency) -> str:
    if agency.code in PREFIXES:
        return PREFIXES[agency.code]
    # A sub-district office: 什刹海街道办事处 → 西什刹海街发.
    return f"西{short_name(agency).removesuffix('街道办事处')}街发"


def _weight(agency: Agency) -> float:
    return WEIGHTS.get(agency.code, SUBDISTRICT_WEIGHT)


def _key_areas(agency: Agency) -> tuple[str, ...]:
    if agency.kind == Agency.Kind.SUBDISTRICT:
        return KEY_AREAS["subdistrict"]
    return KEY_AREAS.get(agency.code.removeprefix(TOP), ())


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` shared in proportion to ``weights`` (largest remainders: the parts add up
    to ``total`` exactly)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def district_agencies() -> list[Agency]:
    top = Agency.objects.get(code=TOP)
    return list(top.subtree().order_by("path"))


# ---- Titles, categories and bodies -----------------------------------------------------

# Routine items of every department: (template, how many a year: 0 = once, n = up to n).
DEPARTMENT_ROUTINE: tuple[tuple[str, int], ...] = (
    ("{name}{y}年部门预算", 0), ("{name}{y-1}年度部门决算", 0), ("{name}{y}年政务公开工作要点", 0),
    ("{name}{y}年度权责清单", 0), ("{name}{y-1}年法治政府建设情况报告", 0),
    ("{name}{y}年第{n}期政府采购意向公开", 24), ("{name}{y}年{m}月工作动态", 12),
    ("{name}关于{y}年第{n}批“双随机、一公开”抽查结果的公示", 40),
    ("{name}{y}年公开招聘工作人员公告（第{n}批）", 3), ("{name}{y}年第{n}期政务信息", 200),
    ("{name}{y}年{m}月政务服务事项办理情况", 12), ("{name}关于做好{y}年第{n}批{topic}工作的通知", 120),
    ("{name}{y}年第{n}批{topic}情况公示", 400),
)
LICENSING = {"111", "112", "113", "116", "118", "119", "124", "131", "115"}
PENALTIES = {"106", "112", "114", "115", "119", "121", "124", "127"}
DEPARTMENT_EXTRA: tuple[tuple[str, int, set[str]], ...] = (
    ("{name}{y}年第{n}批行政许可决定公示", 800, LICENSING),
    ("{name}{y}年第{n}批行政处罚决定公示", 900, PENALTIES),
    ("{name}{y}年第{n}批行政检查结果公示", 300, PENALTIES),
)
SUBDISTRICT_ROUTINE: tuple[tuple[str, int], ...] = (
    ("{name}{y}年部门预算", 0), ("{name}{y-1}年度部门决算", 0), ("{name}{y}年政务公开工作要点", 0),
    ("{name}{y}年为民办实事项目", 0), ("{name}{y}年{m}月工作动态", 12),
    ("{name}{community}社区{y}年第{n}期居务公开", 60), ("{name}{y}年第{n}期接诉即办工作情况通报", 24),
    ("{name}关于开展{y}年第{n}期背街小巷环境整治的通知", 20), ("{name}{y}年第{n}期政务信息", 120),
    ("{name}{y}年第{n}批城市管理执法检查情况公示", 60),
)
DISTRICT_ROUTINE: tuple[tuple[str, int], ...] = (
    ("西城区人民政府第{n}次常务会议", 24), ("西城区{y}年重大行政决策事项目录", 0),
    ("{y}年西城区政府工作报告", 0), ("西城区{y}年重点工作任务第{n}季度进展情况", 4),
    ("西城区{y}年民生实事项目第{n}季度完成情况", 4), ("西城区{y}年第{n}期政务要闻", 300),
)
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "102": ("重点项目",), "103": ("校外培训机构检查", "中小学招生"), "104": ("科技型企业认定",),
    "106": ("户籍业务办理",), "107": ("社会组织年检", "养老机构检查"), "108": ("人民调解", "法律援助"),
    "109": ("财政资金绩效评价",), "110": ("职业技能培训补贴", "劳动保障监察"), "111": ("建设工程规划许可",),
    "112": ("排污许可", "建设项目环境影响评价"), "113": ("物业服务项目检查", "老旧小区综合整治"),
    "114": ("垃圾分类检查", "燃气安全检查"), "115": ("道路停车收费", "占道施工审批"),
    "116": ("河湖水质监测",), "117": ("促消费活动",), "118": ("文物保护单位巡查", "文化市场检查"),
    "119": ("医疗机构校验", "公共场所卫生检查"), "120": ("优抚对象补助发放",), "121": ("安全生产检查",),
    "122": ("审计结果",), "123": ("区属国有企业经营情况",), "124": ("产品质量抽查", "企业信用修复"),
    "125": ("统计执法检查",), "126": ("定点医药机构检查",), "127": ("违法建设查处",),
    "128": ("绿化养护检查", "公园服务质量检查"), "129": ("体育场馆开放",), "130": ("信访事项办理",),
    "131": ("政务服务好差评",), "132": ("人防工程检查",), "133": ("金融风险排查",),
    "134": ("征收项目进度",), "105": ("宗教活动场所检查",), "101": ("政务公开检查", "督查事项"),
}
KEY_AREA_TITLES: dict[str, tuple[str, ...]] = {
    "ywjy": ("{y}年西城区义务教育阶段入学工作实施细则", "西城区{y}年第{n}批中小学校舍安全检查结果公示",
             "{y}年西城区义务教育阶段学校招生计划（第{n}批）", "西城区{y}年第{n}期中小学课后服务工作情况"),
    "wgjy": ("西城区{y}年第{n}批稳岗返还资金发放情况公示", "西城区{y}年{m}月就业困难人员认定情况",
             "西城区{y}年第{n}批一次性扩岗补助发放情况公示", "西城区{y}年第{n}场专场招聘会信息"),
    "ylfw": ("{name}{y}年第{n}期养老服务驿站运营情况公示", "{name}{y}年第{n}批居家养老服务补贴发放情况",
             "{y}年{name}养老机构服务质量检查结果（第{n}期）"),
    "shjzfl": ("{name}{y}年{m}月最低生活保障资金发放情况", "{name}{y}年{m}月特困人员救助供养情况",
               "{name}{y}年第{n}批临时救助审核确认情况公示"),
    "zdfwzs": ("西城区{place}片区房屋征收补偿情况公示（{y}年第{n}期）", "西城区{y}年第{n}号房屋征收决定公告",
               "西城区{place}片区{y}年第{n}批房屋征收补偿资金拨付情况"),
    "bzxaj": ("西城区{y}年第{n}批公共租赁住房配租工作公告", "西城区{y}年第{n}批保障性住房项目建设进展"),
    "ylws": ("西城区{y}年{m}月法定传染病疫情概况", "西城区{y}年第{n}批医疗机构依法执业检查结果",
             "西城区{y}年第{n}期医疗服务价格公示"),
    "sthj": ("西城区{y}年{m}月空气质量状况", "西城区{y}年第{n}批建设项目环境影响评价文件审批结果公告"),
    "spyp": ("西城区{y}年第{n}期食品安全监督抽检信息公告", "西城区{y}年第{n}批药品零售企业检查结果"),
    "aqsc": ("西城区{y}年第{n}期安全生产执法检查情况", "西城区{y}年{m}月生产安全事故情况通报"),
    "ggwhty": ("西城区{y}年第{n}期公益性文化活动预告", "西城区{y}年第{n}期全民健身场地设施开放情况"),
    "yshj": ("西城区优化营商环境政策问答（{y}年第{n}期）", "西城区{y}年第{n}批惠企政策兑现情况公示"),
}
COMMUNITIES = ("西单", "二龙路", "大乘巷", "文华", "丰盛", "民康", "大院", "百万庄", "黄瓜园",
               "真武庙", "白云观", "三里河", "华远", "德胜里", "六铺炕", "护国寺", "前门",
               "大栅栏", "珠市口", "椿树园", "陶然亭", "牛街", "白纸坊", "菜园街", "西便门")
# The first title word that fits names the category (the tree's codes); else 其他信息.
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cwhy", ("常务会议",)), ("zdjc", ("重大行政决策",)), ("czyjs", ("预算", "决算")),
    ("zfcg", ("采购",)), ("xzxk", ("行政许可", "审批结果")), ("xzcf", ("行政处罚", "执法检查", "违法建设")),
    ("jdjc", ("双随机", "检查结果", "抽查", "行政检查", "督查")), ("gwyzk", ("招聘", "招考")),
    ("tjxx", ("统计", "月工作动态", "办理情况")), ("xzsf", ("收费",)), ("zdjsxm", ("重点项目", "建设项目")),
    ("tfsj", ("应急", "突发", "防汛")), ("jgzn", ("权责清单", "职能", "机构")),
    ("fwzs", ("征收",)), ("shjz", ("救助",)), ("zaqk", ("治安",)),
    ("ghjh", ("规划", "计划", "要点", "方案", "报告")),
    ("msbz", ("教育", "医疗", "社会保险", "就业", "养老")), ("csjs", ("城市", "建设", "整治")),
    ("ggfw", ("服务",)),
)


class Writer:
    """Titles, categories and bodies for one year of one agency, from its generator."""

    def __init__(self, agency: Agency, year: int, rng: random.Random,
                 categories: dict[str, Category], real: list[titles.Template]) -> None:
        self.agency, self.year, self.rng = agency, year, rng
        self.categories, self.real = categories, real
        self.name = agency.name if agency.code == TOP else agency.name.removeprefix("北京市")
        self.suffix = agency.code.removeprefix(TOP)
        self.numbers = 0
        self.used: dict[str, int] = {}
        self.once_done: set[str] = set()

    def doc_no(self) -> str:
        # The series of notices and letters (…函), apart from the policy documents' (…发).
        self.numbers += 1
        return f"{_prefix(self.agency).removesuffix('发')}函〔{self.year}〕{self.numbers}号"

    def _fill(self, template: str, counter: int) -> str:
        rng = self.rng
        topics = TOPIC_WORDS.get(self.suffix, ("重点工作",))
        month = 1 + (counter - 1) % 12
        return (template.replace("{name}", self.name).replace("{y-1}", str(self.year - 1))
                .replace("{y}", str(self.year)).replace("{n}", str(counter))
                .replace("{m}", str(month)).replace("{topic}", topics[counter % len(topics)])
                .replace("{community}", rng.choice(COMMUNITIES))
                .replace("{place}", rng.choice(district.STREETS)))

    def routine(self) -> str:
        """The next routine item of the agency (each template taken in turn)."""
        if self.agency.code == TOP:
            pool = DISTRICT_ROUTINE
        elif self.agency.kind == Agency.Kind.SUBDISTRICT:
            pool = SUBDISTRICT_ROUTINE
        else:
            pool = DEPARTMENT_ROUTINE + tuple((t, n) for t, n, who in DEPARTMENT_EXTRA
                                              if self.suffix in who)
        open_ = [(t, n) for t, n in pool if (n == 0 and t not in self.once_done)
                 or (n and self.used.get(t, 0) < n)]
        if not open_:
            template = "{name}{y}年第{n}期政务信息"
            counter = self.used[template] = self.used.get(template, 0) + 1
            return self._fill(template, counter)
        template, limit = self.rng.choice(open_)
        if limit == 0:
            self.once_done.add(template)
            return self._fill(template, 1)
        counter = self.used[template] = self.used.get(template, 0) + 1
        return self._fill(template, counter)

    def key_area(self, code: str) -> str:
        template = self.rng.choice(KEY_AREA_TITLES[code])
        counter = self.used[template] = self.used.get(template, 0) + 1
        if "{n}" not in template and "{m}" not in template and counter > 1:
            template += "（第{n}次更新）"
        # A sub-district office speaks of itself; a department of the district.
        name = short_name(self.agency) if self.agency.kind == Agency.Kind.SUBDISTRICT else "西城区"
        return self._fill(template.replace("{name}", name), counter)

    def real_title(self) -> tuple[str, bool, int] | None:
        if not self.real:
            return None
        template = self.real.pop()
        return template.title(self.agency.name, self.year), template.numbered, template.gap

    def category(self, title: str) -> Category:
        for code, words in CATEGORY_WORDS:
            if any(word in title for word in words):
                return self.categories[code]
        return self.categories["qtxx"]


def body_of(title: str, agency: Agency, published: dt.date) -> str:
    """A short, plausible text for ``title``: a few sentences of the kind it names."""
    name = agency.name
    core = title.removeprefix(name).removeprefix(name.removeprefix("北京市")).removeprefix("关于")
    day = f"{published.year}年{published.month}月{published.day}日"
    phone = agency.phone or "010-66000000"
    if title.endswith("公示"):
        return (f"<p>根据有关规定，现将{core.removesuffix('的公示').removesuffix('公示')}予以公示。"
                "公示期为五个工作日，自发布之日起计算。</p>"
                f"<p>如对公示内容有异议，请在公示期内向{name}书面反映。联系电话：{phone}。</p>")
    if title.endswith("通知"):
        return (f"<p>各有关单位：</p><p>为做好{core.removesuffix('的通知')}相关工作，现将有关事项通知如下。</p>"
                "<p>一、提高认识，明确责任分工。二、细化措施，确保按期完成。三、加强督促检查，"
                "及时报送工作进展情况。</p>"
                f"<p>{name}</p><p>{day}</p>")
    if "预算" in title or "决算" in title:
        return (f"<p>{core}已按程序批准，现予公开。</p><p>公开内容包括收支总表、收入总表、支出总表、"
                "财政拨款收支总表、一般公共预算财政拨款支出表，以及“三公”经费情况说明。</p>")
    if title.endswith(("情况", "通报", "报告", "概况", "状况", "进展")):
        return (f"<p>现将{core}公布如下。</p><p>一、总体情况：各项工作按计划推进。二、主要做法："
                "加强统筹协调，落实工作责任。三、下一步安排：持续跟踪问效，及时公开进展。</p>")
    if title.endswith(("公告", "通告")):
        return (f"<p>根据有关规定，现就{core.removesuffix('公告').removesuffix('通告')}有关事项公告如下。"
                f"</p><p>特此公告。</p><p>{name}</p><p>{day}</p>")
    if title.endswith(("意见", "办法", "方案", "规定", "细则", "措施", "决定", "要点", "计划")):
        return (f"<p>为贯彻落实有关决策部署，结合本区实际，制定{core}。</p>"
                "<p>一、总体要求。二、主要任务。三、保障措施。本文件自印发之日起施行。</p>")
    return (f"<p>{title}。</p><p>如需了解详细情况，请在工作日联系{name}，联系电话：{phone}。</p>")


# ---- Dates -----------------------------------------------------------------------------


def _publication_dates(rng: random.Random, days: list[dt.date], count: int,
                       late: set[int], gaps: list[int]) -> list[tuple[dt.date, dt.date]]:
    """``count`` (formed, published) pairs on working days of the year; the indexes in
    ``late`` published 35–55 days after they were formed (after Art. 26's deadline)."""
    pairs = []
    for i in range(count):
        published = rng.choice(days)
        if i in late:
            gap = rng.randint(35, 55)
        else:
            gap = gaps[i] if 0 <= gaps[i] <= 20 else rng.choice((0, 0, 1, 1, 2, 3, 5, 7, 10, 14))
        pairs.append((published - dt.timedelta(days=gap), published))
    return pairs


def _working_days(year: int, today: dt.date) -> list[dt.date]:
    last = min(dt.date(year, 12, 31), today)
    return Days().between(dt.date(year, 1, 3), last)


# ---- The bulk items of a year ------------------------------------------------------------


def _assign_real(agencies: list[Agency], rng: random.Random) -> dict[int, list[titles.Template]]:
    """The real templates shuffled and dealt to the agencies whose topic words they name
    (the others to the district government and its office)."""
    by_suffix = {a.code.removeprefix(TOP): a.pk for a in agencies}
    dealt: dict[int, list[titles.Template]] = {a.pk: [] for a in agencies}
    templates = list(titles.shipped())
    rng.shuffle(templates)
    generic = [by_suffix[""], by_suffix["101"]]
    for template in templates:
        for suffix, words in TOPICS:
            if suffix in by_suffix and any(word in template.text for word in words):
                dealt[by_suffix[suffix]].append(template)
                break
        else:
            dealt[rng.choice(generic)].append(template)
    return dealt


def year_records(year: int, rng: random.Random, agencies: list[Agency], goal: Targets,
                 days: list[dt.date], numbers_after: Targets | None = None,
                 ) -> dict[int, list[HistoryRecord]]:
    """Every agency's bulk items (agency id → records), published on ``days``, meeting
    ``goal``'s bulk, key-area, Weibo and WeChat counts exactly. Their 文号 follow those
    that ``numbers_after``'s items of the year may take (at most one each)."""
    categories = {c.code: c for c in Category.objects.all()}
    weights = [_weight(a) for a in agencies]
    quotas = apportion(goal.bulk, weights)
    key_capable = [i for i, a in enumerate(agencies) if _key_areas(a)]
    key_quotas = dict(zip(key_capable, apportion(goal.key_area, [weights[i] for i in key_capable]),
                          strict=True))
    before = apportion(numbers_after.bulk, weights) if numbers_after else [0] * len(agencies)
    # A few published after Art. 26's deadline: about one in 250.
    lates = apportion(max(goal.bulk // 250, min(goal.bulk, 3)), weights)
    real = _assign_real(agencies, rng)
    records: dict[int, list[HistoryRecord]] = {}
    flat: list[tuple[int, int]] = []
    for index, agency in enumerate(agencies):
        quota = quotas[index]
        keys = min(key_quotas.get(index, 0), quota)
        writer = Writer(agency, year, rng, categories, real[agency.pk])
        writer.numbers = before[index]
        late = set(rng.sample(range(quota), k=min(quota, lates[index])))
        drafts: list[tuple[str, bool, Category, int]] = []
        for i in range(quota):
            if i < keys:
                code = rng.choice(_key_areas(agency))
                title, numbered, gap = writer.key_area(code), False, -1
                category = categories[code]
            else:
                made = writer.real_title() if rng.random() < 0.4 else None
                title, numbered, gap = made or (writer.routine(), rng.random() < 0.15, -1)
                category = writer.category(title)
            drafts.append((title, numbered, category, gap))
        # Key-area and routine items spread over the year alike; 文号 in publication order.
        rng.shuffle(drafts)
        pairs = _publication_dates(rng, days, quota, late, [gap for *_rest, gap in drafts])
        dated = sorted(zip(drafts, pairs, strict=True), key=lambda row: row[1][1])
        rows = []
        for (title, numbered, category, _gap), (formed, published) in dated:
            rows.append(HistoryRecord(
                title=title[:300], published_on=published, formed_on=formed,
                doc_no=writer.doc_no() if numbered else "", category=category,
                body=body_of(title, agency, published), key_area=category.is_key_area))
        records[agency.pk] = rows
        flat.extend((agency.pk, i) for i in range(len(rows)))
    # The channels: exactly the Weibo and WeChat counts, over all the items.
    weibo = set(rng.sample(range(len(flat)), k=min(goal.weibo, len(flat))))
    wechat = set(rng.sample(range(len(flat)), k=min(goal.wechat, len(flat))))
    for position, (agency_id, i) in enumerate(flat):
        channels = tuple(c for c, chosen in (("weibo", weibo), ("wechat", wechat))
                         if position in chosen)
        if channels:
            records[agency_id][i] = replace(records[agency_id][i], channels=channels)
    return records


def _has_bulk(agency: Agency, first: dt.date, last: dt.date) -> bool:
    return (InfoItem.objects.filter(agency=agency, origin=Origin.XXGK,
                                    state=ItemState.PUBLISHED, published_on__range=(first, last),
                                    policydocument__isnull=True, interpretation__isnull=True)
            .exists())


def _write_records(agency: Agency, rows: list[HistoryRecord],
                   advance: Callable[[int], None]) -> None:
    done = [0]

    def progress(total: int) -> None:
        # publish_history reports the running total; the bar wants the increment.
        advance(total - done[0])
        done[0] = total

    publish_history(agency, rows, origin=Origin.XXGK, progress=progress)


def write_bulk(year: int, rng: random.Random, advance: Callable[[int], None], goal: Targets,
               days: list[dt.date], numbers_after: Targets | None = None) -> int:
    """The bulk items of ``goal`` published on ``days`` (of ``year``), for every agency
    that has none in that span yet."""
    if not days:
        return 0
    agencies = district_agencies()
    records = year_records(year, rng, agencies, goal, days, numbers_after)
    written = 0
    for agency in agencies:
        rows = records[agency.pk]
        if not rows or _has_bulk(agency, days[0], days[-1]):
            advance(len(rows))
            continue
        _write_records(agency, rows, advance)
        written += len(rows)
    return written


# ---- Policy documents and their interpretations ------------------------------------------

POLICY_WORDS = ("办法", "意见", "规定", "细则", "措施", "方案", "决定")
NORMATIVE_WORDS = ("办法", "规定", "细则", "若干措施", "实施意见")


def _policy_templates(rng: random.Random, normative: bool) -> list[titles.Template]:
    words = NORMATIVE_WORDS if normative else POLICY_WORDS
    pool = [t for t in titles.shipped()
            if t.text.startswith("{issuer}") and t.text.removesuffix("的通知").endswith(words)
            and "{y" not in t.text]
    rng.shuffle(pool)
    return pool


def _document_title(title: str, issuer: str) -> str:
    """What an interpretation names: 关于印发X的通知 → X; otherwise the title without its issuer."""
    core = title.removeprefix(issuer)
    if match := re.fullmatch(r"关于印发(.+)的通知", core):
        return match.group(1).strip("《》")
    return core.removeprefix("关于")


@dataclass(frozen=True)
class PlannedDocument:
    agency_code: str
    title: str
    doc_no: str
    kind: str
    issued: dt.date
    published: dt.date
    interpreted_on: dt.date | None   # None: no interpretation


def _issuer_codes(rng: random.Random, n: int) -> list[str]:
    codes = [agency_code(s) for s, _w in ISSUERS]
    weights = [w for _s, w in ISSUERS]
    return rng.choices(codes, weights=weights, k=n)


def plan_documents(year: int, rng: random.Random, goal: Targets, today: dt.date,
                   names: dict[str, str]) -> list[PlannedDocument]:
    """The year's policy documents: ``goal.normative`` normative documents and the rest
    other policy documents, ``goal.interpretations`` of them interpreted (most on the day
    they are published, some a few days later, a few after the 3 working days)."""
    days = Days()
    # Issued and published within the year, interpreted within it too (a lag of up to 5
    # working days: the last 8 are left out).
    dates = [d for d in _working_days(year, today) if d >= dt.date(year, 1, 12)]
    if len(dates) > 16:
        dates = dates[:-8]
    normative = _policy_templates(rng, True)
    other = _policy_templates(random.Random(f"{rng.random()}"), False)
    codes = _issuer_codes(rng, goal.policy_documents)
    interpreted = set(rng.sample(range(goal.policy_documents), k=goal.interpretations))
    numbers: dict[str, int] = {}
    planned = []
    used: set[str] = set()
    for i in range(goal.policy_documents):
        code = codes[i]
        pool = normative if i < goal.normative else other
        while True:
            template = pool.pop()
            title = template.title(names[code], year)
            if title not in used:
                used.add(title)
                break
        published = rng.choice(dates)
        issued = days.back(published, rng.choice((0, 1, 2, 3, 5)))
        numbers[code] = numbers.get(code, 0) + rng.randint(1, 4)
        prefix = PREFIXES[code]
        lag = rng.choice((0, 0, 0, 0, 1, 2, 3, 5)) if i in interpreted else None
        on = None if lag is None else min(days.add(published, lag) if lag else published, today)
        planned.append(PlannedDocument(
            code, title, f"{prefix}〔{year}〕{numbers[code]}号",
            "normative_documents" if i < goal.normative else "other", issued, published, on))
    return sorted(planned, key=lambda p: (p.published, p.title))


def _write_document(plan: PlannedDocument, agency: Agency) -> PolicyDocument:
    # Found again by its 文号 (unique to the agency and year); a title may recur in a later
    # year, as a revised document does.
    document = PolicyDocument.objects.filter(agency=agency, doc_no=plan.doc_no).first()
    if document is None:
        document = actions.create_policy_document(agency, ItemText(
            title=plan.title, formed_on=plan.issued, doc_no=plan.doc_no,
            body=body_of(plan.title, agency, plan.published),
            category=Category.objects.get(code="gzhgfxwj")),
            kind=plan.kind, issued_on=plan.issued)
    if document.state == ItemState.DRAFT:
        actions.publish(document, plan.published)
    if plan.interpreted_on is not None:
        title = f"《{_document_title(plan.title, agency.name)}》政策解读"
        if not document.interpretations.exists():
            interpretation = actions.create_interpretation(document, ItemText(
                title=title, formed_on=plan.published,
                body=("<p>一、出台背景：为贯彻落实有关决策部署，回应企业群众关切。</p>"
                      "<p>二、主要内容：明确适用范围、工作任务和保障措施。</p>"
                      f"<p>三、施行时间：自印发之日起施行。解读机关：{agency.name}。</p>"),
                category=Category.objects.get(code="zcjd")))
            actions.publish(interpretation, plan.interpreted_on)
    return document


def _in_force(agency_path: str | None, before: dt.date) -> list[PolicyDocument]:
    documents = (PolicyDocument.objects.filter(
        kind="normative_documents", state=ItemState.PUBLISHED, validity__in=("in_force",),
        issued_on__lt=before).select_related("agency").order_by("issued_on", "pk"))
    if agency_path is not None:
        documents = documents.filter(agency__path__startswith=agency_path)
    return list(documents)


def _shared_bigrams(a: str, b: str) -> int:
    """How many two-character runs two titles share (关于, 实施, 意见 and the like aside)."""
    common = {"关于", "实施", "意见", "通知", "办法", "西城", "城区", "北京", "京市", "市西",
              "印发", "发展", "工作", "若干", "措施", "方案", "的通", "的实", "的意"}
    grams = {a[i:i + 2] for i in range(len(a) - 1)} - common
    return len(grams & {b[i:i + 2] for i in range(len(b) - 1)})


def _change_validity(rng: random.Random, new: Sequence[PolicyDocument], repeals: int,
                     amendments: int) -> None:
    """``repeals`` older in-force documents repealed and ``amendments`` amended, each by
    one of ``new`` of its agency or of the district government, on that one's issue day."""
    acts = ["repealed"] * repeals + ["amended"] * amendments
    order = list(new)
    rng.shuffle(order)
    # The district government's documents may act on any agency's, an agency's on its own.
    order.sort(key=lambda d: d.agency.parent_id is not None)
    for act in acts:
        for document in order:
            candidates = [d for d in _in_force(document.agency.path, document.issued_on)
                          if d.pk != document.pk and not d.validity_changes.exists()]
            if candidates:
                # The older document closest in subject: a repeal reads as a successor.
                older = max(candidates, key=lambda d: (_shared_bigrams(d.title, document.title),
                                                       rng.random()))
                note = (f"被{document.doc_no}废止" if act == "repealed"
                        else f"经{document.doc_no}修改")
                actions.record_validity_change(older, on=document.issued_on, validity=act,
                                               by_document=document, note=note)
                break


def write_documents(year: int, rng: random.Random, advance: Callable[[int], None],
                    today: dt.date) -> int:
    goal = targets(year, today)
    names = {a.code: a.name for a in Agency.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    written = []
    for plan in plan_documents(year, rng, goal, today, names):
        written.append(_write_document(plan, agencies[plan.agency_code]))
        advance(1)
    if not any(d.validity_changes.exists() or PolicyDocument.objects.filter(
            validity_changes__by_document=d).exists() for d in written):
        normative = [d for d in written if d.kind == "normative_documents"]
        _change_validity(rng, normative, goal.repeals, goal.amendments)
    return len(written)


# ---- The older documents (2014–2022) -----------------------------------------------------


def write_older_documents(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The normative documents issued before 2023 that the district still had in its
    catalogue (in bulk: they are history), then their fates by the end of 2022 through the
    actions: some repealed or amended by later ones, some expired."""
    days = Days()
    names = {a.code: a.name for a in Agency.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    templates = _policy_templates(rng, True)
    codes = _issuer_codes(rng, OLDER_DOCUMENTS)
    numbers: dict[tuple[str, int], int] = {}
    category = Category.objects.get(code="gzhgfxwj")
    by_agency: dict[str, list[HistoryRecord]] = {}
    used: set[str] = set()
    for i in range(OLDER_DOCUMENTS):
        year = OLDER_YEARS[i * len(OLDER_YEARS) // OLDER_DOCUMENTS]
        code = codes[i]
        while True:
            title = templates.pop().title(names[code], year)
            if title not in used:
                used.add(title)
                break
        published = rng.choice(days.between(dt.date(year, 1, 5), dt.date(year, 12, 20)))
        issued = days.back(published, rng.choice((1, 2, 3, 5)))
        numbers[code, year] = numbers.get((code, year), 0) + rng.randint(1, 6)
        by_agency.setdefault(code, []).append(HistoryRecord(
            title=title, published_on=published, formed_on=issued,
            doc_no=f"{PREFIXES[code]}〔{year}〕{numbers[code, year]}号",
            body=body_of(title, agencies[code], published), category=category,
            kind="normative_documents"))
    older = PolicyDocument.objects.filter(agency__code__in=list(by_agency),
                                          issued_on__lt=dt.date(YEAR, 1, 1))
    if not older.exists():
        for code in sorted(by_agency):
            _write_records(agencies[code], by_agency[code], advance)
    else:
        advance(OLDER_DOCUMENTS)
    documents = list(older.select_related("agency").order_by("issued_on", "pk"))
    if _changed(documents):
        return len(documents)
    fates = ["repealed"] * OLDER_REPEALED + ["expired"] * OLDER_EXPIRED + ["amended"] * OLDER_AMENDED
    chosen = rng.sample(documents[: len(documents) * 3 // 4], k=len(fates))
    chosen_ids = {d.pk for d in chosen}
    for fate, document in zip(fates, chosen, strict=True):
        # A later document of its own agency or of the district government, not itself
        # repealed or amended.
        later = [d for d in documents if d.issued_on > document.issued_on
                 and document.agency.path.startswith(d.agency.path) and d.pk not in chosen_ids]
        if fate == "expired" or not later:
            on = days.on_or_before(min(days.add(document.issued_on, rng.randint(400, 1500)),
                                       dt.date(YEAR - 1, 12, 30)))
            validity = "amended" if fate == "amended" else "expired"
            actions.record_validity_change(document, on=on, validity=validity,
                                           note="部分条款修改" if fate == "amended" else "有效期届满")
            continue
        by = rng.choice(later)
        actions.record_validity_change(
            document, on=by.issued_on, validity=fate, by_document=by,
            note=f"被{by.doc_no}废止" if fate == "repealed" else f"经{by.doc_no}修改")
    return len(documents)


def _changed(documents: Sequence[PolicyDocument]) -> bool:
    return ValidityChange.objects.filter(document__in=documents).exists()


# ---- Drafts and items in review ------------------------------------------------------------

DRAFT_TITLES = (
    "{name}关于{y}年第{n}批{topic}情况的公示", "{name}{y}年第{n}期政务信息",
    "{name}关于做好{y}年{topic}工作的通知", "{name}{y}年{m}月工作动态",
)


def write_drafts(year: int, rng: random.Random, advance: Callable[[int], None],
                 today: dt.date) -> int:
    """The year's items still a draft or in review, by their agency's handler. A past
    year's were formed in its autumn and left (late now); this year's were formed 12 to 24
    working days ago, so some fall due within days and some are late."""
    goal = targets(year, today)
    users = get_user_model().objects
    departments = [a for a in district_agencies() if a.kind == Agency.Kind.DEPARTMENT
                   and users.filter(username=f"h{a.code}").exists()]
    days = Days()
    count = 0
    for n in range(goal.drafts):
        agency = rng.choice(departments)
        handler = users.get(username=f"h{agency.code}")
        suffix = agency.code.removeprefix(TOP)
        topics = TOPIC_WORDS.get(suffix, ("重点工作",))
        title = (rng.choice(DRAFT_TITLES).replace("{name}", agency.name.removeprefix("北京市"))
                 .replace("{y}", str(year)).replace("{n}", str(40 + n))
                 .replace("{m}", str(rng.randint(1, 12))).replace("{topic}", rng.choice(topics)))
        if year == today.year:
            formed = days.back(days.on_or_before(today), rng.randint(12, 24))
        else:
            formed = rng.choice(days.between(dt.date(year, 9, 1), dt.date(year, 11, 30)))
        review = rng.random() < 0.5
        advance(1)
        count += 1
        if InfoItem.objects.filter(agency=agency, title=title).exists():
            continue
        item = actions.create_item(agency, ItemText(
            title=title, formed_on=formed, body=body_of(title, agency, formed),
            category=Writer(agency, year, rng, {c.code: c for c in Category.objects.all()},
                            []).category(title)), actor=handler)
        if review:
            actions.submit(item, actor=handler)
    return count


# ---- The steps -------------------------------------------------------------------------------

# This year's items of the last six weeks are built before the site serves (the first
# pages list the newest); the weeks before, on the worker with the years between.
RECENT_DAYS = 42


def this_year_parts(today: dt.date) -> tuple[tuple[Targets, list[dt.date]],
                                             tuple[Targets, list[dt.date]]]:
    """This year's bulk goal and days, split into (the recent weeks, the weeks before),
    in proportion to their days."""
    goal = bulk_targets(today.year, today)
    days = _working_days(today.year, today)
    cut = today - dt.timedelta(days=RECENT_DAYS)
    recent_days = [d for d in days if d > cut]
    earlier_days = [d for d in days if d <= cut]
    share = len(recent_days) / len(days) if days else 0
    fields = ("bulk_items", "key_area", "weibo", "wechat")
    whole = {"bulk_items": goal.bulk, "key_area": goal.key_area, "weibo": goal.weibo,
             "wechat": goal.wechat}
    recent = {name: round(whole[name] * share) for name in fields}
    earlier = {name: whole[name] - recent[name] for name in fields}

    def part(values: dict[str, int]) -> Targets:
        return replace(goal, items=values["bulk_items"] + goal.policy_documents
                       + goal.interpretations, key_area=values["key_area"],
                       weibo=values["weibo"], wechat=values["wechat"])

    return (part(recent), recent_days), (part(earlier), earlier_days)


def build_year(year: int, rng: random.Random, advance: Callable[[int], None],
               today: dt.date) -> int:
    """A past year's catalogue: the bulk items, the policy documents with their
    interpretations and validity changes, and the drafts (each part its own generator)."""
    base = rng.getrandbits(64)
    count = write_bulk(year, random.Random(f"{base}:items"), advance, bulk_targets(year, today),
                       _working_days(year, today))
    count += write_documents(year, random.Random(f"{base}:documents"), advance, today)
    count += write_drafts(year, random.Random(f"{base}:drafts"), advance, today)
    return count


def build_catalogue_2023(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The older documents and 2023's catalogue: before the 2023 report, which counts it."""
    today = timezone.localdate()
    count = write_older_documents(random.Random(f"{rng.getrandbits(64)}:older"), advance)
    return count + build_year(YEAR, year_rng(rng, YEAR), advance, today)


def build_catalogue(rng: random.Random, advance: Callable[[int], None]) -> int:
    """This year's policy documents, drafts and the last weeks' items."""
    today = timezone.localdate()
    if today.year == YEAR:
        return 0
    base = year_rng(rng, today.year).getrandbits(64)
    (recent, days), (earlier, _days) = this_year_parts(today)
    # Written before the weeks that precede them, numbered after them.
    count = write_bulk(today.year, random.Random(f"{base}:recent"), advance, recent, days,
                       numbers_after=earlier)
    count += write_documents(today.year, random.Random(f"{base}:documents"), advance, today)
    return count + write_drafts(today.year, random.Random(f"{base}:drafts"), advance, today)


def build_catalogue_history(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Every year from 2024 to last year, before their reports, and this year's items
    before the last weeks."""
    today = timezone.localdate()
    count = sum(build_year(year, year_rng(rng, year), advance, today)
                for year in history_years(today))
    if today.year > YEAR:
        _recent, (earlier, days) = this_year_parts(today)
        base = year_rng(rng, today.year).getrandbits(64)
        count += write_bulk(today.year, random.Random(f"{base}:earlier"), advance, earlier,
                            days)
    return count


def year_size(year: int, today: dt.date | None = None) -> int:
    goal = bulk_targets(year, today)
    return goal.bulk + goal.policy_documents + goal.drafts


def size_2023() -> int:
    return OLDER_DOCUMENTS + year_size(YEAR)


def size_this_year() -> int:
    today = timezone.localdate()
    if today.year == YEAR:
        return 0
    (recent, _days), _earlier = this_year_parts(today)
    return recent.bulk + recent.policy_documents + recent.drafts


def size_history() -> int:
    today = timezone.localdate()
    earlier = this_year_parts(today)[1][0].bulk if today.year > YEAR else 0
    return sum(year_size(year) for year in history_years(today)) + earlier
