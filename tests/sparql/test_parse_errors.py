"""Parse errors a person can act on: the place, what would have fitted in words, the bracket left open.

Every message here comes from the real parsers (pyoxigraph through ``execute``, rdflib through
``safety.analyse``), so a change of either parser's wording shows up as a failing test.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from defport_kg.api.routes.sparql import close_engine
from defport_kg.sparql import safety
from defport_kg.sparql.execution import QueryRequest, execute
from defport_kg.sparql.parse_errors import MAX_NAMED, bracket_hint, engine_syntax_error, summarise_expected
from defport_kg.store import EmbeddedStore
from tests.conftest import run_cli
from tests.sparql.fixtures import fill
from tests.sparql.helpers import make_app

_POSITION = re.compile(r"^the query does not parse at line (\d+), column (\d+)(?: \(its end\))?: ")


def engine_message(text: str) -> str:
    outcome = execute(ox.Store(), QueryRequest(text))
    assert outcome.status == 400, outcome
    return outcome.detail


def checker_message(text: str) -> str:
    with pytest.raises(safety.QuerySyntaxError) as caught:
        safety.analyse(text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("SELECT * WHERE {", "the '{' at line 1, column 16 is not closed"),
        ("SELECT * WHERE { ?s ?p ?o }}", "the '}' at line 1, column 28 closes nothing"),
        (
            "SELECT * WHERE { ?s ?p ?o FILTER((?o = 1) }",
            "the '(' at line 1, column 33 is not closed before the '}' at line 1, column 43",
        ),
        ("PREFIX ex: <urn:ex:>\nSELECT * WHERE {\n  ?s ex:p ?o .\n  OPTIONAL { ?s ex:q ?q .\n}", "line 2, column 16"),
    ],
)
def test_a_bracket_that_does_not_pair_is_named_by_both_parsers(text: str, hint: str) -> None:
    for message in (engine_message(text), checker_message(text)):
        assert hint in message, message
        assert _POSITION.match(message), message


def test_the_engine_message_is_short_and_in_words() -> None:
    """pyoxigraph lists a missing brace's expectations as 550 characters of grammar classes."""
    message = engine_message("SELECT * WHERE {")
    assert "'\\u{" not in message and "..=" not in message, message
    assert "(22 in all)" in message or "in all)" in message
    assert len(message) < 300, message
    assert message.startswith("the query does not parse at line 1, column 17 (its end): expected one of ")


def test_the_pointer_stands_under_the_place_the_parser_names() -> None:
    text = 'SELECT ?s WHERE {\n  ?s ?p "x" .\n  FILTER(?s = ) .\n  ?s ?q ?o ?extra\n}'
    for message in (engine_message(text), checker_message(text)):
        line_number, column = map(int, _POSITION.match(message).groups())  # type: ignore[union-attr]
        line, pointer = message.splitlines()[-2:]
        assert line == "  " + text.splitlines()[line_number - 1]
        assert pointer == "  " + " " * (column - 1) + "^"


def test_what_was_found_is_named_when_it_is_not_the_end() -> None:
    message = checker_message("SELECT * WHERE { ?s ?p ?o . FILTER(?o = ) } # from: the checker's path")
    assert "line 1, column 29: unexpected 'F'" in message, message


def test_brackets_inside_strings_iris_and_comments_do_not_count() -> None:
    assert bracket_hint('SELECT * WHERE { ?s ?p "{(" . ?s ?q <urn:x:)> } # }}}') == ""
    assert bracket_hint("SELECT * WHERE { ?s ?p '''}\n}''' ") == " (the '{' at line 1, column 16 is not closed)"


def test_expected_tokens_in_words() -> None:
    grammar = (
        "\"$\", \"'\", \"(\", ['0'..='9'], ['A' ..= 'Z' | 'a' ..= 'z' | '\\u{00C0}'..='\\u{00D6}'\n"
        "| '\\u{00F8}'..='\\u{02FF}'], [_], \"a, b\""
    )
    assert summarise_expected(grammar) == 'one of "$", "\'", "(", a digit, a letter, "a, b"'
    assert summarise_expected('"}"') == '"}"'
    assert summarise_expected("[_]") == "any character"
    many = ", ".join(f'"{n}"' for n in range(MAX_NAMED + 5))
    assert summarise_expected(many).endswith(f'"{MAX_NAMED - 1}" … ({MAX_NAMED + 5} in all)')


def test_a_message_without_a_position_is_kept() -> None:
    assert engine_syntax_error("SELECT {", "something else") == (
        "the query does not parse: something else (the '{' at line 1, column 8 is not closed)"
    )


def test_any_broken_query_gets_a_positioned_readable_message() -> None:
    """Random cuts and deletions of real queries: every message the engine gives is rewritten, with
    a position, and never longer than the text plus a few lines of explanation."""
    texts = [
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s a ?t ; ?p [ ?q ?r ] . FILTER(?n > 1 && ?t != <urn:x>) } GROUP BY ?s",
        'CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s <urn:p> "x{y"@en } }',
        "ASK { VALUES (?a ?b) { (1 2) (3 UNDEF) } MINUS { ?a ?b ?c } }",
    ]
    rng = random.Random(7)
    checked = 0
    for _ in range(300):
        text = rng.choice(texts)
        cut = rng.randrange(len(text))
        broken = text[:cut] if rng.random() < 0.5 else text[:cut] + text[cut + 1 :]
        if not broken.strip():
            continue  # "the query is empty": nothing to point at
        outcome = execute(ox.Store(), QueryRequest(broken))
        if outcome.status != 400:
            continue
        message = outcome.detail
        assert _POSITION.match(message), (broken, message)
        assert "..=" not in message, (broken, message)
        assert len(message) < 2 * len(broken) + 400, (broken, message)
        checked += 1
    assert checked > 150


def test_the_endpoint_and_the_command_line_say_the_same(tmp_path: Path) -> None:
    """The real command and the real app (worker processes on an on-disk store) give the message
    ``execute`` gives."""
    text = "SELECT ?x WHERE { ?x ?p "
    fill(EmbeddedStore.open(tmp_path / "store", create=True)).close()
    result = run_cli("query", text, store=tmp_path / "store")
    assert result.returncode == 2, result.stderr
    assert engine_message(text) in result.stderr
    store = EmbeddedStore.open(tmp_path / "store")
    app = make_app(store)
    try:
        response = TestClient(app).get("/sparql", params={"query": text})
    finally:
        close_engine(app)
        store.close()
    assert response.status_code == 400
    assert response.json()["detail"] == engine_message(text)


def test_a_long_line_is_shown_around_the_mistake_only() -> None:
    """A generated query is often one long line: the message shows a window of it, the caret still
    under the character the parser names."""
    patterns = " ".join(f"?s <urn:x:p{i}> ?o{i} ." for i in range(300))
    text = f"SELECT * WHERE {{ {patterns} ?s ?p ) . {patterns} }}"
    for message in (engine_message(text), checker_message(text)):
        line_number, column = map(int, _POSITION.match(message).groups())  # type: ignore[union-attr]
        assert line_number == 1 and len(text) > 10_000
        assert len(message) < 600, message
        shown, caret = message.splitlines()[-2:]
        under = caret.index("^")
        assert shown[under] == text[column - 1]
        assert shown.startswith("  …") and shown.endswith("…")
