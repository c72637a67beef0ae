"""Validation in context: a batch sees the stored data it refers to, and only that (the cost of
fetching the context follows the batch, not the size of the store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from defport_kg.errors import ValidationFailed
from defport_kg.imports import import_files
from defport_kg.imports.context import context_triples
from defport_kg.rdfio import parse_file
from defport_kg.store import EmbeddedStore
from tests.imports.conftest import BATCH, write

HEAD = BATCH.read_text().split("\n\n")[0] + "\n\n"


def _shapes_hit(error: ValidationFailed) -> set[str]:
    return {r.source_shape.rsplit("#", 1)[-1] for r in error.report.results if r.severity == "Violation"}


def test_a_relation_may_name_a_stored_organisation_but_not_an_absent_one(store: EmbeddedStore, tmp_path: Path) -> None:
    import_files(store, [BATCH])
    relation = HEAD + (
        'dpid:item\\/lens a dp:Component ; rdfs:label "Lens" .\n'
        "dpid:supply\\/acme-optics--lens a dp:SupplyRelation ; dp:supplier dpid:org\\/acme-optics ;"
        " dp:item dpid:item\\/lens .\n"
    )
    assert import_files(store, [write(tmp_path, "lens.ttl", relation)]).committed
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "ghost.ttl", relation.replace("acme-optics", "nobody"))])
    assert "SupplyRelation-supplierType" in _shapes_hit(caught.value)


def test_share_sums_span_stored_relations(store: EmbeddedStore, tmp_path: Path) -> None:
    import_files(store, [BATCH])  # acme supplies 0.6 of the prism
    more = HEAD + (
        "dpid:supply\\/second--prism a dp:SupplyRelation ; dp:supplier dpid:org\\/acme-optics ;"
        " dp:item dpid:item\\/prism ; dp:share 0.5 .\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "more.ttl", more)])
    assert "ShareSumShape" in _shapes_hit(caught.value)


def test_a_component_cycle_may_close_through_stored_items(store: EmbeddedStore, tmp_path: Path) -> None:
    import_files(store, [BATCH])  # periscope has the prism
    cycle = HEAD + "dpid:item\\/prism dp:hasComponent dpid:item\\/periscope .\n"
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "cycle.ttl", cycle)])
    assert "ComponentCycleShape" in _shapes_hit(caught.value)


def test_identifiers_are_unique_across_the_store(store: EmbeddedStore, tmp_path: Path) -> None:
    import_files(store, [BATCH])
    twin = HEAD + (
        'dpid:org\\/acme-twin a dp:Company ; rdfs:label "Acme twin" ; dp:country dpid:country\\/NL ;'
        ' dp:kvkNumber "87654321" .\n'
    )
    with pytest.raises(ValidationFailed) as caught:
        import_files(store, [write(tmp_path, "twin.ttl", twin)])
    assert "DuplicateKvkShape" in _shapes_hit(caught.value)


def test_an_item_supplied_in_the_store_is_no_data_gap(store: EmbeddedStore, tmp_path: Path) -> None:
    import_files(store, [BATCH])
    relabel = HEAD + 'dpid:item\\/prism rdfs:comment "A right-angle prism." .\n'
    result = import_files(store, [write(tmp_path, "relabel.ttl", relabel)])
    assert result.report.warning_count == 0, result.report.to_text()


def test_the_context_does_not_grow_with_unrelated_data(store: EmbeddedStore, tmp_path: Path) -> None:
    batch = parse_file(BATCH).quads
    before = len(context_triples(store.raw, batch))
    lines = [
        f"<https://w3id.org/defport/id/org/other-{i}> <https://w3id.org/defport/ontology#country> "
        f"<https://w3id.org/defport/id/country/NL> .\n"
        for i in range(3000)
    ]
    store.add_source_graph(
        "https://w3id.org/defport/id/import/unrelated",
        parse_file(write(tmp_path, "unrelated.nt", "".join(lines))).quads,
        role="import",
    )
    assert len(context_triples(store.raw, batch)) == before
