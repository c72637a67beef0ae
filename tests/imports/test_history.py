"""Provenance, replacing, rollback and diff: every version stays in history, outside the live data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from defport_kg.errors import NotFoundError, UsageError, ValidationFailed
from defport_kg.imports import check_imports, diff, import_files, list_imports, resolve, rollback, show
from defport_kg.store import STATUS_LIVE, STATUS_ROLLED_BACK, STATUS_SUPERSEDED, EmbeddedStore
from tests.imports.conftest import BATCH, DP, SUPPLY, snapshot, write

PROV = "http://www.w3.org/ns/prov#"
ITEM_PRISM = "https://w3id.org/defport/id/item/prism"
SHARE = f"SELECT ?s WHERE {{ <{SUPPLY}> <{DP}share> ?s }}"


def _version(folder: Path, share: str, name: str = "suppliers.ttl") -> Path:
    return write(folder, name, BATCH.read_text().replace("dp:share 0.6", f"dp:share {share}"))


def test_provenance_records_who_when_what_and_the_result(store: EmbeddedStore, tmp_path: Path) -> None:
    path = _version(tmp_path, "0.6")
    result = import_files(store, [path], user="key:importer bot")
    record = show(store, result.import_id)
    assert record["sources"] == ["suppliers.ttl"]
    assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["user"] == "key:importer bot"
    assert record["triples"] == record["stored_triples"] == result.triple_count == 19
    assert record["conforms"] is True and record["violations"] == 0 and record["warnings"] == 0
    assert record["shapes_version"] and record["generated_at"].startswith("20")
    assert record["formats"] == ["text/turtle"] and record["status"] == "live"
    # The record is PROV-O in the catalogue graph.
    assert store.raw.query(
        f"ASK {{ GRAPH <https://w3id.org/defport/id/graph/catalog> {{ <{result.graph}> a <{PROV}Entity> ; "
        f"<{PROV}generatedAtTime> ?t ; <{PROV}wasAttributedTo> ?who }} }}"
    )


def test_the_local_user_is_recorded_on_the_command_line(store: EmbeddedStore, tmp_path: Path) -> None:
    result = import_files(store, [_version(tmp_path, "0.6")])
    assert show(store, result.import_id)["user"].startswith("cli:")


def test_replace_supersedes_atomically_and_keeps_history(store: EmbeddedStore, tmp_path: Path) -> None:
    first = import_files(store, [_version(tmp_path / "1", "0.6")])
    second = import_files(store, [_version(tmp_path / "2", "0.7")], replace="suppliers.ttl")
    assert second.replaced == [first.graph]
    # No double counting of the old and the new share: the old version is out of the live data.
    assert store.select(SHARE) == [{"s": 0.7}]
    statuses = {r.graph: r.status for r in list_imports(store)}
    assert statuses == {first.graph: STATUS_SUPERSEDED, second.graph: STATUS_LIVE}
    assert store.triple_count(first.graph) == 19  # history keeps the superseded version
    assert show(store, second.import_id)["revision_of"] == [first.import_id]
    assert show(store, first.import_id)["revised_by"] == [second.import_id]
    assert store.check() == [] and check_imports(store) == []


def test_a_replacement_is_validated_without_the_version_it_replaces(store: EmbeddedStore, tmp_path: Path) -> None:
    """Old share 0.6 + new share 0.7 would exceed 1: the old one must not count against the new."""
    import_files(store, [_version(tmp_path / "1", "0.6")])
    second = import_files(store, [_version(tmp_path / "2", "0.7").with_name("suppliers.ttl")], replace="suppliers.ttl")
    assert second.committed


def test_rollback_makes_the_previous_version_live_again(store: EmbeddedStore, tmp_path: Path) -> None:
    first = import_files(store, [_version(tmp_path / "1", "0.6")])
    before_second = snapshot(store)
    second = import_files(store, [_version(tmp_path / "2", "0.7")], replace="suppliers.ttl")
    result = rollback(store, second.import_id)
    assert result.reactivated == [first.graph]
    assert store.select(SHARE) == [{"s": 0.6}]
    statuses = {r.graph: r.status for r in list_imports(store)}
    assert statuses == {first.graph: STATUS_LIVE, second.graph: STATUS_ROLLED_BACK}
    assert store.check() == [] and check_imports(store) == []
    # The live data is exactly as before the second import (the history has grown).
    live = "https://w3id.org/defport/id/graph/live"
    assert {q for q in snapshot(store) if live in q} == {q for q in before_second if live in q}
    with pytest.raises(UsageError, match="not live"):
        rollback(store, second.import_id)


def test_rollback_without_a_previous_version_takes_it_out(store: EmbeddedStore, tmp_path: Path) -> None:
    before = store.triple_count()
    only = import_files(store, [_version(tmp_path, "0.6")])
    assert store.triple_count() > before
    assert rollback(store, only.import_id).reactivated == []
    assert store.triple_count() == before and store.select(SHARE) == []
    assert show(store, only.import_id)["rolled_back_at"] is not None
    assert store.check() == [] and check_imports(store) == []


def test_diff_lists_added_and_removed_statements(store: EmbeddedStore, tmp_path: Path) -> None:
    first = import_files(store, [_version(tmp_path / "1", "0.6")])
    second = import_files(store, [_version(tmp_path / "2", "0.7")], replace="suppliers.ttl")
    result = diff(store, first.import_id, second.import_id)
    assert result["added"] == [f'<{SUPPLY}> <{DP}share> "0.7"^^<http://www.w3.org/2001/XMLSchema#decimal> .']
    assert result["removed"] == [f'<{SUPPLY}> <{DP}share> "0.6"^^<http://www.w3.org/2001/XMLSchema#decimal> .']
    assert result["unchanged_count"] == 18 and not result["truncated"]


def test_imports_are_found_by_id_prefix_or_iri(store: EmbeddedStore, tmp_path: Path) -> None:
    result = import_files(store, [_version(tmp_path, "0.6")])
    assert resolve(store, result.graph).id == result.import_id
    assert resolve(store, "dpid:import/" + result.import_id).id == result.import_id
    assert resolve(store, result.import_id[:12]).id == result.import_id
    with pytest.raises(NotFoundError):
        resolve(store, "no-such-import")


# -- a rollback revalidates what it makes live again ---------------------------------------------

OTHER_SUPPLIER = """@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix dpid: <https://w3id.org/defport/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

