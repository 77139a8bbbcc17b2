"""Letters of an application: every reply and notice, rendered from the application's facts,
in the OGI office's wording where it has one, without the applicant's personal details."""

from __future__ import annotations

import datetime as dt
import io
import logging
from decimal import Decimal

import docx
import pdfplumber
import pytest
from django.utils import timezone

from xxgk import taxonomy
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, letter_texts, letters, pii
from xxgk.applications.models import Document, EventKind, LetterTemplate
from xxgk.documents import chinese_date
from xxgk.holidays.calendar import current_calendar

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"
EMAIL = "zhangsan@example.com"
ADDRESS = "北京市西城区大石桥胡同8号"
PERSONAL = (ID_NUMBER, PHONE, EMAIL, ADDRESS, "100032")
NAME = "张三"
DESCRIPTION = "2025年西城区义务教育阶段学校招生计划"

NOTICE_KEYS = (letter_texts.CORRECTION, letter_texts.EXTENSION, letter_texts.FEE,
               letter_texts.CONSULTATION)
REPLY_KEYS = tuple(f"reply.{key}" for key in taxonomy.OUTCOME_KEYS)

# A phrase of each letter's own wording, as the specification of what the letter says.
WORDING = {
    "reply.disclosed": "本机关予以公开，现向您提供该政府信息",
    "reply.partially_disclosed": "能够作区分处理",
    "reply.withheld.state_secret": "属于依法确定为国家秘密的政府信息",
    "reply.withheld.prohibited_by_law": "属于法律、行政法规禁止公开的政府信息",
    "reply.withheld.security_and_stability": "可能危及国家安全、公共安全、经济安全、社会稳定",
    "reply.withheld.third_party_rights": "公开会对第三方合法权益造成损害",
    "reply.withheld.internal_affairs": "内部事务信息",
    "reply.withheld.process_information": "过程性信息",
    "reply.withheld.enforcement_files": "属于行政执法案卷信息",
    "reply.withheld.inquiry_matters": "属于行政查询事项",
    "reply.unavailable.not_held": "负责公开该政府信息的行政机关为北京市西城区财政局",
    "reply.unavailable.needs_creation": "加工、分析或者另行制作",
    "reply.unavailable.unclear_after_correction": "补正后的申请内容仍不明确",
    "reply.not_processed.petition_or_complaint": "不作为政府信息公开申请处理",
    "reply.not_processed.repeated": "本机关不予重复处理",
    "reply.not_processed.publication": "公开出版物",
    "reply.not_processed.excessive": "明显超过合理范围",
    "reply.not_processed.confirm_or_reissue": "确认或者重新出具",
    "reply.other.correction_overdue": "无正当理由逾期未补正，视为放弃申请",
    "reply.other.fee_unpaid": "逾期未按收费通知要求缴纳费用",
    "reply.other.other": "答复如下",
    letter_texts.CORRECTION: "现一次性告知您需要补正的事项如下：\n请写明所需招生计划的学段。",
    letter_texts.EXTENSION: "答复期限延长10个工作日",
    letter_texts.FEE: "本机关决定收取信息处理费人民币700元",
    letter_texts.CONSULTATION: "第三十二条的规定，现书面征求贵方意见",
}
TITLES = {
    letter_texts.CORRECTION: "政府信息公开申请补正告知书",
    letter_texts.EXTENSION: "政府信息公开申请延期答复告知书",
    letter_texts.FEE: "政府信息公开信息处理费收费通知书",
    letter_texts.CONSULTATION: "政府信息公开征求意见函",
}
HANDLER_TEXT = "经核查，相关文件形成于2025年。"


def submit(world, *, column: str = taxonomy.NATURAL_PERSON, name: str = NAME):
    submission = actions.Submission(
        applicant_column=column, applicant_name=name, id_document_type="resident_id",
        identity=pii.Identity(id_number=ID_NUMBER, phone=PHONE, email=EMAIL, address=ADDRESS,
                              postcode="100032"),
        description=DESCRIPTION, provision_form="paper", delivery="post",
        agency=world.education,
    )
    application, _code = actions.submit_application(submission)
    actions.confirm_receipt(application, received_on=timezone.localdate(), actor=world.handler)
    return application


