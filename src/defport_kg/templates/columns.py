"""The steward templates' sheets and columns: the one definition that the reader, the writers and
docs/templates.md are all made from, so that what is documented is exactly what is read.

A row becomes RDF by its sheet's ``kind`` (which IRI pattern ``dpid:{kind}/{slug}`` its subject gets)
and its columns (which predicate each cell feeds and how the cell text becomes a term).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from defport_kg.namespaces import DCTERMS, DP, RDFS, SCHEMA, SKOS

# How a cell's text becomes RDF terms (see defport_kg.templates.cells).
ID = "id"  # the row's own identifier: a slug (or full IRI); empty: derived from the name
TEXT = "text"  # one literal
TEXTS = "texts"  # literals separated by ';'
REF = "ref"  # one reference to another row or stored thing: an id, a name, dpid:... or a full IRI
REFS = "refs"  # references separated by ';'
COUNTRY = "country"  # ISO 3166-1 alpha-2 code
DECIMAL = "decimal"
INTEGER = "integer"
DATE = "date"  # YYYY-MM-DD
DIGITS = "digits"  # an identifier made of digits (leading zeros kept, spreadsheets drop them)
CODE = "code"  # an identifier written in capitals (LEI, NCAGE)
NSN = "nsn"  # NATO Stock Number, written NNNN-NN-NNN-NNNN
CHOICE = "choice"  # one of a fixed list, mapped to an IRI
CHOICES = "choices"  # several of a fixed list, separated by ';'
COMPONENTS = "components"  # bill of materials: 'id * quantity; id'
WEB = "web"  # an http(s) address
SOURCE = "source"  # where a fact comes from: an http(s) address or a citation text

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, how its cells are read, and what documents it."""

    name: str
    kind: str
    description: str
    example: str = ""
    predicate: str | None = None
    required: bool = False
    target: str | None = None  # REF/REFS: the kind of thing referred to (org, item, site, ...)
    lang: str | None = None  # TEXT: the language tag given to the literal
    width: int = 0  # DIGITS: how many digits (zeros are put back in front)
    choices: dict[str, str] = field(default_factory=dict)  # CHOICE(S): accepted value -> IRI
    also: tuple[str, ...] = ()  # further predicates the same value is written to


@dataclass(frozen=True)
class Sheet:
    """One sheet (or CSV file): what kind of thing each row describes."""

    name: str
    kind: str  # the IRI segment: dpid:{kind}/{slug}
    title: str
    description: str
    columns: tuple[Column, ...]
    types: tuple[str, ...] = ()  # rdf:type(s) every row gets (besides a CHOICE column's type)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def example_row(self) -> list[str]:
        return [c.example for c in self.columns]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


ORGANISATION_TYPES = {
    name.lower(): DP + name
    for name in ("Company", "GovernmentBody", "IndustryAssociation", "KnowledgeInstitute", "FinancialInstitution")
}
ITEM_TYPES = {name.lower(): DP + name for name in ("System", "Component", "Material")}
CONFIDENCE = {name.lower(): DP + name for name in ("Disclosed", "Inferred", "Assumed")}
EXPORT_CONTROL = {name.lower(): DP + name for name in ("ITAR", "EAR", "EUDualUse")}

_ID_HELP = (
    "Identifier of the row: lower-case letters, digits and '-' (other text is turned into that form). "
    "It makes the IRI https://w3id.org/defport/id/{kind}/{id}. Empty: made from the name. Keep it stable: "
    "the same id always names the same thing, so importing the sheet again gives the same graph."
)
_REF_HELP = (
    "Refers to {what} by its id (or its name, which is turned into the same id), a prefixed name such as "
    "dpid:{kind}/x, or a full IRI; it may be in this batch or already stored."
)
_SOURCE = Column(
    "source",
    SOURCE,
    "Where the facts of this row come from: a web address or a citation (dcterms:source).",
    "https://www.example.org/annual-report-2024",
    predicate=DCTERMS + "source",
)


def _ref_help(what: str, kind: str) -> str:
    return _REF_HELP.format(what=what, kind=kind)


