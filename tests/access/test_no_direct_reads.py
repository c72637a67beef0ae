"""A guard: API code answers reads from the caller's view, never from the whole store.

Every read path goes through ``deps.view_of`` (``StoreDep``, ``read_store``, ``network_for``). A
new route that reads ``app.state.store`` directly would answer from data its caller may not see;
this test names it. The places listed are writes or bookkeeping, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

API = Path(__file__).resolve().parents[2] / "src" / "defport_kg" / "api"

# (file, the line's code) → why it may use the whole store
ALLOWED = {
    ("deps.py", "return request.app.state.store  # type: ignore[no-any-return]"): "get_full_store: for writes",
    ("app.py", "app.state.store = store"): "where it is set",
    ("routes/sparql.py", "app.state.store,"): "the query engine snapshots the store; each query gets the caller's view",
    (
        "routes/sparql.py",
        'if settings.query_cache_mb <= 0 or getattr(app.state.store, "kind", None) != "embedded":',
    ): "the kind only: the result cache is for embedded stores",
    (
        "routes/health.py",
        'return JSONResponse({"status": "ok", "store": request.app.state.store.kind, "triples": triples})',
    ): "the kind only; the count is the anonymous view's",
    (
        "routes/metrics.py",
        "gauges = self.store_gauges(access.view(access.anonymous).store if access is not None else app_state.store)",
    ): "the anonymous view's figures",
    (
        "routes/imports.py",
        "_run_import, request.app.state.store, inputs, template=template, dry_run=dry_run, replace=replace,",
    ): "the import writes; it is validated against the importer's view",
    (
        "routes/imports.py",
        'replaced = show(request.app.state.store, import_id).get("revision_of", [])',
    ): "checks that a rollback revives nothing hidden",
    (
        "routes/imports.py",
        "return rollback(request.app.state.store, import_id, user=_user(request)).to_json()",
    ): "the rollback writes, after the visibility checks",
}


def test_no_route_reads_the_whole_store() -> None:
    found = []
    for path in sorted(API.rglob("*.py")):
        for line in path.read_text().splitlines():
            code = line.strip()
            if re.search(r"app_?\.?state\.store\b", code) and not code.startswith("#"):
                key = (path.relative_to(API).as_posix(), code)
                if key not in ALLOWED:
                    found.append(f"{key[0]}: {code}")
    assert not found, "reads of the whole store outside the allowed places (use deps.read_store):\n" + "\n".join(found)
