"""The supply network of CONTRACT §3 and §3b, read once from the store's live data.

Every analysis (cut sets, single points of failure, impact, concentration, and the capacity
model of ``defport_kg.scale``) reads this one model, so that they all agree on what an item, a
supply relation, a component line or a relation's effective country is. The model is plain
Python (dicts and tuples of IRI strings) because the analyses' hot loops need plain containers;
``to_networkx`` gives the AND/OR graph view for exploration and export.

Loading runs a handful of bulk SELECTs (one per predicate, over the whole live data) instead of
one query per item: at a million triples that is the difference between seconds and hours.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from defport_kg.namespaces import DCTERMS, DP, DPID, RDF, RDFS

if TYPE_CHECKING:
    import networkx as nx

# Classes fixed by CONTRACT §2 and docs/ARCHITECTURE.md; subclasses declared in the store's
# ontology are added at load time, so that a store without the ontology still loads.
ITEM_CLASSES = frozenset(
    DP + name for name in ("Item", "System", "Component", "Material", "CriticalRawMaterial", "StrategicRawMaterial")
)
SYSTEM_CLASSES = frozenset({DP + "System"})
ORGANISATION_CLASSES = frozenset(
    DP + name
    for name in (
        "Organisation",
        "Company",
        "GovernmentBody",
        "IndustryAssociation",
        "KnowledgeInstitute",
        "FinancialInstitution",
    )
)
SITE_CLASSES = frozenset({DP + "Site"})
COUNTRY_CLASSES = frozenset({DP + "Country"})

EU = DPID + "alliance/EU"
NATO = DPID + "alliance/NATO"
NL = DPID + "country/NL"


@dataclass(frozen=True, slots=True)
class Item:
    """Materiel of any level (CONTRACT §2 ``dp:Item``)."""

    iri: str
    label: str | None = None
    types: tuple[str, ...] = ()
    is_system: bool = False
    stock_days: float | None = None
    monthly_demand: float | None = None
    export_control: tuple[str, ...] = ()
    realises: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SupplyRelation:
    """ "This organisation can supply this item" with its evidence and its scale-up figures.

    ``country`` is the effective country of CONTRACT §3: the site's country when the relation
    has a site with a country, else the supplier's country.
    """

    iri: str
    item: str
    supplier: str | None = None
    site: str | None = None
    country: str | None = None
    supplier_country: str | None = None
    inputs: tuple[str, ...] = ()
    share: float | None = None
    monthly_capacity: float | None = None
    lead_time_days: int | None = None
    recovery_days: int | None = None
    source: str | None = None
    confidence: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class SupplyNetwork:
    """The whole supply network; build it with :func:`load_network` or :func:`build_network`.

    ``components`` maps an assembly to ``{component: quantity per unit}``. Treat every mapping
    as read-only: analyses cache derived indexes on the instance (``cache``).
    """

    items: Mapping[str, Item]
    relations: Mapping[str, SupplyRelation]
    components: Mapping[str, Mapping[str, float]]
    org_labels: Mapping[str, str] = field(default_factory=dict)
    org_country: Mapping[str, str] = field(default_factory=dict)
    org_capabilities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    controlled_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    organisations: frozenset[str] = frozenset()
    sites: Mapping[str, str | None] = field(default_factory=dict)  # site -> operator
    site_country: Mapping[str, str] = field(default_factory=dict)
    site_labels: Mapping[str, str] = field(default_factory=dict)
    countries: frozenset[str] = frozenset()
    country_labels: Mapping[str, str] = field(default_factory=dict)
    memberships: Mapping[str, frozenset[str]] = field(default_factory=dict)  # country -> alliances
    capability_labels: Mapping[str, str] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # -- derived views (computed once, cached) -------------------------------------------

    @property
    def relations_of(self) -> Mapping[str, tuple[str, ...]]:
        """Item → its supply relations (sorted IRIs); items without any are absent."""
        cached = self.cache.get("relations_of")
        if cached is None:
            grouped: dict[str, list[str]] = defaultdict(list)
            for relation in self.relations.values():
                grouped[relation.item].append(relation.iri)
            cached = {item: tuple(sorted(rels)) for item, rels in grouped.items()}
            self.cache["relations_of"] = cached
        return cached

    @property
    def systems(self) -> tuple[str, ...]:
        """Items typed ``dp:System`` (sorted)."""
        cached = self.cache.get("systems")
        if cached is None:
            cached = tuple(sorted(i.iri for i in self.items.values() if i.is_system))
            self.cache["systems"] = cached
        return cached

    @property
    def data_gaps(self) -> tuple[str, ...]:
        """Items with neither supply relations nor components: never unavailable (CONTRACT §3)."""
        cached = self.cache.get("data_gaps")
        if cached is None:
            rels = self.relations_of
            cached = tuple(sorted(i for i in self.items if i not in rels and not self.components.get(i)))
            self.cache["data_gaps"] = cached
        return cached

    def with_relations(self, keep: Callable[[SupplyRelation], bool]) -> SupplyNetwork:
        """The same network with only the relations ``keep`` accepts (evidence filters such as
        "valid on a date"); its own, empty cache, since every derived index changes."""
        return dataclasses.replace(
            self,
            relations={iri: r for iri, r in self.relations.items() if keep(r)},
            cache={},
        )

    def label(self, iri: str) -> str | None:
        """The preferred label of any node of the network, if it has one."""
        item = self.items.get(iri)
        if item is not None:
            return item.label
        for table in (self.org_labels, self.site_labels, self.country_labels, self.capability_labels):
            value = table.get(iri)
            if value is not None:
                return value
        relation = self.relations.get(iri)
        return relation.label if relation is not None else None

    def to_networkx(self) -> nx.DiGraph:
        """The AND/OR view of CONTRACT §3 as a NetworkX DiGraph (built once, then cached).

        Edges point from a node to what it depends on. Items are OR-nodes over their relations
        (AND over their components when they have no relation); relations are AND-nodes over
        their supplier, site and effective country (unit nodes), the item's components and the
        relation's inputs. Node attribute ``kind`` (item, relation, organisation, site, country)
        and ``gate`` (OR, AND, unit); edge attribute ``role``.
        """
        cached = self.cache.get("networkx")
        if cached is not None:
            return cached
        import networkx as nx

        graph = nx.DiGraph()
        rels_of = self.relations_of
        for iri, item in self.items.items():
            graph.add_node(
                iri,
                kind="item",
                gate="OR" if iri in rels_of else "AND",
                label=item.label,
                is_system=item.is_system,
            )
            if iri not in rels_of:
                for component, quantity in self.components.get(iri, {}).items():
                    graph.add_edge(iri, component, role="component", quantity=quantity)
        for relation in self.relations.values():
            graph.add_node(relation.iri, kind="relation", gate="AND")
            graph.add_edge(relation.item, relation.iri, role="relation")
            units = (
                ("organisation", relation.supplier),
                ("site", relation.site),
                ("country", relation.country),
            )
            for kind, unit in units:
                if unit is not None:
                    graph.add_node(unit, kind=kind, gate="unit")
                    graph.add_edge(relation.iri, unit, role=kind)
            for component, quantity in self.components.get(relation.item, {}).items():
                graph.add_edge(relation.iri, component, role="component", quantity=quantity)
            for needed in relation.inputs:
                graph.add_edge(relation.iri, needed, role="input")
        self.cache["networkx"] = graph
        return graph


# -- building ------------------------------------------------------------------------------


def build_network(
    *,
    items: Iterable[Item],
    relations: Iterable[SupplyRelation],
    components: Mapping[str, Mapping[str, float]] | None = None,
    org_labels: Mapping[str, str] | None = None,
    org_country: Mapping[str, str] | None = None,
    org_capabilities: Mapping[str, tuple[str, ...]] | None = None,
    controlled_by: Mapping[str, tuple[str, ...]] | None = None,
    organisations: Iterable[str] = (),
    sites: Mapping[str, str | None] | None = None,
    site_country: Mapping[str, str] | None = None,
    site_labels: Mapping[str, str] | None = None,
    countries: Iterable[str] = (),
    country_labels: Mapping[str, str] | None = None,
    memberships: Mapping[str, Iterable[str]] | None = None,
    capability_labels: Mapping[str, str] | None = None,
) -> SupplyNetwork:
    """Assemble a consistent network from parts (tests, generators, and :func:`load_network`).

    Relations' effective countries are recomputed here from sites and suppliers (CONTRACT §3), and
    every item, organisation, site and country that is referenced is added to its universe, so
    that the model never mentions a node it does not know.
    """
    components = {a: dict(c) for a, c in (components or {}).items() if c}
    org_country = dict(org_country or {})
    sites = dict(sites or {})
    site_country = dict(site_country or {})
    item_table: dict[str, Item] = {i.iri: i for i in items}
    rel_table: dict[str, SupplyRelation] = {}
    for relation in relations:
        supplier_country = org_country.get(relation.supplier) if relation.supplier else None
        country = site_country.get(relation.site) if relation.site else None
        if country is None:
            country = supplier_country
        rel_table[relation.iri] = _replace_relation(relation, country, supplier_country)
        if relation.site is not None and relation.site not in sites:
            sites[relation.site] = None
    referenced: list[str] = []
    for relation in rel_table.values():
        referenced.append(relation.item)
        referenced.extend(relation.inputs)
    for assembly, parts in components.items():
        referenced.append(assembly)
        referenced.extend(parts)
    for iri in referenced:
        if iri not in item_table:
            item_table[iri] = Item(iri)
    orgs = set(organisations) | set(org_country)
    orgs.update(r.supplier for r in rel_table.values() if r.supplier)
    orgs.update(op for op in sites.values() if op)
    control = dict(controlled_by or {})
    for child, parents in control.items():
        orgs.add(child)
        orgs.update(parents)
    country_set = set(countries) | set(org_country.values()) | set(site_country.values())
    member_table = {c: frozenset(a) for c, a in (memberships or {}).items()}
    country_set.update(member_table)
    return SupplyNetwork(
        items=item_table,
        relations=rel_table,
        components=components,
        org_labels=dict(org_labels or {}),
        org_country=org_country,
        org_capabilities=dict(org_capabilities or {}),
        controlled_by=control,
        organisations=frozenset(orgs),
        sites=sites,
        site_country=site_country,
        site_labels=dict(site_labels or {}),
        countries=frozenset(country_set),
        country_labels=dict(country_labels or {}),
        memberships=member_table,
        capability_labels=dict(capability_labels or {}),
    )


def _replace_relation(relation: SupplyRelation, country: str | None, supplier_country: str | None) -> SupplyRelation:
    if relation.country == country and relation.supplier_country == supplier_country:
        return relation
    return dataclasses.replace(relation, country=country, supplier_country=supplier_country)


# -- loading from the store ------------------------------------------------------------------

_P = {
    "type": RDF + "type",
    "label": RDFS + "label",
    "subClassOf": RDFS + "subClassOf",
    "supplier": DP + "supplier",
    "item": DP + "item",
    "site": DP + "site",
    "requiresInput": DP + "requiresInput",
    "share": DP + "share",
    "monthlyCapacity": DP + "monthlyCapacity",
    "leadTimeDays": DP + "leadTimeDays",
    "recoveryDays": DP + "recoveryDays",
    "source": DCTERMS + "source",
    "confidence": DP + "confidence",
    "validFrom": DP + "validFrom",
    "validTo": DP + "validTo",
    "hasComponent": DP + "hasComponent",
    "assembly": DP + "assembly",
    "component": DP + "component",
    "quantity": DP + "quantity",
    "stockDays": DP + "stockDays",
    "monthlyDemand": DP + "monthlyDemand",
    "exportControl": DP + "exportControl",
    "realises": DP + "realises",
    "country": DP + "country",
    "operatedBy": DP + "operatedBy",
    "memberOf": DP + "memberOf",
    "controlledBy": DP + "controlledBy",
    "hasCapability": DP + "hasCapability",
}
_LABEL_PREFERENCE = {"en": 0, "": 1, "nl": 2}
_NUMERIC_SUFFIXES = (
    "#decimal",
    "#double",
    "#float",
    "#integer",
    "#int",
    "#long",
    "#short",
    "#nonNegativeInteger",
    "#positiveInteger",
    "#unsignedInt",
    "#unsignedLong",
)
_ESCAPES = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class Literal(str):
    """A literal's lexical form, kept apart from IRIs (a literal where an IRI belongs is ignored)."""

    __slots__ = ("language",)
    language: str


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPES.sub(replace, text)


