"""Access views over a remote store follow other clients' writes: the server can be written by any
client, and no commit of theirs passes through this process, so the catalogue is read again once
older than ``remote_refresh_seconds``."""

from __future__ import annotations

import time

import pytest

from defport_kg.access import AccessControl, Marking, marking_quads
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from defport_kg.store.remote import RemoteStore
from tests.conftest import turtle_quads
from tests.remote.conftest import clear
from tests.remote.servers import Server

IMPORT = "https://w3id.org/defport/id/import/"
ORG = "https://w3id.org/defport/id/org/"


def add(store: RemoteStore | EmbeddedStore, name: str, marking: str) -> None:
    graph = IMPORT + name
    quads = turtle_quads(f"o:{name} a dp:Company .")
    store.add_source_graph(graph, quads, role="import", extra_quads=marking_quads(graph, Marking(marking)))


def companies(access: AccessControl) -> set[str]:
    """What the anonymous caller's view holds, read as a route does (the quick path first)."""
    view = access.cached_view(access.anonymous) or access.view(access.anonymous)
    return {
        row["c"].value
        for row in view.store.query("SELECT ?c WHERE { ?c a <https://w3id.org/defport/ontology#Company> }")
    }


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("refresh", [0.5, 3600.0])
def test_another_clients_import_reaches_the_views_within_the_refresh_time(
    oxigraph_server: Server, refresh: float
) -> None:
    writer = RemoteStore.open(oxigraph_server.location, create=True)
    clear(writer)
    reader = RemoteStore.open(oxigraph_server.location)
    access = AccessControl.from_settings(reader, Settings(anonymous_clearance="public", remote_refresh_seconds=refresh))
    try:
        add(writer, "first", "public")
        assert companies(access) == {ORG + "first"}
        add(writer, "second", "public")
        add(writer, "hidden", "restricted")
        time.sleep(0.6)
        if refresh < 1:
            assert access.cached_view(access.anonymous) is None  # stale: the slow path reads the catalogue
            assert companies(access) == {ORG + "first", ORG + "second"}  # never the restricted one
        else:  # the bound is the setting: within the hour this process does not look
            assert companies(access) == {ORG + "first"}
        writer.retire(IMPORT + "first")
        time.sleep(0.6)
        assert companies(access) == ({ORG + "second"} if refresh < 1 else {ORG + "first"})
    finally:
        access.close()
        clear(writer)
        reader.close()
        writer.close()


def test_an_embedded_store_never_reads_its_catalogue_again_between_commits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every write to it passes through this process (the RocksDB lock): no refresh needed, none made."""
    store = EmbeddedStore.open(tmp_path / "store", create=True)
    access = AccessControl.from_settings(store, Settings(anonymous_clearance="public", remote_refresh_seconds=0))
    try:
        add(store, "first", "public")
        assert companies(access) == {ORG + "first"}
        kept = access.cached_view(access.anonymous)
        assert kept is not None and access.cached_view(access.anonymous) is kept
        add(store, "second", "public")  # a commit here: seen at once
        assert companies(access) == {ORG + "first", ORG + "second"}
    finally:
        access.close()
        store.close()
