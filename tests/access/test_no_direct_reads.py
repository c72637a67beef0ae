"""A guard: API code answers reads from the caller's view, never from the whole store.

Every read path goes through ``deps.view_of`` (``StoreDep``, ``read_store``, ``network_for``). A
new route that reads ``app.state.store`` directly would answer from data its caller may not see;
this test names it. The places listed are writes or bookkeeping, each with its reason. They are
named by function and counted, not by line text, so that reformatting a call does not trip the
guard while a new use in an allowed function still does.
"""

from __future__ import annotations

import ast
from pathlib import Path

API = Path(__file__).resolve().parents[2] / "src" / "defport_kg" / "api"

# (file, enclosing function) → (how many uses, why it may use the whole store)
ALLOWED: dict[tuple[str, str], tuple[int, str]] = {
    ("deps.py", "get_full_store"): (1, "for writes"),
    ("app.py", "create_app"): (1, "where it is set"),
    ("routes/sparql.py", "engine_for"): (1, "the query engine snapshots the store; each query gets the caller's view"),
    ("routes/sparql.py", "_result_cache"): (1, "the kind only: the result cache is for embedded stores"),
    ("routes/health.py", "health"): (1, "the kind only; the count is the anonymous view's"),
    ("routes/metrics.py", "Metrics.render"): (1, "the anonymous view's figures"),
    ("routes/imports.py", "create_import"): (1, "the import writes; it is validated against the importer's view"),
    ("routes/imports.py", "rollback_import"): (
        2,
        "checks that a rollback revives nothing hidden, then the rollback writes, after the visibility checks",
    ),
}


def _is_whole_store(node: ast.AST) -> bool:
    """``<anything>.state.store`` or ``app_state.store``."""
    if not (isinstance(node, ast.Attribute) and node.attr == "store"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "state") or (
        isinstance(owner, ast.Name) and owner.id == "app_state"
    )


def whole_store_uses(source: str) -> list[tuple[str, int]]:
    """(enclosing function or class path, line) of every use of the whole store in ``source``."""
    uses: list[tuple[str, int]] = []

    def walk(node: ast.AST, where: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = (*where, child.name)
            if _is_whole_store(child):
                uses.append((".".join(where) or "<module>", child.lineno))
            walk(child, inner)

    walk(ast.parse(source), ())
    return uses


def beyond_allowed(uses_by_file: dict[str, list[tuple[str, int]]]) -> list[str]:
    """Each function using the whole store more often than ``ALLOWED`` says, with its lines."""
    lines: dict[tuple[str, str], list[int]] = {}
    for name, uses in uses_by_file.items():
        for where, line in uses:
            lines.setdefault((name, where), []).append(line)
    return [
        f"{name}:{','.join(map(str, at))} in {where}: {len(at)} use(s)"
        for (name, where), at in sorted(lines.items())
        if len(at) > ALLOWED.get((name, where), (0, ""))[0]
    ]


def test_no_route_reads_the_whole_store() -> None:
    uses = {path.relative_to(API).as_posix(): whole_store_uses(path.read_text()) for path in sorted(API.rglob("*.py"))}
    found = beyond_allowed(uses)
    assert not found, "reads of the whole store outside the allowed places (use deps.read_store):\n" + "\n".join(found)


def test_the_guard_sees_every_way_of_writing_it() -> None:
    source = (
        "def route(request):\n"
        "    a = request.app.state.store\n"
        "    b = getattr(app.state.store, 'kind', None)\n"
        "    c = f(\n        request.app.state.store,\n        1,\n    )\n"
        "class Metrics:\n    def render(self, app_state):\n        return app_state.store\n"
        "# app.state.store in a comment is no use\n"
        "text = 'app.state.store in a string is no use'\n"
    )
    assert whole_store_uses(source) == [("route", 2), ("route", 3), ("route", 5), ("Metrics.render", 10)]


def test_a_new_use_in_an_allowed_function_is_named() -> None:
    one_more = [("create_import", 10), ("create_import", 20)]
    assert beyond_allowed({"routes/imports.py": one_more}) == ["routes/imports.py:10,20 in create_import: 2 use(s)"]
    assert beyond_allowed({"routes/imports.py": one_more[:1]}) == []
    assert beyond_allowed({"routes/new.py": [("<module>", 3)]}) == ["routes/new.py:3 in <module>: 1 use(s)"]