ORGANISATIONS = Sheet(
    name="organisations",
    kind="org",
    title="Organisations",
    description="One row per organisation: a company, government body, industry association, knowledge "
    "institute or financial institution. A minimal row has a name, a type and a country.",
    columns=(
        Column("id", ID, _ID_HELP.replace("{kind}", "org"), "example-precision-optics"),
        Column(
            "name",
            TEXT,
            "The organisation's name (rdfs:label).",
            "Example Precision Optics B.V.",
            predicate=RDFS + "label",
            required=True,
        ),
        Column(
            "type",
            CHOICE,
            "What kind of organisation: " + ", ".join(_local(v) for v in ORGANISATION_TYPES.values()) + ".",
            "Company",
            required=True,
            choices=ORGANISATION_TYPES,
        ),
        Column(
            "country",
            COUNTRY,
            "Country of registration: ISO 3166-1 alpha-2 code (dp:country).",
            "NL",
            predicate=DP + "country",
            required=True,
        ),
        Column(
            "kvk_number",
            DIGITS,
            "Dutch Chamber of Commerce number, 8 digits (dp:kvkNumber).",
            "12345678",
            predicate=DP + "kvkNumber",
            width=8,
        ),
        Column("lei", CODE, "Legal Entity Identifier (ISO 17442), 20 characters (dp:lei).", "", predicate=DP + "lei"),
        Column("ncage", CODE, "NATO CAGE code, 5 characters (dp:ncage).", "", predicate=DP + "ncage"),
        Column(
            "capabilities",
            REFS,
            "What it can do (dp:hasCapability). " + _ref_help("capabilities", "capability"),
            "radar; precision-machining",
            predicate=DP + "hasCapability",
            target="capability",
        ),
        Column(
            "needs_capabilities",
            REFS,
            "Capabilities it needs from others to scale up (dp:needsCapability).",
            "",
            predicate=DP + "needsCapability",
            target="capability",
        ),
        Column(
            "partner_of",
            REFS,
            "Platforms it is a partner of (dp:partnerOf), e.g. defport.",
            "",
            predicate=DP + "partnerOf",
            target="platform",
        ),
        Column(
            "controlled_by",
            REF,
            "Its parent or controlling owner (dp:controlledBy). " + _ref_help("an organisation", "org"),
            "",
            predicate=DP + "controlledBy",
            target="org",
        ),
        Column(
            "website",
            WEB,
            "The organisation's web address (schema:url).",
            "https://www.example.org/",
            predicate=SCHEMA + "url",
        ),
        Column(
            "alt_names",
            TEXTS,
            "Other names or abbreviations, separated by ';' (skos:altLabel).",
            "EPO",
            predicate=SKOS + "altLabel",
        ),
        Column("description", TEXT, "A short description (rdfs:comment).", "", predicate=RDFS + "comment"),
        _SOURCE,
    ),
)

SITES = Sheet(
    name="sites",
    kind="site",
    title="Sites",
    description="One row per production or maintenance site. A supply relation can name the site where the "
    "item is made; a site without a country takes its operator's country.",
    types=(DP + "Site",),
    columns=(
        Column(
            "id",
            ID,
            _ID_HELP.replace("{kind}", "site") + " Give an id when two sites share a name.",
            "example-precision-optics-delft",
        ),
        Column(
            "name",
            TEXT,
            "The site's name (rdfs:label).",
            "Example Precision Optics, Delft plant",
            predicate=RDFS + "label",
            required=True,
        ),
        Column(
            "operator",
            REF,
            "Who runs the site (dp:operatedBy). " + _ref_help("an organisation", "org"),
            "example-precision-optics",
            predicate=DP + "operatedBy",
            target="org",
        ),
        Column(
            "country",
            COUNTRY,
            "Where the site is: ISO 3166-1 alpha-2 code (dp:country).",
            "NL",
            predicate=DP + "country",
        ),
        Column("ncage", CODE, "NATO CAGE code of the site, 5 characters (dp:ncage).", "", predicate=DP + "ncage"),
        _SOURCE,
    ),
)

ITEMS = Sheet(
    name="items",
    kind="item",
    title="Items",
    description="One row per item: a system (end item), a component or a material, with its bill of "
    "materials. Components with a quantity become dp:ComponentUse nodes (and the dp:hasComponent they imply).",
    columns=(
        Column("id", ID, _ID_HELP.replace("{kind}", "item"), "example-thermal-lens"),
        Column(
            "name",
            TEXT,
            "The item's name (rdfs:label).",
            "Example thermal-imaging lens",
            predicate=RDFS + "label",
            required=True,
        ),
        Column(
            "type",
            CHOICE,
            "What level of item: " + ", ".join(_local(v) for v in ITEM_TYPES.values()) + ".",
            "Component",
            required=True,
            choices=ITEM_TYPES,
        ),
        Column(
            "components",
            COMPONENTS,
            "Bill of materials: what one unit needs, separated by ';'. Each entry is "
            "an item (id, name, dpid:item/x or IRI) optionally followed by '* quantity' per unit, e.g. "
            "'lens * 4; housing'. With a quantity: a dp:ComponentUse; without: dp:hasComponent (quantity 1).",
            "crm-germanium * 0.2",
            target="item",
        ),
        Column(
            "nsn",
            NSN,
            "NATO Stock Number, 13 digits written NNNN-NN-NNN-NNNN (dp:nsn); digits without dashes are accepted.",
            "6650-17-123-4567",
            predicate=DP + "nsn",
        ),
        Column(
            "supply_group",
            REF,
            "NATO supply group (FSG): two digits, e.g. 66 (dp:supplyGroup).",
            "66",
            predicate=DP + "supplyGroup",
            target="fsg",
        ),
        Column(
            "realises",
            REFS,
            "Capabilities the item realises (dp:realises). " + _ref_help("capabilities", "capability"),
            "",
            predicate=DP + "realises",
            target="capability",
        ),
        Column(
            "stock_days", DECIMAL, "Days of stock on hand, 0 or more (dp:stockDays).", "30", predicate=DP + "stockDays"
        ),
        Column(
            "monthly_demand",
            DECIMAL,
            "Units needed per month, 0 or more (dp:monthlyDemand).",
            "",
            predicate=DP + "monthlyDemand",
        ),
        Column(
            "export_control",
            CHOICES,
            "Export control regimes, separated by ';': "
            + ", ".join(_local(v) for v in EXPORT_CONTROL.values())
            + " (dp:exportControl).",
            "",
            predicate=DP + "exportControl",
            choices=EXPORT_CONTROL,
        ),
        _SOURCE,
    ),
)

SUPPLY = Sheet(
    name="supply",
    kind="supply",
    title="Supply relations",
    description="One row per supply relation: this organisation can supply this item (from this site), with "
    "its share, capacity, lead time and evidence.",
    types=(DP + "SupplyRelation",),
    columns=(
        Column(
            "id",
            ID,
            "Identifier of the relation (see the other sheets). Empty: made from supplier, item and "
            "site as '{supplier}--{item}' or '{supplier}--{item}--{site}'.",
            "",
        ),
        Column(
            "supplier",
            REF,
            "Who can supply (dp:supplier). " + _ref_help("an organisation", "org"),
            "example-precision-optics",
            predicate=DP + "supplier",
            required=True,
            target="org",
        ),
        Column(
            "item",
            REF,
            "What they can supply (dp:item). " + _ref_help("an item", "item"),
            "example-thermal-lens",
            predicate=DP + "item",
            required=True,
            target="item",
        ),
        Column(
            "site",
            REF,
            "Where it is made (dp:site). " + _ref_help("a site", "site"),
            "example-precision-optics-delft",
            predicate=DP + "site",
            target="site",
        ),
        Column("name", TEXT, "A label for the relation (rdfs:label), optional.", "", predicate=RDFS + "label"),
        Column(
            "share",
            DECIMAL,
            "Fraction of the item's supply this relation provides, 0 to 1 (dp:share).",
            "0.6",
            predicate=DP + "share",
        ),
        Column(
            "monthly_capacity",
            DECIMAL,
            "Units per month this relation can produce, 0 or more (dp:monthlyCapacity).",
            "40",
            predicate=DP + "monthlyCapacity",
        ),
        Column(
            "lead_time_days",
            INTEGER,
            "Days from order to delivery, 0 or more (dp:leadTimeDays).",
            "90",
            predicate=DP + "leadTimeDays",
        ),
        Column(
            "recovery_days",
            INTEGER,
            "Days to recover after a disruption, 0 or more (dp:recoveryDays).",
            "",
            predicate=DP + "recoveryDays",
        ),
        Column(
            "requires_input",
            REFS,
            "Items this supplier's production needs besides the item's components "
            "(dp:requiresInput), separated by ';'.",
            "",
            predicate=DP + "requiresInput",
            target="item",
        ),
        Column(
            "confidence",
            CHOICE,
            "How sure the fact is: " + ", ".join(_local(v) for v in CONFIDENCE.values()) + " (dp:confidence).",
            "Disclosed",
            predicate=DP + "confidence",
            choices=CONFIDENCE,
        ),
        Column(
            "valid_from",
            DATE,
            "First day the relation holds, YYYY-MM-DD (dp:validFrom).",
            "2025-01-01",
            predicate=DP + "validFrom",
        ),
        Column("valid_to", DATE, "Last day the relation holds, YYYY-MM-DD (dp:validTo).", "", predicate=DP + "validTo"),
        _SOURCE,
    ),
)

