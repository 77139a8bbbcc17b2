"""The shipped wording of every letter, as data.

Each letter has a key (``reply.<outcome key>`` for the 21 outcomes of the national table,
``notice.correction``, ``notice.extension``, ``notice.fee``, ``letter.consultation``) and a
title and body in Django template syntax. A ``LetterTemplate`` row in the database overrides
the wording of its key (``letters.py`` resolves which text is used). The texts are Chinese
because the letters are Chinese legal documents, like the labels in ``taxonomy.py``; so are
the placeholder descriptions below, which document the wording for the OGI office.

The body is written one paragraph per line; blank lines (including those left by
``{% if %}`` tags) are dropped when the letter is built, and the addressee, the reference
line, the signature block and any table are added by the letter itself, not by the text.

Reply letters follow the shape of real 政府信息公开申请答复书: the application received, the
decision with the article of the Regulation it rests on (``{{ citation }}``, from
``taxonomy.Category.article``), the handler's own explanation, the legal basis the handler
stated, and the remedies of Art. 51 (administrative reconsideration within 60 days,
litigation within 6 months).
"""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.taxonomy import OUTCOME_KEYS, OUTCOMES

REGULATION = "《中华人民共和国政府信息公开条例》"

# Art. 51 with 行政复议法 Art. 20 and 行政诉讼法 Art. 46; every reply letter carries it.
REMEDIES = ("如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
            "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")

CORRECTION = "notice.correction"
EXTENSION = "notice.extension"
FEE = "notice.fee"
CONSULTATION = "letter.consultation"
REPLY_PREFIX = "reply."


@dataclass(frozen=True)
class Wording:
    """A letter's title and body, both Django template text."""

    title: str
    body: str


# A quotation inside a sentence drops its own closing stop (GB/T 15834-2011, 4.1): the letters
# write 申请获取的政府信息为：“…”。, so a description typed as a full sentence ending in 。
# would print “…。”。. Question and exclamation marks carry meaning and are kept.
_CLOSING_STOPS = "。．.，,；;、：:　 \t\r\n"


def quotable(text: str) -> str:
    """``text`` on one line, without the stop it ends with, to be quoted inside a sentence."""
    return " ".join(text.split()).rstrip(_CLOSING_STOPS)


# ---- Reply letters (答复书) ---------------------------------------------------------------

REPLY_TITLE = "政府信息公开申请答复书"

_OPENING = ("本机关于{{ received_date }}收到{{ you }}提出的政府信息公开申请，"
            "{{ you }}申请获取的政府信息为：“{{ description }}”。")
_CLOSING = """{{ reply_text }}
{% if legal_basis %}本答复的依据：{{ legal_basis }}。{% endif %}
{{ remedies }}
特此告知。"""

_WITHHELD = "根据{{ citation }}的规定，本机关决定不予公开。"
_ABANDONED = "视为放弃申请。根据{{ citation }}的规定，本机关不再处理该政府信息公开申请。"

