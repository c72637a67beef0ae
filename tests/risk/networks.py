"""Random supply networks for the property tests, and a writer that turns one into triples.

The networks are small (so that brute force can try every unit set) but have every feature of
CONTRACT §3: suppliers shared across tiers, supplier-specific inputs, sites with their own
country (or none, so the supplier's applies), organisations without country, supply cycles
through inputs (self-loops too), items without suppliers, and BOM lines given as plain
``dp:hasComponent``, as ``dp:ComponentUse`` only, or as several ComponentUse nodes that add up.
"""

from __future__ import annotations

from hypothesis import strategies as st

from defport_kg.namespaces import DP, DPID, RDF, RDFS, XSD
from defport_kg.risk import Item, SupplyNetwork, SupplyRelation, build_network

ORG = DPID + "org/"
ITEM = DPID + "item/"
SUPPLY = DPID + "supply/"
SITE = DPID + "site/"
COUNTRY = DPID + "country/"


@st.composite
def networks(draw: st.DrawFn, max_items: int = 7, max_orgs: int = 5) -> SupplyNetwork:
    n_items = draw(st.integers(1, max_items))
    n_orgs = draw(st.integers(1, max_orgs))
    n_sites = draw(st.integers(0, 3))
    countries = [f"{COUNTRY}C{k}" for k in range(draw(st.integers(1, 3)))]
    orgs = [f"{ORG}o{k}" for k in range(n_orgs)]
    org_country = {}
    for org in orgs:
        country = draw(st.sampled_from([*countries, None]))
        if country is not None:
            org_country[org] = country
    sites = {}
    site_country = {}
    for k in range(n_sites):
        site = f"{SITE}s{k}"
        sites[site] = draw(st.sampled_from(orgs))
        country = draw(st.sampled_from([*countries, None]))
        if country is not None:
            site_country[site] = country
    items = [f"{ITEM}i{k}" for k in range(n_items)]
    components: dict[str, dict[str, float]] = {}
    for i in range(n_items - 1):
        parts = draw(st.sets(st.integers(i + 1, n_items - 1), max_size=3))
        if parts:
            components[items[i]] = {items[j]: float(draw(st.integers(1, 3))) for j in sorted(parts)}
    relations = []
    for i, item in enumerate(items):
        # Inputs every supplier of the item needs (a process material), besides its own ones.
        common = draw(st.sets(st.integers(0, n_items - 1), max_size=1))
        for k in range(draw(st.integers(0, 3))):
            site = draw(st.sampled_from([None, *sites]))
            supplier = sites[site] if site is not None and draw(st.booleans()) else None
            relations.append(
                SupplyRelation(
                    iri=f"{SUPPLY}r{i}-{k}",
                    item=item,
                    supplier=supplier or draw(st.sampled_from(orgs)),
                    site=site,
                    inputs=tuple(
                        items[j] for j in sorted(common | draw(st.sets(st.integers(0, n_items - 1), max_size=2)))
                    ),
                    share=draw(st.sampled_from([None, 0.25, 0.5, 1.0])),
                    monthly_capacity=draw(st.sampled_from([None, 5.0, 10.0])),
                )
            )
    systems = draw(st.sets(st.sampled_from(items), min_size=1))
    item_objects = [
        Item(
            iri=item,
            label=f"item {item[-2:]}",
            is_system=item in systems,
            types=(DP + ("System" if item in systems else "Component"),),
            realises=(DPID + "capability/radar",) if item in systems else (),
        )
        for item in items
    ]
    return build_network(
        items=item_objects,
        relations=relations,
        components=components,
        org_country=org_country,
        organisations=orgs,
        sites=sites,
        site_country=site_country,
        countries=countries,
    )


def to_ntriples(network: SupplyNetwork, component_style: list[int] | None = None) -> str:
    """The network as N-Triples; ``component_style`` picks per BOM line how it is written:
    0 plain hasComponent (quantity 1 only), 1 ComponentUse only, 2 both, 3 two ComponentUse nodes
    whose quantities add up."""
    lines: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(f"{s} <{p}> {o} .")

    def iri(value: str) -> str:
        return f"<{value}>"

    def num(value: float) -> str:
        return f'"{value}"^^<{XSD}decimal>'

    for item in network.items.values():
        for cls in item.types or (DP + "Item",):
            add(iri(item.iri), RDF + "type", iri(cls))
        if item.label:
            add(iri(item.iri), RDFS + "label", f'"{item.label}"@en')
        for capability in item.realises:
            add(iri(item.iri), DP + "realises", iri(capability))
    line_number = 0
    for assembly, parts in sorted(network.components.items()):
        for component, quantity in sorted(parts.items()):
            style = (component_style or [0])[line_number % len(component_style or [0])]
            if quantity != 1.0 and style == 0:
                style = 2
            line_number += 1
            if style in (0, 2):
                add(iri(assembly), DP + "hasComponent", iri(component))
            quantities = [quantity] if style in (1, 2) else []
            if style == 3:
                quantities = [quantity / 2, quantity / 2]
            for n, q in enumerate(quantities):
                use = f"_:u{line_number}x{n}"
                add(use, RDF + "type", iri(DP + "ComponentUse"))
                add(use, DP + "assembly", iri(assembly))
                add(use, DP + "component", iri(component))
                add(use, DP + "quantity", num(q))
    for org in network.organisations:
        add(iri(org), RDF + "type", iri(DP + "Company"))
        if org in network.org_country:
            add(iri(org), DP + "country", iri(network.org_country[org]))
    for site, operator in network.sites.items():
        add(iri(site), RDF + "type", iri(DP + "Site"))
        if operator:
            add(iri(site), DP + "operatedBy", iri(operator))
        if site in network.site_country:
            add(iri(site), DP + "country", iri(network.site_country[site]))
    for country in network.countries:
        add(iri(country), RDF + "type", iri(DP + "Country"))
    for relation in network.relations.values():
        r = iri(relation.iri)
        add(r, RDF + "type", iri(DP + "SupplyRelation"))
        add(r, DP + "item", iri(relation.item))
        if relation.supplier:
            add(r, DP + "supplier", iri(relation.supplier))
        if relation.site:
            add(r, DP + "site", iri(relation.site))
        for needed in relation.inputs:
            add(r, DP + "requiresInput", iri(needed))
        if relation.share is not None:
            add(r, DP + "share", num(relation.share))
        if relation.monthly_capacity is not None:
            add(r, DP + "monthlyCapacity", num(relation.monthly_capacity))
    return "\n".join(sorted(lines)) + "\n"
