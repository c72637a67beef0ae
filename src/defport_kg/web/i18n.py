"""The interface's own words in English and Dutch (the data's labels come from its language tags).

One table, one entry per key with both languages; ``tests/web/test_i18n.py`` checks that every key
used by a template or a script is here in both. Placeholders are ``{name}`` (``str.format``).
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "nl")
DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    # layout
    "app_name": {"en": "Defence industrial base knowledge graph", "nl": "Kennisgraaf defensie-industrie"},
    "skip_to_content": {"en": "Skip to content", "nl": "Naar de inhoud"},
    "nav_label": {"en": "Main", "nl": "Hoofdmenu"},
    "nav_home": {"en": "Home", "nl": "Start"},
    "nav_query": {"en": "Query", "nl": "Bevragen"},
    "nav_search": {"en": "Search", "nl": "Zoeken"},
    "nav_risk": {"en": "Risk", "nl": "Risico's"},
    "nav_scale": {"en": "Scale-up", "nl": "Opschalen"},
    "nav_imports": {"en": "Imports", "nl": "Imports"},
    "language": {"en": "Language", "nl": "Taal"},
    "api_description": {"en": "API description (OpenAPI)", "nl": "API-beschrijving (OpenAPI)"},
    "third_party": {"en": "Third-party software", "nl": "Software van derden"},
    "needs_role": {
        "en": "This page needs a key with role {role} or above; you are signed in as {name} ({have}). Sign in "
        "with another key to see its data.",
        "nl": "Deze pagina vraagt een sleutel met rol {role} of hoger; u bent aangemeld als {name} ({have}). Meld u "
        "aan met een andere sleutel om de gegevens te zien.",
    },
    # signing in
    "sign_in": {"en": "Sign in", "nl": "Aanmelden"},
    "sign_out": {"en": "Sign out", "nl": "Afmelden"},
    "signed_in_as": {"en": "Signed in as {name} ({role})", "nl": "Aangemeld als {name} ({role})"},
    "marking_banner": {
        "en": "Marking: {marking} · what clearance {clearance} may see",
        "nl": "Rubricering: {marking} · wat machtiging {clearance} mag zien",
    },
    "role_reader": {"en": "reader", "nl": "lezer"},
    "role_analyst": {"en": "analyst", "nl": "analist"},
    "role_steward": {"en": "steward", "nl": "gegevensbeheerder"},
    "role_admin": {"en": "administrator", "nl": "beheerder"},
    "login_title": {"en": "Sign in with an API key", "nl": "Aanmelden met een API-sleutel"},
    "login_intro": {
        "en": "Paste the API key you were given (it starts with dpk_) once. Every page and analysis then acts as "
        "that key: you see what its role allows.",
        "nl": "Plak eenmalig de API-sleutel die u hebt gekregen (die begint met dpk_). Elke pagina en analyse werkt "
        "daarna als die sleutel: u ziet wat de rol ervan toestaat.",
    },
    "login_note": {
        "en": "The key is kept in a cookie for this browser session only: no script can read it, no other site can "
        "send it, and it is gone when you sign out or close the browser.",
        "nl": "De sleutel wordt alleen voor deze browsersessie in een cookie bewaard: geen script kan hem lezen, geen "
        "andere site kan hem meesturen, en hij verdwijnt als u zich afmeldt of de browser sluit.",
    },
    "login_current": {
        "en": "You are signed in as {name} ({role}). Sign in below with another key, or sign out at the top.",
        "nl": "U bent aangemeld als {name} ({role}). Meld u hieronder aan met een andere sleutel, of meld u bovenaan "
        "af.",
    },
    "login_needed": {
        "en": "This service needs an API key for reading: sign in to continue.",
        "nl": "Deze dienst vraagt ook voor lezen een API-sleutel: meld u aan om verder te gaan.",
    },
    "login_expired": {
        "en": "Your sign-in is no longer valid (the key was revoked or is unknown): sign in again.",
        "nl": "Uw aanmelding is niet meer geldig (de sleutel is ingetrokken of onbekend): meld u opnieuw aan.",
    },
    "login_signed_out": {"en": "You are signed out.", "nl": "U bent afgemeld."},
    "login_empty": {"en": "Paste an API key first.", "nl": "Plak eerst een API-sleutel."},
    "login_malformed": {
        "en": "That is not an API key: a key looks like dpk_, 12 hexadecimal digits, _ and a secret of at least "
        "20 characters. Nothing was signed in.",
        "nl": "Dat is geen API-sleutel: een sleutel ziet eruit als dpk_, 12 hexadecimale cijfers, _ en een geheim "
        "van minstens 20 tekens. Er is niemand aangemeld.",
    },
    "login_refused": {
        "en": "This key is not valid: it is unknown, revoked or mistyped. Nothing was signed in.",
        "nl": "Deze sleutel is niet geldig: hij is onbekend, ingetrokken of verkeerd getypt. Er is niemand aangemeld.",
    },
    "login_cross_site": {
        "en": "Refused: this sign-in or sign-out request did not come from this site's own pages.",
        "nl": "Geweigerd: dit verzoek om aan of af te melden kwam niet van de pagina's van deze site zelf.",
    },
    "login_bad_form": {
        "en": "Send the sign-in form of this page (a form of at most 8 KB).",
        "nl": "Verstuur het aanmeldformulier van deze pagina (een formulier van hoogstens 8 KB).",
    },
    "not_available_yet": {
        "en": "Not available yet: this service does not offer this analysis (yet).",
        "nl": "Nog niet beschikbaar: deze dienst biedt deze analyse (nog) niet aan.",
    },
    "loading": {"en": "Loading…", "nl": "Laden…"},
    "none_found": {"en": "None found.", "nl": "Niets gevonden."},
    "error": {"en": "Error", "nl": "Fout"},
    "request_failed": {"en": "The request failed", "nl": "Het verzoek is mislukt"},
    "needs_key": {
        "en": "This needs an API key with the role for it: sign in (top right).",
        "nl": "Hiervoor is een API-sleutel met de rol ervoor nodig: meld u aan (rechtsboven).",
    },
    "all": {"en": "all", "nl": "alle"},
    "show": {"en": "Show", "nl": "Toon"},
    "compute": {"en": "Compute", "nl": "Bereken"},
    "name": {"en": "Name", "nl": "Naam"},
    "kind": {"en": "Kind", "nl": "Soort"},
    "unit": {"en": "Unit", "nl": "Eenheid"},
    "unit_kind": {"en": "Unit kind", "nl": "Soort eenheid"},
    "item": {"en": "Item", "nl": "Artikel"},
    "system": {"en": "System", "nl": "Systeem"},
    "systems": {"en": "Systems", "nl": "Systemen"},
    "organisation": {"en": "Organisation", "nl": "Organisatie"},
    "country": {"en": "Country", "nl": "Land"},
    "tier": {"en": "Tier", "nl": "Laag"},
    "marks": {"en": "Marks", "nl": "Markeringen"},
    "kind_organisation": {"en": "organisation", "nl": "organisatie"},
    "kind_item": {"en": "item", "nl": "artikel"},
    "kind_capability": {"en": "capability", "nl": "capaciteit"},
    "kind_country": {"en": "country", "nl": "land"},
    "kind_site": {"en": "site", "nl": "locatie"},
    "kind_platform": {"en": "platform", "nl": "platform"},
    # home
    "home_title": {"en": "Defence industrial base knowledge graph", "nl": "Kennisgraaf van de defensie-industrie"},
    "home_intro": {
        "en": "Who can make what, from what, where, and what stops a system when a supplier, a site or a country "
        "fails. Everything here runs on this machine; nothing is fetched from elsewhere.",
        "nl": "Wie wat kan maken, waarvan, waar, en wat een systeem stillegt als een leverancier, locatie of land "
        "uitvalt. Alles draait op deze machine; er wordt niets van elders opgehaald.",
    },
    "home_stats": {"en": "In the knowledge graph", "nl": "In de kennisgraaf"},
    "stat_organisations": {"en": "Organisations", "nl": "Organisaties"},
    "stat_systems": {"en": "Systems", "nl": "Systemen"},
    "stat_relations": {"en": "Supply relations", "nl": "Leveringsrelaties"},
    "stat_triples": {"en": "Statements", "nl": "Uitspraken"},
    "home_card_query": {
        "en": "Write SPARQL with highlighting and prefixes, or start from a named query.",
        "nl": "Schrijf SPARQL met markering en prefixen, of begin bij een benoemde query.",
    },
    "home_card_search": {
        "en": "Find organisations, items and capabilities by name or identifier.",
        "nl": "Vind organisaties, artikelen en capaciteiten op naam of identificatie.",
    },
    "home_card_risk": {
        "en": "A system's supply tree with its single points of failure and other weak points.",
        "nl": "De toeleveringsboom van een systeem met zijn kwetsbare punten.",
    },
    "home_card_scale": {
        "en": "How much can be made per month, and what limits it.",
        "nl": "Hoeveel er per maand gemaakt kan worden, en wat dat begrenst.",
    },
    "home_card_imports": {
        "en": "Stewards: check a file against the shapes, commit it, or roll an import back.",
        "nl": "Beheerders: controleer een bestand tegen de shapes, leg het vast, of draai een import terug.",
    },
    # query
    "query_title": {"en": "SPARQL query", "nl": "SPARQL-query"},
    "query_intro": {
        "en": "Queries run on this service's own endpoint over the live data. Press Ctrl+Enter to run.",
        "nl": "Queries draaien op het eigen endpoint van deze dienst, over de actuele gegevens. Ctrl+Enter voert uit.",
    },
    "named_query": {"en": "Named query", "nl": "Benoemde query"},
    "named_query_choose": {"en": "— choose a query to start from —", "nl": "— kies een query om mee te beginnen —"},
    "named_queries_none": {"en": "No named queries are installed.", "nl": "Er zijn geen benoemde queries."},
    "query_group_library": {"en": "Library", "nl": "Bibliotheek"},
    "query_group_qc": {"en": "Quality checks", "nl": "Kwaliteitscontroles"},
    "parameters": {"en": "Parameters", "nl": "Parameters"},
    "endpoint": {"en": "Endpoint", "nl": "Endpoint"},
    "query_text": {"en": "Query", "nl": "Query"},
    "run_query": {"en": "Run", "nl": "Uitvoeren"},
    "editor_failed": {
        "en": "The query editor could not start.",
        "nl": "De query-editor kon niet starten.",
    },
    # search
    "search_title": {"en": "Search", "nl": "Zoeken"},
    "search_label": {"en": "Name or identifier", "nl": "Naam of identificatie"},
    "search_placeholder": {"en": "e.g. radar, TNO, 1005-01-123-4567", "nl": "bijv. radar, TNO, 1005-01-123-4567"},
    "search_button": {"en": "Search", "nl": "Zoek"},
    "search_hint": {
        "en": "Names match in English and Dutch; a KvK number, LEI, NCAGE or NSN must match exactly.",
        "nl": "Namen zoeken in het Engels en Nederlands; een KvK-nummer, LEI, NCAGE of NSN moet exact kloppen.",
    },
    "search_results": {"en": "{count} results for “{q}”", "nl": "{count} resultaten voor “{q}”"},
    "search_none": {"en": "Nothing matches.", "nl": "Niets gevonden."},
    "filter_kind": {"en": "Show", "nl": "Toon"},
    "matched": {"en": "Matched", "nl": "Gevonden op"},
    # thing
    "thing_title": {"en": "Thing", "nl": "Ding"},
    "thing_not_found": {"en": "Not found", "nl": "Niet gevonden"},
    "thing_not_found_text": {
        "en": "The live data says nothing about",
        "nl": "De actuele gegevens zeggen niets over",
    },
    "back_to_search": {"en": "Back to search", "nl": "Terug naar zoeken"},
    "breadcrumb": {"en": "You are here", "nl": "U bent hier"},
    "types": {"en": "Types", "nl": "Typen"},
    "names": {"en": "Names in all languages", "nl": "Namen in alle talen"},
    "open_dashboard": {"en": "Open in the risk dashboard", "nl": "Open in het risicodashboard"},
    "risk_findings": {"en": "Risk findings", "nl": "Risicobevindingen"},
    "no_findings": {"en": "No risk findings.", "nl": "Geen risicobevindingen."},
    "finding_spof_of_item": {
        "en": "Single points of failure (each alone makes it unavailable)",
        "nl": "Enkelvoudige faalpunten (elk maakt het alleen al onbeschikbaar)",
    },
    "finding_single_source": {"en": "Single source: one supply relation", "nl": "Eén bron: één leveringsrelatie"},
    "finding_foreign_only": {
        "en": "Foreign only: every supply relation is outside the Netherlands",
        "nl": "Alleen buitenlands: elke leveringsrelatie ligt buiten Nederland",
    },
    "finding_export_control": {"en": "Under export control", "nl": "Onder exportcontrole"},
    "finding_critical_raw_material": {
        "en": "EU critical raw material",
        "nl": "Kritieke grondstof (EU)",
    },
    "finding_data_gap": {
        "en": "Data gap: neither suppliers nor components",
        "nl": "Gat in de gegevens: geen leveranciers of onderdelen",
    },
    "focus_not_in_tree": {
        "en": "{iri} is not in this picture of the supply tree.",
        "nl": "{iri} staat niet in deze plaat van de toeleveringsboom.",
    },
    "in_picture": {"en": "Picture", "nl": "Plaat"},
    "show_paths": {"en": "paths", "nl": "paden"},
    "show_paths_of": {"en": "Show the paths of {name} in the picture", "nl": "Toon de paden van {name} in de plaat"},
    "paths_on_dashboard": {"en": "the paths, on the risk dashboard", "nl": "de paden, op het risicodashboard"},
    "finding_stops_systems": {
        "en": "Single point of failure of these systems",
        "nl": "Enkelvoudig faalpunt van deze systemen",
    },
    "finding_saved": {"en": "Saved findings", "nl": "Opgeslagen bevindingen"},
    "supply_relations": {"en": "Supply relations", "nl": "Leveringsrelaties"},
    "supplier": {"en": "Supplier", "nl": "Leverancier"},
    "share": {"en": "Share", "nl": "Aandeel"},
    "monthly_capacity": {"en": "Capacity / month", "nl": "Capaciteit / maand"},
    "lead_time_days": {"en": "Lead time (days)", "nl": "Levertijd (dagen)"},
    "confidence": {"en": "Confidence", "nl": "Betrouwbaarheid"},
    "relation": {"en": "Relation", "nl": "Relatie"},
    "relations": {"en": "Relations", "nl": "Relaties"},
    "statements_about": {"en": "What the data says about {label}", "nl": "Wat de gegevens zeggen over {label}"},
    "referenced_by": {"en": "What refers to {label}", "nl": "Wat naar {label} verwijst"},
    "property": {"en": "Property", "nl": "Eigenschap"},
    "value": {"en": "Value", "nl": "Waarde"},
    "thing": {"en": "Thing", "nl": "Ding"},
    "truncated": {"en": "Only the first statements are shown.", "nl": "Alleen de eerste uitspraken worden getoond."},
    "sources": {"en": "Sources", "nl": "Bronnen"},
    "no_sources": {"en": "No sources recorded.", "nl": "Geen bronnen vastgelegd."},
    "for_relation": {"en": "for", "nl": "voor"},
    "graphs": {"en": "Named graphs holding these statements", "nl": "Benoemde grafen met deze uitspraken"},
    "role_ontology": {"en": "ontology", "nl": "ontologie"},
    "role_reference": {"en": "reference data", "nl": "referentiegegevens"},
    "role_example": {"en": "example data", "nl": "voorbeeldgegevens"},
    "role_import": {"en": "import", "nl": "import"},
    "role_analysis": {"en": "analysis", "nl": "analyse"},
    # risk
    "risk_title": {"en": "Risk dashboard", "nl": "Risicodashboard"},
    "choose_system": {"en": "— choose a system —", "nl": "— kies een systeem —"},
    "unknown_system": {"en": "Not a system of the live data:", "nl": "Geen systeem in de actuele gegevens:"},
    "no_systems": {"en": "The live data holds no systems.", "nl": "De actuele gegevens bevatten geen systemen."},
    "supply_tree_of": {"en": "Supply tree of {label}", "nl": "Toeleveringsboom van {label}"},
    "graph_alt": {
        "en": "Network picture of the supply tree of {label} ({count} nodes); the same tree is listed as a table "
        "below.",
        "nl": "Netwerkplaat van de toeleveringsboom van {label} ({count} knopen); dezelfde boom staat hieronder "
        "als tabel.",
    },
    "legend": {"en": "Legend", "nl": "Legenda"},
    "legend_system": {"en": "system", "nl": "systeem"},
    "legend_item": {"en": "item", "nl": "artikel"},
    "legend_organisation": {"en": "supplier", "nl": "leverancier"},
    "legend_spof": {"en": "single point of failure", "nl": "enkelvoudig faalpunt"},
    "legend_pair": {"en": "in a failure pair", "nl": "in een faalpaar"},
    "legend_foreign_only": {"en": "foreign-only input", "nl": "alleen buitenlandse bron"},
    "legend_export_control": {"en": "export-controlled", "nl": "exportgecontroleerd"},
    "legend_crm": {"en": "critical raw material", "nl": "kritieke grondstof"},
    "legend_down": {"en": "down in the what-if", "nl": "uitgevallen in het scenario"},
    "graph_ready": {
        "en": "{spofs} single points of failure and {pairs} failure pairs marked.",
        "nl": "{spofs} enkelvoudige faalpunten en {pairs} faalparen gemarkeerd.",
    },
    "graph_view": {"en": "Show", "nl": "Toon"},
    "graph_view_all": {"en": "the whole tree", "nl": "de hele boom"},
    "graph_view_spofs": {"en": "paths to single points of failure", "nl": "paden naar enkelvoudige faalpunten"},
    "graph_view_cut_sets": {
        "en": "paths to single points of failure and failure pairs",
        "nl": "paden naar enkelvoudige faalpunten en faalparen",
    },
    "graph_view_marks": {"en": "paths to every marked node", "nl": "paden naar elke gemarkeerde knoop"},
    "graph_png": {"en": "Save picture (PNG)", "nl": "Plaat opslaan (PNG)"},
    "graph_view_down": {
        "en": "paths to what the what-if takes down",
        "nl": "paden naar wat het scenario laat uitvallen",
    },
    "graph_view_count": {
        "en": "{shown} of {total} nodes; tap a node to follow its paths.",
        "nl": "{shown} van {total} knopen; tik op een knoop om zijn paden te volgen.",
    },
    "graph_no_library": {
        "en": "The network picture could not be drawn; the tables still hold everything.",
        "nl": "De netwerkplaat kon niet worden getekend; de tabellen bevatten alles.",
    },
    "tree_truncated": {
        "en": "The picture shows the first {limit} nodes only.",
        "nl": "De plaat toont alleen de eerste {limit} knopen.",
    },
    "spofs": {"en": "Single points of failure", "nl": "Enkelvoudige faalpunten"},
    "failure_pairs": {"en": "Failure pairs", "nl": "Faalparen"},
    "incomplete": {
        "en": "The search stopped at its bound: the list may be incomplete.",
        "nl": "De zoektocht stopte bij zijn grens: de lijst kan onvolledig zijn.",
    },
    "foreign_only_inputs": {"en": "Foreign-only inputs", "nl": "Alleen buitenlandse bronnen"},
    "export_controlled": {"en": "Export-controlled items", "nl": "Exportgecontroleerde artikelen"},
    "critical_raw_materials": {"en": "Critical raw materials", "nl": "Kritieke grondstoffen"},
    "data_gaps": {"en": "Data gaps", "nl": "Gaten in de gegevens"},
    "regime": {"en": "Regime", "nl": "Regime"},
    "flag_system": {"en": "system", "nl": "systeem"},
    "flag_foreign_only": {"en": "foreign only", "nl": "alleen buitenland"},
    "flag_export_control": {"en": "export control", "nl": "exportcontrole"},
    "flag_critical_raw_material": {"en": "critical raw material", "nl": "kritieke grondstof"},
    "flag_data_gap": {"en": "data gap", "nl": "gegevensgat"},
    "flag_foreign": {"en": "foreign", "nl": "buitenlands"},
    "flag_spof": {"en": "single point of failure", "nl": "enkelvoudig faalpunt"},
    "flag_pair": {"en": "failure pair", "nl": "faalpaar"},
    "flag_down": {"en": "down", "nl": "uitgevallen"},
    "sovereignty": {"en": "Sovereignty", "nl": "Soevereiniteit"},
    "tree_as_table": {"en": "The supply tree as a table", "nl": "De toeleveringsboom als tabel"},
    "spof_ranking": {
        "en": "Units that alone can stop a system",
        "nl": "Eenheden die alleen al een systeem kunnen stilleggen",
    },
    "systems_stopped": {"en": "Systems stopped", "nl": "Systemen stilgelegd"},
    "impact_title": {"en": "What if a unit fails?", "nl": "Wat als een eenheid uitvalt?"},
    "impact_intro": {
        "en": "Pick an organisation, site or country to see what its failure takes down.",
        "nl": "Kies een organisatie, locatie of land om te zien wat de uitval ervan meeneemt.",
    },
    "choose_unit": {"en": "— choose a unit —", "nl": "— kies een eenheid —"},
    "what_if_fails": {"en": "What if it fails?", "nl": "Wat als die uitvalt?"},
    "impact_summary": {
        "en": "{items} items unavailable, {systems} of them systems; {relations} supply relations down.",
        "nl": "{items} artikelen onbeschikbaar, waarvan {systems} systemen; {relations} leveringsrelaties uitgevallen.",
    },
    "unavailable_systems": {"en": "Systems stopped", "nl": "Stilgelegde systemen"},
    "unavailable_items": {"en": "Items unavailable", "nl": "Onbeschikbare artikelen"},
    "capabilities_touched": {"en": "Capabilities touched", "nl": "Geraakte capaciteiten"},
    "capability_lost": {"en": "lost", "nl": "verloren"},
    "capability_reduced": {"en": "reduced", "nl": "verminderd"},
    "stranded": {"en": "Left without an input", "nl": "Zonder invoer achtergebleven"},
    "missing": {"en": "Missing", "nl": "Ontbreekt"},
    "share_nl": {"en": "NL", "nl": "NL"},
    # scale
    "scale_title": {"en": "Scale-up", "nl": "Opschalen"},
    "scale_intro": {
        "en": "Maximum monthly output from the capacities in the data (no stock), and what binds it.",
        "nl": "Maximale maandproductie op grond van de capaciteiten in de gegevens (zonder voorraad), en wat die "
        "begrenst.",
    },
    "max_output_per_system": {"en": "Maximum output per system", "nl": "Maximale productie per systeem"},
    "max_output": {"en": "Units / month", "nl": "Stuks / maand"},
    "bottlenecks": {"en": "Bottlenecks", "nl": "Knelpunten"},
    "shadow_price": {"en": "Gain per extra unit of capacity", "nl": "Winst per extra eenheid capaciteit"},
    "unbounded": {"en": "unbounded", "nl": "onbegrensd"},
    "uncapacitated_path": {"en": "Path without capacity", "nl": "Pad zonder capaciteit"},
    "joint_output": {"en": "Systems together, with failures", "nl": "Systemen samen, met uitval"},
    "failed_units": {"en": "Failed units", "nl": "Uitgevallen eenheden"},
    "choose_systems": {"en": "Choose at least one system.", "nl": "Kies ten minste één systeem."},
    "needs_heatmap": {"en": "Needs × regions", "nl": "Behoeften × regio's"},
    "needs_intro": {
        "en": "Which needed capabilities each region can provide.",
        "nl": "Welke benodigde capaciteiten elke regio kan leveren.",
    },
    "needs_as_picture": {"en": "The same as a picture (SVG)", "nl": "Hetzelfde als afbeelding (SVG)"},
    "needs_heatmap_alt": {
        "en": "Heat map of needed capabilities against regions",
        "nl": "Hittekaart van benodigde capaciteiten per regio",
    },
    "needs_caption": {
        "en": "Providers of each needed capability per region (0: none there)",
        "nl": "Aanbieders van elke benodigde capaciteit per regio (0: daar geen)",
    },
    "capability": {"en": "Capability", "nl": "Capaciteit"},
    "needed_by": {"en": "Needed by", "nl": "Nodig voor"},
    "gap": {"en": "Gap", "nl": "Tekort"},
    "projects": {"en": "Projects", "nl": "Projecten"},
    "region_NL": {"en": "Netherlands", "nl": "Nederland"},
    "region_EU": {"en": "EU (other)", "nl": "EU (overig)"},
    "region_NATO": {"en": "NATO (other)", "nl": "NAVO (overig)"},
    "region_other": {"en": "Elsewhere", "nl": "Elders"},
    # imports
    "imports_title": {"en": "Imports", "nl": "Imports"},
    "imports_intro": {
        "en": "Check a data file or a filled-in steward template against the shapes, in the context of the live "
        "data; commit it when it conforms. Every import can be rolled back.",
        "nl": "Controleer een gegevensbestand of een ingevuld beheerderssjabloon tegen de shapes, in de context van de "
        "actuele gegevens; leg het vast als het voldoet. Elke import kan worden teruggedraaid.",
    },
    "api_key": {"en": "API key", "nl": "API-sleutel"},
    "api_key_label": {"en": "Steward key", "nl": "Beheerderssleutel"},
    "api_key_save": {"en": "Use this key", "nl": "Gebruik deze sleutel"},
    "api_key_forget": {"en": "Forget", "nl": "Vergeet"},
    "api_key_note": {
        "en": "Kept in this browser tab only (session storage), sent as Authorization: Bearer.",
        "nl": "Alleen bewaard in dit browsertabblad (sessieopslag), verzonden als Authorization: Bearer.",
    },
    "api_key_set": {"en": "A key is set for this tab.", "nl": "Er is een sleutel ingesteld voor dit tabblad."},
    "api_key_unset": {"en": "No key set.", "nl": "Geen sleutel ingesteld."},
    "imports_signed_in": {
        "en": "Checks, commits and rollbacks use the key you signed in with: {name} ({role}).",
        "nl": "Controles, vastleggingen en terugdraaiingen gebruiken de sleutel waarmee u bent aangemeld: {name} "
        "({role}).",
    },
    "imports_sign_in_hint": {
        "en": "Sign in with a steward key, or enter one for this browser tab only.",
        "nl": "Meld u aan met een beheerderssleutel, of voer er een in voor alleen dit browsertabblad.",
    },
    "upload": {"en": "Check and commit a file", "nl": "Bestand controleren en vastleggen"},
    "upload_file": {"en": "File", "nl": "Bestand"},
    "upload_formats": {
        "en": "Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML, or a steward template (CSV, XLSX).",
        "nl": "Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML, of een beheerderssjabloon (CSV, XLSX).",
    },
    "check_file": {"en": "Check (dry run)", "nl": "Controleer (proefrun)"},
    "commit": {"en": "Commit", "nl": "Vastleggen"},
    "discard": {"en": "Discard", "nl": "Verwerpen"},
    "choose_file": {"en": "Choose a file first.", "nl": "Kies eerst een bestand."},
    "report_conforms": {
        "en": "The file conforms: it can be committed.",
        "nl": "Het bestand voldoet: het kan worden vastgelegd.",
    },
    "report_violations": {
        "en": "The file has violations: nothing can be stored until they are fixed.",
        "nl": "Het bestand heeft overtredingen: er kan niets worden opgeslagen totdat ze zijn opgelost.",
    },
    "report_counts": {
        "en": "{violations} violations, {warnings} warnings, {infos} notes",
        "nl": "{violations} overtredingen, {warnings} waarschuwingen, {infos} opmerkingen",
    },
    "report_omitted": {"en": "{count} more results not shown", "nl": "nog {count} resultaten niet getoond"},
    "unreadable": {"en": "The file cannot be read", "nl": "Het bestand kan niet worden gelezen"},
    "committed": {"en": "Committed as import {id}.", "nl": "Vastgelegd als import {id}."},
    "discarded": {"en": "Discarded: nothing was stored.", "nl": "Verworpen: er is niets opgeslagen."},
    "severity": {"en": "Severity", "nl": "Ernst"},
    "location": {"en": "Where (line / row)", "nl": "Waar (regel / rij)"},
    "focus_node": {"en": "Focus node", "nl": "Focusknoop"},
    "path": {"en": "Path", "nl": "Pad"},
    "message": {"en": "Message", "nl": "Melding"},
    "severity_Violation": {"en": "violation", "nl": "overtreding"},
    "severity_Warning": {"en": "warning", "nl": "waarschuwing"},
    "severity_Info": {"en": "note", "nl": "opmerking"},
    "import_history": {"en": "Import history", "nl": "Importgeschiedenis"},
    "no_imports": {"en": "No imports yet.", "nl": "Nog geen imports."},
    "import_id": {"en": "Import", "nl": "Import"},
    "source_name": {"en": "Source", "nl": "Bron"},
    "when": {"en": "When", "nl": "Wanneer"},
    "who": {"en": "By", "nl": "Door"},
    "status": {"en": "Status", "nl": "Status"},
    "triples": {"en": "Statements", "nl": "Uitspraken"},
    "rollback": {"en": "Roll back", "nl": "Terugdraaien"},
    "rollback_confirm": {
        "en": "Roll back import {id}? Its statements leave the live data.",
        "nl": "Import {id} terugdraaien? De uitspraken verdwijnen uit de actuele gegevens.",
    },
    "rolled_back": {"en": "Import {id} was rolled back.", "nl": "Import {id} is teruggedraaid."},
}


class Translator:
    """``t('key', name=value)`` in one language; ``t.keys`` lists every key (for templates)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.keys = frozenset(STRINGS)

    def __call__(self, key: str, **values: Any) -> str:
        entry = STRINGS.get(key)
        if entry is None:
            raise KeyError(f"no UI string {key!r} in defport_kg.web.i18n.STRINGS")
        text = entry.get(self.lang) or entry[DEFAULT_LANGUAGE]
        return text.format(**values) if values else text


def translator(lang: str) -> Translator:
    return Translator(lang)


def client_strings(lang: str) -> dict[str, str]:
    """Every string in ``lang``, for the scripts (the table is small: sending all is simplest)."""
    chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return {key: entry.get(chosen) or entry[DEFAULT_LANGUAGE] for key, entry in STRINGS.items()}


def from_accept_language(header: str | None) -> str:
    """The first supported language of an Accept-Language header, by quality; English otherwise."""
    if not header:
        return DEFAULT_LANGUAGE
    ranked = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower().split("-")[0]
        quality = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    quality = float(f[2:])
                except ValueError:
                    quality = 0.0
        if tag in LANGUAGES and quality > 0:
            ranked.append((-quality, position, tag))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE
