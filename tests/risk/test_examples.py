"""Hand-built networks with known answers, read through a real store (CONTRACT §3, §4)."""

from __future__ import annotations

import pytest

from defport_kg.errors import NotFoundError, UsageError
from defport_kg.risk import (
    concentration,
    cut_sets,
    impact,
    load_network,
    single_sources,
    spof,
)
from defport_kg.store import EmbeddedStore
from tests.conftest import turtle_quads

D = "https://w3id.org/defport/id/"
GRAPH = D + "import/risk-example"

# S needs A and B; A has two suppliers (X in DE; Y in NL but making it at a site in FR); B is
# single-sourced from Z and its relation needs material M, which X and W (CN) supply. S2 is
# assembled in-house from G, which nobody supplies (a data gap). T and U form a supply cycle.
EXAMPLE = """
o:P a dp:Company ; rdfs:label "Prime"@en ; dp:country c:NL .
o:X a dp:Company ; rdfs:label "X GmbH"@en ; dp:country c:DE .
o:Y a dp:Company ; rdfs:label "Y BV"@en ; dp:country c:NL .
o:Z a dp:Company ; rdfs:label "Z BV"@en ; dp:country c:NL .
o:W a dp:Company ; rdfs:label "W Ltd"@en ; dp:country c:CN .
o:Q a dp:Company ; dp:country c:NL .
o:R a dp:Company ; dp:country c:NL .
o:V a dp:Company ; dp:country c:BE .
site:F1 a dp:Site ; dp:operatedBy o:Y ; dp:country c:FR .
site:N1 a dp:Site ; dp:operatedBy o:Z .

i:S a dp:System ; rdfs:label "System S"@en ; dp:realises dpid:capability\\/radar ;
    dp:hasComponent i:A .
i:S2 a dp:System ; rdfs:label "System S2"@en ; dp:hasComponent i:G .
i:A a dp:Component . i:B a dp:Component . i:M a dp:Material . i:G a dp:Material .
i:T a dp:Component . i:U a dp:Component .
_:use1 a dp:ComponentUse ; dp:assembly i:S ; dp:component i:B ; dp:quantity 2.0 .
_:use2 a dp:ComponentUse ; dp:assembly i:S ; dp:component i:B ; dp:quantity 3.0 .
_:use3 a dp:ComponentUse ; dp:assembly i:S ; dp:component i:A ; dp:quantity 4.0 .

s:rS dp:item i:S ; dp:supplier o:P ; dp:share 1.0 ; dp:monthlyCapacity 10.0 .
s:a1 dp:item i:A ; dp:supplier o:X ; dp:share 0.6 .
s:a2 dp:item i:A ; dp:supplier o:Y ; dp:site site:F1 ; dp:share 0.4 .
s:b1 dp:item i:B ; dp:supplier o:Z ; dp:site site:N1 ; dp:requiresInput i:M .
s:m1 dp:item i:M ; dp:supplier o:X .
s:m2 dp:item i:M ; dp:supplier o:W .
s:t1 dp:item i:T ; dp:supplier o:Q ; dp:requiresInput i:U .
s:u1 dp:item i:U ; dp:supplier o:R ; dp:requiresInput i:T .
s:u2 dp:item i:U ; dp:supplier o:V .
"""


def o(name: str) -> str:
    return D + "org/" + name


def i(name: str) -> str:
    return D + "item/" + name


def c(code: str) -> str:
    return D + "country/" + code


@pytest.fixture
def network(memory_store: EmbeddedStore):
    memory_store.add_source_graph(GRAPH, turtle_quads(EXAMPLE), role="import")
    return load_network(memory_store)


def _sets(report) -> list[list[str]]:
    return [c.members for c in report.cut_sets]


def test_the_model_reads_quantities_countries_and_sites(network) -> None:
    # Two ComponentUse nodes for (S, B) add up; a ComponentUse implies the hasComponent and
    # replaces the default quantity 1 of the plain line (S, A).
    assert network.components[i("S")] == {i("A"): 4.0, i("B"): 5.0}
    assert network.components[i("S2")] == {i("G"): 1.0}
    assert network.relations[D + "supply/a2"].country == c("FR")  # the site's country
    assert network.relations[D + "supply/a2"].supplier_country == c("NL")
    assert network.relations[D + "supply/b1"].country == c("NL")  # site without country
    assert network.relations[D + "supply/b1"].inputs == (i("M"),)
    assert network.items[i("S")].is_system and not network.items[i("A")].is_system
    assert network.items[i("S")].realises == (D + "capability/radar",)
    assert network.relations[D + "supply/rS"].monthly_capacity == 10.0
    assert network.data_gaps == (i("G"),)
    assert network.label(o("X")) == "X GmbH"


def test_organisation_cut_sets(network) -> None:
    report = cut_sets(network, i("S"), 2)
    assert _sets(report) == [(o("P"),), (o("Z"),), (o("W"), o("X")), (o("X"), o("Y"))]
    assert report.to_dict()["cut_sets"][0] == {"order": 1, "members": [o("P")]}
    assert report.complete
    assert _sets(cut_sets(network, i("S"), 1)) == [(o("P"),), (o("Z"),)]


def test_country_and_site_cut_sets(network) -> None:
    assert _sets(cut_sets(network, i("S"), 2, "country")) == [(c("NL"),), (c("CN"), c("DE")), (c("DE"), c("FR"))]
    sites = cut_sets(network, i("S"), 2, "site")
    assert _sets(sites) == [(D + "site/N1",)]


