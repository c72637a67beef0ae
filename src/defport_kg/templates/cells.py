"""Reading one template cell: text in, RDF terms out, or a message saying what is wrong.

Cells are data, never formulas: a spreadsheet formula arrives as its own text (``=A1*2``) and is
never evaluated, so a numeric column holding one is an error that says so. Writing a cell that
starts with ``=``, ``+``, ``-`` or ``@`` back into a spreadsheet is neutralised (``neutralise``),
so that a report or template opened in Excel cannot run what a supplier typed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from defport_kg.namespaces import DPID, XSD, expand
from defport_kg.templates.columns import LIST_SEPARATOR, TARGET_PATTERNS

FORMULA_START = ("=", "+", "-", "@")
# Also tab and carriage return (OWASP "CSV injection"): some spreadsheet programs strip them first.
_NEUTRALISE_START = (*FORMULA_START, "\t", "\r")

_DECIMAL = XSD + "decimal"
_INTEGER = XSD + "integer"
_DATE = XSD + "date"
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_DATE_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?$")


class CellError(ValueError):
    """A cell that cannot be read; the message says what is wrong and what is expected."""


def neutralise(text: str) -> str:
    """Make a cell safe to open in a spreadsheet: text that would start a formula gets a leading '."""
    return "'" + text if text.startswith(_NEUTRALISE_START) else text


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single '-': the id form of a name (stable across runs)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_JUNK.sub("-", ascii_text.lower()).strip("-")


def split_list(text: str) -> list[str]:
    """A ';'-separated (or one-per-line) list, without empty entries."""
    return [part.strip() for part in re.split(rf"[{LIST_SEPARATOR}\n]", text) if part.strip()]


def _is_iri(text: str) -> bool:
    return text.startswith(("http://", "https://", "urn:"))


def reference(text: str, target: str) -> ox.NamedNode:
    """The IRI a reference cell names: a full IRI, a prefixed name, or an id/name of ``target`` kind."""
    text = text.strip()
    if _is_iri(text):
        return _named_node(text)
    if ":" in text and text.split(":", 1)[0] in ("dpid", "dp"):
        expanded = expand(text)
        if _is_iri(expanded):
            return _named_node(expanded)
    if target == "country":
        if not _COUNTRY.match(text):
            raise CellError(f"{text!r} is not an ISO 3166-1 alpha-2 country code (two letters, e.g. NL)")
        return ox.NamedNode(DPID + TARGET_PATTERNS["country"].format(text.upper()))
    slug = slugify(text)
    if not slug:
        raise CellError(f"{text!r} cannot be turned into an id: use letters or digits")
    return ox.NamedNode(DPID + TARGET_PATTERNS[target].format(slug))


def _named_node(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as error:
        raise CellError(f"{text!r} is not a valid IRI: {error}") from None


def slug_of(node: ox.NamedNode) -> str:
    """The last path segment of an IRI, as an id (to build derived ids from references)."""
    return slugify(node.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


def decimal(text: str) -> ox.Literal:
    value = _number(text, "a number")
    return ox.Literal(_decimal_text(value), datatype=ox.NamedNode(_DECIMAL))


def integer(text: str) -> ox.Literal:
    value = _number(text, "a whole number")
    if value != value.to_integral_value():
        raise CellError(f"{text!r} is not a whole number")
    return ox.Literal(str(int(value)), datatype=ox.NamedNode(_INTEGER))


def _number(text: str, what: str) -> Decimal:
    cleaned = text.strip().replace(" ", "")
    if _COMMA_DECIMAL.match(cleaned):  # a Dutch spreadsheet writes 0,5
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        hint = " (formulas are not evaluated: type the value)" if text.startswith("=") else ""
        raise CellError(f"{text!r} is not {what}{hint}") from None
    if not value.is_finite():
        raise CellError(f"{text!r} is not {what}")
    return value


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def date(text: str) -> ox.Literal:
    match = _DATE_TEXT.match(text.strip())
    day = None
    if match:
        try:
            day = dt.date.fromisoformat(match.group(1))
        except ValueError:
            day = None
    if day is None:
        raise CellError(f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2025-03-31")
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(_DATE))


def digits(text: str, width: int) -> ox.Literal:
    """Digits kept as text; a spreadsheet that stored 01234567 as a number lost the zero: put it back."""
    cleaned = text.strip().replace(" ", "").replace(".", "")
    if cleaned.isdigit() and len(cleaned) < width:
        cleaned = cleaned.zfill(width)
    return ox.Literal(cleaned)


def code(text: str) -> ox.Literal:
    return ox.Literal(text.strip().replace(" ", "").upper())


def nsn(text: str) -> ox.Literal:
    cleaned = text.strip()
    bare = cleaned.replace("-", "").replace(" ", "")
    if bare.isdigit() and len(bare) == 13:
        cleaned = f"{bare[:4]}-{bare[4:6]}-{bare[6:9]}-{bare[9:]}"
    return ox.Literal(cleaned)


def web(text: str) -> ox.NamedNode:
    text = text.strip()
    if not text.startswith(("http://", "https://")):
        if "." in text and " " not in text:
            text = "https://" + text
        else:
            raise CellError(f"{text!r} is not a web address (https://...)")
    return _named_node(text)


def source(text: str) -> ox.NamedNode | ox.Literal:
    text = text.strip()
    return _named_node(text) if _is_iri(text) and " " not in text else ox.Literal(text)


def choice(text: str, choices: dict[str, str]) -> ox.NamedNode:
    key = text.strip()
    key = key.split(":", 1)[1] if key.lower().startswith("dp:") else key.rsplit("#", 1)[-1]
    found = choices.get(key.lower().replace(" ", "").replace("-", ""))
    if found is None:
        names = ", ".join(v.rsplit("#", 1)[-1] for v in choices.values())
        raise CellError(f"{text!r} is not one of {names}")
    return ox.NamedNode(found)


def components(text: str) -> list[tuple[str, Decimal | None, str]]:
    """Bill-of-materials entries: (reference text, quantity or None, the entry as written)."""
    entries = []
    for entry in split_list(text):
        ref, star, quantity = entry.rpartition("*") if "*" in entry else (entry, "", "")
        ref = ref.strip()
        if not ref:
            raise CellError(f"entry {entry!r} names no item: write 'item * quantity' or 'item'")
        amount: Decimal | None = None
        if star:
            try:
                amount = _number(quantity, "a number")
            except CellError:
                raise CellError(f"entry {entry!r}: {quantity.strip()!r} is not a quantity (a number)") from None
        entries.append((ref, amount, entry))
    return entries


def decimal_literal(value: Decimal) -> ox.Literal:
    return ox.Literal(_decimal_text(value), datatype=ox.NamedNode(_DECIMAL))
