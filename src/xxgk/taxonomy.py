"""The legal categories of the national annual-report format, enumerated once.

Pure Python: no Django import. Forms, the workbench, the API and the annual report all
import from here, so that a label or a key can never drift between them. Keys are the
JSON keys of ``../shared/spec/annual-report-format.md``; Chinese labels are exactly as
printed in the 2021 format (国办公开办函〔2021〕30号).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One enumerated legal category: a stable key and its printed labels."""

    key: str
    label_zh: str
    label_en: str
    # The article(s) of the Regulation behind the category, as cited in reply letters.
    article: str = ""
    # The heading the category is printed under in the national table (e.g. 不予公开).
    group_zh: str = ""
    group_en: str = ""


# ---- Applicant columns of section 三 ------------------------------------------------

NATURAL_PERSON = "natural_person"

APPLICANT_COLUMNS: tuple[Category, ...] = (
    Category(NATURAL_PERSON, "自然人", "Natural person"),
    Category("commercial_enterprise", "商业企业", "Commercial enterprise",
             group_zh="法人或其他组织", group_en="Legal person or other organisation"),
    Category("research_institution", "科研机构", "Research institution",
             group_zh="法人或其他组织", group_en="Legal person or other organisation"),
    Category("social_welfare_organization", "社会公益组织", "Social welfare organisation",
             group_zh="法人或其他组织", group_en="Legal person or other organisation"),
    Category("legal_service_institution", "法律服务机构", "Legal service institution",
             group_zh="法人或其他组织", group_en="Legal person or other organisation"),
    Category("other_organization", "其他", "Other organisation",
             group_zh="法人或其他组织", group_en="Legal person or other organisation"),
)
APPLICANT_COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in APPLICANT_COLUMNS)
TOTAL = "total"
# The seven columns of the table: the six applicant columns and their total.
REPORT_COLUMN_KEYS: tuple[str, ...] = (*APPLICANT_COLUMN_KEYS, TOTAL)


# ---- Outcomes (办理结果): the 21 outcome rows of section 三 (25 rows in all) ---------

_W = ("不予公开", "Withheld")
_U = ("无法提供", "Unable to provide")
_N = ("不予处理", "Not processed")
_O = ("其他处理", "Other handling")

OUTCOMES: tuple[Category, ...] = (
    Category("disclosed", "予以公开", "Disclosed", "第三十六条第（一）（二）项"),
    Category("partially_disclosed", "部分公开（区分处理的，只计这一情形，不计其他情形）",
             "Partially disclosed", "第三十七条"),
    Category("withheld.state_secret", "属于国家秘密", "State secret",
             "第十四条、第三十六条第（三）项", *_W),
    Category("withheld.prohibited_by_law", "其他法律行政法规禁止公开",
             "Prohibited by other laws or administrative regulations",
             "第十四条、第三十六条第（三）项", *_W),
    Category("withheld.security_and_stability", "危及“三安全一稳定”",
             "Would endanger national, public, economic security or social stability",
             "第十四条、第三十六条第（三）项", *_W),
    Category("withheld.third_party_rights", "保护第三方合法权益",
             "Protects the lawful rights of a third party",
             "第十五条、第三十六条第（三）项", *_W),
    Category("withheld.internal_affairs", "属于三类内部事务信息",
             "Internal affairs information", "第十六条第一款、第三十六条第（三）项", *_W),
    Category("withheld.process_information", "属于四类过程性信息",
             "Process information", "第十六条第二款、第三十六条第（三）项", *_W),
    Category("withheld.enforcement_files", "属于行政执法案卷",
             "Administrative enforcement files", "第十六条第二款、第三十六条第（三）项", *_W),
    Category("withheld.inquiry_matters", "属于行政查询事项",
             "Administrative inquiry matters", "第三十六条第（七）项", *_W),
    Category("unavailable.not_held", "本机关不掌握相关政府信息",
             "Information not held by this agency", "第三十六条第（四）（五）项", *_U),
    Category("unavailable.needs_creation", "没有现成信息需要另行制作",
             "Would need to be created", "第三十八条", *_U),
    Category("unavailable.unclear_after_correction", "补正后申请内容仍不明确",
             "Still unclear after correction", "第三十条", *_U),
    Category("not_processed.petition_or_complaint", "信访举报投诉类申请",
             "Petition, report or complaint", "第三十九条第一款", *_N),
    Category("not_processed.repeated", "重复申请", "Repeated application",
             "第三十六条第（六）项", *_N),
    Category("not_processed.publication", "要求提供公开出版物", "Request for publications",
             "第三十九条第二款", *_N),
    Category("not_processed.excessive", "无正当理由大量反复申请",
             "Large or repeated applications without good reason", "第三十五条", *_N),
    Category("not_processed.confirm_or_reissue", "要求行政机关确认或重新出具已获取信息",
             "Request to confirm or reissue information already obtained", "", *_N),
    Category("other.correction_overdue",
             "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
             "Applicant did not correct in time", "第三十条", *_O),
    Category("other.fee_unpaid",
             "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
             "Applicant did not pay the fee in time", "《政府信息公开信息处理费管理办法》", *_O),
    Category("other.other", "其他", "Other", "", *_O),
)
OUTCOME_KEYS: tuple[str, ...] = tuple(c.key for c in OUTCOMES)
OUTCOMES_BY_KEY: dict[str, Category] = {c.key: c for c in OUTCOMES}