def _parse_tsv_term(text: str) -> Any:
    """One SPARQL-TSV term as a Python value: IRI/blank node → str, number → float, else Literal."""
    first = text[:1]
    if first == "<":
        return text[1:-1]
    if first == '"':
        end = text.rfind('"')
        lexical = text[1:end]
        if "\\" in lexical:
            lexical = _unescape(lexical)
        suffix = text[end + 1 :]
        if suffix.startswith("^^"):
            if suffix.endswith(_NUMERIC_SUFFIXES + tuple(s + ">" for s in _NUMERIC_SUFFIXES)):
                try:
                    return float(lexical)
                except ValueError:
                    pass
            literal = Literal(lexical)
            literal.language = ""
            return literal
        literal = Literal(lexical)
        literal.language = suffix[1:].lower() if suffix.startswith("@") else ""
        return literal
    if first == "_":
        return text
    try:  # TSV writes xsd:integer / decimal / double in their short form
        return float(text)
    except ValueError:
        literal = Literal(text)
        literal.language = ""
        return literal


def _fetch(store: Any, predicate: str, kind: str = "any", objects: Iterable[str] = ()) -> list[tuple[str, Any]]:
    """Every (subject, value) of one predicate in the live data: one bulk query.

    ``kind`` "node" keeps IRIs and blank nodes, "number" keeps numbers, "any" keeps all;
    ``objects``, when given, restricts the objects to those IRIs (one query per object: reading
    less matters on a disk store, and oxigraph evaluates ``VALUES ?o`` here by a full scan). The
    result is serialised to SPARQL TSV by the store (in Rust) and split here, with a conversion
    specialised to the kind: about three times faster than a Python term object per value,
    which matters at a million triples.
    """
    if objects:
        out: list[tuple[str, Any]] = []
        for obj in sorted(objects):
            query = f"SELECT ?s WHERE {{ ?s <{predicate}> <{obj}> }}"
            out.extend((subject, obj) for (subject,) in _rows(store, query, 1))
        return out
    rows = _rows(store, f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}", 2)
    if kind == "any":
        return [(subject, _parse_tsv_term(obj)) for subject, obj in rows]
    out = []
    append = out.append
    for subject, obj in rows:
        first = obj[0]
        if kind == "node":
            if first == "<":
                append((subject, obj[1:-1]))
            elif first == "_":
                append((subject, obj))
        elif first == '"':
            value = _parse_tsv_term(obj)
            if isinstance(value, float):
                append((subject, value))
        elif first != "<" and first != "_":
            with contextlib.suppress(ValueError):  # TSV writes numbers in their short form
                append((subject, float(obj)))
    return out