# The decision paragraph of each outcome, between the opening and the closing.
REPLY_DECISIONS: dict[str, str] = {
    "disclosed": (
        "经审查，{{ you }}申请获取的政府信息属于公开范围。根据{{ citation }}的规定，本机关予以"
        "公开，现向{{ you }}提供该政府信息；其中已经主动公开的，{{ you }}也可以通过本机关政府"
        "信息公开平台查阅、下载。"
    ),
    "partially_disclosed": (
        "经审查，{{ you }}申请获取的政府信息中含有不应当公开的内容，但是能够作区分处理。根据"
        "{{ citation }}的规定，本机关向{{ you }}提供其中可以公开的政府信息内容，其余内容不予公开。"
    ),
    "withheld.state_secret": (
        "经审查，{{ you }}申请获取的政府信息属于依法确定为国家秘密的政府信息。" + _WITHHELD
    ),
    "withheld.prohibited_by_law": (
        "经审查，{{ you }}申请获取的政府信息属于法律、行政法规禁止公开的政府信息。" + _WITHHELD
    ),
    "withheld.security_and_stability": (
        "经审查，{{ you }}申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、"
        "社会稳定。" + _WITHHELD
    ),
    "withheld.third_party_rights": (
        "经审查，{{ you }}申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益"
        "造成损害。" + _WITHHELD
    ),
    "withheld.internal_affairs": (
        "经审查，{{ you }}申请获取的政府信息属于行政机关的人事管理、后勤管理、内部工作流程等"
        "内部事务信息。" + _WITHHELD
    ),
    "withheld.process_information": (
        "经审查，{{ you }}申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、"
        "过程稿、磋商信函、请示报告等过程性信息。" + _WITHHELD
    ),
    "withheld.enforcement_files": (
        "经审查，{{ you }}申请获取的政府信息属于行政执法案卷信息。" + _WITHHELD
    ),
    "withheld.inquiry_matters": (
        "经审查，{{ you }}申请获取的信息属于行政查询事项，有关法律、行政法规对该信息的获取有"
        "特别规定。根据{{ citation }}的规定，本机关不作为政府信息公开申请予以提供，请{{ you }}"
        "依照有关法律、行政法规的规定办理。"
    ),
    "unavailable.not_held": (
        "经检索，本机关没有{{ you }}所申请公开的政府信息{% if responsible_agency %}，该政府信息"
        "不属于本机关负责公开{% endif %}。根据{{ citation }}的规定，本机关无法提供。"
        "{% if responsible_agency %}负责公开该政府信息的行政机关为{{ responsible_agency }}，"
        "{{ you }}可以向该机关提出申请。{% endif %}"
    ),
    "unavailable.needs_creation": (
        "经审查，本机关没有{{ you }}所要求的现成信息，提供该信息需要本机关对现有政府信息进行"
        "加工、分析或者另行制作。根据{{ citation }}的规定，本机关不予提供。"
    ),
    "unavailable.unclear_after_correction": (
        "本机关{% if correction_requested_date %}已于{{ correction_requested_date }}{% endif %}"
        "告知{{ you }}补正申请内容，{{ you }}补正后的申请内容仍不明确，本机关无法据此确定{{ you }}"
        "所申请公开的政府信息。根据{{ citation }}的规定，本机关无法提供。"
    ),
    "not_processed.petition_or_complaint": (
        "经审查，{{ you }}以政府信息公开申请的形式提出的是信访、投诉、举报等事项。根据"
        "{{ citation }}的规定，本机关不作为政府信息公开申请处理，{{ you }}可以通过信访、投诉、"
        "举报等相应渠道提出。"
    ),
    "not_processed.repeated": (
        "经查，本机关已就{{ you }}提出的政府信息公开申请作出答复，{{ you }}本次系重复申请公开"
        "相同的政府信息。根据{{ citation }}的规定，本机关不予重复处理。"
    ),
    "not_processed.publication": (
        "经审查，{{ you }}申请获取的是政府公报、报刊、书籍等公开出版物。根据{{ citation }}的规定，"
        "本机关不作为政府信息公开申请处理，{{ you }}可以通过公开发行渠道购买，或者到公共图书馆、"
        "档案馆等场所查阅。"
    ),
    "not_processed.excessive": (
        "经审查，{{ you }}申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，"
        "本机关认为申请理由不合理。根据{{ citation }}的规定，本机关不予处理。"
    ),
    "not_processed.confirm_or_reissue": (
        "经审查，{{ you }}要求本机关确认或者重新出具{{ you }}已经获取的信息，该请求不属于获取"
        "政府信息的申请。{% if citation %}根据{{ citation }}的规定，{% endif %}本机关不作为"
        "政府信息公开申请处理。"
    ),
    "other.correction_overdue": (
        "本机关{% if correction_requested_date %}已于{{ correction_requested_date }}{% endif %}"
        "一次性告知{{ you }}作出补正{% if correction_deadline %}，补正期限至"
        "{{ correction_deadline }}{% endif %}。{{ you }}无正当理由逾期未补正，" + _ABANDONED
    ),
    "other.fee_unpaid": (
        "本机关{% if fee_notice_date %}已于{{ fee_notice_date }}{% endif %}向{{ you }}发出收费"
        "通知{% if payment_deadline %}，缴费期限至{{ payment_deadline }}{% endif %}。{{ you }}"
        "逾期未按收费通知要求缴纳费用，" + _ABANDONED
    ),
    "other.other": "经审查，现就{{ you }}的政府信息公开申请答复如下：",
}


def _reply(decision: str) -> Wording:
    return Wording(REPLY_TITLE, f"{_OPENING}\n{decision}\n{_CLOSING}")


# The outcome groups an office may word once for all their outcomes (``reply.withheld``
# covers ``reply.withheld.state_secret`` …); this generic text prefills such a template.
GROUP_KEYS: tuple[str, ...] = ("reply.withheld", "reply.unavailable", "reply.not_processed")
GROUP_REPLY = _reply(
    "经审查，{{ you }}的申请属于{{ outcome_group }}中“{{ outcome_label }}”的情形。"
    "{% if citation %}根据{{ citation }}的规定，{% endif %}本机关{{ outcome_group }}。"
)


# ---- Notices and the consultation letter ------------------------------------------------

_CORRECTION_BODY = _OPENING + """
经审查，{{ you }}的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知{{ you }}需要补正的事项如下：
{{ correction_what }}
请{{ you }}于{{ correction_deadline }}前作出补正，可以凭申请编号和查询码通过本机关政府信息公开申请平台提交，也可以书面提交。答复期限自本机关收到补正的申请之日起计算。
{{ you }}无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。
特此告知。"""

_EXTENSION_BODY = _OPENING + """
本机关因正当理由不能在规定期限内作出答复。{% if extension_reason %}延期理由：{{ extension_reason }}。{% endif %}
根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{ extension_days }}个工作日{% if new_due_date %}，本机关将于{{ new_due_date }}前作出答复{% endif %}。
特此告知。"""

# The table of basis, standard, amount and deadline follows the text (letters.py).
_FEE_BODY = _OPENING + """
经审查，{{ you }}申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》的规定，本机关决定收取信息处理费人民币{{ fee_amount }}元。
请{{ you }}自收到本通知书之日起20个工作日内（{{ payment_deadline }}前）缴纳。答复期限自本机关收到费用之日起继续计算；{{ you }}逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。
收费的依据、标准和金额如下："""

