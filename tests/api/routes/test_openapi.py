"""The OpenAPI document: examples for every route, and a bounded schemathesis run that finds no 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.auth import KeyRing, hashing
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

METHODS = {"get", "post", "put", "patch", "delete"}
PROBLEM = "application/problem+json"
# Routes that answer without any access check (load balancers must reach /health without a key).
OPEN = {"/health"}
# Statuses an operation can answer beyond the generic rules of ``_required_statuses`` (400 for
# parameters or a body, 401/403 behind an access check, 404 for a path parameter).
SPECIFIC_STATUSES: dict[tuple[str, str], set[int]] = {
    ("get", "/health"): {503},
    ("get", "/sparql"): {406, 413, 503},
    ("post", "/sparql"): {406, 413, 415, 503},
    ("post", "/api/imports"): {200, 201, 413, 415, 422},
    ("get", "/api/queries/{name}"): {406},
    ("get", "/api/export"): {406},
    **{
        ("get", f"/api/risk/{name}"): {404}
        for name in ("cut-sets", "impact", "sovereignty", "export-control", "raw-materials", "sustainment", "explain")
    },
    **{("get", f"/api/scale/{name}"): {404} for name in ("max-output", "surge", "alternatives", "disruption")},
}


def _document(store: EmbeddedStore) -> dict[str, Any]:
    return TestClient(create_app(store, Settings())).get("/openapi.json").json()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def _has_example(content: dict[str, Any], schemas: dict[str, Any]) -> bool:
    if "example" in content or "examples" in content:
        return True
    ref = content.get("schema", {}).get("$ref", "")
    return bool(ref) and "examples" in schemas.get(ref.rsplit("/", 1)[-1], {})


def test_every_success_answer_has_an_example_in_every_media_type(memory_store: EmbeddedStore) -> None:
    document = _document(memory_store)
    schemas = document.get("components", {}).get("schemas", {})
    missing = []
    for method, path, operation in _operations(document):
        successes = {status: r for status, r in operation["responses"].items() if status.startswith("2")}
        if not successes:
            missing.append(f"{method.upper()} {path}: no 2xx answer")
        for status, response in successes.items():
            content = response.get("content", {})
            if not content:
                missing.append(f"{method.upper()} {path} {status}: no media type")
            missing += [
                f"{method.upper()} {path} {status} {media}"
                for media, body in content.items()
                if not _has_example(body, schemas)
            ]
    assert not missing, f"success answers without an example: {missing}"


def _required_statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    required = set(SPECIFIC_STATUSES.get((method, path), set()))
    parameters = operation.get("parameters", [])
    if parameters or "requestBody" in operation:
        required.add(400)
    if any(p["in"] == "path" for p in parameters):
        required.add(404)
    if path not in OPEN:
        required |= {401, 403}
    return required


def test_every_operation_documents_the_errors_it_can_answer(memory_store: EmbeddedStore) -> None:
    document = _document(memory_store)
    gaps = []
    for method, path, operation in _operations(document):
        documented = {int(status) for status in operation["responses"] if status.isdigit()}
        missing = _required_statuses(method, path, operation) - documented
        if missing:
            gaps.append(f"{method.upper()} {path}: {sorted(missing)}")
    assert not gaps, f"answers not documented: {gaps}"


def test_every_error_answer_is_a_problem_with_an_example(memory_store: EmbeddedStore) -> None:
    document = _document(memory_store)
    wrong = []
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith(("4", "5")) or (method, path, status) == ("get", "/health", "503"):
                continue
            body = response.get("content", {}).get(PROBLEM)
            if body is None or "example" not in body or body["example"]["status"] != int(status):
                wrong.append(f"{method.upper()} {path} {status}")
    assert not wrong, f"error answers without a problem+json example: {wrong}"


# -- the examples have the shape of real answers -----------------------------------------------

RADAR = "dpid:item/ex-naval-radar"
# (path, parameters) of a real request on the example data for each documented example.
SAMPLE_REQUESTS: dict[str, dict[str, Any]] = {
    "/api/risk/cut-sets": {"item": RADAR, "max_order": 2},
    "/api/risk/spof": {"unit": "country"},
    "/api/risk/single-source": {},
    "/api/risk/concentration": {},
    "/api/risk/impact": {"unit": "dpid:country/CN"},
    "/api/risk/sovereignty": {"system": RADAR},
    "/api/risk/export-control": {"system": RADAR},
    "/api/risk/raw-materials": {"system": RADAR},
    "/api/risk/sustainment": {"system": RADAR},
    "/api/risk/explain": {"unit": "dpid:org/ex-ch-semis", "system": RADAR},
    "/api/risk/findings": {},
    "/api/scale/max-output": {"system": RADAR},
    "/api/scale/surge": {"system": RADAR, "target": 2},
    "/api/scale/alternatives": {"item": RADAR},
    "/api/scale/disruption": {"system": RADAR, "fail": "dpid:org/ex-ch-semis"},
    "/api/scale/needs": {},
    "/api/search": {"q": "radar", "kind": "organisation"},
    "/api/queries": {},
    "/health": {},
}


def _is_map(value: dict[str, Any]) -> bool:
    """A dict keyed by IRIs (labels, outputs per system): its keys are data, not shape."""
    return bool(value) and all(key.startswith(("http://", "https://")) for key in value)


def _shape_differences(example: Any, real: Any, where: str = "$") -> list[str]:
    """Where the example's keys differ from the real answer's (lists: first entries compared)."""
    if isinstance(example, dict) and isinstance(real, dict):
        if _is_map(example) or _is_map(real):
            if example and real:
                return _shape_differences(next(iter(example.values())), next(iter(real.values())), where + "[iri]")
            return []
        differences = []
        if example.keys() != real.keys():
            differences.append(
                f"{where}: example lacks {sorted(real.keys() - example.keys())}, "
                f"has extra {sorted(example.keys() - real.keys())}"
            )
        for key in example.keys() & real.keys():
            differences += _shape_differences(example[key], real[key], f"{where}.{key}")
        return differences
    if isinstance(example, list) and isinstance(real, list):
        return _shape_differences(example[0], real[0], where + "[0]") if example and real else []
    if isinstance(example, dict | list) != isinstance(real, dict | list) and None not in (example, real):
        return [f"{where}: example {type(example).__name__}, real {type(real).__name__}"]
    return []


def _documented(document: dict[str, Any], path: str, media: str) -> Any:
    responses = document["paths"][path]["get"]["responses"]
    content = next(r["content"] for status, r in responses.items() if status.startswith("2"))
    body = content.get(media)
    if body is None:
        return None
    if "example" in body:
        return body["example"]
    ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
    return document["components"]["schemas"][ref]["examples"][0]


def test_examples_have_the_keys_of_real_answers(example_store_readonly: EmbeddedStore) -> None:
    client = TestClient(create_app(example_store_readonly, Settings()))
    document = client.get("/openapi.json").json()
    differences = []
    for path, params in SAMPLE_REQUESTS.items():
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, response.text[:300])
        differences += [
            f"{path} {d}" for d in _shape_differences(_documented(document, path, "application/json"), response.json())
        ]
        csv_example = _documented(document, path, "text/csv")
        if csv_example is not None:
            real = client.get(path, params={**params, "format": "csv"})
            assert real.headers["content-type"].startswith("text/csv"), path
            if real.text and csv_example.splitlines()[0] != real.text.splitlines()[0]:
                differences.append(
                    f"{path} CSV header {csv_example.splitlines()[0]!r} != {real.text.splitlines()[0]!r}"
                )
    assert not differences, "examples to update in src/defport_kg/api/examples.py:\n" + "\n".join(differences)
    assert client.get("/api/scale/needs.svg").text.startswith(
        _documented(document, "/api/scale/needs.svg", "image/svg+xml")[:40]
    )


def test_the_sparql_examples_have_the_shape_of_real_answers(example_store_readonly: EmbeddedStore) -> None:
    with TestClient(create_app(example_store_readonly, Settings())) as client:
        document = client.get("/openapi.json").json()
        query = "SELECT ?org ?label WHERE { ?org a dp:Organisation ; rdfs:label ?label } LIMIT 1"
        prefixed = (
            "PREFIX dp: <https://w3id.org/defport/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        )
        response = client.get("/sparql", params={"query": prefixed + query})
        assert response.status_code == 200, response.text
        example = _documented(document, "/sparql", "application/sparql-results+json")
        assert not _shape_differences(example, response.json())
        assert example["head"]["vars"] == response.json()["head"]["vars"]


def test_import_examples_have_the_keys_of_real_answers(example_store: EmbeddedStore) -> None:
    """Every documented answer of /api/imports against a real import, replacement, diff and rollback."""
    from defport_kg.api import examples
    from tests.api.routes.conftest import make_api
    from tests.imports.conftest import BATCH

    api = make_api(example_store)
    steward = {"Content-Type": "text/turtle", **api.auth("steward")}
    reader = api.auth("reader")
    batch = BATCH.read_text()
    post = api.client.post
    dry = post("/api/imports", content=batch, headers=steward, params={"dry_run": "true"})
    first = post("/api/imports", content=batch, headers=steward, params={"name": "suppliers.ttl"})
    changed = batch.replace("dp:share 0.6", "dp:share 0.3")
    second = post(
        "/api/imports", content=changed, headers=steward, params={"name": "suppliers.ttl", "replace": "suppliers.ttl"}
    )
    ghost = batch.split("\n\n")[0] + "\n\ndpid:supply\\/ghost a dp:SupplyRelation ; dp:item dpid:item\\/x .\n"
    violations = post("/api/imports", content=ghost, headers=steward)
    assert (dry.status_code, first.status_code, second.status_code, violations.status_code) == (200, 201, 201, 422)
    a, b = first.json()["import"], second.json()["import"]
    real = {
        "dry_run": dry.json(),
        "created": second.json(),
        "violations": violations.json(),
        # Read with a key: imports are marked, and an anonymous caller may not see them.
        "list": api.client.get("/api/imports", headers=reader).json(),
        "show": api.client.get(f"/api/imports/{b}", headers=reader).json(),
        "diff": api.client.get(f"/api/imports/{a}/diff/{b}", headers=reader).json(),
        "rollback": post(f"/api/imports/{b}/rollback", headers=api.auth("steward")).json(),
    }
    differences = [
        f"{name} {d}" for name, body in real.items() for d in _shape_differences(examples.IMPORTS[name], body)
    ]
    assert not differences, differences
    # And the document carries them where a reader looks: under the status that answers them.
    responses = api.client.get("/openapi.json").json()["paths"]["/api/imports"]["post"]["responses"]
    assert responses["201"]["content"]["application/json"]["example"] == examples.IMPORTS["created"]
    assert responses["422"]["content"][PROBLEM]["example"]["report"]["conforms"] is False


def test_shape_differences_notices_a_missing_key() -> None:
    real = {"systems": [{"system": "x", "share": 0.5}], "labels": {"https://a": "A"}}
    assert _shape_differences({"systems": [{"system": "y", "share": 1.0}], "labels": {"https://b": "B"}}, real) == []
    assert _shape_differences({"systems": [{"system": "y"}], "labels": {}}, real) == [
        "$.systems[0]: example lacks ['share'], has extra []"
    ]
    assert _shape_differences({"systems": []}, real) == ["$: example lacks ['labels'], has extra []"]


def test_every_parameter_of_this_issue_has_an_example(memory_store: EmbeddedStore) -> None:
    document = _document(memory_store)
    ours = ("/api/search", "/api/export", "/api/audit", "/api/keys", "/api/queries")
    missing = [
        f"{path} {parameter['name']}"
        for path, item in document["paths"].items()
        if path.startswith(ours)
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if "examples" not in parameter and "example" not in parameter and "examples" not in parameter.get("schema", {})
    ]
    assert not missing, missing


def test_auth_is_declared_as_a_bearer_scheme(memory_store: EmbeddedStore) -> None:
    schemes = _document(memory_store)["components"]["securitySchemes"]
    assert schemes["apiKey"]["type"] == "http" and schemes["apiKey"]["scheme"].lower() == "bearer"


# -- schemathesis ------------------------------------------------------------------------------

MAX_EXAMPLES = 15


def _calling(check: Any) -> Any:
    """A one-argument test function for @given (which refuses functions with defaults)."""

    def call(case: Any) -> None:
        check(case)

    return call


@pytest.fixture(scope="module")
def example_app_with_admin(
    _example_store_dir: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, str]]:
    import shutil

    target = tmp_path_factory.mktemp("schemathesis") / "store"
    shutil.copytree(_example_store_dir, target)
    store = EmbeddedStore.open(target)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        _, token = KeyRing(store).add("schemathesis admin", "admin")
        yield create_app(store, Settings()), token
    store.close()


@pytest.mark.slow
@pytest.mark.parametrize("authorised", [False, True], ids=["no-key", "admin-key"])
def test_schemathesis_finds_no_server_error(example_app_with_admin: tuple[Any, str], authorised: bool) -> None:
    """Every operation of the OpenAPI document, a bounded number of generated requests each."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    app, token = example_app_with_admin
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"} if authorised else {}
    server_errors: list[str] = []
    contract: list[str] = []
    calls = 0
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "DELETE" and authorised:
            continue  # revoking the test's own key would turn the rest of the run into 401s
        operations += 1

        def check(case: Any) -> None:
            nonlocal calls
            calls += 1
            response = case.call(headers=headers)
            if response.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path} {case.query} → {response.status_code}")
                return
            # Every operation: the status, media type and body are the ones the document declares.
            case.validate_response(
                response, checks=[status_code_conformance, content_type_conformance, response_schema_conformance]
            )

        run = settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy())(_calling(check)))

        try:
            run()
        except BaseException as error:  # a contract violation (an exception group): note it, go on
            contract.append(f"{operation.method.upper()} {operation.path}: {str(error)[:800]}")
    assert calls > operations, f"schemathesis generated (almost) no requests: {calls} {operations} {contract[:3]}"
    assert not server_errors, "\n".join(server_errors)
    assert not contract, "\n".join(contract)


def test_a_key_for_an_organisation_that_is_no_iri_is_a_400(api_factory: Any) -> None:
    """Found by the schemathesis run: such a value used to fail in the store write (500)."""
    api = api_factory()
    response = api.client.post(
        "/api/keys", json={"name": "odd", "organisations": ["dpid:org/ok", "http://x/a b"]}, headers=api.auth("admin")
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"].startswith("organisations[1]: 'http://x/a b' is not an IRI")