def _rows(store: Any, query: str, width: int) -> list[list[str]]:
    """A SELECT's rows as SPARQL-TSV cells; a subject IRI's brackets are already stripped."""
    results = store.query(query)
    serialize = getattr(results, "serialize", None)
    if serialize is None:  # a store whose results cannot serialise: go through the terms
        table = [[_tsv(row[n]) for n in range(width)] for row in results]
    else:
        import pyoxigraph as ox

        lines = serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").split("\n")
        table = [line.split("\t", width - 1) for line in lines[1:] if line]
    for cells in table:
        if cells[0][0] == "<":
            cells[0] = cells[0][1:-1]
    return table


def _tsv(term: Any) -> str:
    """A pyoxigraph term in SPARQL-TSV form (the fallback of :func:`_rows`)."""
    return str(term)


def _subclasses(store: Any, roots: frozenset[str]) -> frozenset[str]:
    # One query per root: Virtuoso refuses a transitive path whose end comes from a VALUES block.
    found: set[str] = set(roots)
    for root in sorted(roots):
        rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{_P['subClassOf']}>+ <{root}> }}")
        found.update(row[0].value for row in rows if type(row[0]).__name__ == "NamedNode")
    return frozenset(found)


def load_network(store: Any) -> SupplyNetwork:
    """Read the supply network from the store's live data (CONTRACT §1) with bulk queries.

    Several ``dp:ComponentUse`` nodes for the same (assembly, component) pair add up; a pair with
    only ``dp:hasComponent`` has quantity 1; a ComponentUse implies the ``dp:hasComponent``.
    Where the data has more values than the shapes allow (two suppliers for one relation, two
    countries for one organisation), the smallest value is taken so that answers are reproducible.
    """
    # Loading allocates millions of small objects that all stay alive; the cyclic garbage
    # collector would rescan them again and again (a third of the time) and can find nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(store)
    finally:
        if enabled:
            gc.enable()


