"""The rules the 政府信息公开制度 column lists: the laws and national documents the OGI work
here follows, as data (each with its issuer, document number and dates), and what each
governs on this site."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Rule(NamedTuple):
    title: str
    title_en: str
    issuer: Promise
    doc_no: str
    issued_on: dt.date | None
    in_force_on: dt.date | None
    governs: Promise


RULES: tuple[Rule, ...] = (
    Rule("中华人民共和国政府信息公开条例",
         "Regulations of the People's Republic of China on Open Government Information",
         _("State Council"), "中华人民共和国国务院令第711号", dt.date(2019, 4, 3),
         dt.date(2019, 5, 15),
         _("Everything on this site: what is published proactively and within what time "
           "(Articles 19–26), how applications are made and answered (Articles 27–45), "
           "the annual report (Articles 49–50) and the remedies (Article 51).")),
    Rule("政府信息公开信息处理费管理办法",
         "Measures on the administration of processing fees for open government information",
         _("General Office of the State Council"), "国办函〔2020〕109号", None,
         dt.date(2021, 1, 1),
         _("When an applicant whose applications clearly exceed a reasonable volume or "
           "frequency is charged, by application or by volume, and how much.")),
    Rule("中华人民共和国政府信息公开工作年度报告格式",
         "The national format of the annual report on open government information",
         _("Office of Government Information and Affairs Disclosure, General Office of "
           "the State Council"), "国办公开办函〔2021〕30号", None, None,
         _("The tables and headings of every agency's annual report.")),
    Rule("国务院办公厅政府信息与政务公开办公室关于规范政府信息公开平台有关事项的通知",
         "Notice on standardising the open government information platforms",
         _("Office of Government Information and Affairs Disclosure, General Office of "
           "the State Council"), "国办公开办函〔2019〕61号", None, None,
         _("The columns of the open government information section: the guide, the "
           "rules, the statutory proactive content and the annual reports, with the entry "
           "for applications.")),
    Rule("政府网站发展指引", "Guidelines for the development of government websites",
         _("General Office of the State Council"), "国办发〔2017〕47号", None, None,
         _("The structure of government websites and the page tags that identify the "
           "site, its columns and its articles.")),
)