dpid:org\\/boreal a dp:Company ; rdfs:label "Boreal Glassworks AB" ; dp:country dpid:country\\/SE .

dpid:supply\\/boreal--prism a dp:SupplyRelation ;
    dp:supplier dpid:org\\/boreal ;
    dp:item dpid:item\\/prism ;
    dp:share 0.7 .
"""


def _history_that_no_longer_adds_up(store: EmbeddedStore, folder: Path) -> tuple[str, str]:
    """v1 (share 0.6) replaced by v2 (share 0.3), then another supplier of the prism with 0.7: fine
    today (0.3 + 0.7), but v1 live again would make the shares of the prism add up to 1.3."""
    first = import_files(store, [_version(folder / "1", "0.6")])
    second = import_files(store, [_version(folder / "2", "0.3")], replace="suppliers.ttl")
    import_files(store, [write(folder, "boreal.ttl", OTHER_SUPPLIER)])
    return first.import_id, second.import_id


def test_rollback_refuses_a_version_that_fails_in_todays_live_data(store: EmbeddedStore, tmp_path: Path) -> None:
    first, second = _history_that_no_longer_adds_up(store, tmp_path)
    before = snapshot(store)
    with pytest.raises(ValidationFailed, match=f"would make {first} live again with 1 violation") as failure:
        rollback(store, second)
    report = failure.value.report
    [result] = report.results
    assert result.severity.endswith("Violation") and result.focus_node == ITEM_PRISM
    assert result.location == f"import {first} (suppliers.ttl)"  # where the reactivated statements are
    assert snapshot(store) == before  # nothing changed: the catalogue, the live data, every graph
    assert store.select(SHARE) == [{"s": 0.3}]


def test_rollback_context_leaves_out_the_version_rolled_back(store: EmbeddedStore, tmp_path: Path) -> None:
    """v2's share 0.7 is still live while v1 (0.6) is validated; it must not count (1.3 > 1)."""
    first = import_files(store, [_version(tmp_path / "1", "0.6")])
    second = import_files(store, [_version(tmp_path / "2", "0.7")], replace="suppliers.ttl")
    result = rollback(store, second.import_id)
    assert result.reactivated == [first.graph] and result.report.conforms
    assert result.to_json()["report"]["conforms"] is True
    assert store.select(SHARE) == [{"s": 0.6}]


def test_rollback_warnings_do_not_block(store: EmbeddedStore, tmp_path: Path) -> None:
    without_kvk = BATCH.read_text().replace(
        '    dp:country dpid:country\\/NL ;\n    dp:kvkNumber "87654321" .', "    dp:country dpid:country\\/NL ."
    )
    assert without_kvk != BATCH.read_text()
    first = import_files(store, [write(tmp_path / "1", "suppliers.ttl", without_kvk)])
    assert first.report.warning_count > 0
    second = import_files(store, [_version(tmp_path / "2", "0.7")], replace="suppliers.ttl")
    result = rollback(store, second.import_id)
    assert result.reactivated == [first.graph]
    assert result.report.conforms and result.report.warning_count == first.report.warning_count
    assert {r.graph: r.status for r in list_imports(store)}[first.graph] == STATUS_LIVE


def test_rollback_route_answers_422_with_the_report(store: EmbeddedStore, tmp_path: Path) -> None:
    from tests.api.routes.conftest import make_api

    first, second = _history_that_no_longer_adds_up(store, tmp_path)
    api = make_api(store)
    before = snapshot(store, with_audit=False)
    answer = api.client.post(f"/api/imports/{second}/rollback", headers=api.auth("steward"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 422 and "nothing was changed" in problem["detail"]
    [result] = problem["report"]["results"]
    assert result["focus_node"] == ITEM_PRISM and result["location"] == f"import {first} (suppliers.ttl)"
    assert snapshot(store, with_audit=False) == before


def test_rollback_command_exits_1_with_the_report(store: EmbeddedStore, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    first, second = _history_that_no_longer_adds_up(store, tmp_path)
    before = snapshot(store)
    directory = store.directory
    store.close()  # the command line opens the store itself
    done = run_cli("imports", "rollback", second, store=directory)
    assert done.returncode == 1, done.stderr
    assert ITEM_PRISM in done.stdout and f"import {first} (suppliers.ttl)" in done.stdout
    assert "nothing was changed" in done.stderr
    as_json = run_cli("imports", "rollback", second, "--json", store=directory)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["conforms"] is False
    with EmbeddedStore.open(directory) as reopened:
        assert snapshot(reopened) == before