def today() -> dt.date:
    return timezone.localdate()


def ask_correction(world, application):
    return actions.request_correction(application, what="请写明所需招生计划的学段。",
                                      deadline=today() + dt.timedelta(days=10),
                                      actor=world.handler)


def send_fee_notice(world, application):
    return actions.notify_fee(application, method="by_volume", amount=Decimal(700),
                              basis="《政府信息公开信息处理费管理办法》第三条、第五条",
                              actor=world.handler)


def make_event(world, application, key: str):
    """Take the application through the steps that lead to letter ``key``; the last event."""
    handler = world.handler
    if key == letter_texts.CORRECTION:
        return ask_correction(world, application)
    if key == letter_texts.EXTENSION:
        actions.request_extension(application, days=10, reason="申请内容涉及多年档案，需要调取核查",
                                  actor=handler)
        return actions.approve_extension(application, approver=world.reviewer)
    if key == letter_texts.FEE:
        return send_fee_notice(world, application)
    if key == letter_texts.CONSULTATION:
        return actions.send_consultation(application, party="某某科技有限公司",
                                         party_kind="third_party", actor=handler)
    outcome = key.removeprefix("reply.")
    if outcome == "other.correction_overdue":
        ask_correction(world, application)
    if outcome == "unavailable.unclear_after_correction":
        ask_correction(world, application)
        actions.submit_correction(application, text="招生计划")
    if outcome == "other.fee_unpaid":
        send_fee_notice(world, application)
    article = taxonomy.OUTCOMES_BY_KEY[outcome].article
    return actions.reply(
        application, outcome=outcome, legal_basis=f"《中华人民共和国政府信息公开条例》{article}。",
        body=HANDLER_TEXT, actor=handler,
        responsible_agency="北京市西城区财政局" if outcome == "unavailable.not_held" else "",
    )


def docx_text(content: bytes) -> str:
    """The DOCX's text in reading order, a line per paragraph or table cell."""
    lines = []
    for block in docx.Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines += [cell.text for row in block.rows for cell in row.cells]
        else:
            lines.append(block.text)
    return "\n".join(lines)


def pdf_text(content: bytes) -> str:
    """The PDF's text without the line breaks the layout put into sentences."""
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "".join("".join(page.extract_text().split()) for page in pdf.pages)


# ---- Every letter ---------------------------------------------------------------------


def test_a_wording_ships_for_every_outcome_and_notice():
    assert set(letter_texts.KEYS) == {*REPLY_KEYS, *NOTICE_KEYS}
    assert set(WORDING) == set(letter_texts.KEYS)


@pytest.mark.parametrize("key", [*REPLY_KEYS, *NOTICE_KEYS])
def test_every_letter_as_docx(world, key):
    application = submit(world)
    event = make_event(world, application, key)
    assert letters.key_for_event(event) == key

    letter = letters.render(key, application, event)
    text = docx_text(letters.docx_bytes(letter))

    assert WORDING[key] in text
    assert "申请编号：" + application.number in text
    assert text.rstrip().endswith(f"北京市西城区教育委员会\n{chinese_date(today())}")
    if key == letter_texts.CONSULTATION:
        assert "某某科技有限公司：" in text and NAME not in text
    else:
        assert f"{NAME}：" in text
        assert f"“{DESCRIPTION}”" in text
    if key.startswith("reply."):
        assert letter.title == "政府信息公开申请答复书"
        category = taxonomy.OUTCOMES_BY_KEY[key.removeprefix("reply.")]
        if category.article:
            assert category.article in text
        assert HANDLER_TEXT in text
        assert "60日内依法申请行政复议" in text and "6个月内依法向人民法院提起行政诉讼" in text
    else:
        assert letter.title == TITLES[key]
    for value in PERSONAL:
        assert value not in text


PDF_KEYS = ["reply.disclosed", "reply.withheld.third_party_rights", letter_texts.FEE]