# Addressed to the third party (Art. 32) or the co-authoring agency (Art. 34), never to
# the applicant, and so without the applicant's name.
_CONSULTATION_BODY = """本机关于{{ received_date }}收到一件政府信息公开申请，申请获取的政府信息为：“{{ description }}”。
{% if party_is_agency %}经审查，该政府信息由贵单位与本机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵单位意见。{% else %}经审查，该政府信息公开可能损害贵方的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。{% endif %}
{% if party_is_agency %}请贵单位自收到本函之日起15个工作日内提出书面意见；逾期未提出意见的，视为同意公开。{% else %}请贵方自收到本函之日起15个工作日内提出是否同意公开的书面意见；不同意公开的，请说明理由。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。{% endif %}
特此函告。"""

DEFAULTS: dict[str, Wording] = {
    **{f"{REPLY_PREFIX}{key}": _reply(decision) for key, decision in REPLY_DECISIONS.items()},
    CORRECTION: Wording("政府信息公开申请补正告知书", _CORRECTION_BODY),
    EXTENSION: Wording("政府信息公开申请延期答复告知书", _EXTENSION_BODY),
    FEE: Wording("政府信息公开信息处理费收费通知书", _FEE_BODY),
    CONSULTATION: Wording("政府信息公开征求意见函", _CONSULTATION_BODY),
}

# Checked at import, like the outcome keys in clock.py: a reply letter must exist for
# every outcome of the national table, so a new outcome cannot ship without its wording.
if set(REPLY_DECISIONS) != set(OUTCOME_KEYS):
    raise RuntimeError("letter_texts.REPLY_DECISIONS must word every taxonomy outcome")

KEYS: tuple[str, ...] = tuple(DEFAULTS)

# The short name of each kind of letter: file names and the admin's choice labels.
NAMES: dict[str, str] = {
    CORRECTION: "补正告知书",
    EXTENSION: "延期答复告知书",
    FEE: "收费通知书",
    CONSULTATION: "征求意见函",
}
REPLY_NAME = "答复书"


def name_of(key: str) -> str:
    """The short Chinese name of the letter, e.g. 答复书 for every ``reply.*`` key."""
    return REPLY_NAME if key.startswith(REPLY_PREFIX) else NAMES[key]


def label_of(key: str) -> str:
    """A human label for any key a template may have, e.g. 答复书·不予公开·属于国家秘密."""
    if not key.startswith(REPLY_PREFIX):
        return NAMES[key]
    rest = key.removeprefix(REPLY_PREFIX)
    for category in OUTCOMES:
        if category.key == rest:
            parts = (REPLY_NAME, category.group_zh, category.label_zh)
            return "·".join(p for p in parts if p)
        if category.key.startswith(f"{rest}.") and category.group_zh:
            return f"{REPLY_NAME}·{category.group_zh}（全部情形）"
    raise KeyError(key)


# Every placeholder the wording may use; letters.py provides exactly these.
PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("number", "申请编号"),
    ("applicant_name", "申请人姓名或者名称"),
    ("you", "对申请人的称呼：自然人为“您”，法人或其他组织为“贵单位”"),
    ("agency", "答复机关名称"),
    ("date", "落款日期"),
    ("arrived_date", "申请到达日期"),
    ("received_date", "确认收到申请的日期（尚未确认时为到达日期）"),
    ("description", "申请获取的政府信息的描述"),
    ("document_number", "申请人提供的文号"),
    ("outcome_label", "办理结果（答复书）"),
    ("outcome_group", "办理结果所属类别，如“不予公开”（答复书）"),
    ("article", "办理结果对应的《条例》条款，如“第十四条、第三十六条第（三）项”"),
    ("citation", "带法规名称的条款，如“《中华人民共和国政府信息公开条例》第三十六条第（四）（五）项”"),
    ("legal_basis", "承办人填写的答复依据"),
    ("reply_text", "承办人填写的答复内容（可多段）"),
    ("responsible_agency", "负责公开该信息的机关（本机关不掌握时）"),
    ("remedies", "行政复议和行政诉讼的告知语（答复书必须包含）"),
    ("correction_requested_date", "发出补正告知的日期"),
    ("correction_what", "需要补正的事项"),
    ("correction_deadline", "补正期限"),
    ("extension_days", "延长的工作日数"),
    ("extension_reason", "延期理由"),
    ("new_due_date", "延期后的答复期限"),
    ("fee_notice_date", "发出收费通知的日期"),
    ("fee_amount", "收费金额（元）"),
    ("fee_method", "计费方式：按件计收或者按量计收"),
    ("fee_basis", "收费依据"),
    ("fee_standard", "收费标准"),
    ("payment_deadline", "缴费期限（收费通知之日起20个工作日）"),
    ("party", "征求意见的第三方或者机关"),
    ("party_is_agency", "征求意见的对象是否为行政机关（第三十四条）"),
)
