"""Reading the protocol's URL parameters: the kept parse must be exactly Starlette's, every time."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from defport_kg.sparql import protocol

QUERY_STRINGS = [
    b"query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+10",
    b"query=a%2Bb+c&default-graph-uri=http%3A%2F%2Fa%2F&default-graph-uri=http%3A%2F%2Fb%2F",
    b"query=x&query=y",
    b"named-graph-uri=http%3A%2F%2Fn%2F&query=ASK%7B%7D",
    b"update=INSERT",
    b"query=&update",
    b"",
    b"foo=bar",
    b"query=caf%C3%A9",
    b"query=%E9",
]


def request_for(query_string: bytes) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/sparql", "query_string": query_string, "headers": []})


@pytest.mark.parametrize("query_string", QUERY_STRINGS)
def test_url_parameters_are_starlettes_the_first_time_and_when_kept(query_string: bytes) -> None:
    params = request_for(query_string).query_params
    for _ in range(2):  # parsed, then kept
        read = protocol._url_parameters(request_for(query_string))
        assert read.queries == tuple(params.getlist("query"))
        assert read.defaults == tuple(params.getlist("default-graph-uri"))
        assert read.named == tuple(params.getlist("named-graph-uri"))
        assert read.names == frozenset(params.keys())
    assert query_string in protocol._URL_PARAMETERS


def test_kept_parses_are_bounded() -> None:
    for number in range(protocol._KEPT_QUERY_STRINGS * 3):
        protocol._url_parameters(request_for(f"query=ASK%7B%7D%23{number}".encode()))
    assert len(protocol._URL_PARAMETERS) <= protocol._KEPT_QUERY_STRINGS
    long = b"query=" + b"a" * (protocol._KEPT_QUERY_STRING_BYTES + 1)
    assert protocol._url_parameters(request_for(long)).queries == ("a" * (protocol._KEPT_QUERY_STRING_BYTES + 1),)
    assert long not in protocol._URL_PARAMETERS
