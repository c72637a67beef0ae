"""Every page of the web interface through the real app in process: status, security headers,
language, and nothing that would make a browser fetch from anywhere but this server."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from defport_kg.api.routes import web
from defport_kg.store import EmbeddedStore
from defport_kg.web import STATIC_DIR, TEMPLATES_DIR

SYSTEM = "https://w3id.org/defport/id/item/ex-155mm-round"
MINDEF = "https://w3id.org/defport/id/org/ministerie-van-defensie"
PAGES = [
    "/",
    "/query",
    "/search",
    "/search?q=radar",
    "/search?q=munitie",
    f"/thing?iri={quote(MINDEF, safe='')}",
    f"/thing?iri={quote(SYSTEM, safe='')}",
    "/thing?iri=dpid:org/tno",
    "/risk",
    f"/risk?system={quote(SYSTEM, safe='')}",
    "/scale",
    "/imports",
]
# URLs that may appear in a page as text: RDF namespaces and this server; none is ever fetched.
ALLOWED_URL = re.compile(
    r"https?://(127\.0\.0\.1|localhost|testserver|w3id\.org/|www\.w3\.org/|purl\.org/dc/|schema\.org/)"
)
URL = re.compile(r"https?://[^\s\"'<>)\\]+")


@pytest.fixture(autouse=True)
def _no_stored_cookies(web_client: TestClient) -> None:
    """The client is shared by the module: a language chosen by one test must not leak into the next."""
    web_client.cookies.clear()


def lang(code: str) -> dict[str, str]:
    return {"Cookie": f"defport_lang={code}"}


def external_urls(text: str) -> list[str]:
    return [u for u in URL.findall(text) if not ALLOWED_URL.match(u)]


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_with_security_headers_and_no_external_url(web_client: TestClient, path: str) -> None:
    response = web_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    if "?" not in path or path.startswith("/search"):
        # Pages that show stored data (a thing's homepage or sources) may show URLs as text; the
        # others name none at all.
        assert external_urls(response.text) == []
    # Everything the page loads (scripts, styles, images) comes from this server's /static.
    for attribute in re.findall(r'\b(?:src|href)="([^"]*)"', response.text):
        assert not attribute.startswith(("http:", "https:", "//")), attribute
    assert "<script>" not in response.text  # no inline script: the CSP would refuse it
    assert " style=" not in response.text  # no inline style attribute either


def test_our_scripts_styles_and_templates_name_no_external_url() -> None:
    own = [p for p in STATIC_DIR.rglob("*") if p.is_file() and "vendor" not in p.parts]
    own += list(TEMPLATES_DIR.rglob("*.html"))
    assert any(p.suffix == ".js" for p in own) and any(p.suffix == ".css" for p in own)
    for path in own:
        if path.suffix in (".js", ".css", ".html", ".svg"):
            assert external_urls(path.read_text(encoding="utf-8")) == [], path


def test_vendored_stylesheets_load_nothing_from_elsewhere() -> None:
    for path in (STATIC_DIR / "vendor").rglob("*.css"):
        text = path.read_text(encoding="utf-8")
        assert "@import" not in text, path
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert target.startswith("data:") or not re.match(r"^(https?:)?//", target), (path, target)


def test_vendored_libraries_carry_licences_and_match_their_checksums() -> None:
    vendor = STATIC_DIR / "vendor"
    readme = (vendor / "README.txt").read_text(encoding="utf-8")
    for library in ("yasgui", "cytoscape"):
        assert (vendor / library / "LICENSE.txt").is_file(), library
    for checksum, name in re.findall(r"\b([0-9a-f]{64})\s+(\S+)", readme):
        [path] = list(vendor.rglob(name))
        assert hashlib.sha256(path.read_bytes()).hexdigest() == checksum, name


def test_static_files_have_their_types_and_stay_inside_the_package(web_client: TestClient) -> None:
    js = web_client.get("/static/js/common.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert js.headers["content-security-policy"].startswith("default-src 'self'")
    assert web_client.get("/static/css/app.css").headers["content-type"].startswith("text/css")
    assert web_client.get("/static/vendor/cytoscape/cytoscape.min.js").status_code == 200
    assert web_client.get("/static/vendor/yasgui/yasgui.min.js").status_code == 200
    for bad in ("/static/../i18n.py", "/static/%2e%2e/i18n.py", "/static/js/nope.js", "/static/../../__init__.py"):
        assert web_client.get(bad).status_code == 404, bad


def test_language_switch_sets_a_cookie_and_returns_to_the_page(web_client: TestClient) -> None:
    response = web_client.get("/lang/nl", params={"next": "/search?q=radar"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/search?q=radar"
    assert "defport_lang=nl" in response.headers["set-cookie"]
    page = web_client.get("/search?q=radar", headers=lang("nl"))
    assert '<html lang="nl">' in page.text
    assert ">Zoeken<" in page.text
    english = web_client.get("/search?q=radar", headers=lang("en"))
    assert '<html lang="en">' in english.text and ">Search<" in english.text


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/x", None]
)
def test_language_switch_never_redirects_elsewhere(web_client: TestClient, target: str | None) -> None:
    params = {"next": target} if target is not None else {}
    response = web_client.get("/lang/en", params=params, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_unknown_language_is_404(web_client: TestClient) -> None:
    assert web_client.get("/lang/xx", follow_redirects=False).status_code == 404


def test_accept_language_picks_dutch_until_the_reader_chooses(web_client: TestClient) -> None:
    page = web_client.get("/", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    assert '<html lang="nl">' in page.text
    chosen = web_client.get("/", headers={"Accept-Language": "nl", **lang("en")})
    assert '<html lang="en">' in chosen.text


def test_labels_follow_the_language(web_client: TestClient) -> None:
    path = f"/thing?iri={quote(MINDEF, safe='')}"
    assert "Ministerie van Defensie</h1>" in web_client.get(path, headers=lang("nl")).text
    english = web_client.get(path, headers=lang("en")).text
    assert "Netherlands Ministry of Defence</h1>" in english
    # Class names come from the ontology's labels too: a government body in both languages.
    assert "overheidsorgaan" in web_client.get(path, headers=lang("nl")).text.lower()


def test_thing_page_shows_relations_sources_and_findings(web_client: TestClient) -> None:
    page = web_client.get(f"/thing?iri={quote(SYSTEM, safe='')}").text
    for section in ('id="findings"', 'id="relations-out"', 'id="sources"', 'id="supply-table"'):
        assert section in page, section
    assert "/risk?system=" in page  # a system links to its dashboard


def test_unknown_thing_and_system_are_404_pages(web_client: TestClient) -> None:
    missing = web_client.get("/thing", params={"iri": "https://w3id.org/defport/id/org/no-such-org"})
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert web_client.get("/thing", params={"iri": "not an iri"}).status_code == 400
    assert web_client.get("/risk", params={"system": "https://w3id.org/defport/id/item/nope"}).status_code == 404


def test_search_lists_results_linking_to_thing_pages(web_client: TestClient) -> None:
    page = web_client.get("/search", params={"q": "radar"}).text
    assert 'id="search-results"' in page
    assert page.count('href="/thing?iri=') >= 3


def test_dashboard_embeds_the_tree_and_marks_from_the_server(web_client: TestClient) -> None:
    page = web_client.get("/risk", params={"system": SYSTEM}).text
    assert 'id="tree-data"' in page and 'id="graph"' in page
    assert 'id="foreign_only-table"' in page and 'id="critical_raw_material-table"' in page
    assert "/static/vendor/cytoscape/cytoscape.min.js" in page


def test_query_page_offers_the_named_queries_and_our_endpoint(web_client: TestClient) -> None:
    page = web_client.get("/query").text
    assert 'id="named-query"' in page and 'value="bill-of-materials"' in page
    assert "/static/vendor/yasgui/yasgui.min.js" in page


def test_pages_say_not_available_yet_when_an_api_is_missing(example_store_readonly: EmbeddedStore) -> None:
    """The web router alone (no risk, scale or imports routes): every page still answers."""
    from defport_kg.access import AccessControl
    from defport_kg.settings import get_settings

    app = FastAPI()
    app.state.store = example_store_readonly
    app.state.access = AccessControl.from_settings(example_store_readonly, get_settings())  # every read needs it
    app.include_router(web.router)
    client = TestClient(app)
    for path in ("/risk", f"/risk?system={quote(SYSTEM, safe='')}", "/scale", "/imports"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'class="unavailable"' in response.text, path
    assert 'data-unavailable="cut-sets"' in client.get("/risk", params={"system": SYSTEM}).text


def test_pages_send_to_sign_in_and_show_no_data_when_reads_need_a_key(example_store_readonly: EmbeddedStore) -> None:
    from defport_kg.api.app import create_app
    from defport_kg.settings import Settings

    client = TestClient(create_app(example_store_readonly, Settings(require_keys_for_reads=True)))
    search = client.get("/search", params={"q": "radar"})
    assert search.url.path == "/login" and 'id="search-results"' not in search.text
    thing = client.get("/thing", params={"iri": MINDEF})
    assert thing.url.path == "/login" and "Ministry of Defence" not in thing.text
    assert "Ministry" not in client.get("/risk").text
    # Static files and the language switch stay open: the login page needs them.
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/lang/nl", params={"next": "/login"}).url.path == "/login"


def test_every_template_file_is_used() -> None:
    source = Path(web.__file__).read_text(encoding="utf-8")
    for template in TEMPLATES_DIR.glob("*.html"):
        if template.name != "base.html":
            assert f'"{template.name}"' in source, template.name
