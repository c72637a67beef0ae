"""The confidentiality fixture (issue 13): one on-disk store holding data of three markings.

- ``public``: a small supply network (system ``ax-system`` with its prime ``ax-prime`` and a
  two-source part), beside the shipped ontology and reference data (public too).
- ``defport``: a partner ``dx-partner`` and a second, dual-sourced part of the system.
- ``restricted``, releasable to org A (``ax-prime``) only: a distinctive organisation
  ("Zephyrine Quillfeather Forge B.V.", KvK 87650429, capability electronic-warfare) that alone
  supplies a component of the system from a site in Japan, an ITAR-controlled item containing
  gallium, which it refines too. Visible, it changes every analysis: a new single point of failure,
  a new cut set, a country outside NL/EU/NATO, a bottleneck of output (capacity 4 for a demand
  of 10), an export-controlled item, a critical raw material, a provider of a needed capability.

Callers: anonymous (clearance public), a key with clearance defport, a key with clearance
restricted acting for org B (``dx-partner``: must not see org A's graph) and a key with clearance
restricted acting for org A (sees everything). The store is on disk, so /sparql runs in the
worker processes over the views' databases.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from defport_kg.access import Marking
from defport_kg.api.app import create_app
from defport_kg.api.routes.sparql import close_engine
from defport_kg.auth import KeyRing, hashing
from defport_kg.imports import import_sources, read_bytes
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

DPID = "https://w3id.org/defport/id/"
ORG = DPID + "org/"
ITEM = DPID + "item/"
ORG_A = ORG + "ax-prime"
ORG_B = ORG + "dx-partner"
HIDDEN_ORG = ORG + "zz-hidden"
HIDDEN_ITEM = ITEM + "zz-core"
HIDDEN_SITE = DPID + "site/zz-works"
HIDDEN_KVK = "87650429"
SYSTEM = ITEM + "ax-system"
LIVE = DPID + "graph/live"
CATALOG = DPID + "graph/catalog"

PREFIXES = """@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix o: <https://w3id.org/defport/id/org/> .
@prefix i: <https://w3id.org/defport/id/item/> .
@prefix s: <https://w3id.org/defport/id/supply/> .
@prefix site: <https://w3id.org/defport/id/site/> .
@prefix c: <https://w3id.org/defport/id/country/> .
@prefix cap: <https://w3id.org/defport/id/capability/> .
"""

PUBLIC_TTL = """
o:ax-prime a dp:Company ; rdfs:label "Alpha Prime B.V."@en ; dp:country c:NL ; dp:kvkNumber "11112226" .
o:ax-maker1 a dp:Company ; rdfs:label "Alpha Maker One GmbH"@en ; dp:country c:DE .
o:ax-maker2 a dp:Company ; rdfs:label "Alpha Maker Two SAS"@en ; dp:country c:FR .
o:ax-ministry a dp:GovernmentBody ; rdfs:label "Alpha Ministry"@en ; dp:country c:NL ;
    dp:needsCapability cap:electronic-warfare .
i:ax-system a dp:System ; rdfs:label "Alpha system"@en ; dp:monthlyDemand "10.0"^^xsd:decimal ;
    dp:hasComponent i:ax-part .
[] a dp:ComponentUse ; dp:assembly i:ax-system ; dp:component i:ax-part ; dp:quantity "1.0"^^xsd:decimal .
i:ax-part a dp:Item ; rdfs:label "Alpha part"@en .
s:ax-system--ax-prime a dp:SupplyRelation ; dp:supplier o:ax-prime ; dp:item i:ax-system ;
    dp:share "1.0"^^xsd:decimal ; dp:monthlyCapacity "100.0"^^xsd:decimal .
s:ax-part--ax-maker1 a dp:SupplyRelation ; dp:supplier o:ax-maker1 ; dp:item i:ax-part ;
    dp:share "0.5"^^xsd:decimal ; dp:monthlyCapacity "100.0"^^xsd:decimal .
s:ax-part--ax-maker2 a dp:SupplyRelation ; dp:supplier o:ax-maker2 ; dp:item i:ax-part ;
    dp:share "0.5"^^xsd:decimal ; dp:monthlyCapacity "100.0"^^xsd:decimal .
