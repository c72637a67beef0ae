"""Under disruption: output after failures, time-to-survive (LP) and the simple stock-path formula."""

from __future__ import annotations

import pytest

from defport_kg.scale import disruption
from tests.scale.helpers import item, network_of, org

S, S1, S2, C = item("s"), item("s1"), item("s2"), item("c")

# s: demand 5/month (1/6 per day), 10 stock days; c: 2 per s, 20 stock days (of 1/3 per day).
CHAIN = """
i:s a dp:System ; dp:monthlyDemand 5 ; dp:stockDays 10 .
i:c a dp:Component ; dp:stockDays 20 .
[] a dp:ComponentUse ; dp:assembly i:s ; dp:component i:c ; dp:quantity 2 .
s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s ; dp:monthlyCapacity 10 ; dp:recoveryDays 90 .
s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 4 ; dp:recoveryDays 60 ; dp:share 0.3 .
s:rc2 a dp:SupplyRelation ; dp:supplier o:d ; dp:item i:c ; dp:recoveryDays 20 ; dp:share 0.7 .
o:a a dp:Company . o:b a dp:Company . o:d a dp:Company .
"""


def test_total_cut_lasts_as_long_as_the_stock_on_the_path() -> None:
    # Both suppliers of c fail: 20 days of c then 10 days of s → 30 days, by either formula.
    report = disruption(network_of(CHAIN), [S], [org("b"), org("d")])
    assert report.disrupted.output == {S: 0.0}
    assert report.baseline.output == {S: 10.0}
    assert report.time_to_survive_days == pytest.approx(30.0)
    assert report.stock_path_days == {S: 30.0}
    # d's relation (no capacity limit) is back after 20 days, before the 30 days of stock run out.
    assert report.time_to_recover_days == 20.0
    assert report.exposed is False


def test_recovery_is_when_output_comes_back_not_the_longest_recovery() -> None:
    slow = CHAIN.replace("dp:recoveryDays 20", "dp:recoveryDays 200")
    report = disruption(network_of(slow), [S], [org("b"), org("d")])
    # b is back after 60 days but makes only 2 of 5 systems; output returns with d, after 200.
    assert report.time_to_recover_days == 200.0
    assert report.exposed is True
    unknown = CHAIN.replace(" dp:recoveryDays 20 ;", "")
    assert disruption(network_of(unknown), [S], [org("b"), org("d")]).time_to_recover_days is None


def test_remaining_capacity_stretches_stock_where_the_path_formula_sees_no_risk() -> None:
    # Only d fails: c stays available (rc, 4/month) so the path formula sees no limit, but 4 c
    # make only 2 of the 5 systems a month. Stock of c (6.67) and s (1.67) covers the shortfall of
    # 3 systems/month = 0.1/day for 50 days: (4T/30 + 6.67)/2 + 1.67 = 5T/30 → T = 50.
    report = disruption(network_of(CHAIN), [S], [org("d")])
    assert report.disrupted.output == {S: 2.0}
    assert report.stock_path_days == {S: None}
    assert report.time_to_survive_days == pytest.approx(50.0)
    assert report.survives is False
    assert report.time_to_recover_days == 20.0
    assert report.exposed is False  # d recovers in 20 days, before 50
    data = report.to_dict()
    assert data["stock_units"] == {S: pytest.approx(5 / 3), C: pytest.approx(20 / 3)}


def test_absorbed_failure_survives_indefinitely() -> None:
    network = network_of(CHAIN.replace("dp:monthlyCapacity 4 ;", "dp:monthlyCapacity 40 ;"))
    report = disruption(network, [S], [org("d")])
    assert report.survives is True
    assert report.time_to_survive_days is None
    assert report.exposed is False


def test_no_stock_means_no_time() -> None:
    no_stock = CHAIN.replace("dp:stockDays 10", "dp:stockDays 0").replace("dp:stockDays 20", "dp:stockDays 0")
    network = network_of(no_stock)
    report = disruption(network, [S], [org("d")])
    assert report.time_to_survive_days == 0.0


def test_shared_stock_is_counted_once_for_competing_systems() -> None:
    # Two systems each with demand 3 use c (60 stock days of the joint 0.2/day). If c fails, the path
    # formula gives each system 60 days; the LP gives the pair 60 days too, as the stock is sized on
    # their joint use. With s1 alone asking, the same stock units last twice as long.
    network = network_of("""
    i:s1 a dp:System ; dp:monthlyDemand 3 ; dp:hasComponent i:c .
    i:s2 a dp:System ; dp:monthlyDemand 3 ; dp:hasComponent i:c .
    i:c a dp:Component ; dp:stockDays 60 .
    s:r1 a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s1 .
    s:r2 a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s2 .
    s:rc a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:c ; dp:monthlyCapacity 100 .
    o:a a dp:Company . o:b a dp:Company .
    """)
    both = disruption(network, [S1, S2], [org("b")])
    assert both.time_to_survive_days == pytest.approx(60.0)
    assert both.stock_path_days == {S1: 60.0, S2: 60.0}
    assert both.stock_units == {C: pytest.approx(12.0)}


def test_input_stock_counts_through_share_weighted_routes() -> None:
    # c made by rc (share 1) needs input m; m's 15 stock days are of c's use; m's only supplier fails.
    network = network_of("""
    i:s a dp:System ; dp:monthlyDemand 30 ; dp:hasComponent i:c .
    i:m a dp:Material ; dp:stockDays 15 .
    s:rs a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:s .
    s:rc a dp:SupplyRelation ; dp:supplier o:a ; dp:item i:c ; dp:requiresInput i:m ; dp:share 1 .
    s:rm a dp:SupplyRelation ; dp:supplier o:b ; dp:item i:m .
    o:a a dp:Company . o:b a dp:Company .
    """)
    report = disruption(network, [S], [org("b")])
    assert report.stock_units == {item("m"): pytest.approx(15.0)}
    assert report.time_to_survive_days == pytest.approx(15.0)
    assert report.stock_path_days == {S: 15.0}


def test_an_input_cycle_with_loop_gain_one_falls_back_with_a_note() -> None:
    network = network_of("""
    i:s a dp:System ; dp:hasComponent i:a ; dp:stockDays 3 .
    s:rs a dp:SupplyRelation ; dp:supplier o:x ; dp:item i:s ; dp:monthlyCapacity 1 .
    s:ra a dp:SupplyRelation ; dp:supplier o:x ; dp:item i:a ; dp:requiresInput i:b .
    s:rb a dp:SupplyRelation ; dp:supplier o:y ; dp:item i:b ; dp:requiresInput i:a .
    o:x a dp:Company . o:y a dp:Company .
    """)
    report = disruption(network, [S], [])
    assert report.baseline.output == {S: 0.0}
    assert report.notes and "loop gain" in report.notes[0]
    assert report.time_to_survive_days == pytest.approx(3.0)


def test_disruption_json_is_plain_json() -> None:
    import json

    report = disruption(network_of(CHAIN), [S], [org("d")])
    json.dumps(report.to_dict())
