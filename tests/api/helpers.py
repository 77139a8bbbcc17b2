"""Requests to the JSON API as a client program would send them."""

from __future__ import annotations

import json
from typing import Any

from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE
from tests.signin import Client

APPLY = "/api/applications"
LOOKUP = "/api/applications/lookup"
STAFF = "/api/staff/applications"
# A unified social credit code with a correct check character.
CREDIT_CODE = "91110102MA01ABCD0L"
# Strings that must never appear in any response of the API.
SECRETS = (ID_NUMBER, PHONE, EMAIL, ADDRESS, CREDIT_CODE)


def person(**overrides: Any) -> dict[str, Any]:
    """A valid application body of a natural person, applying to the education commission."""
    body = {
        "applicant_column": "natural_person",
        "applicant_name": "张三",
        "id_document_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": EMAIL,
        "address": ADDRESS,
        "description": "请公开2025年西城区中小学校舍安全改造项目的立项批复文件。",
        "provision_form": "electronic",
        "delivery": "email",
        "agency": "110102103",
    }
    body.update(overrides)
    return body


def organisation(**overrides: Any) -> dict[str, Any]:
    body = {
        "applicant_column": "research_institution",
        "applicant_name": "北京某城市研究院",
        "credit_code": CREDIT_CODE,
        "contact_person": "李四",
        "phone": PHONE,
        "description": "请公开西城区2025年老旧小区综合整治项目清单。",
        "provision_form": "paper",
        "delivery": "post",
        "address": ADDRESS,
    }
    body.update(overrides)
    return body


def post(client: Client, url: str, data: Any, **headers: str):
    """POST ``data`` as JSON (a str or bytes is sent as it is)."""
    raw = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    return client.post(url, raw, content_type="application/json", headers=headers)


def apply(client: Client, **overrides: Any) -> dict[str, Any]:
    """Apply through the API and return the number and query code."""
    response = post(client, APPLY, person(**overrides))
    assert response.status_code == 201, response.content
    return response.json()


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def leaks(response) -> list[str]:
    """The personal information found anywhere in a response."""
    text = response.content.decode()
    return [secret for secret in SECRETS if secret in text]