"""

DEFPORT_TTL = """
o:dx-partner a dp:Company ; rdfs:label "Delta Partner B.V."@en ; dp:country c:NL ; dp:kvkNumber "33334448" .
i:ax-system dp:hasComponent i:dx-part .
[] a dp:ComponentUse ; dp:assembly i:ax-system ; dp:component i:dx-part ; dp:quantity "1.0"^^xsd:decimal .
i:dx-part a dp:Item ; rdfs:label "Delta part"@en .
s:dx-part--dx-partner a dp:SupplyRelation ; dp:supplier o:dx-partner ; dp:item i:dx-part ;
    dp:share "0.6"^^xsd:decimal ; dp:monthlyCapacity "50.0"^^xsd:decimal .
s:dx-part--ax-maker1 a dp:SupplyRelation ; dp:supplier o:ax-maker1 ; dp:item i:dx-part ;
    dp:share "0.4"^^xsd:decimal ; dp:monthlyCapacity "50.0"^^xsd:decimal .
"""

HIDDEN_TTL = f"""
o:zz-hidden a dp:Company ; rdfs:label "Zephyrine Quillfeather Forge B.V."@en ; dp:country c:NL ;
    dp:kvkNumber "{HIDDEN_KVK}" ; dp:hasCapability cap:electronic-warfare .
site:zz-works a dp:Site ; rdfs:label "Zephyrine works"@en ; dp:country c:JP ; dp:operatedBy o:zz-hidden .
i:ax-system dp:hasComponent i:zz-core .
[] a dp:ComponentUse ; dp:assembly i:ax-system ; dp:component i:zz-core ; dp:quantity "1.0"^^xsd:decimal .
i:zz-core a dp:Item ; rdfs:label "Quillfeather core"@en ; dp:exportControl dp:ITAR ;
    dp:hasComponent i:crm-gallium .
[] a dp:ComponentUse ; dp:assembly i:zz-core ; dp:component i:crm-gallium ; dp:quantity "0.1"^^xsd:decimal .
s:zz-core--zz-hidden a dp:SupplyRelation ; dp:supplier o:zz-hidden ; dp:item i:zz-core ; dp:site site:zz-works ;
    dp:share "1.0"^^xsd:decimal ; dp:monthlyCapacity "4.0"^^xsd:decimal .
s:crm-gallium--zz-hidden a dp:SupplyRelation ; dp:supplier o:zz-hidden ; dp:item i:crm-gallium ;
    dp:site site:zz-works ; dp:share "1.0"^^xsd:decimal ; dp:monthlyCapacity "100.0"^^xsd:decimal .