@pytest.mark.parametrize("key", PDF_KEYS)
def test_letters_as_pdf(world, key):
    application = submit(world)
    event = make_event(world, application, key)
    content = letters.pdf_bytes(letters.render(key, application, event))

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "信息公开" in text and WORDING[key] in text
    assert f"{NAME}：" in text
    if key.startswith("reply."):
        assert "答复书" in text
        assert taxonomy.OUTCOMES_BY_KEY[key.removeprefix("reply.")].article in text
        assert "60日内依法申请行政复议" in text and "6个月内依法向人民法院提起行政诉讼" in text
    for value in PERSONAL:
        assert value not in text


# ---- The facts in the letters ------------------------------------------------------------


def test_the_context_fills_exactly_the_documented_placeholders(world):
    application = submit(world)
    context = letters.letter_context("reply.disclosed", application)
    assert set(context) == {name for name, _ in letter_texts.PLACEHOLDERS}


@pytest.mark.parametrize(("typed", "quoted"), [
    ("2025年招生计划。", "“2025年招生计划”。"),
    ("2025年招生计划；\n", "“2025年招生计划”。"),
    ("2025年招生计划", "“2025年招生计划”。"),
    ("招生计划是否已经公布？", "“招生计划是否已经公布？”。"),
])
def test_the_quoted_request_ends_with_one_stop(world, typed, quoted):
    application = submit(world)
    application.description = typed
    application.save(update_fields=["description"])
    letter = letters.render("reply.disclosed", application,
                            make_event(world, application, "reply.disclosed"))
    text = "".join(letter.paragraphs)
    assert f"申请获取的政府信息为：{quoted}" in text
    assert "。”。" not in text


def test_an_organisation_is_addressed_as_such(world):
    application = submit(world, column="commercial_enterprise", name="某某咨询有限公司")
    letter = letters.render("reply.disclosed", application, make_event(world, application,
                                                                       "reply.disclosed"))
    assert letter.addressee == "某某咨询有限公司"
    assert "贵单位申请获取的政府信息为" in "".join(letter.paragraphs)


def test_dates_are_written_in_chinese(world):
    application = submit(world)
    context = letters.letter_context("reply.disclosed", application)
    assert context["received_date"] == chinese_date(today())
    assert context["date"] == f"{today().year}年{today().month}月{today().day}日"


def test_the_extension_notice_states_the_new_due_date(world):
    application = submit(world)
    event = make_event(world, application, letter_texts.EXTENSION)
    application.refresh_from_db()
    context = letters.letter_context(letter_texts.EXTENSION, application, event)
    assert context["extension_days"] == "10"
    assert context["new_due_date"] == chinese_date(application.due_on)
    assert context["extension_reason"] == "申请内容涉及多年档案，需要调取核查"
    paragraphs = letters.render(letter_texts.EXTENSION, application, event).paragraphs
    assert f"本机关将于{chinese_date(application.due_on)}前作出答复" in "".join(paragraphs)


def test_the_fee_notice_states_basis_standard_amount_and_deadline(world):
    application = submit(world)
    event = make_event(world, application, letter_texts.FEE)
    deadline = current_calendar(assume_weekends=True).add_working_days(event.occurred_on, 20)
    letter = letters.render(letter_texts.FEE, application, event)
    rows = dict(letter.table.rows)
    assert rows["收费依据"] == "《政府信息公开信息处理费管理办法》第三条、第五条"
    assert rows["计费方式"] == "按量计收"
    assert rows["收费标准"].startswith("按量计收，按照超额累进方式计算")
    assert rows["收费金额"] == "人民币700元"
    assert rows["缴费期限"] == f"{chinese_date(deadline)}前"
    assert f"（{chinese_date(deadline)}前）缴纳" in "".join(letter.paragraphs)


def test_a_lapse_reply_recalls_the_notice_it_follows(world):
    application = submit(world)
    event = make_event(world, application, "reply.other.correction_overdue")
    text = "".join(letters.render("reply.other.correction_overdue", application, event).paragraphs)
    deadline = chinese_date(today() + dt.timedelta(days=10))
    assert f"已于{chinese_date(today())}一次性告知您作出补正，补正期限至{deadline}" in text
    assert "《中华人民共和国政府信息公开条例》第三十条" in text


