"""docs/openapi.json against maracd: the document names every route and
only routes, maracd serves it, and the answer check of the whole suite
(openapi.check_answer, called by conftest's Maracd.request) really
refuses answers that do not match."""
import json
import re

import jsonschema
import pytest

import openapi
from conftest import SRC

# maracd has no route table it could list over HTTP: its one table is
# daemon/shell/routes.c, read here as the compiler reads it.
ROUTE = re.compile(r'\{\s*HTTP_(GET|POST|PUT|PATCH|DELETE),\s*"([^"]+)"')


def routes():
    text = (SRC / "daemon/shell/routes.c").read_text()
    table = text[text.index("api_routes[]"):]
    return {(m.lower(), path) for m, path in ROUTE.findall(table)}


def documented():
    """(method, path) of every operation, parameters written {} as in routes.c."""
    return {(m, re.sub(r"\{[^}]+\}", "{}", path))
            for path, item in openapi.DOC["paths"].items()
            for m in item if m in openapi.METHODS}


def test_routes_c_is_read():
    # The parser must see the table, or the comparison below proves nothing.
    found = routes()
    assert ("get", "/healthz") in found and ("post", "/v1/referrals") in found
    assert len(found) >= 30, found


def test_every_route_has_an_operation_and_every_operation_a_route():
    served, doc = routes(), documented()
    assert not served - doc, "routes in routes.c without an operation in docs/openapi.json: %s" \
        % sorted(served - doc)
    assert not doc - served, "operations in docs/openapi.json that routes.c does not serve: %s" \
        % sorted(doc - served)


def test_every_schema_is_valid_and_every_reference_resolves():
    jsonschema.Draft202012Validator.check_schema(
        {"$defs": openapi.DOC["components"]["schemas"]})
    refs = set(re.findall(r'"\$ref": "(#[^"]+)"', json.dumps(openapi.DOC)))
    assert refs
    for r in refs:
        openapi._RESOLVER.resolve(r)


def test_maracd_serves_the_document_without_a_token(maracd):
    r = maracd.request("GET", "/v1/openapi.json")
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert json.loads(r.body) == openapi.load()


def test_the_answer_check_refuses_a_wrong_type_and_a_missing_field(monkeypatch):
    monkeypatch.delenv("MARACD_OPENAPI_REPORT", raising=False)
    good = {"token_id": 1, "role": "admin", "agency": None, "forum": None, "areas": None}
    openapi.check_answer("GET", "/v1/whoami", 200, "application/json", json.dumps(good))
    with pytest.raises(AssertionError) as e:
        openapi.check_answer("GET", "/v1/whoami", 200, "application/json",
                             json.dumps(dict(good, token_id="1")))
    assert "GET /v1/whoami" in str(e.value) and "token_id" in str(e.value)
    assert "#/paths/~1v1~1whoami/get/responses/200" in str(e.value)
    missing = dict(good)
    del missing["role"]
    with pytest.raises(AssertionError) as e:
        openapi.check_answer("GET", "/v1/whoami", 200, "application/json", json.dumps(missing))
    assert "'role' is a required property" in str(e.value)
    # A nested schema reached through $ref, and the error shape.
    with pytest.raises(AssertionError) as e:
        openapi.check_answer("GET", "/v1/referrals/7", 404, "application/json",
                             json.dumps({"error": "not_found"}))
    assert "message" in str(e.value)