def _load(store: Any) -> SupplyNetwork:
    item_classes = _subclasses(store, ITEM_CLASSES)
    system_classes = _subclasses(store, SYSTEM_CLASSES)
    org_classes = _subclasses(store, ORGANISATION_CLASSES)
    site_classes = _subclasses(store, SITE_CLASSES)
    country_classes = _subclasses(store, COUNTRY_CLASSES)
    types: dict[str, list[str]] = defaultdict(list)
    organisations: set[str] = set()
    site_set: set[str] = set()
    country_set: set[str] = set()
    # Relations are found by their dp:item (a relation without one supplies nothing), so their
    # types are not read: on a disk store every row read costs.
    classes = item_classes | org_classes | site_classes | country_classes
    for subject, cls in _fetch(store, _P["type"], "node", classes):
        if cls in item_classes:
            types[subject].append(cls)
        elif cls in org_classes:
            organisations.add(subject)
        elif cls in site_classes:
            site_set.add(subject)
        elif cls in country_classes:
            country_set.add(subject)

    def single(key: str, *, node: bool = False, number: bool = False) -> dict[str, Any]:
        # The smallest value wins when the data has several (reproducible answers); values of
        # the wrong kind (a literal where a node belongs, text where a number belongs) are
        # ignored here and reported by the shapes.
        table: dict[str, Any] = {}
        for subject, value in _fetch(store, _P[key], "node" if node else "number" if number else "any"):
            if subject not in table:
                table[subject] = value
                continue
            old = table[subject]
            if value < old if type(value) is type(old) else str(value) < str(old):
                table[subject] = value
        return table

    def multi(key: str) -> dict[str, tuple[str, ...]]:
        table: dict[str, set[str]] = defaultdict(set)
        for subject, value in _fetch(store, _P[key], "node"):
            table[subject].add(value)
        return {s: tuple(sorted(v)) for s, v in table.items()}

    labels: dict[str, tuple[int, str]] = {}
    for subject, value in _fetch(store, _P["label"]):
        if not isinstance(value, str):
            value = Literal(str(value))
            value.language = ""
        rank = _LABEL_PREFERENCE.get(getattr(value, "language", ""), 3)
        old = labels.get(subject)
        if old is None or (rank, value) < old:
            labels[subject] = (rank, str(value))
    label = {s: v for s, (_, v) in labels.items()}

    supplier = single("supplier", node=True)
    rel_item = single("item", node=True)
    rel_site = single("site", node=True)
    inputs = multi("requiresInput")
    share = single("share", number=True)
    capacity = single("monthlyCapacity", number=True)
    lead = single("leadTimeDays", number=True)
    recovery = single("recoveryDays", number=True)
    source = single("source")
    confidence = single("confidence", node=True)
    valid_from = single("validFrom")
    valid_to = single("validTo")

    components: dict[str, dict[str, float]] = defaultdict(dict)
    for assembly, component in _fetch(store, _P["hasComponent"], "node"):
        components[assembly].setdefault(component, 1.0)
    use_assembly = single("assembly", node=True)
    use_component = single("component", node=True)
    use_quantity = single("quantity", number=True)
    use_totals: dict[tuple[str, str], float] = defaultdict(float)
    for use, assembly in use_assembly.items():
        component = use_component.get(use)
        if component is not None:
            use_totals[(assembly, component)] += use_quantity.get(use, 1.0)
    for (assembly, component), total in use_totals.items():
        components[assembly][component] = total

    stock = single("stockDays", number=True)
    demand = single("monthlyDemand", number=True)
    export = multi("exportControl")
    realises = multi("realises")
    country = single("country", node=True)
    operator = single("operatedBy", node=True)
    member = multi("memberOf")
    control = multi("controlledBy")
    capabilities = multi("hasCapability")

    # Whatever is typed dp:Site, operated, or named by a relation's dp:site is a site.
    site_table: dict[str, str | None] = {s: None for s in site_set}
    site_table.update((s, None) for s in rel_site.values())
    site_table.update(operator)
    site_country = {s: c for s, c in country.items() if s in site_table}
    org_country = {o: c for o, c in country.items() if o not in site_table}
    relations = []
    for iri in rel_item:
        item_iri = rel_item.get(iri)
        if item_iri is None:
            continue  # a relation without dp:item supplies nothing the model can name
        org = supplier.get(iri)
        site = rel_site.get(iri)
        supplier_country = org_country.get(org) if org is not None else None
        effective = site_country.get(site) if site is not None else None
        relations.append(
            SupplyRelation(
                iri=iri,
                item=item_iri,
                supplier=org,
                site=site,
                country=effective if effective is not None else supplier_country,
                supplier_country=supplier_country,
                inputs=inputs.get(iri, ()),
                share=share.get(iri),
                monthly_capacity=capacity.get(iri),
                lead_time_days=_int_or_none(lead.get(iri)),
                recovery_days=_int_or_none(recovery.get(iri)),
                source=_str_or_none(source.get(iri)),
                confidence=confidence.get(iri),
                valid_from=_str_or_none(valid_from.get(iri)),
                valid_to=_str_or_none(valid_to.get(iri)),
                label=label.get(iri),
            )
        )
    items = [
        Item(
            iri=iri,
            label=label.get(iri),
            types=tuple(sorted(set(cls))),
            is_system=any(c in system_classes for c in cls),
            stock_days=stock.get(iri),
            monthly_demand=demand.get(iri),
            export_control=export.get(iri, ()),
            realises=realises.get(iri, ()),
        )
        for iri, cls in types.items()
    ]
    org_iris = organisations | set(org_country) | set(supplier.values())
    capability_iris = {c for caps in realises.values() for c in caps}
    capability_iris.update(c for caps in capabilities.values() for c in caps)
    country_iris = country_set | set(country.values())
    return build_network(
        items=items,
        relations=relations,
        components=components,
        org_labels={o: label[o] for o in org_iris if o in label},
        org_country=org_country,
        org_capabilities=capabilities,
        controlled_by=control,
        organisations=organisations,
        sites=site_table,
        site_country=site_country,
        site_labels={s: label[s] for s in site_table if s in label},
        countries=country_set,
        country_labels={c: label[c] for c in country_iris if c in label},
        memberships=member,
        capability_labels={c: label[c] for c in capability_iris if c in label},
    )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _float_or_none(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int_or_none(value: Any) -> int | None:
    number = _float_or_none(value)
    return None if number is None else int(number)


_NETWORKS: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], SupplyNetwork]] = weakref.WeakKeyDictionary()
_NETWORKS_LOCK = threading.Lock()


def cached_network(store: Any) -> SupplyNetwork:
    """The store's network, loaded again only when its live data changed (for long-running
    processes such as the HTTP service, where loading per request would cost seconds).

    The live data is taken to be unchanged while the store's catalogue is (each source graph's
    status and modification time): every import, rollback, upgrade and saved analysis changes it,
    and reading it costs milliseconds where counting a million live triples costs seconds.
    """
    key = _data_version(store)
    with _NETWORKS_LOCK:
        entry = _NETWORKS.get(store)
        if entry is not None and entry[0] == key:
            return entry[1]
        network = load_network(store)
        _NETWORKS[store] = (key, network)
        return network


def _data_version(store: Any) -> tuple[Any, ...]:
    catalogue = getattr(store, "source_graphs", None)
    if catalogue is not None:
        return tuple(sorted((r["g"], r["status"], r["modified"]) for r in catalogue()))
    return (tuple(store.live_graphs()), store.triple_count())
