"""The named queries (queries/*.rq) and their registry (defport_kg.queries).

Every query runs on the reference data plus the fictional example in a real store, and its answer
is checked against what data/example/SCENARIOS.md designs -- mostly recomputed here from the data
by plain Python, so that a query that returns the wrong rows fails, not just one that raises.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import RDF, URIRef

from defport_kg.errors import NotFoundError, QueryError, UsageError
from defport_kg.queries import (
    PARAM_TYPES,
    NamedQuery,
    QueryParam,
    get_query,
    list_queries,
    parse_header,
    parse_query_file,
    run_named_query,
)
from defport_kg.resources import queries_dir
from defport_kg.store import EmbeddedStore
from defport_kg.store.terms import to_python
from tests.test_example_data import (
    DP,
    ID,
    RADAR,
    ROUND,
    SIGHT,
    SYSTEMS,
    Net,
    closure,
    country,
    example_graph,
    item,
    load_net,
    org,
    reference_graph,
    site,
)

Rows = list[dict[str, Any]]


def run(store: EmbeddedStore, name: str, **values: Any) -> Rows:
    result = run_named_query(store, name, values)
    names = [v.value for v in result.variables]
    return [{n: to_python(row[n]) for n in names} for row in result]


def column(rows: Rows, name: str) -> set[Any]:
    return {row[name] for row in rows}


def words(value: str | None) -> set[str]:
    return set((value or "").split())


@pytest.fixture(scope="module")
def store(example_store_readonly: EmbeddedStore) -> EmbeddedStore:
    return example_store_readonly


@pytest.fixture(scope="module")
def network(example_store_readonly: EmbeddedStore) -> Net:
    return load_net(example_store_readonly.select)


@pytest.fixture(scope="module")
def members() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for c, alliance in reference_graph().subject_objects(DP.memberOf):
        found[str(alliance).rsplit("/", 1)[1]].add(str(c))
    return found


# --------------------------------------------------------------------------------------------
# One check per query: the answer designed into the example (SCENARIOS.md)
# --------------------------------------------------------------------------------------------


def check_defport_partners(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "defport-partners")
    assert column(rows, "organisation") == {
        f"{ID}org/{k}"
        for k in (
            "ministerie-van-defensie",
            "ministerie-van-economische-zaken",
            "nidv",
            "vno-ncw",
            "fme",
            "nvb",
            "tno",
            "nlr",
            "marin",
        )
    }
    assert all(row["contribution"] for row in rows)


def check_organisations_by_capability(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "organisations-by-capability")
    assert column(rows, "organisation") == {
        org(k)
        for k in ("nl-radar", "nl-antenna", "nl-institute", "de-hf", "fr-signal", "fr-mmic", "se-antenna", "us-mmic")
    }
    broader = run(store, "organisations-by-capability", capability="dpid:capability/sensors-and-radar")
    assert column(rows, "organisation") < column(broader, "organisation")
    assert org("us-ir") in column(broader, "organisation")  # optronics is narrower than sensors


def check_organisations_by_country(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    g = example_graph()
    dutch = {str(o) for o in g.subjects(DP.country, URIRef(country("NL"))) if str(o).startswith(f"{ID}org/")}
    rows = run(store, "organisations-by-country")
    assert len(dutch) == 35
    partners = {str(o) for o in reference_graph().subjects(DP.partnerOf, None)}
    assert column(rows, "organisation") == dutch | partners
    swiss = run(store, "organisations-by-country", country="dpid:country/CH")
    assert column(swiss, "organisation") == {org("ch-semis"), org("ch-turbo")}


def check_items_single_supplier(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "items-single-supplier")
    assert column(rows, "item") == {i for i, rs in net.rels_of.items() if len(rs) == 1}
    assert len(rows) == 21
    adc = next(r for r in rows if r["item"] == item("adc-chip"))
    assert adc["supplier"] == org("ch-semis") and adc["country"] == country("CH")


def foreign_only(net: Net, home: Callable[[str], bool]) -> set[tuple[str, str]]:
    """(system, item) pairs where every relation of an item on the system's paths is not at home."""
    found = set()
    for system in SYSTEMS:
        for i in closure(net, system) - {system}:
            if i in net.rels_of and not any(home(net.rels[r].country) for r in net.rels_of[i]):
                found.add((system, i))
    return found


