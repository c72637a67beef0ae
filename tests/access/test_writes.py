"""Writes and commits: what an importer may mark, what its validation may tell, and that a commit
the caller cannot see neither rebuilds nor slows its view."""

from __future__ import annotations

import statistics
import time
from typing import Any
from urllib.parse import urlencode

from tests.access.conftest import (
    DPID,
    HIDDEN_ORG,
    ORG_A,
    PREFIXES,
    SYSTEM,
    World,
    assert_no_trace,
)

NOWHERE_ORG = DPID + "org/zz-nowhere"
TURTLE = {"Content-Type": "text/turtle"}


def post_import(world: World, caller: str, text: str, **params: Any) -> Any:
    query = urlencode(params, doseq=True)
    return world.post(
        caller, "/api/imports" + (f"?{query}" if query else ""), content=(PREFIXES + text).encode(), headers=TURTLE
    )


def imports_seen(world: World, caller: str) -> list[str]:
    return [i["id"] for i in world.get(caller, "/api/imports").json()["imports"]]


NEW_ORG = 'o:new-co a dp:Company ; rdfs:label "New Co GmbH"@en ; dp:country c:DE .'


def test_an_importer_may_not_mark_beyond_its_clearance(fresh_world: World) -> None:
    world = fresh_world
    before = imports_seen(world, "org_a")
    refused = post_import(world, "steward_defport", NEW_ORG, marking="restricted")
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    # Restricted, but to an organisation the importer does not act for.
    other = post_import(world, "steward_b", NEW_ORG, marking="restricted", releasable_to=ORG_A)
    assert other.status_code == 403, other.text
    assert imports_seen(world, "org_a") == before  # nothing was stored
    accepted = post_import(world, "steward_a", NEW_ORG, marking="restricted", releasable_to=ORG_A)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["import"] in imports_seen(world, "org_a")
    assert accepted.json()["import"] not in imports_seen(world, "org_b")


def _supply(org: str) -> str:
    return (
        'i:new-part a dp:Item ; rdfs:label "New part"@en .\n'
        f"<https://w3id.org/defport/id/supply/new-part--x> a dp:SupplyRelation ; dp:supplier <{org}> ; "
        'dp:item i:new-part ; dp:share "0.1"^^xsd:decimal .'
    )


def test_validation_runs_against_the_importers_view(fresh_world: World) -> None:
    world = fresh_world
    for steward in ("steward_defport", "steward_b"):
        hidden = post_import(world, steward, _supply(HIDDEN_ORG), dry_run="true")
        missing = post_import(world, steward, _supply(NOWHERE_ORG), dry_run="true")
        assert hidden.status_code == missing.status_code == 422, hidden.text
        assert hidden.text.replace(HIDDEN_ORG, NOWHERE_ORG) == missing.text
        assert_no_trace(world, hidden.text.replace(HIDDEN_ORG, NOWHERE_ORG), what=steward)
    # The importer who may see the organisation gets no such violation.
    cleared = post_import(world, "steward_a", _supply(HIDDEN_ORG), dry_run="true")
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["conforms"] is True


def test_replace_names_only_the_importers_own_sources(fresh_world: World) -> None:
    world = fresh_world
    hidden = post_import(world, "steward_defport", NEW_ORG, replace="restricted.ttl", dry_run="true")
    missing = post_import(world, "steward_defport", NEW_ORG, replace="nothing-ever.ttl", dry_run="true")
    assert hidden.status_code == missing.status_code
    assert hidden.text.replace("restricted.ttl", "nothing-ever.ttl") == missing.text


