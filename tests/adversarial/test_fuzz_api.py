"""A bounded schemathesis run of the OpenAPI document as an attacker: no key, then a reader key.

``tests/api/routes/test_openapi.py`` checks the contract and that nothing answers 5xx; this run adds
that no generated request — every write route included — changes the store's data (the audit graph
records refusals, nothing else may change) and that the service still answers afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.adversarial.conftest import assert_alive, data_snapshot

MAX_EXAMPLES = 8


def _calling(check: Any) -> Any:
    def call(case: Any) -> None:
        check(case)

    return call


@pytest.mark.slow
@pytest.mark.parametrize("who", ["no-key", "reader"])
def test_fuzzed_requests_change_nothing(
    app: Any, client: Any, disk_store: Any, tokens: dict[str, str], who: str
) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    headers = {"Authorization": f"Bearer {tokens['reader']}"} if who == "reader" else {}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    before = data_snapshot(disk_store)
    server_errors: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        def check(case: Any) -> None:
            nonlocal calls
            calls += 1
            response = case.call(headers=headers)
            if response.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path} {case.query} → {response.status_code}")

        settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy())(_calling(check)))()
    assert calls > 0
    assert not server_errors, "\n".join(server_errors)
    assert data_snapshot(disk_store) == before
    assert_alive(client)
