"""rdflib's SPARQL grammar without the recursion that caps a group at ~85 triple patterns.

The query check (``safety``) reads every text that could call a service or name a dataset with
rdflib's parser, and over a remote store it reads every text. rdflib writes two rules of the SPARQL
grammar as the specification does, right-recursively:

    [55] TriplesBlock     ::= TriplesSameSubjectPath ( '.' TriplesBlock? )?
    [74] ConstructTriples ::= TriplesSameSubject ( '.' ConstructTriples? )?

pyparsing descends once per triple pattern, about 11 Python frames each, so a group of ~85 patterns
(or a CONSTRUCT template of as many triples) exhausts Python's default recursion limit of 1,000 and
a valid query was refused with "maximum recursion depth exceeded". rdflib already rewrote rule [52]
(TriplesTemplate, used by updates) as a loop for this reason; this module does the same for the two
above, with the exact language of the originals:

    TriplesBlock     ::= TriplesSameSubjectPath ( '.' TriplesSameSubjectPath )* '.'?
    ConstructTriples ::= TriplesSameSubject ( '.' TriplesSameSubject )* '.'?

The parse results are unchanged: each pattern's triples go to the same ``triples`` (``template``)
list of the enclosing rule as the recursion put them (``tests/sparql/test_flat_grammar.py`` compares
both grammars' results). Raising the recursion limit instead would be process-wide: in the server
process it would also let JSON parsing (imports) recurse past the C stack.
"""

from __future__ import annotations

from typing import Any

from pyparsing import Forward, Optional, Suppress, ZeroOrMore
from rdflib.plugins.sparql import parser
from rdflib.plugins.sparql.parserutils import ParamList


def _flat(name: str, item: Any) -> Any:
    expression = ParamList(name, item) + ZeroOrMore(Suppress(".") + ParamList(name, item)) + Optional(Suppress("."))
    for comment in parser.QueryUnit.ignoreExprs:  # rdflib skips comments everywhere: here too
        expression.ignore(comment)
    return expression


# The recursive definitions as rdflib wrote them (kept for the tests' comparison).
RECURSIVE = {"TriplesBlock": parser.TriplesBlock.expr, "ConstructTriples": parser.ConstructTriples.expr}
FLAT = {
    "TriplesBlock": _flat("triples", parser.TriplesSameSubjectPath),
    "ConstructTriples": _flat("template", parser.TriplesSameSubject),
}


def use(definitions: dict[str, Any]) -> None:
    """Define rdflib's two rules as ``definitions`` says (``FLAT``, or ``RECURSIVE`` to compare)."""
    for name, expression in definitions.items():
        rule: Forward = getattr(parser, name)
        rule.expr = expression
        rule.streamlined = False  # prepared again at the next parse


use(FLAT)
