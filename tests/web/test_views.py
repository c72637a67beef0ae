"""The view data behind the pages, on a small hand-made supply network (CONTRACT §2 terms)."""

from __future__ import annotations

import pytest

from defport_kg.store import EmbeddedStore
from defport_kg.web import views
from tests.conftest import turtle_quads

NETWORK = """
i:s a dp:System ; rdfs:label "Test system"@en, "Testsysteem"@nl ; dp:hasComponent i:a, i:b .
i:a a dp:Component ; rdfs:label "Part A"@en ; dp:hasComponent i:c .
i:b a dp:Component ; rdfs:label "Part B"@en ; dp:exportControl dp:ITAR .
i:c a dp:Component ; rdfs:label "Part C"@en .
i:m a dp:CriticalRawMaterial ; rdfs:label "Metal M"@en .
o:nl a dp:Company ; rdfs:label "NL Co"@en ; dp:country c:NL .
o:de a dp:Company ; rdfs:label "DE Co"@en ; dp:country c:DE .
o:cn a dp:Company ; rdfs:label "CN Co"@en ; dp:country c:CN .
s:s a dp:SupplyRelation ; dp:supplier o:nl ; dp:item i:s .
s:a a dp:SupplyRelation ; dp:supplier o:nl ; dp:item i:a ; dp:requiresInput i:m .
s:b a dp:SupplyRelation ; dp:supplier o:de ; dp:item i:b .
s:m a dp:SupplyRelation ; dp:supplier o:cn ; dp:item i:m .
"""
ITEM = "https://w3id.org/defport/id/item/"
ORG = "https://w3id.org/defport/id/org/"


def _store() -> EmbeddedStore:
    store = EmbeddedStore.in_memory()
    store.add_source_graph("https://w3id.org/defport/id/graph/test", turtle_quads(NETWORK), role="import")
    return store


def test_supply_tree_has_items_suppliers_and_the_server_side_marks() -> None:
    store = _store()
    tree = views.supply_tree(store, views.network_of(store), ITEM + "s", "en")
    assert tree is not None
    nodes = {n["id"]: n for n in tree["nodes"]}
    assert set(nodes) == {ITEM + i for i in "sabcm"} | {ORG + o for o in ("nl", "de", "cn")}
    assert nodes[ITEM + "s"]["flags"] == ["system"] and nodes[ITEM + "s"]["depth"] == 0
    assert "foreign_only" in nodes[ITEM + "b"]["flags"] and "export_control" in nodes[ITEM + "b"]["flags"]
    assert "foreign_only" not in nodes[ITEM + "a"]["flags"]
    assert {"foreign_only", "critical_raw_material"} <= set(nodes[ITEM + "m"]["flags"])
    assert nodes[ITEM + "c"]["flags"] == ["data_gap"]
    assert nodes[ORG + "de"]["flags"] == ["foreign"] and nodes[ORG + "nl"]["flags"] == []
    assert nodes[ORG + "nl"]["kind"] == "organisation" and nodes[ITEM + "a"]["kind"] == "item"
    edges = {(e["source"], e["target"], e["kind"]) for e in tree["edges"]}
    assert (ITEM + "s", ITEM + "a", "component") in edges
    assert (ITEM + "a", ORG + "nl", "supplier") in edges
    assert (ORG + "nl", ITEM + "m", "input") in edges
    assert [n["id"] for n in views.flagged(tree, "foreign_only")] == [ITEM + "b", ITEM + "m"]
    assert tree["regimes"] == {"https://w3id.org/defport/ontology#ITAR": "dp:ITAR"}


def test_supply_tree_labels_follow_the_language_and_unknown_system_is_none() -> None:
    store = _store()
    network = views.network_of(store)
    assert views.supply_tree(store, network, ITEM + "s", "nl")["label"] == "Testsysteem"
    assert views.supply_tree(store, network, ITEM + "s", "en")["label"] == "Test system"
    assert views.supply_tree(store, network, ITEM + "nope", "en") is None


def test_supply_tree_stops_at_its_node_limit() -> None:
    store = _store()
    tree = views.supply_tree(store, views.network_of(store), ITEM + "s", "en", limit=3)
    assert len(tree["nodes"]) == 3 and tree["truncated"] is True


def test_large_supply_tree_opens_on_the_paths_to_single_points_of_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store()
    network = views.network_of(store)
    assert views.supply_tree(store, network, ITEM + "s", "en")["default_view"] == "all"
    monkeypatch.setattr(views, "WHOLE_TREE_VIEW_MAX_NODES", 7)  # the tree has 8 nodes
    assert views.supply_tree(store, network, ITEM + "s", "en")["default_view"] == "spofs"
    monkeypatch.setattr(views, "WHOLE_TREE_VIEW_MAX_NODES", 8)
    assert views.supply_tree(store, network, ITEM + "s", "en")["default_view"] == "all"


def test_labels_prefer_the_language_then_english_then_the_compact_iri() -> None:
    store = _store()
    names = views.labels(store, [ITEM + "s", ITEM + "a", ITEM + "unlabelled"], "nl")
    assert names == {ITEM + "s": "Testsysteem", ITEM + "a": "Part A", ITEM + "unlabelled": "dpid:item/unlabelled"}


def test_thing_of_an_item_has_its_supply_relations_and_findings() -> None:
    store = _store()
    thing = views.thing(store, views.network_of(store), ITEM + "b", "en")
    assert thing is not None and thing.kind == "item" and thing.label == "Part B"
    assert [r["supplier"] for r in thing.supply] == [ORG + "de"]
    kinds = {f["kind"] for f in thing.findings}
    assert {"spof_of_item", "single_source", "foreign_only", "export_control"} <= kinds
    spof = next(f for f in thing.findings if f["kind"] == "spof_of_item")
    assert [u["iri"] for u in spof["units"]] == [ORG + "de"]
    assert any(s.predicate.endswith("#exportControl") for s in thing.outgoing)
    assert any(s.value == ITEM + "s" for s in thing.incoming)


def test_thing_of_an_organisation_names_the_systems_it_can_stop() -> None:
    store = _store()
    thing = views.thing(store, views.network_of(store), ORG + "de", "en")
    stops = next(f for f in thing.findings if f["kind"] == "stops_systems")
    assert [u["iri"] for u in stops["units"]] == [ITEM + "s"]


def test_unknown_thing_is_none_and_bad_iris_are_refused() -> None:
    store = _store()
    assert views.thing(store, views.network_of(store), ITEM + "nothing", "en") is None
    assert views.iri_or_none("dpid:item/s") == ITEM + "s"
    assert views.iri_or_none("not an iri") is None
    assert views.iri_or_none("") is None
