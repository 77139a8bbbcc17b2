"""Building applications for tests through the actions layer, as real users would."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from xxgk.applications import actions, pii
from xxgk.applications.models import Application

# A valid resident ID (check digit X) and contacts that must never leak anywhere public.
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
ADDRESS = "北京市西城区二龙路27号院3号楼501"
EMAIL = "zhangsan@example.cn"

_tokens = itertools.count(1)


def submission(agency, **overrides) -> actions.Submission:
    values = {
        "applicant_column": "natural_person",
        "applicant_name": "张三",
        "id_document_type": "resident_id",
        "identity": pii.Identity(id_number=ID_NUMBER, phone=PHONE, address=ADDRESS, email=EMAIL),
        "description": "请公开2023年西城区老旧小区综合整治项目的立项批复文件。",
        "provision_form": "electronic",
        "delivery": "email",
        "agency": agency,
    }
    values.update(overrides)
    return actions.Submission(**values)


def apply(agency, *, arrived: dt.date | None = None, **overrides) -> tuple[Application, str]:
    arrived_at = None
    if arrived is not None:
        arrived_at = timezone.make_aware(dt.datetime.combine(arrived, dt.time(10, 0)))
    return actions.submit_application(submission(agency, **overrides), arrived_at=arrived_at,
                                      client_token=f"test-{next(_tokens)}")


def received(agency, on: dt.date, actor=None, **overrides) -> Application:
    """An application that arrived and was confirmed received on ``on``."""
    application, _code = apply(agency, arrived=on, **overrides)
    actions.confirm_receipt(application, received_on=on, actor=actor)
    return application
