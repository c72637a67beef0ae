"""Surge on hand-checked networks, and the alternative suppliers it proposes."""

from __future__ import annotations

import pytest

from defport_kg.errors import AnalysisError, UsageError
from defport_kg.scale import alternative_suppliers, surge
from tests.scale.helpers import item, network_of, org, rel

S, S1, S2, C = item("s"), item("s1"), item("s2"), item("c")

CHAIN = """
i:s a dp:System ; dp:monthlyDemand 5 ; dp:realises <https://w3id.org/defport/id/capability/radar> .
[] a dp:ComponentUse ; dp:assembly i:s ; dp:component i:c ; dp:quantity 2 .
s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s ; dp:monthlyCapacity 10 .
s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 4 .
o:a a dp:Company ; dp:country c:NL . o:b a dp:Company ; dp:country c:DE .
"""


def test_surge_to_twice_demand_adds_exactly_what_is_short() -> None:
    # 2 x 5 = 10 systems: s has 10 already, c needs 20 and has 4 → add 16.
    report = surge(network_of(CHAIN), [S], 2.0)
    data = report.to_dict()
    assert data["added_total"] == 16.0
    assert data["target_output"] == {S: 10.0}
    assert data["current_multiple"] == 0.4
    assert data["increases"] == [
        {"relation": rel("rc"), "item": C, "supplier": org("b"), "capacity": 4.0, "added": 16.0, "new_capacity": 20.0}
    ]


def test_surge_to_three_times_demand_raises_two_relations() -> None:
    report = surge(network_of(CHAIN), [S], 3.0)
    added = {i.relation: i.added for i in report.increases}
    assert added == {rel("rc"): 26.0, rel("rs"): 5.0}
    assert report.added_total == 31.0


def test_surge_prefers_the_cheaper_route() -> None:
    # c comes from rc (needs nothing) or rc2 (needs inputs m1 and m2, both at capacity 0): each
    # extra c costs 1 unit of capacity on rc but 2 (m1 and m2) through rc2, so only rc is raised.
    network = network_of(
        CHAIN
        + """
    s:rc2 a dp:SupplyRelation ; dp:supplier o:d ; dp:item i:c ; dp:monthlyCapacity 4 ;
        dp:requiresInput i:m1, i:m2 .
    s:rm1 a dp:SupplyRelation ; dp:supplier o:d ; dp:item i:m1 ; dp:monthlyCapacity 0 .
    s:rm2 a dp:SupplyRelation ; dp:supplier o:d ; dp:item i:m2 ; dp:monthlyCapacity 0 .
    """
    )
    report = surge(network, [S], 2.0)
    assert report.added_total == 16.0
    assert {i.relation for i in report.increases} == {rel("rc")}


def test_competing_systems_share_the_surge() -> None:
    network = network_of("""
    i:s1 a dp:System ; dp:monthlyDemand 2 ; dp:hasComponent i:c .
    i:s2 a dp:System ; dp:monthlyDemand 1 ; dp:hasComponent i:c .
    s:r1 a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s1 .
    s:r2 a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:s2 .
    s:rc a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:c ; dp:monthlyCapacity 3 .
    """)
    assert surge(network, [S1, S2], 1.0).added_total == 0.0
    assert surge(network, [S1, S2], 2.0).added_total == 3.0


def test_target_already_met_needs_nothing() -> None:
    report = surge(network_of(CHAIN), [S], 0.4)
    assert report.added_total == 0.0
    assert report.increases == ()


def test_unreachable_target_explains_why() -> None:
    network = network_of(CHAIN)
    with pytest.raises(AnalysisError, match=r"no supply relation is up for .*item/c"):
        surge(network, [S], 2.0, [org("b")])
    with pytest.raises(UsageError, match="positive multiple"):
        surge(network, [S], 0.0)


def test_alternative_suppliers_have_the_capability_and_no_relation_yet() -> None:
    network = network_of(
        CHAIN
        + """
    o:a dp:hasCapability <https://w3id.org/defport/id/capability/radar> .
    o:nl2 a dp:Company ; dp:country c:NL ; dp:hasCapability <https://w3id.org/defport/id/capability/radar> .
    o:us a dp:Company ; dp:country c:US ; dp:hasCapability <https://w3id.org/defport/id/capability/radar> .
    o:fr a dp:Company ; dp:country c:FR ; dp:hasCapability <https://w3id.org/defport/id/capability/radar> .
    o:other a dp:Company ; dp:country c:NL ; dp:hasCapability <https://w3id.org/defport/id/capability/sonar> .
    c:FR dp:memberOf <https://w3id.org/defport/id/alliance/EU>, <https://w3id.org/defport/id/alliance/NATO> .
    c:US dp:memberOf <https://w3id.org/defport/id/alliance/NATO> .
    """
    )
    found = alternative_suppliers(network, S)
    assert found.capabilities == ("https://w3id.org/defport/id/capability/radar",)
    assert [(c.organisation, c.region) for c in found.candidates] == [
        (org("nl2"), "NL"),
        (org("fr"), "EU"),
        (org("us"), "NATO"),
    ]
    assert found.total == 3
    assert alternative_suppliers(network, S, limit=1).total == 3


def test_alternatives_for_an_item_without_realises_use_the_suppliers_shared_capabilities() -> None:
    network = network_of(
        CHAIN
        + """
    o:b dp:hasCapability <https://w3id.org/defport/id/capability/composites> .
    o:e a dp:Company ; dp:country c:NL ; dp:hasCapability <https://w3id.org/defport/id/capability/composites> .
    """
    )
    report = surge(network, [S], 2.0)
    assert [a.item for a in report.alternatives] == [C]
    assert [c.organisation for c in report.alternatives[0].candidates] == [org("e")]
