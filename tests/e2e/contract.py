"""The contract of the OpenAPI document (src/api/api_openapi.c), checked one
exchange at a time: the request must match an operation of the document
(path, query arguments, JSON body) and the answer must have a status the
operation lists and a body its schema accepts (python3-jsonschema, draft
2020-12).  A request the document does not describe (no operation, a
query argument or a body it does not take) must be refused: a 4xx with the
error shape.

Used by test_openapi.py on its own replay, and by tests/openapi/
contract_check.py on every exchange the whole e2e suite made (conftest.py
records them when GIAPRANH_CONTRACT_LOG names a directory).
"""
import json
import re
import urllib.parse

from jsonschema import Draft202012Validator, RefResolver


def path_regex(path):
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")


class Contract:
    """Checks each exchange against the document; collects what it saw."""

    def __init__(self, doc):
        self.doc = doc
        self.resolver = RefResolver.from_schema(doc)
        self.paths = sorted(((path_regex(p), p) for p in doc["paths"]),
                            key=lambda x: x[1].count("{"))
        self.seen = set()
        self.problems = []

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def validate(self, schema, value, what):
        errors = list(Draft202012Validator(schema, resolver=self.resolver)
                      .iter_errors(value))
        if errors:
            self.problems.append(f"{what}: {errors[0].message[:300]}")

    def operation(self, method, path):
        for regex, p in self.paths:
            if regex.match(path) and method in self.doc["paths"][p]:
                return p, self.doc["paths"][p]
        return None, None

    def check(self, resp):
        req = resp.request
        url = urllib.parse.urlsplit(req.url)
        method = req.method.lower()
        path = urllib.parse.unquote(url.path)
        p, item = self.operation(method, path)
        what = f"{req.method} {path}"
        refused = resp.status_code >= 400
        if p is None:
            # a request the document does not describe must be refused,
            # with the error shape
            if not refused:
                self.problems.append(f"{what}: no operation in the document")
            else:
                self.check_error_shape(resp, what)
            return
        op = item[method]
        self.seen.add((method, p, resp.status_code))
        params = [self.resolve(x) for x in item.get("parameters", []) +
                  op.get("parameters", [])]
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        declared = {x["name"]: x for x in params if x["in"] == "query"}
        for k, v in query.items():
            if k not in declared:
                if not refused:
                    self.problems.append(f"{what}: query argument {k} not described")
                continue
            schema = declared[k]["schema"]
            if schema.get("type") == "integer" and re.fullmatch(r"-?\d+", v):
                v = int(v)
            # an argument the schema refuses must be refused (4xx)
            if resp.status_code < 300:
                self.validate(schema, v, f"{what} ?{k}")
        for x in declared.values():
            if x.get("required") and x["name"] not in query and resp.status_code < 300:
                self.problems.append(f"{what}: required {x['name']} missing yet answered")
        ctype = (req.headers.get("Content-Type") or "").split(";")[0]
        # a body on GET, HEAD or DELETE has no meaning in HTTP: the server
        # ignores it, so it is not held against the request
        if req.body is not None and ctype == "application/json" and \
                method not in ("get", "head", "delete"):
            body = self.resolve(op.get("requestBody", {})).get("content", {})
            if "application/json" not in body:
                if not refused:
                    self.problems.append(f"{what}: a JSON body the document does not take")
            elif resp.status_code < 400:
                self.validate(body["application/json"]["schema"], json.loads(req.body),
                              f"{what} request body")
        answer = op["responses"].get(str(resp.status_code))
        if answer is None:
            self.problems.append(f"{what}: status {resp.status_code} not described "
                                 f"({sorted(op['responses'])})")
            return
        answer = self.resolve(answer)
        rtype = resp.headers.get("Content-Type", "").split(";")[0]
        # no content (204), or a redirect whose Location is the answer
        if resp.status_code not in (204, 301, 302, 303, 307, 308) and "content" not in answer:
            self.problems.append(f"{what}: {resp.status_code} with a body not described")
        if rtype == "application/json" and resp.request.method != "HEAD":
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                self.problems.append(f"{what}: JSON answer {resp.status_code} not described")
            else:
                self.validate(schema, resp.json(), f"{what} -> {resp.status_code}")

    def check_error_shape(self, resp, what):
        rtype = resp.headers.get("Content-Type", "").split(";")[0]
        if rtype == "application/json" and resp.request.method != "HEAD":
            self.validate(self.doc["components"]["schemas"]["_error"], resp.json(),
                          f"{what} -> {resp.status_code}")