CAPABILITIES = Sheet(
    name="capabilities",
    kind="capability",
    title="Capabilities",
    description="One row per capability (a skos:Concept of the capability taxonomy), usually a narrower "
    "concept under one of the shipped ones.",
    types=(DP + "Capability", SKOS + "Concept"),
    columns=(
        Column("id", ID, _ID_HELP.replace("{kind}", "capability"), "example-infrared-optics"),
        Column(
            "name",
            TEXT,
            "English name (rdfs:label and skos:prefLabel, tagged @en).",
            "Infrared optics",
            predicate=RDFS + "label",
            required=True,
            lang="en",
            also=(SKOS + "prefLabel",),
        ),
        Column(
            "name_nl",
            TEXT,
            "Dutch name (rdfs:label and skos:prefLabel, tagged @nl).",
            "Infraroodoptiek",
            predicate=RDFS + "label",
            lang="nl",
            also=(SKOS + "prefLabel",),
        ),
        Column(
            "broader",
            REF,
            "The broader capability (skos:broader). " + _ref_help("a capability", "capability"),
            "sensors-and-radar",
            predicate=SKOS + "broader",
            target="capability",
        ),
        Column(
            "definition",
            TEXT,
            "English definition (skos:definition @en).",
            "Designing and making lenses and windows for thermal imaging.",
            predicate=SKOS + "definition",
            lang="en",
        ),
        Column(
            "definition_nl",
            TEXT,
            "Dutch definition (skos:definition @nl).",
            "Het ontwerpen en maken van lenzen en vensters voor warmtebeelden.",
            predicate=SKOS + "definition",
            lang="nl",
        ),
        _SOURCE,
    ),
)

SHEETS: tuple[Sheet, ...] = (ORGANISATIONS, SITES, ITEMS, SUPPLY, CAPABILITIES)
SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

# Names a user may give a sheet or CSV file for each template (case and '-'/'_'/' ' do not matter).
ALIASES: dict[str, str] = {
    "organisations": "organisations",
    "organisation": "organisations",
    "organizations": "organisations",
    "organization": "organisations",
    "orgs": "organisations",
    "sites": "sites",
    "site": "sites",
    "items": "items",
    "item": "items",
    "supply": "supply",
    "supplyrelations": "supply",
    "supplyrelation": "supply",
    "suppliers": "supply",
    "capabilities": "capabilities",
    "capability": "capabilities",
}

# IRI patterns of what references point to (CONTRACT §1).
TARGET_PATTERNS: dict[str, str] = {
    "org": "org/{}",
    "item": "item/{}",
    "site": "site/{}",
    "supply": "supply/{}",
    "capability": "capability/{}",
    "platform": "platform/{}",
    "country": "country/{}",
    "fsg": "fsg/{}",
}


def sheet_for(name: str) -> Sheet | None:
    """The sheet a sheet or file name stands for, or None."""
    key = "".join(ch for ch in name.lower() if ch.isalnum())
    found = ALIASES.get(key)
    return SHEETS_BY_NAME[found] if found else None