def test_a_supply_cycle_stays_available_unless_reached(network) -> None:
    assert _sets(cut_sets(network, i("T"), 2)) == [(o("Q"),), (o("R"), o("V"))]
    assert _sets(cut_sets(network, i("U"), 2)) == [(o("Q"), o("V")), (o("R"), o("V"))]
    assert impact(network, [o("V")]).items == ()


def test_order_3_finds_triples_and_reports_a_bound(network) -> None:
    full = cut_sets(network, i("S"), 3, bound=10_000)
    assert full.complete and _sets(full) == _sets(cut_sets(network, i("S"), 2))
    cut_short = cut_sets(network, i("S"), 3, bound=0)
    assert not cut_short.complete
    assert _sets(cut_short) == _sets(cut_sets(network, i("S"), 2))


def test_data_gaps_are_never_unavailable_and_are_reported(network) -> None:
    report = cut_sets(network, i("S2"), 2)
    assert report.cut_sets == ()
    assert report.data_gaps == (i("G"),)


def test_spof_over_all_systems(network) -> None:
    report = spof(network)
    assert [(s.unit, s.systems) for s in report.spofs] == [(o("P"), (i("S"),)), (o("Z"), (i("S"),))]
    assert report.spofs[0].capabilities == (D + "capability/radar",)
    assert report.to_dict()["spofs"][0]["systems"] == [i("S")]
    assert [s.unit for s in spof(network, "country").spofs] == [c("NL")]


def test_impact_names_items_systems_capabilities_and_stranded_organisations(network) -> None:
    report = impact(network, [o("X"), c("FR")])
    assert report.items == (i("A"), i("S"))
    assert report.systems == (i("S"),)
    assert [(k.capability, k.lost) for k in report.capabilities] == [(D + "capability/radar", True)]
    stranded = {s.organisation: s.missing for s in report.organisations_without_input}
    assert stranded == {o("P"): (i("A"),)}
    assert [f.kind for f in report.failed] == ["organisation", "country"]
    assert impact(network, [c("DE")]).items == ()  # A from FR, M from CN


def test_single_sources_and_concentration(network) -> None:
    single = {s.item: s.supplier for s in single_sources(network)}
    assert single == {i("S"): o("P"), i("B"): o("Z"), i("T"): o("Q")}
    rows = {r.item: r for r in concentration(network)}
    assert rows[i("A")].hhi == 5200.0
    assert rows[i("A")].outside_nl == 1.0
    assert rows[i("M")].shares_estimated and rows[i("M")].hhi == 5000.0
    assert rows[i("S")].hhi == 10000.0 and rows[i("S")].outside_nl == 0.0


def test_concentration_uses_alliance_memberships(reference_store: EmbeddedStore) -> None:
    reference_store.add_source_graph(GRAPH, turtle_quads(EXAMPLE), role="import")
    rows = {r.item: r for r in concentration(load_network(reference_store))}
    assert rows[i("A")].outside_eu == 0.0  # DE and FR are EU members
    assert rows[i("M")].outside_eu == 0.5 and rows[i("M")].outside_nato == 0.5  # W is in CN


def test_bad_requests_name_what_is_wrong(network) -> None:
    with pytest.raises(NotFoundError, match="item/nope"):
        cut_sets(network, i("nope"))
    with pytest.raises(UsageError, match="'galaxy'"):
        cut_sets(network, i("S"), 2, "galaxy")
    with pytest.raises(UsageError, match="above the bound 3"):
        cut_sets(network, i("S"), 4)
    with pytest.raises(NotFoundError, match="org/nobody"):
        impact(network, [o("nobody")])


def test_the_networkx_view_has_and_or_nodes(network) -> None:
    graph = network.to_networkx()
    assert graph.nodes[i("S")]["gate"] == "OR"
    assert graph.nodes[i("S2")]["gate"] == "AND"
    assert graph.nodes[D + "supply/a2"]["gate"] == "AND"
    assert {graph.edges[D + "supply/a2", n]["role"] for n in graph.successors(D + "supply/a2")} == {
        "organisation",
        "site",
        "country",
    }
    assert graph.edges[D + "supply/rS", i("B")]["quantity"] == 5.0
    assert network.to_networkx() is graph


def test_the_cached_network_is_reloaded_only_when_the_live_data_changes(
    memory_store: EmbeddedStore,
) -> None:
    from defport_kg.risk import cached_network

    memory_store.add_source_graph(GRAPH, turtle_quads(EXAMPLE), role="import")
    first = cached_network(memory_store)
    assert cached_network(memory_store) is first
    memory_store.add_source_graph(GRAPH + "-2", turtle_quads("s:m3 dp:item i:M ; dp:supplier o:P ."), role="import")
    second = cached_network(memory_store)
    assert second is not first
    assert D + "supply/m3" in second.relations


def test_a_network_restricted_to_some_relations(network) -> None:
    without_w = network.with_relations(lambda r: r.supplier != o("W"))
    assert [c.members for c in cut_sets(without_w, i("S"), 1).cut_sets] == [(o("P"),), (o("X"),), (o("Z"),)]
    assert len(cut_sets(network, i("S"), 1).cut_sets) == 2  # the original is untouched