def check_systems_foreign_only_inputs(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "systems-foreign-only-inputs")
    pairs = {(r["system"], r["item"]) for r in rows}
    assert pairs == foreign_only(net, lambda c: c == country("NL"))
    assert (SIGHT, item("ir-detector")) in pairs
    assert (RADAR, item("adc-chip")) in pairs
    assert (SIGHT, item("germanium-lens")) in pairs  # the Dutch maker produces it in Poland
    assert (RADAR, item("radar-antenna-array")) not in pairs


def check_inputs_outside_alliance(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    for alliance in ("NATO", "EU"):
        rows = run(store, "inputs-outside-alliance", alliance=f"dpid:alliance/{alliance}")
        expected = foreign_only(net, lambda c, a=alliance: c in members[a])
        assert column(rows, "item") == {i for _, i in expected}, alliance
        for row in rows:
            assert words(row["systems"]) == {s for s, i in expected if i == row["item"]}
    nato = column(run(store, "inputs-outside-alliance"), "item")
    assert {item("adc-chip"), item("mems-sad-chip"), item("crm-gallium"), item("crm-niobium")} <= nato
    assert item("ir-detector") not in nato


def check_crm_per_system(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    materials = {
        str(s)
        for s in reference_graph().subjects(RDF.type, None)
        if str(s).startswith((f"{ID}item/crm-", f"{ID}item/srm-"))
    }
    rows = run(store, "crm-per-system")
    assert {(r["system"], r["material"]) for r in rows} == {
        (s, m) for s in SYSTEMS for m in closure(net, s) & materials
    }
    assert len(rows) == 81
    germanium = next(r for r in rows if r["system"] == SIGHT and r["material"] == item("crm-germanium"))
    assert words(germanium["supplyCountries"]) == {country("CN")}
    radar = run(store, "crm-per-system", system="dpid:item/ex-naval-radar")
    assert column(radar, "system") == {RADAR} and len(radar) == 10


def check_dutch_companies_foreign_controlled(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "dutch-companies-foreign-controlled")
    assert {(r["organisation"], r["ultimateCountry"]) for r in rows} == {
        (org("nl-munitions"), country("NO")),
        (org("nl-optronics"), country("FR")),
        (org("nl-comms"), country("US")),
        (org("nl-drives"), country("CN")),
        (org("nl-holding"), country("CN")),
    }
    drives = next(r for r in rows if r["organisation"] == org("nl-drives"))
    assert drives["controller"] == org("nl-holding") and drives["ultimateController"] == org("cn-group")
    optronics = next(r for r in rows if r["organisation"] == org("nl-optronics"))
    assert optronics["controlShare"] == pytest.approx(0.75)


def check_export_controlled_items(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "export-controlled-items")
    controlled = {str(s): str(o).rsplit("#", 1)[1] for s, o in example_graph().subject_objects(DP.exportControl)}
    assert {(r["item"], r["system"]) for r in rows} == {
        (i, s) for i in controlled for s in SYSTEMS if i in closure(net, s) - {s}
    }
    assert len(rows) == 13
    itar = run(store, "export-controlled-items", regime="dp:ITAR")
    assert {(r["item"], r["system"]) for r in itar} == {
        (item("ir-detector"), SIGHT),
        (item("gun-stabiliser"), item("armoured-vehicle")),
        (item("gun-stabiliser"), item("patrol-vessel")),
    }


def check_data_gaps(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "data-gaps")
    assert [(r["item"], r["neededBy"]) for r in rows] == [(item("coolant-glycol"), item("radar-cooling-unit"))]


def check_suppliers_of_item(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "suppliers-of-item")
    assert {(r["supplier"], r["monthlyCapacity"], r["country"], r["site"]) for r in rows} == {
        (org("nl-forge"), 600.0, country("NL"), site("forge-nl")),
        (org("pl-forge"), 500.0, country("PL"), site("forge-pl")),
    }
    (fuze,) = run(store, "suppliers-of-item", item="dpid:item/ex-fuze")
    assert fuze["site"] == site("fuze-works") and fuze["country"] == country("NL")  # the supplier's
    assert fuze["recoveryDays"] == 120 and fuze["confidence"] == f"{DP}Disclosed"


def check_bill_of_materials(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "bill-of-materials")
    below: set[str] = set()
    work = [ROUND]
    while work:
        i = work.pop()
        if i not in below:
            below.add(i)
            work.extend(net.components.get(i, {}))
    expected = {(a, c, q) for a in below for c, q in net.components.get(a, {}).items()}
    assert {(r["assembly"], r["component"], r["quantity"]) for r in rows} == expected
    assert len(rows) == 42
    assert (item("fuze-sad"), item("mems-sad-chip"), 1.0) in expected
    assert (ROUND, item("he-fill"), 10.8) in expected
    vehicle = run(store, "bill-of-materials", item="dpid:item/ex-armoured-vehicle")
    # ComponentUse-only lines (no dp:hasComponent) are part of the bill of materials too.
    assert (item("armoured-vehicle"), item("driver-periscope"), 3.0) in {
        (r["assembly"], r["component"], r["quantity"]) for r in vehicle
    }


def check_capability_coverage_nl(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = {r["capability"].rsplit("/", 1)[1]: r for r in run(store, "capability-coverage-nl")}
    assert len(rows) == 11
    assert (rows["space"]["netherlands"], rows["space"]["restOfEU"], rows["space"]["restOfNATO"]) == (0, 2, 1)
    assert rows["space"]["projects"] == 1
    assert rows["guided-weapons"]["netherlands"] == 0 and rows["guided-weapons"]["restOfNATO"] == 1
    assert rows["cyber"]["netherlands"] == 1 and rows["land-vehicles"]["netherlands"] == 1
    assert rows["radar"]["netherlands"] == 3
    assert rows["optronics"]["elsewhere"] == 2  # the Israeli and Chinese optronics makers


def check_capabilities_without_dutch_provider(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "capabilities-without-dutch-provider")
    assert {(r["capability"], r["projects"]) for r in rows} == {
        (f"{ID}capability/space", f"{ID}project/ex-space-situational-awareness"),
        (f"{ID}capability/guided-weapons", f"{ID}project/ex-guided-weapons-study"),
    }
    space = next(r for r in rows if r["capability"].endswith("/space"))
    assert words(space["foreignProviders"]) == {org("fr-space"), org("us-space"), org("fr-optronique")}


def check_shares_per_item(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "shares-per-item")
    assert column(rows, "item") == set(net.rels_of)
    assert max(r["shareSum"] for r in rows) <= 1.0 + 1e-9
    (body,) = run(store, "shares-per-item", item="dpid:item/ex-projectile-body")
    assert (body["relations"], body["shareSum"], body["hhi"]) == (2, pytest.approx(0.9), pytest.approx(0.41))


def check_expired_evidence(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "expired-evidence", asOf="2026-01-01")
    assert column(rows, "relation") == {
        f"{ID}supply/ex-radar-psu--de-power",
        f"{ID}supply/ex-fastener-kit--tr-fasteners",
        f"{ID}supply/ex-crm-tungsten--kr-tungsten",
    }
    early = run(store, "expired-evidence", asOf="2025-05-01")
    assert column(early, "relation") == {f"{ID}supply/ex-fastener-kit--tr-fasteners"}
    before = run(store, "expired-evidence", asOf="2024-06-01")  # before most relations began
    assert len(before) == len(net.rels) - 3
    # Without a date: today. All example relations but the three run until 2028-12-31.
    assert len(run(store, "expired-evidence")) >= 3


def check_assumed_evidence(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    g = example_graph()
    expected = {
        str(r) for r in g.subjects(RDF.type, DP.SupplyRelation) if g.value(r, DP.confidence) in (None, DP.Assumed)
    }
    rows = run(store, "assumed-evidence")
    assert column(rows, "relation") == expected
    assert f"{ID}supply/ex-adc-chip--ch-semis" in expected
    unstated = next(r for r in rows if r["relation"] == f"{ID}supply/ex-ir-detector--us-ir2")
    assert unstated["confidence"] is None


def check_eu_members(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "eu-members")
    assert len(rows) == 27 and column(rows, "country") == members["EU"]
    assert "NL" in column(rows, "isoCode") and "NO" not in column(rows, "isoCode")


def check_nato_members(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "nato-members")
    assert len(rows) == 32 and column(rows, "country") == members["NATO"]
    sweden = next(r for r in rows if r["isoCode"] == "SE")
    assert sweden["memberSince"] == "2024-03-07"


def check_sites_abroad_of_dutch_companies(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "sites-abroad-of-dutch-companies")
    assert [(r["site"], r["country"], r["operator"], r["items"]) for r in rows] == [
        (site("optics-pl"), country("PL"), org("nl-optics"), item("germanium-lens"))
    ]


def check_stock_days_per_system(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = {r["system"]: r for r in run(store, "stock-days-per-system")}
    assert set(rows) == set(SYSTEMS)
    for system, row in rows.items():
        below = closure(net, system) - {system}
        stocked = [net.stock[i] for i in below if i in net.stock]
        assert (row["items"], row["itemsWithStock"]) == (len(below), len(stocked)), system
        assert row["minStockDays"] == min(stocked) and row["avgStockDays"] == pytest.approx(
            sum(stocked) / len(stocked)
        ), system
    (one,) = run(store, "stock-days-per-system", system="dpid:item/ex-155mm-round")
    assert one["minStockDays"] == 10.0  # the MEMS chip of the fuze


def check_projects_by_capability(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "projects-by-capability")
    assert len(column(rows, "project")) == 4 and len(rows) == 5  # the gallium project has two
    space = run(store, "projects-by-capability", capability="dpid:capability/space")
    assert [(r["project"], words(r["participants"])) for r in space] == [
        (f"{ID}project/ex-space-situational-awareness", {org("nl-radar"), org("nl-institute"), org("fr-space")})
    ]
    broad = run(store, "projects-by-capability", capability="dpid:capability/weapons-and-munitions")
    assert column(broad, "project") == {
        f"{ID}project/ex-shell-forging-scale-up",
        f"{ID}project/ex-guided-weapons-study",
    }


def check_single_source_recovery_gaps(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = {r["item"]: r for r in run(store, "single-source-recovery-gaps")}
    expected = set()
    for i, rs in net.rels_of.items():
        rel = net.rels[rs[0]]
        if len(rs) == 1 and rel.recovery is not None and i in net.stock and rel.recovery > net.stock[i]:
            expected.add(i)
    assert set(rows) == expected
    assert rows[item("mems-sad-chip")]["gapDays"] == 355
    assert item("shaft-line") not in rows and item("radar-cooling-unit") not in rows


def check_organisation_profile(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    (row,) = run(store, "organisation-profile")
    assert row["_organisation"] == org("nl-radar") and row["country"] == country("NL")
    assert re.fullmatch(r"[0-9]{8}", row["kvk"]) and len(row["lei"]) == 20 and len(row["ncage"]) == 5
    assert words(row["sites"]) == {site("radar-works")}
    assert row["supplyRelations"] == sum(1 for r in net.rels.values() if r.supplier == org("nl-radar"))
    (drives,) = run(store, "organisation-profile", organisation="dpid:org/ex-nl-drives")
    assert drives["controlledBy"] == org("nl-holding")


def check_systems_depending_on_organisation(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "systems-depending-on-organisation")
    assert {(r["system"], r["items"]) for r in rows} == {
        (RADAR, item("adc-chip")),
        (item("patrol-vessel"), item("adc-chip")),
    }
    semis = run(store, "systems-depending-on-organisation", organisation="dpid:org/ex-nl-semis")
    supplied = {r.item for r in net.rels.values() if r.supplier == org("nl-semis")}
    assert column(semis, "system") == {s for s in SYSTEMS if closure(net, s) & supplied}


def check_supply_relations_by_country(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    for code in ("CN", "PL", "NL"):
        rows = run(store, "supply-relations-by-country", country=f"dpid:country/{code}")
        assert column(rows, "relation") == {r for r, rel in net.rels.items() if rel.country == country(code)}
    poland = run(store, "supply-relations-by-country", country="dpid:country/PL")
    lens = next(r for r in poland if r["item"] == item("germanium-lens"))
    assert lens["supplier"] == org("nl-optics") and lens["supplierCountry"] == country("NL")
    assert len(run(store, "supply-relations-by-country")) == 41  # default: China


def check_items_by_supply_group(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = run(store, "items-by-supply-group")
    expected = {str(s) for s, nsn in example_graph().subject_objects(DP.nsn) if str(nsn).startswith("59")}
    assert column(rows, "item") == expected and item("adc-chip") in expected
    assert all(r["nsn"].startswith("59") for r in rows)
    ammunition = run(store, "items-by-supply-group", group="dpid:fsg/13")
    assert ROUND in column(ammunition, "item")


def check_capacity_vs_demand(store: EmbeddedStore, net: Net, members: dict[str, set[str]]) -> None:
    rows = {r["system"]: r for r in run(store, "capacity-vs-demand")}
    assert set(rows) == set(SYSTEMS)
    assert (rows[ROUND]["monthlyDemand"], rows[ROUND]["assemblyCapacity"]) == (1500.0, 2500.0)
    assert rows[ROUND]["coverage"] == pytest.approx(5 / 3)
    radio = rows[item("tactical-radio")]
    assert radio["capacitatedRelations"] == 2


CHECKS: dict[str, Callable[[EmbeddedStore, Net, dict[str, set[str]]], None]] = {
    name.removeprefix("check_").replace("_", "-"): fn
    for name, fn in list(globals().items())
    if name.startswith("check_") and callable(fn)
}


def test_there_are_at_least_twenty_named_queries_and_each_has_a_check() -> None:
    names = {q.name for q in list_queries()}
    assert len(names) >= 20
    assert names == set(CHECKS), names ^ set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_named_query_answers(name: str, store: EmbeddedStore, network: Net, members: dict[str, set[str]]) -> None:
    CHECKS[name](store, network, members)


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------


def test_every_query_has_a_complete_header_and_projects_its_parameters() -> None:
    for query in list_queries():
        assert query.summary and query.summary != query.name, query.name
        assert query.description and query.tags, query.name
        select = query.text[query.text.index("SELECT") : query.text.index("WHERE")]
        for param in query.params:
            assert param.type in PARAM_TYPES and param.description, (query.name, param.name)
            assert f"?_{param.name}" in query.text, (query.name, param.name)
            # pyoxigraph substitutes only projected variables, and never inside BOUND().
            assert f"?_{param.name}" in select, (query.name, param.name)
            assert f"BOUND(?_{param.name})" not in query.text.replace(" ", ""), (query.name, param.name)
        for variable in set(re.findall(r"\?_([A-Za-z][A-Za-z0-9_]*)", query.text)):
            query.param(variable)  # every ?_name in the text is a declared parameter


def test_every_query_parses_as_sparql() -> None:
    empty = ox.Store()
    for query in list_queries():
        list(empty.query(query.text))  # a syntax error raises here


def test_header_parsing() -> None:
    text = """#+ summary: Things in a place
#+ description: A long description
#+   that goes on: with a colon.
#+ tags:
#+   - one
#+   - two
#+ params:
#+   - name: place
#+     type: iri
#+     default: dpid:country/NL
#+     description: Where.
#+   - name: limit
#+     type: integer
#+     required: true
#+ extra: [a, b]
PREFIX dp: <https://w3id.org/defport/ontology#>
SELECT ?_place ?_limit ?x WHERE { ?x dp:country ?_place }
"""
    header = parse_header(text)
    assert header["summary"] == "Things in a place"
    assert header["description"] == "A long description that goes on: with a colon."
    assert header["tags"] == ["one", "two"]
    assert header["extra"] == ["a", "b"]
    query = parse_query_file(text, "things")
    assert query.params == (
        QueryParam("place", "iri", "dpid:country/NL", "Where."),
        QueryParam("limit", "integer", None, "", required=True),
    )
    assert query.as_dict()["params"][0] == {
        "name": "place",
        "type": "iri",
        "default": "dpid:country/NL",
        "description": "Where.",
        "required": False,
    }


@pytest.mark.parametrize(
    "bad",
    [
        "#+ summary\nSELECT * WHERE {}",
        "#+ params:\n#+   - type: iri\nSELECT * WHERE {}",
        "#+ params:\n#+   - name: x\n#+     type: float\nSELECT * WHERE {}",
        "#+ params:\n#+   - name: x\n#+     type: integer\n#+     default: many\nSELECT * WHERE {}",
    ],
)
def test_bad_headers_are_refused(bad: str) -> None:
    with pytest.raises(QueryError):
        parse_query_file(bad, "bad")


def test_registry_lists_only_top_level_queries_and_finds_them_by_name() -> None:
    names = [q.name for q in list_queries()]
    assert names == sorted(names)
    assert not any(n.endswith("-violation") for n in names)  # queries/qc/ is not listed
    assert get_query("organisations-by-country").path == queries_dir() / "organisations-by-country.rq"


@pytest.mark.parametrize("name", ["../pyproject", "qc/missing-label-violation", "a/b", "..", "x\\y", ""])
def test_names_with_paths_are_refused(name: str) -> None:
    with pytest.raises(UsageError):
        get_query(name)


def test_unknown_query_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="no-such-query"):
        get_query("no-such-query")


# --------------------------------------------------------------------------------------------
# Binding: by type, into terms, never into the text
# --------------------------------------------------------------------------------------------


def typed_query() -> NamedQuery:
    return NamedQuery(
        "typed",
        "s",
        "d",
        (),
        (
            QueryParam("i", "iri"),
            QueryParam("s", "string"),
            QueryParam("n", "integer"),
            QueryParam("d", "decimal"),
            QueryParam("t", "date"),
            QueryParam("r", "integer", required=True),
        ),
        "SELECT * WHERE {}",
    )


def test_values_become_terms_of_their_type() -> None:
    bound = typed_query().bindings(
        {"i": "dpid:item/x", "s": "plain", "n": "007", "d": "1.50", "t": "2026-01-31", "r": "-3"}
    )
    assert bound[ox.Variable("_i")] == ox.NamedNode(f"{ID}item/x")
    assert bound[ox.Variable("_s")] == ox.Literal("plain")
    assert bound[ox.Variable("_n")] == ox.Literal(
        "7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert bound[ox.Variable("_d")].datatype.value.endswith("#decimal")
    assert bound[ox.Variable("_t")] == ox.Literal(
        "2026-01-31", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    )
    assert bound[ox.Variable("_r")].value == "-3"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("n", "12abc"),
        ("n", "1.5"),
        ("d", "one"),
        ("d", "1e5"),
        ("t", "2026-13-01"),
        ("t", "31-01-2026"),
        ("i", "not an iri"),
        ("i", "<http://x> . ?s ?p ?o"),
        ("i", 'http://x"} ; DROP ALL #'),
    ],
)
def test_bad_values_are_refused_naming_the_parameter(param: str, value: str) -> None:
    with pytest.raises(UsageError, match=f"parameter '{param}'"):
        typed_query().bindings({param: value, "r": "1"})


def test_missing_required_and_unknown_parameters_are_refused() -> None:
    with pytest.raises(UsageError, match="'r'"):
        typed_query().bindings({})
    with pytest.raises(UsageError, match="no parameter 'nope'"):
        typed_query().bindings({"r": "1", "nope": "x"})


def test_defaults_apply_and_absent_optional_parameters_stay_unbound() -> None:
    query = get_query("organisations-by-country")
    assert query.bindings({}) == {ox.Variable("_country"): ox.NamedNode(f"{ID}country/NL")}
    assert query.bindings({"country": ""}) == query.bindings({})
    assert get_query("crm-per-system").bindings({}) == {}


def test_a_hostile_value_is_bound_literally_not_pasted(tmp_path: Path, store: EmbeddedStore) -> None:
    (tmp_path / "echo.rq").write_text(
        "#+ summary: Echo\n#+ description: d\n#+ tags: [t]\n#+ params:\n#+   - name: text\n#+     type: string\n"
        "#+     description: any text\nSELECT ?_text (STRLEN(?_text) AS ?length) WHERE { }\n",
        encoding="utf-8",
    )
    hostile = '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    result = run_named_query(store, "echo", {"text": hostile}, directory=tmp_path)
    (row,) = list(result)
    assert row["_text"].value == hostile
    assert int(row["length"].value) == len(hostile)
    # The file on disk and the text that ran are the same: nothing was pasted in.
    assert hostile not in get_query("echo", directory=tmp_path).text
    assert store.triple_count() > 1000  # and the data is still there


def test_a_hostile_value_in_a_real_query_matches_nothing(store: EmbeddedStore) -> None:
    with pytest.raises(UsageError):
        run(store, "organisations-by-country", country='x"} UNION { ?organisation ?p ?o }')
    assert run(store, "organisations-by-country", country="https://example.org/no-such-country") == []