# The other rows of section 三, in printed order around the outcome rows.
RECEIVED = "received"
CARRIED_OVER_FROM_LAST_YEAR = "carried_over_from_last_year"
CARRIED_OVER_TO_NEXT_YEAR = "carried_over_to_next_year"
# The printed labels of section 三's rows that are not outcomes (their numbering 一、二、
# 四、 and 三、 for the results block is added where the table is printed).
FIXED_ROW_LABELS: dict[str, str] = {
    RECEIVED: "本年新收政府信息公开申请数量",
    CARRIED_OVER_FROM_LAST_YEAR: "上年结转政府信息公开申请数量",
    CARRIED_OVER_TO_NEXT_YEAR: "结转下年度继续办理",
}
RESULTS_BLOCK_LABEL = "本年度办理结果"
APPLICATION_ROW_KEYS: tuple[str, ...] = (
    RECEIVED, CARRIED_OVER_FROM_LAST_YEAR, *OUTCOME_KEYS, TOTAL, CARRIED_OVER_TO_NEXT_YEAR,
)


# ---- Appeals (section 四) -------------------------------------------------------------

APPEAL_KINDS: tuple[Category, ...] = (
    Category("reconsideration", "行政复议", "Administrative reconsideration"),
    Category("litigation_direct", "未经复议直接起诉", "Litigation without reconsideration",
             group_zh="行政诉讼", group_en="Administrative litigation"),
    Category("litigation_after_reconsideration", "复议后起诉",
             "Litigation after reconsideration",
             group_zh="行政诉讼", group_en="Administrative litigation"),
)
APPEAL_KIND_KEYS: tuple[str, ...] = tuple(c.key for c in APPEAL_KINDS)

APPEAL_RESULTS: tuple[Category, ...] = (
    Category("upheld", "结果维持", "Upheld"),
    Category("corrected", "结果纠正", "Corrected"),
    Category("other", "其他结果", "Other result"),
    Category("pending", "尚未审结", "Pending"),
)
APPEAL_RESULT_KEYS: tuple[str, ...] = tuple(c.key for c in APPEAL_RESULTS)
# Each appeal group prints its four results and their total.
APPEAL_CELL_KEYS: tuple[str, ...] = (*APPEAL_RESULT_KEYS, TOTAL)


# ---- Section 二 (proactive disclosure) -------------------------------------------------

@dataclass(frozen=True)
class ProactiveRow:
    """A row of section 二: its key, its printed label, the Art. 20 item it falls under,
    and its columns."""

    key: str
    label_zh: str
    block_zh: str
    columns: tuple[Category, ...]


