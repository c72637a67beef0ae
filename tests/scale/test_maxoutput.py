"""Maximum output (CONTRACT §3b) on hand-checked networks: outputs, bottlenecks, shadow prices, errors."""

from __future__ import annotations

import pytest

from defport_kg.errors import AnalysisError, NotFoundError, UsageError
from defport_kg.scale import max_output
from tests.scale.helpers import country, item, network_of, org, rel, site

S, S1, S2, C, M = item("s"), item("s1"), item("s2"), item("c"), item("m")

CHAIN = """
i:s a dp:System ; dp:monthlyDemand 5 .
i:c a dp:Component .
[] a dp:ComponentUse ; dp:assembly i:s ; dp:component i:c ; dp:quantity 2 .
s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s ; dp:monthlyCapacity 10 .
s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 4 .
o:a a dp:Company ; dp:country c:NL . o:b a dp:Company ; dp:country c:DE .
"""


def _prices(report) -> dict[str, float]:
    return {b.relation: b.shadow_price for b in report.bottlenecks}


def test_contract_json_shape() -> None:
    report = max_output(network_of(CHAIN), [S])
    data = report.to_dict()
    assert data["systems"] == [S]
    assert data["failed"] == []
    assert data["unbounded"] is False
    assert data["output"] == {S: 2.0}  # 4 units of c → 2 of s
    assert data["bottlenecks"] == [
        {"relation": rel("rc"), "shadow_price": 0.1, "item": C, "supplier": org("b"), "capacity": 4.0, "label": None}
    ]
    assert data["coverage"] == {S: 0.4}
    assert data["demand_multiple"] == 0.4


def test_component_capacity_binds_with_shadow_price() -> None:
    # One more unit of c capacity → half a system → 0.1 of the demand (5).
    report = max_output(network_of(CHAIN), [S])
    assert _prices(report) == {rel("rc"): 0.1}


def test_system_capacity_binds_when_component_has_a_second_uncapped_source() -> None:
    network = network_of(CHAIN + "s:rc2 a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c .")
    report = max_output(network, [S])
    assert report.output == {S: 10.0}
    assert _prices(report) == {rel("rs"): 0.2}


def test_two_systems_compete_for_a_shared_supplier() -> None:
    # 2·λ units of s1 (1 c each) and 1·λ of s2 (2 c each) share 12 c: 4λ ≤ 12 → λ = 3.
    network = network_of("""
    i:s1 a dp:System ; dp:monthlyDemand 2 ; dp:hasComponent i:c .
    i:s2 a dp:System ; dp:monthlyDemand 1 .
    [] a dp:ComponentUse ; dp:assembly i:s2 ; dp:component i:c ; dp:quantity 2 .
    s:r1 a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s1 .
    s:r2 a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:s2 .
    s:rc a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:c ; dp:monthlyCapacity 12 .
    """)
    report = max_output(network, [S1, S2])
    assert report.output == {S1: 6.0, S2: 3.0}
    assert _prices(report) == {rel("rc"): 0.25}
    alone = max_output(network, [S2])
    assert alone.output == {S2: 6.0}


def test_component_uses_add_up_and_input_counts_on_top() -> None:
    # Two ComponentUse nodes (1.5 + 2.5 = 4) plus c as the relation's input (1): 5 c per s.
    network = network_of("""
    i:s a dp:System ; dp:hasComponent i:c .
    [] a dp:ComponentUse ; dp:assembly i:s ; dp:component i:c ; dp:quantity 1.5 .
    [] a dp:ComponentUse ; dp:assembly i:s ; dp:component i:c ; dp:quantity 2.5 .
    s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s ; dp:requiresInput i:c .
    s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 10 .
    """)
    report = max_output(network, [S])
    assert report.output == {S: 2.0}
    assert report.demand == {S: None}
    assert report.coverage == {S: None}


def test_plain_has_component_means_quantity_one() -> None:
    network = network_of("""
    i:s a dp:System ; dp:hasComponent i:c .
    s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s .
    s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 7 .
    """)
    assert max_output(network, [S]).output == {S: 7.0}


def test_item_without_relations_is_assembled_in_house() -> None:
    network = network_of("""
    i:s a dp:System .
    [] a dp:ComponentUse ; dp:assembly i:s ; dp:component i:c ; dp:quantity 3 .
    s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 6 .
    """)
    report = max_output(network, [S])
    assert report.output == {S: 2.0}
    assert report.model_size["inhouse"] == 1


def test_input_cycle_gives_only_what_enters_it() -> None:
    # a needs input b, b needs input a: the loop sustains itself but yields nothing net;
    # only b's second source (3 per month, no input) feeds output.
    network = network_of("""
    i:s a dp:System ; dp:hasComponent i:a .
    s:rs a dp:SupplyRelation ; dp:supplier o:x ; dp:item i:s .
    s:ra a dp:SupplyRelation ; dp:supplier o:x ; dp:item i:a ; dp:requiresInput i:b ; dp:monthlyCapacity 10 .
    s:rb a dp:SupplyRelation ; dp:supplier o:y ; dp:item i:b ; dp:requiresInput i:a ; dp:monthlyCapacity 100 .
    s:rb2 a dp:SupplyRelation ; dp:supplier o:z ; dp:item i:b ; dp:monthlyCapacity 3 .
    """)
    report = max_output(network, [S])
    assert report.output == {S: 3.0}
    assert _prices(report) == {rel("rb2"): 1.0}
    cut = max_output(network, [S], [org("z")])
    assert cut.output == {S: 0.0}
    assert cut.bottlenecks == ()


