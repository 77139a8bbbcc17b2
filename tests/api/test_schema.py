"""The OpenAPI schema and the docs page, which must work with no network at all."""

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("post", "/api/applications"),
    ("post", "/api/applications/lookup"),
    ("post", "/api/applications/{number}/correction"),
    ("post", "/api/applications/{number}/withdraw"),
    ("get", "/api/applications/{number}/documents/{document_id}"),
    ("get", "/api/staff/applications"),
    ("get", "/api/staff/applications/{number}"),
    *(("post", f"/api/staff/applications/{{number}}/{name}") for name in (
        "confirm-receipt", "assign", "transfer", "request-correction", "consultation",
        "consultation-answer", "extension-request", "extension-approve", "fee-notice",
        "fee-payment", "fee-waiver", "reply", "correct-outcome")),
    # The read-only catalogue and reports (tests/api/test_catalog_api.py).
    ("get", "/api/catalog/items"),
    ("get", "/api/catalog/items/{item_id}"),
    ("get", "/api/catalog/policies"),
    ("get", "/api/catalog/categories"),
    ("get", "/api/reports"),
    ("get", "/api/search"),
}


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)


def test_openapi_json_lists_every_endpoint():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    # Strict JSON: Swagger UI refuses a document with a key twice in one object.
    schema = json.loads(response.content, object_pairs_hook=_no_duplicate_keys)
    assert schema["openapi"].startswith("3.")
    listed = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert listed == ENDPOINTS


def test_the_schema_documents_the_staff_session_and_the_public_headers():
    schema = Client().get("/api/openapi.json").json()
    staff = schema["paths"]["/api/staff/applications"]["get"]
    assert staff["security"] == [{"SessionAuth": []}]
    assert "security" not in schema["paths"]["/api/applications"]["post"]
    headers = {p["name"] for p in schema["paths"]["/api/applications"]["post"]["parameters"]}
    assert headers == {"Idempotency-Key"}
    download = schema["paths"]["/api/applications/{number}/documents/{document_id}"]["get"]
    assert "X-Query-Code" in {p["name"] for p in download["parameters"]}
    apply_body = schema["components"]["schemas"]["ApplyIn"]
    assert "purpose" not in apply_body["properties"]
    assert apply_body["additionalProperties"] is False


def test_the_docs_page_loads_nothing_from_another_host():
    client = Client()
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/api/docs/assets/") for source in sources)
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert b"".join(asset.streaming_content)


def test_only_the_docs_own_files_are_served():
    client = Client()
    assert client.get("/api/docs/assets/redoc.standalone.js").status_code == 404
    assert client.get("/api/docs/assets/..%2F..%2F__init__.py").status_code == 404


def test_every_status_the_api_sends_is_declared_with_its_shape():
    """Found by fuzzing: the 422 was undeclared, or declared as one string while ninja sends
    a list; the 400 of a body that is not JSON and the 401 without a session were missing."""
    schema = Client().get("/api/openapi.json").json()
    invalid = schema["components"]["schemas"]["InvalidOut"]
    assert invalid["properties"]["detail"]["type"] == "array"
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            where = (method, path)
            checked = {p["in"] for p in operation.get("parameters", [])} - {"path"}
            if checked or "requestBody" in operation:
                assert "422" in responses, where
            if "422" in responses:
                shape = responses["422"]["content"]["application/json"]["schema"]
                assert shape == {"$ref": "#/components/schemas/InvalidOut"}, where
            if "requestBody" in operation:
                assert "400" in responses, where
            if path.startswith("/api/staff/"):
                assert "401" in responses, where
