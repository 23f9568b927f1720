"""docs/openapi.json, as the integration suite uses it.

Every JSON answer a test receives from a /v1/ path is checked against the
response schema the document gives for its operation and status
(conftest.py's Maracd.request calls check_answer), so the document cannot
drift from what maracd says without some test failing.  test_openapi.py
checks the other direction: every route has an operation.
"""
import json
import os
import pathlib
import re

import jsonschema

SRC = pathlib.Path(os.environ.get("MARACD_SRCDIR",
                                  pathlib.Path(__file__).resolve().parents[2]))
DOC_PATH = SRC / "docs/openapi.json"
METHODS = ("get", "put", "post", "delete", "patch")

# How many answers check_answer validated (reported at the end of a run).
validated = 0


def load():
    with open(DOC_PATH) as f:
        return json.load(f)


DOC = load()
# Debian 12's python3-jsonschema (4.10) has RefResolver, not referencing:
# "#/components/..." inside a response schema resolves against the document.
_RESOLVER = jsonschema.RefResolver.from_schema(DOC)


def _template_regex(template):
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p)
                                    for p in parts) + "$")


# (literal segments, regex, template, method, operation): a literal
# segment beats a parameter, as routes.c lists /v1/sittings/for before
# /v1/sittings/{}.
_OPERATIONS = sorted(
    ((sum(1 for s in t.split("/") if s and not s.startswith("{")), _template_regex(t), t, m, op)
     for t, item in DOC["paths"].items() for m, op in item.items() if m in METHODS),
    key=lambda o: -o[0])


def find_operation(method, path):
    """(template, operation) documented for method and path, or None."""
    path = path.split("?", 1)[0]
    for _, rx, template, m, op in _OPERATIONS:
        if m == method.lower() and rx.match(path):
            return template, op
    return None


# One validator per response (the drills send thousands of requests).
_VALIDATORS = {}


def _pointer(*parts):
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def check_answer(method, path, status, content_type, body):
    """Fails (AssertionError) when a JSON answer from a /v1/ path does not
    match the document: no operation for it, no response for its status,
    or a body its schema refuses.  The message names the request, the
    schema's place in the document and the place in the answer."""
    global validated
    if not path.startswith("/v1/") or not body:
        return
    if not (content_type or "").split(";")[0].strip() == "application/json":
        return
    found = find_operation(method, path)
    if found is None:
        # An unknown path's 404 or 405: no operation to check it against
        # (test_openapi.py checks that every route has one).
        return
    template, op = found
    responses = op.get("responses", {})
    key = str(status) if str(status) in responses else "default"
    if key not in responses:
        return _fail("%s %s answered %s, which %s %s does not document" % (
            method, path, status, method.upper(), template))
    response = responses[key]
    if "$ref" in response:
        response = _RESOLVER.resolve(response["$ref"])[1]
    media = response.get("content", {}).get("application/json")
    if media is None or "schema" not in media:
        return _fail("%s %s answered %s with JSON; %s %s documents no JSON schema for it" % (
            method, path, status, method.upper(), template))
    where = _pointer("paths", template, method.lower(), "responses", key)
    validator = _VALIDATORS.get(where)
    if validator is None:
        validator = _VALIDATORS[where] = jsonschema.Draft202012Validator(
            media["schema"], resolver=_RESOLVER,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    doc = json.loads(body)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        lines = ["%s %s answered %s; the answer does not match %s:" % (
            method, path, status, where)]
        for e in errors[:10]:
            lines.append("  at $%s: %s (schema: %s)" % (
                "".join("[%r]" % p for p in e.absolute_path), e.message[:300],
                "/".join(str(p) for p in e.absolute_schema_path)))
        _fail("\n".join(lines))
        return
    validated += 1


def _fail(message):
    """MARACD_OPENAPI_REPORT=FILE lists mismatches in FILE and lets the
    tests go on (to see every mismatch of a run while editing the
    document); without it, as always in tools/test and CI, they fail."""
    where = os.environ.get("MARACD_OPENAPI_REPORT")
    if not where:
        raise AssertionError(message)
    with open(where, "a") as f:
        f.write(message + "\n")
