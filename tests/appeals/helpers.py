"""Small builders for appeal tests: a PDF that ``filetype`` recognises, a recorded case."""

from __future__ import annotations

import datetime as dt

from tests import files
from xxgk.appeals import actions
from xxgk.appeals.models import AppealCase

# The smallest file that ``filetype`` sniffs as a PDF (the magic bytes lead it).
PDF = files.PDF


def case(agency, *, kind: str = "reconsideration", number: str = "西政复字〔2023〕第1号",
         filed_on: dt.date = dt.date(2023, 3, 1), body: str = "北京市西城区人民政府",
         **kwargs) -> AppealCase:
    return actions.record_case(agency=agency, kind=kind, case_number=number, filed_on=filed_on,
                               body=body, **kwargs)
