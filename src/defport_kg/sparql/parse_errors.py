"""Parse errors a person can act on: where, what was found, what would have fitted, and the bracket
left open.

Both parsers behind ``/sparql`` report in their own raw terms. pyoxigraph lists the furthest point's
expected tokens straight from its grammar, character classes included (``['A' ..= 'Z' | 'a' ..= 'z'
| '\\u{00C0}'..='\\u{00D6}' …]``: 550 characters for a missing ``}``); rdflib's pyparsing names a
grammar rule (``Expected SelectQuery``) at a position that may lie well before the mistake. The most
common mistake behind both, in an editor, is a bracket left open or closed twice, which neither
says. These helpers rewrite the messages in one layout (line, column, the line with a pointer) and
add the bracket when the text's brackets do not balance.
"""

from __future__ import annotations

import re

from defport_kg.sparql.safety import _TOKEN  # the one tokenizer of query texts

# How many expected tokens are named before the rest are counted.
MAX_NAMED = 10
# Characters of the line shown either side of the place of the mistake.
CONTEXT = 60
_OPENERS = {"{": "}", "(": ")", "[": "]"}
_ANY = "any character"
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
_ENGINE_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_EXPECTED = re.compile(r"^expected (?:one of )?(.*)$", re.DOTALL)


def engine_syntax_error(text: str, message: str) -> str:
    """pyoxigraph's ``SyntaxError`` message for ``text``, rewritten (see the module's docstring)."""
    match = _ENGINE_POSITION.match(message)
    if match is None:
        return f"the query does not parse: {message}{bracket_hint(text)}"
    line_number, column, detail = int(match[1]), int(match[2]), match[3]
    expected = _EXPECTED.match(detail)
    what = f"expected {summarise_expected(expected[1])}" if expected else detail.strip()
    return describe(text, line_number, column, what)


def describe(text: str, line_number: int, column: int, what: str) -> str:
    """The message for a mistake at ``line_number``/``column`` (1-based) of ``text``: what was found
    there (or that it is the end), ``what`` the parser says, the bracket hint and the pointer."""
    lines = text.splitlines() or [""]
    line = lines[line_number - 1] if 0 < line_number <= len(lines) else ""
    where = f"line {line_number}, column {column}"
    if _is_past_the_end(text, lines, line_number, column):
        where, found = f"{where} (its end)", ""
    else:
        character = line[column - 1 : column]
        found = f"unexpected {character!r}" if character.strip() else ""
    summary = "; ".join(part for part in (found, what) if part)
    return f"the query does not parse at {where}: {summary}{bracket_hint(text)}{pointer(line, column)}"


def pointer(line: str, column: int) -> str:
    """The line and a caret under ``column``; of a long line (a generated query is often one line)
    only ``CONTEXT`` characters either side, the cut ends marked."""
    if not line.strip():
        return ""
    index = max(column - 1, 0)
    start = max(index - CONTEXT, 0)
    end = index + CONTEXT
    shown = ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
    return f"\n  {shown}\n  {' ' * (index - start + (1 if start else 0))}^"


def summarise_expected(expected: str) -> str:
    """pyoxigraph's list of expected tokens in words: character classes become "a letter", "a digit"
    or "any character"; beyond ``MAX_NAMED`` items, the rest are counted."""
    items = [_item_in_words(item) for item in _split_items(expected)]
    named = list(dict.fromkeys(item for item in items if item))
    if len(named) > 1 and _ANY in named:
        named.remove(_ANY)  # the grammar's "anything else": true of every list, helps no one
    if not named:
        return expected.strip()
    if len(named) == 1:
        return named[0]
    if len(named) > MAX_NAMED:
        return "one of " + ", ".join(named[:MAX_NAMED]) + f" … ({len(named)} in all)"
    return "one of " + ", ".join(named)


def bracket_hint(text: str) -> str:
    """ " (the '{' at line 1, column 16 is not closed)" or " (the ')' at … closes nothing)" or "":
    the first bracket that does not pair, strings, IRIs and comments left out."""
    open_brackets: list[tuple[str, int]] = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup != "other":
            continue
        character = match.group()
        if character in _OPENERS:
            open_brackets.append((character, match.start()))
        elif character in _CLOSERS:
            if not open_brackets:
                return f" (the {character!r} at {_where(text, match.start())} closes nothing)"
            opener, offset = open_brackets.pop()
            if opener != _CLOSERS[character]:
                return (
                    f" (the {opener!r} at {_where(text, offset)} is not closed before the {character!r} at "
                    f"{_where(text, match.start())})"
                )
    if open_brackets:
        character, offset = open_brackets[-1]
        return f" (the {character!r} at {_where(text, offset)} is not closed)"
    return ""


def _where(text: str, offset: int) -> str:
    line_number = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line_number}, column {column}"


def _is_past_the_end(text: str, lines: list[str], line_number: int, column: int) -> bool:
    """Whether the position is after the last character that is not white space."""
    if line_number > len(lines):
        return True
    rest = "\n".join([lines[line_number - 1][column - 1 :], *lines[line_number:]])
    return not rest.strip() and bool(text.strip())


def _split_items(expected: str) -> list[str]:
    """The comma-separated items of pyoxigraph's list; quoted tokens and bracketed character classes
    may hold commas and span lines."""
    items, current, depth, quote = [], [], 0, ""
    index = 0
    while index < len(expected):
        character = expected[index]
        if quote:
            current.append(character)
            if character == "\\" and index + 1 < len(expected):
                current.append(expected[index + 1])
                index += 1
            elif character == quote:
                quote = ""
        elif character in "\"'":
            quote = character
            current.append(character)
        elif character == "[":
            depth += 1
            current.append(character)
        elif character == "]":
            depth = max(depth - 1, 0)
            current.append(character)
        elif character == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(character)
        index += 1
    items.append("".join(current).strip())
    return [item for item in items if item]


def _item_in_words(item: str) -> str:
    if item.startswith("[") and item.endswith("]"):
        if item == "[_]":
            return _ANY
        if "'A'" in item or "'a'" in item:
            return "a letter"
        if "'0'" in item:
            return "a digit"
        return "a character"
    return item
