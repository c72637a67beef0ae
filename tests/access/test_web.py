"""Web pages read the signed-in key's view (the sign-in cookie), or the anonymous one."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.access.conftest import DPID, HIDDEN_ORG, LOWER, SYSTEM, World, assert_no_defport, assert_no_trace

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
NOWHERE_ORG = DPID + "org/zz-nowhere"
PAGES = ["/", "/search?q=zephyr", "/search?q=B.V.", "/risk", "/risk?system=" + quote(SYSTEM, safe=""), "/scale"]


@pytest.fixture(scope="module")
def browsers(world: World) -> Iterator[dict[str, TestClient]]:
    """One browser per caller, each signed in with its key through the login form (anonymous: none)."""
    made = {}
    for caller in ("anonymous", *LOWER[1:], "org_a"):
        client = TestClient(world.app, raise_server_exceptions=False)
        if caller != "anonymous":
            response = client.post(
                "/login",
                data={"key": world.base.tokens[caller], "next": "/"},
                headers=SAME_ORIGIN,
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
            assert client.cookies.get("defport_key")
        made[caller] = client
    yield made
    for client in made.values():
        client.close()


@pytest.mark.parametrize("page", PAGES)
def test_pages(world: World, browsers: dict[str, TestClient], page: str) -> None:
    cleared = browsers["org_a"].get(page)
    assert cleared.status_code == 200, cleared.text[:500]
    if "q=B.V." in page or "system=" in page or "zephyr" in page:
        assert "Zephyrine" in cleared.text or "zz-core" in cleared.text or "Quillfeather" in cleared.text
    for caller in LOWER:
        response = browsers[caller].get(page)
        assert response.status_code == 200
        assert_no_trace(world, response.text.replace("q=zephyr", "").replace('value="zephyr"', ""), what=caller)
        if "zephyr" not in page:
            assert response.text != cleared.text
    assert_no_defport(world, browsers["anonymous"].get(page).text, what=page)


def test_the_page_of_a_hidden_thing_is_the_page_of_a_missing_one(world: World, browsers: dict[str, TestClient]) -> None:
    url = "/thing?iri=" + quote(HIDDEN_ORG, safe="")
    cleared = browsers["org_a"].get(url)
    assert cleared.status_code == 200 and "Zephyrine Quillfeather" in cleared.text
    for caller in LOWER:
        asked = browsers[caller].get(url)
        other = browsers[caller].get(url.replace(quote(HIDDEN_ORG, safe=""), quote(NOWHERE_ORG, safe="")))
        assert asked.status_code == other.status_code == 404

        def scrub(text: str) -> str:  # the page repeats the asked IRI (in links, encoded): the caller's own input
            return text.replace("zz-hidden", "X").replace("zz-nowhere", "X")

        assert scrub(asked.text) == scrub(other.text)
        assert_no_trace(world, scrub(asked.text), what=caller)


def test_the_page_of_the_system_lists_the_hidden_part_for_org_a_only(
    world: World, browsers: dict[str, TestClient]
) -> None:
    url = "/thing?iri=" + quote(SYSTEM, safe="")
    assert "Quillfeather core" in browsers["org_a"].get(url).text
    for caller in LOWER:
        response = browsers[caller].get(url)
        assert response.status_code == 200 and "Alpha system" in response.text
        assert_no_trace(world, response.text, what=caller)


def test_signed_in_pages_carry_the_marking_headers(browsers: dict[str, TestClient]) -> None:
    cleared = browsers["org_a"].get("/risk")
    assert cleared.headers["x-defport-marking"].startswith("restricted")
    assert browsers["anonymous"].get("/risk").headers["x-defport-marking"] == "public"
    assert browsers["defport"].get("/risk").headers["x-defport-marking"] == "defport"