def test_unbounded_names_a_path_without_capacity() -> None:
    network = network_of("""
    i:s a dp:System ; dp:hasComponent i:c .
    i:c dp:hasComponent i:m .
    s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s .
    s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c .
    s:rc2 a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 1 .
    """)
    report = max_output(network, [S])
    data = report.to_dict()
    assert data["unbounded"] is True
    assert data["output"] is None
    assert data["bottlenecks"] == []
    assert data["uncapacitated_path"] == [S, rel("rs"), C, rel("rc"), M]


def test_unbounded_through_an_amplifying_cycle_is_still_reported() -> None:
    # Half a b per a, one a per b: the loop makes a net surplus, so λ has no bound.
    network = network_of("""
    i:s a dp:System ; dp:hasComponent i:a .
    [] a dp:ComponentUse ; dp:assembly i:a ; dp:component i:b ; dp:quantity 0.5 .
    s:rs a dp:SupplyRelation ; dp:supplier o:x ; dp:item i:s ; dp:monthlyCapacity 5 .
    s:rs2 a dp:SupplyRelation ; dp:supplier o:x ; dp:item i:s .
    s:rb a dp:SupplyRelation ; dp:supplier o:y ; dp:item i:b ; dp:requiresInput i:a .
    """)
    report = max_output(network, [S])
    assert report.unbounded
    path = report.uncapacitated_path
    assert path is not None and path[0] == S and rel("rs") not in path


def test_zero_demand_is_an_error_naming_the_system() -> None:
    network = network_of(CHAIN + "i:s2 a dp:System ; dp:monthlyDemand 0 .")
    with pytest.raises(AnalysisError, match=S2):
        max_output(network, [S, S2])


def test_unknown_system_and_units_are_refused() -> None:
    network = network_of(CHAIN)
    with pytest.raises(NotFoundError, match="nope"):
        max_output(network, [item("nope")])
    with pytest.raises(NotFoundError, match="ghost"):
        max_output(network, [S], [org("ghost")])
    with pytest.raises(NotFoundError):  # an organisation is not a country
        max_output(network, [S], [org("a")], unit="country")
    with pytest.raises(UsageError, match="unit kind"):
        max_output(network, [S], [org("a")], unit="planet")
    with pytest.raises(UsageError):
        max_output(network, [])


def test_failed_supplier_takes_its_relations_down() -> None:
    network = network_of(CHAIN + "s:rc2 a dp:SupplyRelation ; dp:supplier o:d ; dp:item i:c ; dp:monthlyCapacity 1 .")
    assert max_output(network, [S]).output == {S: 2.5}
    report = max_output(network, [S], [org("b")])
    assert report.failed == (org("b"),)
    assert report.output == {S: 0.5}
    stopped = max_output(network, [S], [org("b"), org("d")])
    assert stopped.output == {S: 0.0}
    assert stopped.unavailable == (S,)  # s's only relation is down because c is unavailable (§3)


def test_country_and_site_failures_follow_section_3() -> None:
    network = network_of(
        CHAIN
        + """
    s:rc2 a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 6 ; dp:site site:x .
    site:x a dp:Site ; dp:operatedBy o:op ; dp:country c:FR .
    o:op a dp:Company ; dp:country c:NL .
    """
    )
    assert max_output(network, [S]).output == {S: 5.0}
    # The site is in France: Germany failing leaves it, France failing takes it.
    assert max_output(network, [S], [country("DE")], unit="country").output == {S: 3.0}
    assert max_output(network, [S], [country("FR")], unit="country").output == {S: 2.0}
    assert max_output(network, [S], [site("x")], unit="site").output == {S: 2.0}
    # The site's operator failing does not take the site down by itself.
    assert max_output(network, [S], [org("op")]).output == {S: 5.0}


def test_item_whose_relations_are_all_down_is_not_made_in_house() -> None:
    network = network_of("""
    i:s a dp:System ; dp:hasComponent i:c .
    s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s .
    i:c dp:hasComponent i:m .
    s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 2 .
    """)
    assert max_output(network, [S]).output == {S: 2.0}
    assert max_output(network, [S], [org("b")]).output == {S: 0.0}


def test_duality_capacity_times_price_equals_output_level() -> None:
    network = network_of("""
    i:s1 a dp:System ; dp:monthlyDemand 3 ; dp:hasComponent i:c, i:d .
    i:s2 a dp:System ; dp:monthlyDemand 2 ; dp:hasComponent i:d .
    s:r1 a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s1 ; dp:monthlyCapacity 100 .
    s:r2 a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s2 ; dp:monthlyCapacity 7 .
    s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 9 .
    s:rd a dp:SupplyRelation ; dp:supplier o:c ; dp:item i:d ; dp:monthlyCapacity 20 .
    """)
    report = max_output(network, [S1, item("s2")])
    total = sum(b.capacity * b.shadow_price for b in report.bottlenecks)
    assert report.level == pytest.approx(total, rel=1e-6)
    assert report.level == pytest.approx(3.0)  # c: 3λ ≤ 9 and d: 5λ ≤ 20 → λ = 3
    assert _prices(report) == {rel("rc"): pytest.approx(1 / 3)}