def test_a_reply_lists_the_released_documents_as_attachments(world):
    application = submit(world)
    event = actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                          actor=world.handler,
                          released=[("招生计划.pdf", "application/pdf", b"%PDF-1.7")])
    letter = letters.render("reply.disclosed", application, event)
    assert letter.attachments == ("招生计划.pdf",)
    assert "附件：招生计划.pdf" in docx_text(letters.docx_bytes(letter))


def test_consulting_an_agency_cites_article_34(world):
    application = submit(world)
    event = actions.send_consultation(application, party="北京市西城区财政局",
                                      party_kind="agency", actor=world.handler)
    letter = letters.render(letter_texts.CONSULTATION, application, event)
    text = "".join(letter.paragraphs)
    assert letter.addressee == "北京市西城区财政局"
    assert "第三十四条" in text and "逾期未提出意见的，视为同意公开" in text
    assert "第三十二条" not in text


def test_a_preview_of_another_outcome_does_not_borrow_the_handlers_words(world):
    application = submit(world)
    make_event(world, application, "reply.disclosed")
    text = "".join(letters.render("reply.withheld.state_secret", application).paragraphs)
    assert HANDLER_TEXT not in text and "国家秘密" in text


def test_events_without_letters(world):
    application = submit(world)
    assign = actions.assign(application, world.handler, actor=world.handler)
    requested = actions.request_extension(application, days=5, reason="需要调取档案",
                                          actor=world.handler)
    withdrawn = actions.withdraw(application)
    for event in (application.events.get(kind=EventKind.SUBMITTED),
                  application.events.get(kind=EventKind.RECEIPT_CONFIRMED),
                  assign, requested, withdrawn):
        assert letters.key_for_event(event) is None


def test_an_unknown_letter_is_refused(world):
    with pytest.raises(ValueError, match="unknown letter"):
        letters.render("reply.granted", submit(world))


# ---- The office's wording -----------------------------------------------------------------


def reply_text(world, key: str = "reply.withheld.state_secret") -> tuple[str, tuple[str, ...]]:
    application = submit(world)
    letter = letters.render(key, application, make_event(world, application, key))
    return letter.title, letter.paragraphs


def test_an_office_wording_overrides_the_shipped_one(world):
    LetterTemplate.objects.create(
        key="reply.withheld.state_secret", title="{{ agency }}答复书",
        body="{{ applicant_name }}的申请（{{ number }}）涉及国家秘密，依据{{ citation }}不予公开。\n"
             "\n{{ remedies }}")
    title, paragraphs = reply_text(world)
    assert title == "北京市西城区教育委员会答复书"
    assert paragraphs[0].startswith(f"{NAME}的申请（")
    assert paragraphs[0].endswith("依据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项不予公开。")
    assert paragraphs[1] == letter_texts.REMEDIES


def test_an_office_wording_for_a_group_serves_its_outcomes(world):
    LetterTemplate.objects.create(key="reply.withheld", title="不予公开告知书",
                                  body="{{ outcome_group }}：{{ outcome_label }}\n{{ remedies }}")
    assert reply_text(world) == ("不予公开告知书", ("不予公开：属于国家秘密", letter_texts.REMEDIES))
    LetterTemplate.objects.create(key="reply.withheld.state_secret", title="专用",
                                  body="专用的措辞。\n{{ remedies }}")
    assert reply_text(world)[0] == "专用"
    # Outcomes of other groups keep the shipped wording.
    assert reply_text(world, "reply.disclosed")[0] == "政府信息公开申请答复书"


