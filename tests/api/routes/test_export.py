"""GET /api/export: the live data with a DCAT description, in three formats, never system graphs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from defport_kg.api.routes.export import DATASET
from defport_kg.auth.vocabulary import AUDIT_GRAPH, KEYS_GRAPH
from defport_kg.namespaces import CATALOG_GRAPH, DCAT, DCTERMS, LIVE_GRAPH, SHAPES_GRAPH
from defport_kg.store.terms import graph_term
from tests.api.routes.conftest import Api

FORMAT_OF = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE}


def _parse(body: bytes, fmt: str) -> list[ox.Quad]:
    return list(ox.parse(body, format=FORMAT_OF[fmt]))


def _live_triples(api: Api) -> set[tuple[str, str, str]]:
    quads = api.store.raw.quads_for_pattern(None, None, None, graph_term(LIVE_GRAPH))
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_quad_formats_carry_each_live_source_graph_and_the_description(example_api: Api, fmt: str) -> None:
    response = example_api.client.get("/api/export", params={"format": fmt})
    assert response.status_code == 200
    quads = _parse(response.content, fmt)
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert graphs == set(example_api.store.live_graphs())
    assert not graphs & {LIVE_GRAPH, CATALOG_GRAPH, SHAPES_GRAPH, KEYS_GRAPH, AUDIT_GRAPH}
    union = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert union == _live_triples(example_api)
    description = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    about = {q.predicate.value: q.object for q in description if q.subject == ox.NamedNode(DATASET)}
    assert about[DCAT + "version"].value == response.headers["etag"].strip('"')
    assert about[DCTERMS + "license"] == ox.NamedNode("https://spdx.org/licenses/EUPL-1.2.html")
    parts = {q.object.value for q in description if q.predicate.value == DCTERMS + "hasPart"}
    assert parts == set(example_api.store.live_graphs())
    assert any(q.predicate.value == DCTERMS + "source" for q in description if q.subject == ox.NamedNode(DATASET))


def test_turtle_carries_the_live_union_and_the_description(example_api: Api) -> None:
    response = example_api.client.get("/api/export", params={"format": "turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in _parse(response.content, "turtle")}
    live = _live_triples(example_api)
    assert live <= triples
    extra = {t for t in triples - live}
    assert any(t[0] == f"<{DATASET}>" for t in extra)


def test_no_key_or_audit_entry_is_ever_exported(example_api: Api) -> None:
    body = example_api.client.get("/api/export", params={"format": "nquads"}).text
    assert "secretHash" not in body and "argon2" not in body and "AuditEvent" not in body


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/n-quads", "application/n-quads"),
        ("application/trig", "application/trig"),
        ("text/turtle;q=0.9, application/n-quads;q=0.5", "text/turtle"),
        ("*/*", "application/trig"),
        (None, "application/trig"),
    ],
)
def test_accept_picks_the_format(api: Api, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = api.client.get("/api/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "attachment" in response.headers["content-disposition"]


def test_format_parameter_wins_over_accept(api: Api) -> None:
    response = api.client.get("/api/export", params={"format": "nquads"}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("application/n-quads")


def test_unacceptable_media_type_is_406(api: Api) -> None:
    response = api.client.get("/api/export", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert response.headers["content-type"].startswith("application/problem+json")


def test_unknown_format_is_400(api: Api) -> None:
    response = api.client.get("/api/export", params={"format": "xml"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


def test_version_changes_when_the_live_data_changes(api: Api) -> None:
    before = api.client.get("/api/export").headers["etag"]
    triple = ox.Triple(
        ox.NamedNode("https://w3id.org/defport/id/org/x"), ox.NamedNode(DCTERMS + "title"), ox.Literal("x")
    )
    api.store.add_source_graph("https://w3id.org/defport/id/import/test", [triple], role="import")
    after = api.client.get("/api/export").headers["etag"]
    assert before != after


@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle"])
def test_a_large_export_streams_in_many_chunks(example_api: Api, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small chunks force many round trips between the producing thread and the event loop:
    # pyoxigraph iterators must stay on the thread that made them.
    from defport_kg.api.routes import export

    monkeypatch.setattr(export, "CHUNK", 97)
    response = example_api.client.get("/api/export", params={"format": fmt})
    assert response.status_code == 200
    quads = _parse(response.content, fmt)
    assert {(str(q.subject), str(q.predicate), str(q.object)) for q in quads} >= _live_triples(example_api)