"""

# Words that only the hidden import holds: none may reach a caller who may not see it.
HIDDEN_WORDS = ("zephyrine", "quillfeather", "zz-hidden", "zz-core", "zz-works", HIDDEN_KVK)
DEFPORT_WORDS = ("delta partner", "dx-part", "33334448")
CALLERS = ("anonymous", "defport", "org_b", "org_a")
LOWER = ("anonymous", "defport", "org_b")


def ttl(text: str) -> bytes:
    return (PREFIXES + text).encode()


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def import_marked(store: EmbeddedStore, name: str, text: str, marking: Marking, **kwargs: Any) -> Any:
    """One import through the real pipeline (validated, committed with its marking)."""
    return import_sources(store, [read_bytes(ttl(text), name)], marking=marking, user="fixture", **kwargs)


def settings(**overrides: Any) -> Settings:
    """The product's defaults for access (tests/conftest.py sets the older tests' env otherwise)."""
    values: dict[str, Any] = {
        "anonymous_clearance": "public",
        "default_key_clearance": "defport",
        "default_import_marking": "defport",
        "query_workers": 1,
        "query_timeout_seconds": 60.0,
        **overrides,
    }
    return Settings(**values)


@dataclass
class Base:
    """A store folder with the three imports and the keys (tokens are shown once: kept here)."""

    path: Path
    imports: dict[str, str]  # marking → import id
    tokens: dict[str, str]  # caller → token
    key_ids: dict[str, str]


@pytest.fixture(scope="session")
def _access_base(_reference_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Base:
    target = tmp_path_factory.mktemp("access-base") / "store"
    shutil.copytree(_reference_store_dir, target)
    store = EmbeddedStore.open(target)
    imports: dict[str, str] = {}
    tokens: dict[str, str] = {}
    key_ids: dict[str, str] = {}
    try:
        for level, name, text, orgs in (
            ("public", "public.ttl", PUBLIC_TTL, ()),
            ("defport", "defport.ttl", DEFPORT_TTL, ()),
            ("restricted", "restricted.ttl", HIDDEN_TTL, (ORG_A,)),
        ):
            result = import_marked(store, name, text, Marking(level, frozenset(orgs)))
            assert result.import_id
            imports[level] = result.import_id
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(hashing, "_hasher", cheap_hasher())
            ring = KeyRing(store)
            for caller, role, level, orgs in (
                ("defport", "analyst", "defport", ()),
                ("org_b", "analyst", "restricted", (ORG_B,)),
                ("org_a", "analyst", "restricted", (ORG_A,)),
                ("admin", "admin", "public", ()),
                ("steward_defport", "steward", "defport", ()),
                ("steward_b", "steward", "restricted", (ORG_B,)),
                ("steward_a", "steward", "restricted", (ORG_A,)),
            ):
                key, token = ring.add(f"access {caller}", role, clearance=level, organisations=orgs)
                tokens[caller] = token
                key_ids[caller] = key.id
    finally:
        store.close()
    return Base(target, imports, tokens, key_ids)


@dataclass
class World:
    """The real app over a copy of the base store, and what the tests need to call it."""

    app: FastAPI
    client: TestClient
    store: EmbeddedStore
    base: Base
    path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def hidden_import(self) -> str:
        return self.base.imports["restricted"]

    @property
    def hidden_graph(self) -> str:
        return DPID + "import/" + self.hidden_import

    @property
    def defport_graph(self) -> str:
        return DPID + "import/" + self.base.imports["defport"]

    @property
    def public_graph(self) -> str:
        return DPID + "import/" + self.base.imports["public"]

    def headers(self, caller: str) -> dict[str, str]:
        token = self.base.tokens.get(caller)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, caller: str, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, headers={**self.headers(caller), **kwargs.pop("headers", {})}, **kwargs)

    def post(self, caller: str, url: str, **kwargs: Any) -> Any:
        return self.client.post(url, headers={**self.headers(caller), **kwargs.pop("headers", {})}, **kwargs)

    def hidden_words(self) -> tuple[str, ...]:
        return (*HIDDEN_WORDS, self.hidden_import.lower(), self.hidden_graph.lower())


def assert_no_trace(world: World, text: str, *, what: str = "") -> None:
    """No word, IRI or id of the hidden import in ``text`` (case-insensitive)."""
    lowered = text.lower()
    found = [word for word in world.hidden_words() if word in lowered]
    assert not found, f"{what}: hidden data leaked ({found}) in: {text[:2000]}"


def assert_no_defport(world: World, text: str, *, what: str = "") -> None:
    lowered = text.lower()
    words = (*DEFPORT_WORDS, world.base.imports["defport"].lower())
    found = [word for word in words if word in lowered]
    assert not found, f"{what}: defport data leaked ({found}) in: {text[:2000]}"


def open_world(base: Base, target: Path, **overrides: Any) -> World:
    shutil.copytree(base.path, target)
    store = EmbeddedStore.open(target)
    app = create_app(store, settings(**overrides))
    client = TestClient(app, raise_server_exceptions=False)
    return World(app, client, store, base, target)


def close_world(world: World) -> None:
    world.client.close()
    close_engine(world.app)
    world.app.state.access.close()
    read_audit = getattr(world.app.state, "read_audit", None)
    if read_audit is not None:
        read_audit.close()
    world.store.close()


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hashing, "_hasher", cheap_hasher())


@pytest.fixture(scope="module")
def world(_access_base: Base, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Shared by a module's read-only tests."""
    built = open_world(_access_base, tmp_path_factory.mktemp("access-world") / "store")
    yield built
    close_world(built)


@pytest.fixture
def fresh_world(_access_base: Base, tmp_path: Path) -> Iterator[World]:
    """A private copy for tests that write."""
    built = open_world(_access_base, tmp_path / "store")
    yield built
    close_world(built)
