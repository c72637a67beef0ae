"""Views against brute force: a view holds exactly the triples of the graphs its clearance sees.

Random stores (graphs with random markings, overlapping triples, blank nodes, superseded versions)
and random clearances; the expected content is computed from the definition — a graph is visible
when its level is at most the clearance's and, if it names organisations, the clearance acts for
one — and compared with what the view's store holds, what SPARQL over it counts, and which graphs
its catalogue names.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from defport_kg.access import AccessControl, Clearance, Marking, Scheme, derived_marking, marking_quads
from defport_kg.namespaces import CATALOG_GRAPH, LIVE_GRAPH, SYSTEM_GRAPH_PREFIX
from defport_kg.store import EmbeddedStore
from defport_kg.store.terms import graph_term

SCHEME = Scheme()
ORGS = [f"https://w3id.org/defport/id/org/o{i}" for i in range(3)]
P = ox.NamedNode("https://w3id.org/defport/ontology#p")


def _random_store(rng: random.Random, store: EmbeddedStore) -> dict[str, tuple[Marking, set[tuple], bool]]:
    """Graphs with random markings and contents; returns graph → (marking, triples, live)."""
    made: dict[str, tuple[Marking, set[tuple], bool]] = {}
    shared = ox.BlankNode("shared")
    # A system graph (like the key hashes) and the shapes: never part of any view.
    store.add_quads(
        [ox.Quad(ox.NamedNode("urn:key:1"), P, ox.Literal("hash"), ox.NamedNode(SYSTEM_GRAPH_PREFIX + "keys"))]
    )
    for index in range(rng.randint(1, 7)):
        graph = f"https://w3id.org/defport/id/import/g{index}"
        level = rng.choice(SCHEME.levels)
        releasable = frozenset(rng.sample(ORGS, rng.randint(0, 2))) if rng.random() < 0.4 else frozenset()
        marking = Marking(level, releasable)
        triples = set()
        for _ in range(rng.randint(0, 6)):
            subject: ox.NamedNode | ox.BlankNode = (
                shared if rng.random() < 0.15 else ox.NamedNode(f"https://w3id.org/defport/id/org/x{rng.randint(0, 5)}")
            )
            triples.add((subject, P, ox.Literal(str(rng.randint(0, 4)))))
        store.add_source_graph(graph, list(triples), role="import", extra_quads=marking_quads(graph, marking))
        live = True
        if rng.random() < 0.2:
            store.retire(graph)
            live = False
        made[graph] = (marking, triples, live)
    return made


def _access(store: EmbeddedStore, strategy: str = "auto") -> AccessControl:
    return AccessControl(
        store,
        scheme=SCHEME,
        default_import_marking="defport",
        anonymous_clearance="public",
        default_key_clearance="defport",
        strategy=strategy,
    )


def _random_clearance(rng: random.Random) -> Clearance:
    return Clearance(rng.choice(SCHEME.levels), frozenset(rng.sample(ORGS, rng.randint(0, 2))))


def _visible(marking: Marking, clearance: Clearance) -> bool:
    order = list(SCHEME.levels)
    if order.index(marking.level) > order.index(clearance.level):
        return False
    return not marking.releasable_to or bool(marking.releasable_to & clearance.organisations)


@pytest.mark.parametrize(
    ("on_disk", "strategy"),
    [(False, "auto"), (True, "copy"), (True, "strip")],
    ids=["memory", "disk-copy", "disk-strip"],
)
def test_views_hold_exactly_what_the_clearance_sees(on_disk: bool, strategy: str, tmp_path: Path) -> None:
    rng = random.Random(20261127 + on_disk + len(strategy))
    for case in range(25 if not on_disk else 8):
        store = EmbeddedStore.open(tmp_path / f"s{case}", create=True) if on_disk else EmbeddedStore.in_memory()
        try:
            made = _random_store(rng, store)
            access = _access(store, strategy)
            for _ in range(4):
                clearance = _random_clearance(rng)
                view = access.view(clearance)
                seen = {g for g, (m, _, _) in made.items() if _visible(m, clearance)}
                live = {g for g in seen if made[g][2]}
                expected_live = set().union(*(made[g][1] for g in live)) if live else set()
                got_live = {
                    (q.subject, q.predicate, q.object)
                    for q in view.store.raw.quads_for_pattern(None, None, None, graph_term(LIVE_GRAPH))
                }
                assert got_live == expected_live, (case, clearance)
                assert set(view.graphs) == live
                assert set(view.store.live_graphs()) == live
                for graph in made:
                    content = {
                        (q.subject, q.predicate, q.object)
                        for q in view.store.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph))
                    }
                    assert content == (made[graph][1] if graph in seen else set()), (case, graph)
                named_in_catalogue = {
                    q.subject.value
                    for q in view.store.raw.quads_for_pattern(None, None, None, ox.NamedNode(CATALOG_GRAPH))
                    if isinstance(q.subject, ox.NamedNode) and q.subject.value in made
                }
                assert named_in_catalogue == seen
                graphs_in_view = {g.value for g in view.store.raw.named_graphs() if isinstance(g, ox.NamedNode)}
                assert graphs_in_view <= seen | {LIVE_GRAPH, CATALOG_GRAPH}, graphs_in_view - seen
                count = next(iter(view.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value
                assert int(count) == len(expected_live)
                if live:
                    assert view.marking == derived_marking([made[g][0] for g in live], SCHEME)
            access.close()
        finally:
            store.close()


def test_a_hidden_commit_keeps_the_view_and_a_visible_one_renews_it() -> None:
    store = EmbeddedStore.in_memory()
    node = ox.NamedNode("https://w3id.org/defport/id/org/a")
    store.add_source_graph("urn:g:public", [(node, P, ox.Literal("1"))], role="reference")
    access = _access(store)
    public = Clearance("public")
    first = access.view(public)
    assert access.cached_view(public) is first
    store.add_source_graph("urn:g:hidden", [(node, P, ox.Literal("2"))], role="import")  # defport by default
    assert access.view(public) is first  # not rebuilt: the caller cannot tell a hidden commit happened
    store.add_source_graph("urn:g:public2", [(node, P, ox.Literal("3"))], role="example")
    renewed = access.view(public)
    assert renewed is not first
    assert {r["o"] for r in renewed.store.select("SELECT ?o WHERE { ?s ?p ?o }")} == {"1", "3"}


def test_callers_who_see_the_same_graphs_share_one_view() -> None:
    store = EmbeddedStore.in_memory()
    node = ox.NamedNode("https://w3id.org/defport/id/org/a")
    store.add_source_graph("urn:g:p", [(node, P, ox.Literal("1"))], role="reference")
    access = _access(store)
    assert access.view(Clearance("defport")) is access.view(Clearance("restricted", frozenset(ORGS[:1])))
    assert access.view(Clearance.everything(SCHEME)).store is store


def test_an_unknown_marking_is_seen_by_the_operator_only() -> None:
    store = EmbeddedStore.in_memory()
    node = ox.NamedNode("https://w3id.org/defport/id/org/a")
    store.add_source_graph(
        "urn:g:odd",
        [(node, P, ox.Literal("1"))],
        role="import",
        extra_quads=marking_quads("urn:g:odd", Marking("secret")),
    )
    access = _access(store)
    top = Clearance("restricted", frozenset(ORGS))
    assert access.view(top).graphs == ()
    assert access.view(Clearance.everything(SCHEME)).graphs == ("urn:g:odd",)


def test_derived_marking_is_the_highest_level_and_the_common_organisations() -> None:
    a, b = ORGS[0], ORGS[1]
    assert derived_marking([Marking("public"), Marking("defport")], SCHEME) == Marking("defport")
    assert derived_marking(
        [Marking("restricted", frozenset({a, b})), Marking("restricted", frozenset({a}))], SCHEME
    ) == Marking("restricted", frozenset({a}))
    nobody = derived_marking([Marking("restricted", frozenset({a})), Marking("restricted", frozenset({b}))], SCHEME)
    assert not Clearance("restricted", frozenset(ORGS)).sees(nobody, SCHEME)
    assert Clearance.everything(SCHEME).sees(nobody, SCHEME)


def test_a_view_folder_is_removed_when_access_closes(tmp_path: Path) -> None:
    store = EmbeddedStore.open(tmp_path / "s", create=True)
    node = ox.NamedNode("https://w3id.org/defport/id/org/a")
    store.add_source_graph("urn:g:p", [(node, P, ox.Literal("1"))], role="reference")
    access = _access(store)
    view = access.view(Clearance("public"))
    assert view.path is not None and view.path.is_dir()
    assert store.check() == []
    access.close()
    del view
    assert not (tmp_path / "s" / "access-views").exists() or not any((tmp_path / "s" / "access-views").iterdir())
    store.close()