def test_rollback_of_a_hidden_import_is_unknown(fresh_world: World) -> None:
    world = fresh_world
    real = world.hidden_import
    fake = real[:-8] + ("0" * 8 if not real.endswith("0" * 8) else "1" * 8)
    for steward in ("steward_defport", "steward_b"):
        hidden = world.post(steward, f"/api/imports/{real}/rollback", headers={"Sec-Fetch-Site": "same-origin"})
        missing = world.post(steward, f"/api/imports/{fake}/rollback", headers={"Sec-Fetch-Site": "same-origin"})
        assert hidden.status_code == missing.status_code == 404, hidden.text
        assert hidden.text.replace(real, fake) == missing.text
    assert real in [i["id"] for i in world.get("org_a", "/api/imports", params={"live": "true"}).json()["imports"]]
    assert "zz-hidden" in world.get("org_a", "/api/risk/spof").text
    done = world.post("steward_a", f"/api/imports/{real}/rollback")
    assert done.status_code == 200, done.text
    assert "zz-hidden" not in world.get("org_a", "/api/risk/spof").text


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _timed_count(world: World, caller: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = world.get(caller, "/sparql", params={"query": COUNT})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"]), elapsed


def test_a_hidden_commit_does_not_rebuild_or_slow_a_lower_view(fresh_world: World) -> None:
    world = fresh_world
    access = world.app.state.access
    keyring = world.app.state.keyring
    clearances = {
        "anonymous": access.anonymous,
        "defport": access.clearance_for(keyring.get(world.base.key_ids["defport"])),
        "org_b": access.clearance_for(keyring.get(world.base.key_ids["org_b"])),
    }
    baseline: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for caller in clearances:
        for _ in range(4):
            counts[caller], elapsed = _timed_count(world, caller)
            baseline.setdefault(caller, []).append(elapsed)
    views = {caller: access.cached_view(clearance) for caller, clearance in clearances.items()}
    assert all(view is not None for view in views.values())
    assert views["defport"] is views["org_b"]  # the same graphs: one shared view
    seen = {
        caller: (
            world.get(caller, "/api/export", params={"format": "nquads"}).headers["etag"],
            world.get(caller, "/health").json()["triples"],
        )
        for caller in clearances
    }
    a_before, _ = _timed_count(world, "org_a")

    hidden = post_import(
        world,
        "steward_a",
        'o:zz-second a dp:Company ; rdfs:label "Zephyrine Second B.V."@en ; dp:country c:NL ; '
        'dp:kvkNumber "87650430" .',
        marking="restricted",
        releasable_to=ORG_A,
    )
    assert hidden.status_code == 201, hidden.text

    for caller, clearance in clearances.items():
        count, elapsed = _timed_count(world, caller)
        assert count == counts[caller]
        typical = statistics.median(baseline[caller])
        assert elapsed < max(20 * typical, typical + 1.0), (caller, elapsed, baseline[caller])
        assert access.cached_view(clearance) is views[caller]  # not rebuilt
        assert access.view(clearance) is views[caller]
        assert (
            world.get(caller, "/api/export", params={"format": "nquads"}).headers["etag"],
            world.get(caller, "/health").json()["triples"],
        ) == seen[caller]
        assert world.get(caller, "/api/search", params={"q": "Zephyrine"}).json()["results"] == []
    a_after, _ = _timed_count(world, "org_a")
    assert a_after > a_before  # org A sees the new import at once

    visible = post_import(world, "steward_defport", NEW_ORG, marking="public")
    assert visible.status_code == 201, visible.text
    count, _ = _timed_count(world, "anonymous")
    assert count > counts["anonymous"]
    rebuilt = access.cached_view(clearances["anonymous"])
    assert rebuilt is not None and rebuilt is not views["anonymous"]
    assert "New Co GmbH" in world.get("anonymous", "/api/search", params={"q": "New Co"}).text


def test_answers_say_their_clearance_and_marking(fresh_world: World) -> None:
    world = fresh_world
    expected = {
        "anonymous": ("public", "public"),
        "defport": ("defport", "defport"),
        "org_b": ("restricted", "defport"),
        "org_a": ("restricted", "restricted"),
    }
    for caller, (clearance, marking) in expected.items():
        response = world.get(caller, "/api/risk/cut-sets", params={"item": SYSTEM})
        assert response.status_code == 200
        assert response.headers["x-defport-clearance"].split(";")[0] == clearance
        assert response.headers["x-defport-marking"].split(" ")[0] == marking
    assert ORG_A in world.get("org_a", "/api/risk/spof").headers["x-defport-marking"]


def _declassified(world: World) -> tuple[str, str]:
    """Org A's steward imports ``plan.ttl`` restricted, then replaces it with a public version."""
    first = post_import(
        world,
        "steward_a",
        'o:plan-co a dp:Company ; rdfs:label "Plan Co GmbH"@en ; dp:country c:DE .',
        marking="restricted",
        releasable_to=ORG_A,
        name="plan.ttl",
    )
    assert first.status_code == 201, first.text
    second = post_import(
        world,
        "steward_a",
        'o:plan-co a dp:Company ; rdfs:label "Plan Co GmbH"@en ; dp:country c:FR .',
        marking="public",
        name="plan.ttl",
        replace="plan.ttl",
    )
    assert second.status_code == 201, second.text
    return first.json()["import"], second.json()["import"]


def test_a_visible_revision_does_not_name_its_hidden_predecessor(fresh_world: World) -> None:
    world = fresh_world
    hidden, public = _declassified(world)
    catalogue = "SELECT * WHERE { GRAPH <https://w3id.org/defport/id/graph/catalog> { ?s ?p ?o } }"
    urls = [
        "/api/imports",
        f"/api/imports/{public}",
        "/api/export?format=nquads",
        "/sparql?" + urlencode({"query": catalogue}),
    ]
    for caller in ("anonymous", "defport", "org_b"):
        for url in urls:
            response = world.get(caller, url)
            assert response.status_code == 200, response.text
            assert hidden not in response.text, (caller, url)
    shown = world.get("org_a", f"/api/imports/{public}").json()
    assert shown["revision_of"] == [hidden]


def test_rolling_back_a_revision_does_not_name_a_hidden_predecessor(fresh_world: World) -> None:
    """A rollback that would make a hidden version live again is refused, without naming it (the
    refusal itself tells that an earlier version exists: docs/CONFIDENTIALITY.md says so)."""
    world = fresh_world
    hidden, public = _declassified(world)
    response = world.post("steward_defport", f"/api/imports/{public}/rollback")
    assert response.status_code == 403, response.text
    assert hidden not in response.text
    assert world.get("steward_defport", f"/api/imports/{public}").json()["status"] == "live"  # nothing changed


def test_a_clearance_change_takes_effect_at_the_next_request(fresh_world: World) -> None:
    world = fresh_world
    key_id = world.base.key_ids["org_b"]
    assert world.get("org_b", "/api/search", params={"q": "Zephyrine"}).json()["count"] == 0
    changed = world.client.put(
        f"/api/keys/{key_id}/clearance",
        json={"clearance": "restricted", "organisations": [ORG_A]},
        headers=world.headers("admin"),
    )
    assert changed.status_code == 200, changed.text
    seen_by_a = world.get("org_a", "/api/search", params={"q": "Zephyrine"}).json()
    assert seen_by_a["count"] >= 1
    assert world.get("org_b", "/api/search", params={"q": "Zephyrine"}).json()["results"] == seen_by_a["results"]
    lowered = world.client.put(
        f"/api/keys/{key_id}/clearance", json={"clearance": "public"}, headers=world.headers("admin")
    )
    assert lowered.status_code == 200, lowered.text
    response = world.get("org_b", "/api/risk/spof")
    assert response.headers["x-defport-clearance"] == "public"
    assert_no_trace(world, response.text, what="lowered key")
    assert world.get("org_b", "/api/search", params={"q": "Delta"}).json()["count"] == 0
