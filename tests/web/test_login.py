"""Signing in to the web interface with an API key, through the real app in process (real store,
real key ring, real audit log): the cookie's flags, what a wrong key says, the same-origin rule that
keeps other sites from using the cookie, and pages that send the browser to sign in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.api.deps import SESSION_COOKIE
from defport_kg.auth import KeyRing, hashing
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

MINDEF = "https://w3id.org/defport/id/org/ministerie-van-defensie"
SYSTEM = "https://w3id.org/defport/id/item/ex-155mm-round"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}


@dataclass
class Site:
    store: EmbeddedStore
    open_app: FastAPI
    locked_app: FastAPI  # require_keys_for_reads on
    tokens: dict[str, str]

    def client(self, *, locked: bool = True, base_url: str = "http://testserver") -> TestClient:
        return TestClient(self.locked_app if locked else self.open_app, base_url=base_url, follow_redirects=False)


@pytest.fixture(scope="module")
def site(_example_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    target = tmp_path_factory.mktemp("web-login") / "store"
    shutil.copytree(_example_store_dir, target)
    store = EmbeddedStore.open(target)
    with pytest.MonkeyPatch.context() as patch:  # still argon2id, with the smallest parameters
        patch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        ring = KeyRing(store)
        tokens = {role: ring.add(f"login {role}", role)[1] for role in ("reader", "analyst", "steward")}
        tokens["revoked"] = ring.add("login revoked", "steward")[1]
    open_app = create_app(store, Settings(require_keys_for_reads=False))
    locked_app = create_app(store, Settings(require_keys_for_reads=True))
    try:
        yield Site(store, open_app, locked_app, tokens)
    finally:
        store.close()


def sign_in(client: TestClient, token: str, next_path: str = "/", headers: dict[str, str] | None = None) -> object:
    return client.post(
        "/login", data={"key": token, "next": next_path}, headers=SAME_ORIGIN if headers is None else headers
    )


def set_cookie(response: object) -> SimpleCookie:
    cookie: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        cookie.load(header)
    return cookie


def test_a_page_sends_the_browser_to_sign_in_when_reads_need_a_key(site: Site) -> None:
    client = site.client()
    for path in ("/", "/query", "/search?q=radar", f"/thing?iri={quote(MINDEF, safe='')}", "/risk", "/imports"):
        response = client.get(path)
        assert response.status_code == 303, path
        location = urlsplit(response.headers["location"])
        assert location.path == "/login"
        assert parse_qs(location.query) == {"next": [path], "reason": ["needed"]}
    login = client.get("/login", params={"next": "/query", "reason": "needed"})
    assert login.status_code == 200
    assert 'data-notice="needed"' in login.text and 'name="next" value="/query"' in login.text
    # The form is posted from this page: it must send a real Origin, so not "no-referrer" here.
    assert login.headers["referrer-policy"] == "same-origin"
    assert login.headers["content-security-policy"].startswith("default-src 'self'")
    assert "form-action 'self'" in login.headers["content-security-policy"]
    assert "<script>" not in login.text and " style=" not in login.text
    # Open reads: pages show as before, with a way to sign in.
    assert 'id="login-link"' in site.client(locked=False).get("/").text


def test_signing_in_sets_a_session_cookie_with_safe_flags_and_goes_on(site: Site) -> None:
    client = site.client()
    response = sign_in(client, site.tokens["analyst"], "/search?q=radar")
    assert response.status_code == 303
    assert response.headers["location"] == "/search?q=radar"
    morsel = set_cookie(response)[SESSION_COOKIE]
    assert morsel.value == site.tokens["analyst"]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "strict"
    assert morsel["path"] == "/"
    assert not morsel["secure"]  # plain http: a Secure cookie would never come back
    assert not morsel["max-age"] and not morsel["expires"]  # a session cookie: gone with the browser
    page = client.get("/search", params={"q": "radar"})
    assert page.status_code == 200
    assert 'id="search-results"' in page.text
    assert 'data-key-name="login analyst"' in page.text and "Signed in as login analyst (analyst)" in page.text


def test_over_https_the_cookie_is_secure(site: Site) -> None:
    client = site.client(base_url="https://testserver")
    response = sign_in(client, site.tokens["reader"])
    assert response.status_code == 303
    assert set_cookie(response)[SESSION_COOKIE]["secure"] is True


@pytest.mark.parametrize(
    ("key", "status", "error"),
    [
        ("", 400, "login_empty"),
        ("not a key", 401, "login_malformed"),
        ("dpk_0123456789ab_" + "x" * 30, 401, "login_refused"),
    ],
)
def test_a_wrong_key_says_what_is_wrong_and_sets_no_cookie(site: Site, key: str, status: int, error: str) -> None:
    client = site.client()
    response = sign_in(client, key, "/query")
    assert response.status_code == status
    assert f'data-error="{error}"' in response.text
    assert SESSION_COOKIE not in set_cookie(response)
    assert 'name="next" value="/query"' in response.text  # a second try still goes on to the page
    assert client.get("/query").status_code == 303


def test_a_wrong_key_is_refused_in_dutch_too_and_audited(site: Site) -> None:
    client = site.client()
    response = client.post(
        "/login", data={"key": site.tokens["steward"] + "x"}, headers={**SAME_ORIGIN, "Cookie": "defport_lang=nl"}
    )
    assert response.status_code == 401
    assert "Deze sleutel is niet geldig" in response.text and '<html lang="nl">' in response.text
    refused = site.locked_app.state.audit.events(action="refused", limit=20)
    assert any(e.path == "/login" and "unknown, revoked or mistyped" in (e.detail or "") for e in refused)


def test_a_revoked_key_cannot_sign_in_and_its_cookie_signs_out(site: Site) -> None:
    client = site.client()
    assert sign_in(client, site.tokens["revoked"]).status_code == 303
    assert client.get("/query").status_code == 200
    site.locked_app.state.keyring.revoke("login revoked")  # the app's own ring: its cache forgets the key
    page = client.get("/query")
    assert page.status_code == 303
    assert parse_qs(urlsplit(page.headers["location"]).query)["reason"] == ["expired"]
    assert SESSION_COOKIE in set_cookie(page) and set_cookie(page)[SESSION_COOKIE].value == ""
    assert sign_in(site.client(), site.tokens["revoked"]).status_code == 401


def test_signing_in_and_out_only_from_this_sites_pages(site: Site) -> None:
    client = site.client()
    for headers in (
        CROSS_SITE,
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {},
    ):
        response = sign_in(client, site.tokens["steward"], headers=headers)
        assert response.status_code == 403, headers
        assert 'data-error="login_cross_site"' in response.text
        assert SESSION_COOKIE not in set_cookie(response)
    # Browsers without Sec-Fetch-* (plain http to a non-local host) still name the origin.
    assert sign_in(client, site.tokens["steward"], headers={"Origin": "http://testserver"}).status_code == 303
    assert client.post("/logout", headers=CROSS_SITE).status_code == 403
    assert client.get("/query").status_code == 200  # still signed in
    out = client.post("/logout", headers=SAME_ORIGIN)
    assert out.status_code == 303 and out.headers["location"] == "/login?reason=signed_out"
    cleared = set_cookie(out)[SESSION_COOKIE]
    assert cleared.value == "" and cleared["max-age"] == "0"
    assert client.get("/query").status_code == 303


def test_sign_in_never_redirects_elsewhere(site: Site) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "/\t/evil.example"):
        response = sign_in(site.client(), site.tokens["reader"], target)
        assert response.headers["location"] == "/", target


def test_the_cookie_acts_as_the_key_on_the_api(site: Site) -> None:
    client = site.client()
    assert client.get("/api/search", params={"q": "radar"}).status_code == 401
    sign_in(client, site.tokens["reader"])
    assert client.get("/api/search", params={"q": "radar"}).status_code == 200
    # An unsafe method: the cookie counts from this site's pages only.
    ask = {"query": "ASK { ?s ?p ?o }"}
    assert client.post("/sparql", data=ask, headers=SAME_ORIGIN).status_code == 200
    refused = client.post("/sparql", data=ask, headers=CROSS_SITE)
    assert refused.status_code == 403
    assert "sign-in cookie" in refused.json()["detail"]
    assert client.post("/sparql", data=ask, headers={"Origin": "http://evil.example"}).status_code == 403
    # The header wins over the cookie: a bearer key needs no origin.
    bearer = {"Authorization": f"Bearer {site.tokens['reader']}", **CROSS_SITE}
    assert client.post("/sparql", data=ask, headers=bearer).status_code == 200


def test_a_cross_site_write_with_a_steward_cookie_stores_nothing(site: Site) -> None:
    client = site.client()
    sign_in(client, site.tokens["steward"])
    before = site.store.triple_count()
    body = b'<https://w3id.org/defport/id/org/csrf> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    response = client.post(
        "/api/imports", content=body, headers={"Content-Type": "application/n-triples", **CROSS_SITE}
    )
    assert response.status_code == 403
    assert site.store.triple_count() == before


def test_a_key_below_the_pages_role_sees_why_and_no_data(site: Site) -> None:
    client = site.client()
    sign_in(client, site.tokens["reader"])
    risk = client.get("/risk", params={"system": SYSTEM})
    assert risk.status_code == 403
    assert 'id="withheld"' in risk.text and "role analyst or above" in risk.text
    assert 'id="tree-data"' not in risk.text
    assert client.get("/scale").status_code == 403
    # The reader's own pages show data.
    thing = client.get("/thing", params={"iri": MINDEF})
    assert thing.status_code == 200 and "Ministry of Defence" in thing.text
    analyst = site.client()
    sign_in(analyst, site.tokens["analyst"])
    shown = analyst.get("/risk", params={"system": SYSTEM})
    assert shown.status_code == 200 and 'id="tree-data"' in shown.text and 'id="withheld"' not in shown.text


def test_the_login_page_shows_who_is_signed_in_in_both_languages(site: Site) -> None:
    client = site.client()
    sign_in(client, site.tokens["steward"])
    english = client.get("/login")
    assert "You are signed in as login steward (steward)" in english.text
    assert 'id="logout-form"' in english.text
    dutch = client.get("/login", params={"lang": "nl"})
    assert "Aanmelden met een API-sleutel" in dutch.text
    assert "Aangemeld als login steward (gegevensbeheerder)" in dutch.text
    imports = client.get("/imports")
    assert 'id="key-signed-in"' in imports.text and 'id="key-form"' not in imports.text


def test_an_oversized_or_foreign_form_is_refused(site: Site) -> None:
    client = site.client()
    big = client.post("/login", data={"key": "x" * 10_000}, headers=SAME_ORIGIN)
    assert big.status_code == 400 and 'data-error="login_bad_form"' in big.text
    json_body = client.post("/login", json={"key": site.tokens["reader"]}, headers=SAME_ORIGIN)
    assert json_body.status_code == 400 and SESSION_COOKIE not in set_cookie(json_body)