_DOC_COLUMNS = (
    Category("issued", "本年制发件数", "Issued this year"),
    Category("repealed", "本年废止件数", "Repealed this year"),
    Category("in_force", "现行有效件数", "Currently in force"),
)
_DECISIONS = (Category("decisions", "本年处理决定数量", "Decisions this year"),)

PROACTIVE_ROWS: tuple[ProactiveRow, ...] = (
    ProactiveRow("rules", "规章", "第二十条第（一）项", _DOC_COLUMNS),
    ProactiveRow("normative_documents", "行政规范性文件", "第二十条第（一）项", _DOC_COLUMNS),
    ProactiveRow("licensing", "行政许可", "第二十条第（五）项", _DECISIONS),
    ProactiveRow("penalties", "行政处罚", "第二十条第（六）项", _DECISIONS),
    ProactiveRow("enforcement", "行政强制", "第二十条第（六）项", _DECISIONS),
    ProactiveRow("fees", "行政事业性收费", "第二十条第（八）项",
                 (Category("amount_10k_yuan", "本年收费金额（单位：万元）",
                           "Amount collected this year (10,000 yuan)"),)),
)


# ---- Section 六: processing fees -------------------------------------------------------

PROCESSING_FEE_FIELDS: tuple[Category, ...] = (
    Category("notices", "发出收费通知的件数", "Fee notices issued"),
    Category("billed_yuan", "发出收费通知的总金额", "Amount billed (yuan)"),
    Category("collected_yuan", "实际收取的总金额", "Amount collected (yuan)"),
)


# ---- The catalogue (proactive disclosure) ----------------------------------------------

# Art. 26: proactive information is published within 20 working days of being formed or
# changed.
PROACTIVE_PUBLICATION_WORKING_DAYS = 20

# 公开属性: every item is marked proactive, on application, or withheld.
DISCLOSURE_ATTRIBUTES: tuple[Category, ...] = (
    Category("proactive", "主动公开", "Proactive disclosure", article="第十九条、第二十条"),
    Category("on_request", "依申请公开", "On application", article="第二十七条"),
    Category("withheld", "不予公开", "Withheld", article="第十四条至第十六条"),
)

# The kinds of policy document; the first two are the rows of section 二 they count in.
POLICY_KINDS: tuple[Category, ...] = (
    Category("rules", "规章", "Government rule"),
    Category("normative_documents", "行政规范性文件", "Normative document"),
    Category("other", "其他政策文件", "Other policy document"),
)
POLICY_KINDS_IN_REPORT: tuple[str, ...] = ("rules", "normative_documents")

# 有效性. 已修改 (amended) is still in force, in its amended text.
VALIDITIES: tuple[Category, ...] = (
    Category("in_force", "有效", "In force"),
    Category("amended", "已修改", "Amended"),
    Category("expired", "失效", "Expired"),
    Category("repealed", "废止", "Repealed"),
)
VALIDITIES_IN_FORCE: tuple[str, ...] = ("in_force", "amended")

# 不予公开 at the source: the same legal grounds as a reply's withholding (Arts. 14–16).
WITHHOLDING_GROUNDS: tuple[Category, ...] = tuple(
    c for c in OUTCOMES if c.key.startswith("withheld."))

# An interpretation is to appear with its policy (政策文件与解读材料同步发布); one published
# more than this many working days after its policy is flagged as late.
INTERPRETATION_WORKING_DAYS = 3

# Where else an item went out besides the portal (section 一 counts the first two).
CHANNELS: tuple[Category, ...] = (
    Category("weibo", "政务微博", "Government Weibo"),
    Category("wechat", "微信公众号", "WeChat official account"),
    Category("newspaper", "报刊", "Newspaper"),
    Category("press_conference", "新闻发布会", "Press conference"),
)

# The branches of the catalogue tree (政府信息公开目录).
CATALOGUE_BRANCHES: tuple[Category, ...] = (
    Category("statutory", "法定主动公开内容", "Statutory proactive content", article="第二十条"),
    Category("district", "区级政府重点公开内容", "District government's items", article="第二十一条"),
    Category("key_area", "重点领域信息公开", "Key areas"),
)