@pytest.mark.parametrize("title, body", [
    ("答复书", "{% if %}坏了"),  # does not compile
    ("答复书", '{% include "secret.txt" %}'),  # fails when rendered: no loaders
    ("答复书", "{{ nothing }}\n\n"),  # renders to nothing
    ("{% endif %}", "正文"),  # a broken title
])
def test_a_broken_office_wording_falls_back_to_the_shipped_one(world, caplog, title, body):
    LetterTemplate.objects.create(key="reply.withheld.state_secret", title=title, body=body)
    with caplog.at_level(logging.WARNING, logger="xxgk.applications.letters"):
        shipped_title, paragraphs = reply_text(world)
    assert shipped_title == "政府信息公开申请答复书"
    assert "属于依法确定为国家秘密的政府信息" in "".join(paragraphs)
    (record,) = caplog.records
    assert "reply.withheld.state_secret" in record.getMessage()
    assert NAME not in record.getMessage() and DESCRIPTION not in record.getMessage()


def test_a_broken_exact_wording_falls_back_to_the_group_wording(world, caplog):
    LetterTemplate.objects.create(key="reply.withheld", title="组", body="组的措辞。")
    LetterTemplate.objects.create(key="reply.withheld.state_secret", title="坏", body="{% if %}")
    with caplog.at_level(logging.WARNING, logger="xxgk.applications.letters"):
        assert reply_text(world)[0] == "组"


def test_a_reply_without_the_remedies_gets_them_appended(world):
    LetterTemplate.objects.create(key="reply.withheld.state_secret", title="答复书",
                                  body="不予公开。")
    assert reply_text(world)[1] == ("不予公开。", letter_texts.REMEDIES)


def test_an_office_template_cannot_reach_the_applicants_identity(world):
    LetterTemplate.objects.create(
        key="reply.disclosed", title="答复书",
        body="{{ application.identity.encrypted }}{{ identity }}{{ id_number }}{{ phone }}正文")
    assert reply_text(world, "reply.disclosed")[1][0] == "正文"


# ---- Storing the letters ------------------------------------------------------------------


def test_attach_stores_docx_and_pdf_for_the_applicant(world):
    application = submit(world)
    event = make_event(world, application, "reply.disclosed")
    stored = letters.attach(application, event, "reply.disclosed", actor=world.handler)

    assert sorted((d.filename, d.content_type) for d in stored) == [
        (f"答复书-{application.number}.docx", letters.DOCX_TYPE),
        (f"答复书-{application.number}.pdf", letters.PDF_TYPE),
    ]
    for document in stored:
        assert document.kind == Document.Kind.LETTER and document.visible_to_applicant
        assert document.event_id == event.pk and document.size == len(document.content)
    pdf = next(d for d in stored if d.filename.endswith(".pdf"))
    assert WORDING["reply.disclosed"] in pdf_text(bytes(pdf.content))
    entry = AuditEntry.objects.get(action="application.letter")
    assert entry.detail == {"letter": "reply.disclosed", "event": "replied"}
    assert entry.actor == world.handler


def test_attaching_twice_keeps_the_letter_the_applicant_received(world):
    application = submit(world)
    event = make_event(world, application, letter_texts.CORRECTION)
    first = letters.attach(application, event, letter_texts.CORRECTION)
    LetterTemplate.objects.create(key=letter_texts.CORRECTION, title="新标题", body="新的措辞。")
    second = letters.attach(application, event, letter_texts.CORRECTION)
    assert {d.pk for d in second} == {d.pk for d in first}
    assert Document.objects.filter(kind=Document.Kind.LETTER).count() == 2
    assert AuditEntry.objects.filter(action="application.letter").count() == 1


def test_the_consultation_letter_is_for_staff_only(world):
    application = submit(world)
    event = make_event(world, application, letter_texts.CONSULTATION)
    stored = letters.attach(application, event, letter_texts.CONSULTATION)
    assert {d.filename for d in stored} == {f"征求意见函-{application.number}.docx",
                                            f"征求意见函-{application.number}.pdf"}
    assert not any(d.visible_to_applicant for d in stored)


def test_attach_refuses_another_applications_event(world):
    first, second = submit(world), submit(world)
    event = make_event(world, first, letter_texts.CORRECTION)
    with pytest.raises(ValueError):
        letters.attach(second, event, letter_texts.CORRECTION)
