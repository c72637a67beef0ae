"""Build the fictional example industrial base: ``data/example/industrial-base.ttl``.

Everything here is invented to demonstrate defport-kg's analyses. No organisation, site, item,
project or document below exists; every label says "(fictional)" / "(fictief)". Real things are
only referred to, never described: countries (``dpid:country/XX``), capabilities
(``dpid:capability/...``), the NATO supply groups (``dpid:fsg/NN``) and the EU critical raw
materials (``dpid:item/crm-...`` / ``srm-...``, to which fictional miners and refiners supply).
Identifiers (KvK, LEI, NCAGE, NSN) have valid formats and check digits but are made up; any match
with a real registration is a coincidence.

The network is written out by hand below (designed situations are marked ``# SCENARIO``; the
designed answers are in ``SCENARIOS.md``). Only the routine numbers -- capacities sized from
demand, stock days, lead times, recovery days, evidence -- are derived, deterministically, from a
hash of the names, so the output depends on nothing but this file.

Run ``python data/example/build_example.py`` (``--check`` compares instead of writing).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "industrial-base.ttl"

DPID = "https://w3id.org/defport/id/"

# ----------------------------------------------------------------------------------------------
# Data model of this script
# ----------------------------------------------------------------------------------------------


@dataclass
class Org:
    key: str
    name: str
    country: str
    kind: str = "Company"  # Company, GovernmentBody, KnowledgeInstitute, FinancialInstitution
    caps: tuple[str, ...] = ()
    nl_name: str | None = None  # Dutch label (without the fictional tag)
    defence: bool = False  # gets an NCAGE code
    lei: bool = True
    controlled_by: str | None = None
    control_share: float | None = None
    needs: tuple[str, ...] = ()


@dataclass
class Site:
    key: str
    name: str
    operator: str
    country: str | None  # None: the site takes its supplier's country (CONTRACT §3)


@dataclass
class Sup:
    org: str
    share: float
    cap: float | None = None  # explicit capacity; None = sized from demand
    uncapacitated: bool = False
    site: str | None = None
    inputs: tuple[str, ...] = ()
    rec: int | None = None  # explicit recovery days
    no_rec: bool = False  # recovery unknown (SCENARIO)
    lead: int | None = None
    conf: str | None = None  # "Disclosed" | "Inferred" | "Assumed" | "none"
    valid_to: str | None = None  # explicit validity end (expired relations)
    source: str | None = None


@dataclass
class Item:
    key: str  # "ex-..." for example items, "crm-..."/"srm-..." for reference materials
    name: str = ""
    cls: str = "Component"  # System, Component, Material
    fsc: str | None = None  # 4-digit NATO supply class; gives NSN and dp:supplyGroup
    stock: float | None = None
    no_stock: bool = False
    parts: tuple[tuple[str, float], ...] = ()
    sups: tuple[Sup, ...] = ()
    export: tuple[str, ...] = ()
    demand: float | None = None
    realises: tuple[str, ...] = ()
    nl_name: str | None = None
    use_only: tuple[str, ...] = ()  # BOM lines written only as dp:ComponentUse (no dp:hasComponent)


@dataclass
class Project:
    key: str
    name: str
    nl_name: str
    caps: tuple[str, ...]
    participants: tuple[str, ...]
    description: str


@dataclass
class Network:
    orgs: dict[str, Org] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)


def h(*parts: object) -> int:
    """A stable pseudo-random number from names (never Python's salted hash())."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return int(digest[:15], 16)


# ----------------------------------------------------------------------------------------------
# Organisations
# ----------------------------------------------------------------------------------------------

ORGS: list[Org] = [
    # --- the fictional buyer (real ministries stay untouched) ---
    Org("ex-dmo", "Example Defence Materiel Organisation", "NL", "GovernmentBody",
      nl_name="Voorbeeld Defensie Materieelorganisatie", lei=False,
      needs=("radar", "naval-shipbuilding", "land-vehicles", "munitions-and-energetics",
             "optronics", "communications", "cyber", "space", "guided-weapons",
             "power-and-energy-storage", "mro")),
    Org("ex-nl-institute", "Voorbeeld Instituut voor Defensietechnologie", "NL", "KnowledgeInstitute",
      caps=("test-and-evaluation", "radar"), lei=False),
    Org("ex-nl-fund", "Voorbeeld Defensie Investeringsfonds N.V.", "NL", "FinancialInstitution"),
    # --- Dutch companies ---
    Org("ex-nl-radar", "Voorbeeld Radar Systemen B.V.", "NL", caps=("radar", "command-and-control", "mro"),
      defence=True),
    Org("ex-nl-shipyard", "Voorbeeld Scheepswerf B.V.", "NL", caps=("naval-shipbuilding", "mro"),
      defence=True),
    Org("ex-nl-vehicles", "Voorbeeld Voertuigtechniek B.V.", "NL", caps=("land-vehicles", "mro"),
      defence=True),
    # SCENARIO control: Dutch companies controlled from abroad
    Org("ex-nl-munitions", "Voorbeeld Munitie B.V.", "NL", caps=("munitions-and-energetics",),
      defence=True, controlled_by="ex-no-defence", control_share=1.0),
    Org("ex-nl-optronics", "Voorbeeld Optronica B.V.", "NL", caps=("optronics",), defence=True,
      controlled_by="ex-fr-optronique", control_share=0.75),
    Org("ex-nl-comms", "Voorbeeld Communicatie B.V.", "NL", caps=("communications", "c4isr-electronics"),
      defence=True, controlled_by="ex-us-comms", control_share=1.0),
    Org("ex-nl-signal", "Voorbeeld Signaalverwerking B.V.", "NL",
      caps=("c4isr-electronics", "command-and-control", "electronics-manufacturing"), defence=True),
    Org("ex-nl-boards", "Voorbeeld Printplaten B.V.", "NL", caps=("electronics-manufacturing",)),
    Org("ex-nl-antenna", "Voorbeeld Antennes B.V.", "NL", caps=("radar", "communications"), defence=True),
    Org("ex-nl-power", "Voorbeeld Vermogenselektronica B.V.", "NL",
      caps=("power-and-energy-storage", "electronics-manufacturing")),
    Org("ex-nl-cooling", "Voorbeeld Koeltechniek B.V.", "NL", caps=("manufacturing",)),
    Org("ex-nl-forge", "Voorbeeld Smederij B.V.", "NL", caps=("munitions-and-energetics", "manufacturing"),
      defence=True),
    Org("ex-nl-energetics", "Voorbeeld Energetica B.V.", "NL", caps=("munitions-and-energetics",),
      defence=True),
    Org("ex-nl-fuze", "Voorbeeld Ontstekers B.V.", "NL", caps=("munitions-and-energetics",), defence=True),
    Org("ex-nl-steel", "Voorbeeld Staal B.V.", "NL", caps=("manufacturing",)),
    Org("ex-nl-bearings", "Voorbeeld Lagers B.V.", "NL", caps=("precision-machining",)),
    Org("ex-nl-optics", "Voorbeeld Optiek B.V.", "NL", caps=("optronics",), defence=True),
    Org("ex-nl-cables", "Voorbeeld Kabelsystemen B.V.", "NL", caps=("electronics-manufacturing",)),
    # SCENARIO control chain: Dutch company -> Dutch holding -> Chinese group
    Org("ex-nl-drives", "Voorbeeld Aandrijvingen B.V.", "NL", caps=("propulsion", "manufacturing"),
      controlled_by="ex-nl-holding", control_share=1.0),
    Org("ex-nl-holding", "Voorbeeld Industrie Holding B.V.", "NL", controlled_by="ex-cn-group",
      control_share=0.6),
    Org("ex-nl-composites", "Voorbeeld Composieten B.V.", "NL", caps=("composites", "aerospace-structures")),
    Org("ex-nl-batteries", "Voorbeeld Energieopslag B.V.", "NL", caps=("power-and-energy-storage",)),
    Org("ex-nl-machining", "Voorbeeld Precisietechniek B.V.", "NL", caps=("precision-machining",)),
    Org("ex-nl-crypto", "Voorbeeld Cryptografie B.V.", "NL", caps=("cyber", "communications"), defence=True),
    Org("ex-nl-semis", "Voorbeeld Halfgeleiders B.V.", "NL", caps=("electronics-manufacturing",)),
    Org("ex-nl-hydraulics", "Voorbeeld Hydrauliek B.V.", "NL", caps=("manufacturing",)),
    Org("ex-nl-boats", "Voorbeeld Vaartuigen B.V.", "NL", caps=("naval-shipbuilding",)),
    Org("ex-nl-chem", "Voorbeeld Chemie B.V.", "NL", caps=("manufacturing",)),
    Org("ex-nl-packaging", "Voorbeeld Verpakkingen B.V.", "NL", caps=("logistics",)),
    Org("ex-nl-filters", "Voorbeeld Filtratie B.V.", "NL", caps=("armour-and-protection",)),
    Org("ex-nl-propellers", "Voorbeeld Scheepsschroeven B.V.", "NL", caps=("propulsion",)),
    Org("ex-nl-fasteners", "Voorbeeld Bevestigingstechniek B.V.", "NL", caps=("manufacturing",)),
    # --- EU ---
    Org("ex-de-hf", "Beispiel Hochfrequenztechnik GmbH", "DE",
      caps=("radar", "electronics-manufacturing", "c4isr-electronics"), defence=True),
    Org("ex-de-engines", "Beispiel Motorenwerke GmbH", "DE", caps=("propulsion",), defence=True),
    Org("ex-de-steel", "Beispiel Stahlwerk GmbH", "DE", caps=("manufacturing", "armour-and-protection")),
    Org("ex-de-propellant", "Beispiel Treibladungen GmbH", "DE", caps=("munitions-and-energetics",),
      defence=True),
    Org("ex-de-radio", "Beispiel Funksysteme GmbH", "DE", caps=("communications",), defence=True),
    Org("ex-de-fuze", "Beispiel Zündsysteme GmbH", "DE", caps=("munitions-and-energetics",), defence=True),
    Org("ex-de-power", "Beispiel Stromversorgung GmbH", "DE", caps=("power-and-energy-storage",)),
    Org("ex-de-passives", "Beispiel Bauelemente GmbH", "DE", caps=("electronics-manufacturing",)),
    Org("ex-de-pcb", "Beispiel Leiterplatten GmbH", "DE", caps=("electronics-manufacturing",)),
    Org("ex-de-semis", "Beispiel Leistungshalbleiter GmbH", "DE", caps=("electronics-manufacturing",)),
    Org("ex-de-foundry", "Beispiel Gießerei GmbH", "DE", caps=("manufacturing",)),
    Org("ex-de-gears", "Beispiel Getriebebau GmbH", "DE", caps=("propulsion", "land-vehicles")),
    Org("ex-de-computers", "Beispiel Industrierechner GmbH", "DE", caps=("c4isr-electronics",)),
    Org("ex-de-chem", "Beispiel Chemie AG", "DE", caps=("manufacturing",)),
    Org("ex-de-laser", "Beispiel Lasertechnik GmbH", "DE", caps=("optronics",)),
    Org("ex-de-ceramics", "Beispiel Schutzkeramik GmbH", "DE", caps=("armour-and-protection",)),
    Org("ex-fr-signal", "Exemple Traitement du Signal SAS", "FR",
      caps=("c4isr-electronics", "radar"), defence=True),
    Org("ex-fr-fpga", "Exemple Circuits Programmables SAS", "FR", caps=("electronics-manufacturing",)),
    Org("ex-fr-optronique", "Exemple Optronique Groupe SA", "FR", caps=("optronics", "space"),
      defence=True),
    Org("ex-fr-mmic", "Exemple Semi-conducteurs Hyperfréquences SAS", "FR",
      caps=("electronics-manufacturing", "radar")),
    Org("ex-fr-connectors", "Exemple Connectique SAS", "FR", caps=("electronics-manufacturing",)),
    Org("ex-fr-tyres", "Exemple Pneumatiques Défense SAS", "FR", caps=("land-vehicles",)),
    Org("ex-fr-space", "Exemple Systèmes Spatiaux SAS", "FR", caps=("space",), defence=True),
    Org("ex-be-powder", "Exemple Poudres et Explosifs SA", "BE", caps=("munitions-and-energetics",),
      defence=True),
    Org("ex-be-germanium", "Exemple Germanium Recyclage SA", "BE", caps=("manufacturing",)),
    Org("ex-se-steel", "Exempel Stål AB", "SE", caps=("manufacturing", "armour-and-protection")),
    Org("ex-se-antenna", "Exempel Antennteknik AB", "SE", caps=("radar",), defence=True),
    Org("ex-se-bearings", "Exempel Kullager AB", "SE", caps=("precision-machining",)),
    Org("ex-se-carbide", "Exempel Hårdmetall AB", "SE", caps=("manufacturing",)),
    Org("ex-pl-forge", "Przykład Kuźnia Sp. z o.o.", "PL", caps=("munitions-and-energetics", "manufacturing"),
      defence=True),
    Org("ex-pl-shipyard", "Przykład Stocznia S.A.", "PL", caps=("naval-shipbuilding",)),
    Org("ex-pl-cables", "Przykład Kable Sp. z o.o.", "PL", caps=("electronics-manufacturing",)),
    Org("ex-pl-explosives", "Przykład Materiały Wybuchowe S.A.", "PL", caps=("munitions-and-energetics",),
      defence=True),
    Org("ex-cz-machining", "Příklad Strojírny a.s.", "CZ", caps=("precision-machining",)),
    Org("ex-cz-optics", "Příklad Optika s.r.o.", "CZ", caps=("optronics",)),
    Org("ex-cz-motors", "Příklad Elektromotory a.s.", "CZ", caps=("manufacturing",)),
    Org("ex-it-naval", "Esempio Propulsione Navale S.p.A.", "IT", caps=("propulsion", "naval-shipbuilding"),
      defence=True),
    Org("ex-it-hydraulics", "Esempio Oleodinamica S.p.A.", "IT", caps=("manufacturing",)),
    Org("ex-fi-power", "Esimerkki Voimatekniikka Oy", "FI", caps=("power-and-energy-storage", "propulsion")),
    Org("ex-fi-suspension", "Esimerkki Jousitus Oy", "FI", caps=("land-vehicles",)),
    Org("ex-es-defensa", "Ejemplo Sistemas de Defensa S.A.", "ES", caps=("weapon-systems",), defence=True),
    # --- NATO, not EU ---
    Org("ex-us-comms", "Example Communications Holdings Inc.", "US", caps=("communications",),
      defence=True),
    Org("ex-us-fpga", "Example Logic Semiconductor Inc.", "US", caps=("electronics-manufacturing",)),
    Org("ex-us-ir", "Example Infrared Detectors Inc.", "US", caps=("optronics",), defence=True),
    Org("ex-us-ir2", "Example Thermal Sensing LLC", "US", caps=("optronics",), defence=True),
    Org("ex-us-engines", "Example Powertrain Corporation", "US", caps=("propulsion", "land-vehicles"),
      defence=True),
    Org("ex-us-epi", "Example Epitaxy Inc.", "US", caps=("electronics-manufacturing",)),
    Org("ex-us-mmic", "Example Microwave Monolithics Inc.", "US", caps=("electronics-manufacturing", "radar")),
    Org("ex-us-networks", "Example Tactical Networks Inc.", "US", caps=("c4isr-electronics",)),
    Org("ex-us-passives", "Example Capacitor Corporation", "US", caps=("electronics-manufacturing",)),
    Org("ex-us-connectors", "Example Interconnect Inc.", "US", caps=("electronics-manufacturing",)),
    Org("ex-us-cpu", "Example Processor Corporation", "US", caps=("electronics-manufacturing",)),
    Org("ex-us-rfic", "Example RF Semiconductors Inc.", "US", caps=("electronics-manufacturing",)),
    Org("ex-us-stabilizer", "Example Stabilization Systems Inc.", "US", caps=("weapon-systems",),
      defence=True),
    Org("ex-us-space", "Example Orbital Systems Inc.", "US", caps=("space",), defence=True),
    Org("ex-us-borates", "Example Borates Corporation", "US"),
    Org("ex-us-ceramics", "Example Armor Ceramics Inc.", "US", caps=("armour-and-protection",)),
    Org("ex-us-coal", "Example Metallurgical Coal LLC", "US"),
    Org("ex-gb-marine", "Example Marine Propulsion Ltd", "GB", caps=("propulsion",), defence=True),
    Org("ex-gb-displays", "Example Rugged Displays Ltd", "GB", caps=("c4isr-electronics",)),
    Org("ex-gb-sliprings", "Example Slip Rings Ltd", "GB", caps=("manufacturing",)),
    Org("ex-no-defence", "Eksempel Forsvarskonsern AS", "NO",
      caps=("weapon-systems", "munitions-and-energetics", "guided-weapons"), defence=True),
    Org("ex-no-cranes", "Eksempel Kraner AS", "NO", caps=("naval-shipbuilding",)),
    Org("ex-no-navigation", "Eksempel Navigasjon AS", "NO", caps=("c4isr-electronics",)),
    Org("ex-no-silicon", "Eksempel Silisium AS", "NO"),
    Org("ex-tr-defence", "Örnek Savunma Sanayi A.Ş.", "TR", caps=("land-vehicles", "munitions-and-energetics"),
      defence=True),
    Org("ex-tr-mining", "Örnek Madencilik A.Ş.", "TR"),
    Org("ex-tr-fasteners", "Örnek Bağlantı Elemanları A.Ş.", "TR", caps=("manufacturing",)),
    Org("ex-ca-nickel", "Example Nickel Refining Canada Ltd.", "CA"),
    # --- outside the EU and NATO ---
    Org("ex-cn-group", "Example Industrial Group Co., Ltd.", "CN", caps=("manufacturing",)),
    Org("ex-cn-gallium", "Example Gallium Refining Co., Ltd.", "CN"),
    Org("ex-cn-raremetals", "Example Rare Metals Co., Ltd.", "CN"),
    Org("ex-cn-germanium", "Example Germanium Materials Co., Ltd.", "CN"),
    Org("ex-cn-magnets", "Example Magnet Materials Co., Ltd.", "CN"),
    Org("ex-cn-cells", "Example Battery Technology Co., Ltd.", "CN", caps=("power-and-energy-storage",)),
    Org("ex-cn-graphite", "Example Graphite Mining Co., Ltd.", "CN"),
    Org("ex-cn-anode", "Example Anode Materials Co., Ltd.", "CN"),
    Org("ex-cn-tungsten", "Example Tungsten Co., Ltd.", "CN"),
    Org("ex-cn-antimony", "Example Antimony Smelting Co., Ltd.", "CN"),
    Org("ex-cn-strategic", "Example Strategic Metals Co., Ltd.", "CN"),
    Org("ex-cn-rareearths", "Example Rare Earth Group Co., Ltd.", "CN"),
    Org("ex-cn-pcb", "Example Circuit Boards Co., Ltd.", "CN", caps=("electronics-manufacturing",)),
    Org("ex-cn-chem", "Example Fine Chemicals Co., Ltd.", "CN"),
    Org("ex-cn-sic", "Example Silicon Carbide Co., Ltd.", "CN"),
    Org("ex-cn-electronics", "Example Electronic Components Co., Ltd.", "CN",
      caps=("electronics-manufacturing",)),
    Org("ex-ch-semis", "Beispiel Halbleiter AG", "CH", caps=("electronics-manufacturing",)),
    Org("ex-ch-turbo", "Beispiel Turbolader AG", "CH", caps=("propulsion",)),
    Org("ex-jp-mems", "Example Micro Devices K.K.", "JP", caps=("electronics-manufacturing",)),
    Org("ex-jp-magnets", "Example Magnetics K.K.", "JP"),
    Org("ex-jp-epi", "Example Compound Semiconductor K.K.", "JP", caps=("electronics-manufacturing",)),
    Org("ex-jp-anode", "Example Carbon Materials K.K.", "JP"),
    Org("ex-jp-passives", "Example Passive Components K.K.", "JP", caps=("electronics-manufacturing",)),
    Org("ex-jp-engines", "Example Engines K.K.", "JP", caps=("propulsion",)),
    Org("ex-jp-marine", "Example Marine Electronics K.K.", "JP", caps=("c4isr-electronics",)),
    Org("ex-jp-optics", "Example Optical Glass K.K.", "JP", caps=("optronics",)),
    Org("ex-jp-chem", "Example Battery Chemicals K.K.", "JP"),
    Org("ex-kr-cells", "Example Energy Solutions Co., Ltd.", "KR", caps=("power-and-energy-storage",)),
    Org("ex-kr-cathode", "Example Cathode Materials Co., Ltd.", "KR"),
    Org("ex-kr-displays", "Example Display Co., Ltd.", "KR", caps=("electronics-manufacturing",)),
    Org("ex-kr-memory", "Example Memory Co., Ltd.", "KR", caps=("electronics-manufacturing",)),
    Org("ex-kr-foundry", "Example Semiconductor Foundry Co., Ltd.", "KR", caps=("electronics-manufacturing",)),
    Org("ex-kr-tungsten", "Example Tungsten Korea Co., Ltd.", "KR"),
    Org("ex-tw-foundry", "Example Foundry Corporation", "TW", caps=("electronics-manufacturing",)),
    Org("ex-tw-electronics", "Example Electronics Manufacturing Corporation", "TW",
      caps=("electronics-manufacturing",)),
    Org("ex-il-thermal", "Example Thermal Imaging Ltd", "IL", caps=("optronics",), defence=True),
    # --- raw-material miners and refiners ---
    Org("ex-cd-cobalt", "Example Cobalt Mining SARL", "CD"),
    Org("ex-cd-tantalum", "Example Coltan Mining SARL", "CD"),
    Org("ex-rw-tantalum", "Example Tantalum Rwanda Ltd", "RW"),
    Org("ex-cl-lithium", "Ejemplo Litio SpA", "CL"),
    Org("ex-cl-copper", "Ejemplo Cobre SpA", "CL"),
    Org("ex-au-lithium", "Example Lithium Pty Ltd", "AU"),
    Org("ex-au-rareearths", "Example Rare Earths Pty Ltd", "AU"),
    Org("ex-au-mining", "Example Resources Pty Ltd", "AU"),
    Org("ex-za-manganese", "Example Manganese Mining (Pty) Ltd", "ZA"),
    Org("ex-za-vanadium", "Example Vanadium (Pty) Ltd", "ZA"),
    Org("ex-br-niobium", "Exemplo Nióbio Mineração Ltda.", "BR"),
    Org("ex-br-mining", "Exemplo Mineração S.A.", "BR"),
    Org("ex-mz-graphite", "Example Graphite Mozambique Lda.", "MZ"),
    Org("ex-id-nickel", "Example Nickel Indonesia PT", "ID"),
    Org("ex-gn-bauxite", "Example Bauxite Guinée SA", "GN"),
    Org("ex-mx-fluorspar", "Ejemplo Fluorita S.A. de C.V.", "MX"),
    Org("ex-th-rubber", "Example Rubber Thailand Co., Ltd.", "TH"),
    Org("ex-my-rubber", "Example Rubber Malaysia Sdn. Bhd.", "MY"),
    Org("ex-at-tungsten", "Beispiel Wolfram GmbH", "AT"),
]

SITES: list[Site] = [
    Site("ex-radar-works", "Voorbeeld Radar Systemen radar works", "ex-nl-radar", "NL"),
    Site("ex-shipyard", "Voorbeeld Scheepswerf shipyard", "ex-nl-shipyard", "NL"),
    Site("ex-vehicle-plant", "Voorbeeld Voertuigtechniek vehicle plant", "ex-nl-vehicles", "NL"),
    Site("ex-munitions-plant", "Voorbeeld Munitie loading plant", "ex-nl-munitions", "NL"),
    # SCENARIO site SPOF: one energetics park hosts both propellant-charge producers
    Site("ex-energetics-park", "Voorbeeld Energetica energetics park", "ex-nl-energetics", "NL"),
    Site("ex-optronics-plant", "Voorbeeld Optronica plant", "ex-nl-optronics", "NL"),
    Site("ex-optics-nl", "Voorbeeld Optiek plant Netherlands", "ex-nl-optics", "NL"),
    # SCENARIO Dutch company with a site abroad
    Site("ex-optics-pl", "Voorbeeld Optiek plant Poland", "ex-nl-optics", "PL"),
    Site("ex-comms-plant", "Voorbeeld Communicatie radio plant", "ex-nl-comms", "NL"),
    Site("ex-radio-plant-de", "Beispiel Funksysteme radio plant", "ex-de-radio", "DE"),
    # SCENARIO site without a country: takes its supplier's country (NL)
    Site("ex-fuze-works", "Voorbeeld Ontstekers fuze works", "ex-nl-fuze", None),
    Site("ex-forge-nl", "Voorbeeld Smederij forge", "ex-nl-forge", "NL"),
    Site("ex-forge-pl", "Przykład Kuźnia forge", "ex-pl-forge", "PL"),
]

# ----------------------------------------------------------------------------------------------
# Items, bills of materials and supply relations
# ----------------------------------------------------------------------------------------------

S = Sup
M = "Material"
ITEMS: list[Item] = [
    # ======================= S1 naval surveillance radar =======================
    Item("ex-naval-radar", "Example naval surveillance radar NS-100", "System", "5840", stock=0,
         demand=1, realises=("radar",), nl_name="Voorbeeld marine-surveillanceradar NS-100",
         parts=(("ex-radar-antenna-array", 1), ("ex-radar-signal-cabinet", 1), ("ex-radar-psu", 2),
                ("ex-radar-cooling-unit", 1), ("ex-radar-pedestal", 1), ("ex-radar-cable-set", 1)),
         sups=(S("ex-nl-radar", 1.0, site="ex-radar-works", rec=365, lead=540, conf="Disclosed"),)),
    Item("ex-radar-antenna-array", "Active phased-array antenna face", "Component", "5985", stock=20,
         parts=(("ex-tr-module", 48), ("ex-antenna-backplane", 1), ("ex-radome", 1),
                ("ex-beamformer-board", 4), ("ex-rf-cable-assembly", 48), ("ex-antenna-frame", 1)),
         sups=(S("ex-nl-antenna", 0.6), S("ex-se-antenna", 0.4))),
    Item("ex-tr-module", "X-band transmit/receive module", "Component", "5840", stock=25,
         parts=(("ex-gan-mmic", 1), ("ex-lna-mmic", 1), ("ex-trm-housing", 1), ("ex-ceramic-capacitor", 12),
                ("ex-rf-circulator", 1)),
         sups=(S("ex-nl-radar", 0.55, site="ex-radar-works"), S("ex-de-hf", 0.4))),
    Item("ex-gan-mmic", "GaN power-amplifier MMIC", "Component", "5962", stock=30, export=("EUDualUse",),
         parts=(("ex-gan-epi-wafer", 0.02),),
         sups=(S("ex-us-mmic", 0.5), S("ex-fr-mmic", 0.45))),
    Item("ex-lna-mmic", "GaAs low-noise amplifier MMIC", "Component", "5962", stock=30,
         parts=(("ex-gaas-wafer", 0.01),),
         sups=(S("ex-us-mmic", 0.5), S("ex-fr-mmic", 0.3))),
    Item("ex-gaas-wafer", "GaAs epitaxial wafer", M, "5961", stock=45,
         parts=(("crm-gallium", 0.001), ("crm-arsenic", 0.001)),
         sups=(S("ex-jp-epi", 0.5), S("ex-us-epi", 0.4))),
    Item("ex-gan-epi-wafer", "GaN-on-SiC epitaxial wafer", M, "5961", stock=45,
         parts=(("ex-sic-substrate", 1), ("crm-gallium", 0.002)),
         sups=(S("ex-us-epi", 0.5), S("ex-jp-epi", 0.4))),
    Item("ex-sic-substrate", "Silicon carbide substrate", M, "5961", stock=60,
         sups=(S("ex-cn-sic", 0.5), S("ex-us-epi", 0.3))),
    Item("ex-trm-housing", "T/R module housing (machined)", "Component", "5840", stock=30,
         parts=(("ex-aluminium-plate", 0.002),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-ceramic-capacitor", "Multilayer ceramic capacitor", "Component", "5910", stock=90,
         sups=(S("ex-jp-passives", 0.5), S("ex-de-passives", 0.3), S("ex-cn-electronics", 0.15))),
    Item("ex-rf-circulator", "RF circulator", "Component", "5985", stock=40,
         sups=(S("ex-de-hf", 0.5), S("ex-us-mmic", 0.3))),
    Item("ex-antenna-backplane", "Antenna RF backplane", "Component", "5998", stock=20,
         parts=(("ex-pcb-bare", 1), ("ex-rf-connector", 96), ("ex-ceramic-capacitor", 200)),
         sups=(S("ex-nl-boards", 0.6), S("ex-de-hf", 0.3))),
    # SCENARIO single source: the radome comes only from Voorbeeld Composieten
    Item("ex-radome", "Radar radome", "Component", "5985", stock=60,
         parts=(("ex-glass-fibre-prepreg", 20),),
         sups=(S("ex-nl-composites", 1.0, rec=120),)),
    Item("ex-glass-fibre-prepreg", "Glass-fibre prepreg", M, "9330", stock=60,
         sups=(S("ex-de-ceramics", 0.3), S("ex-cn-chem", 0.4), S("ex-nl-composites", 0.2))),
    Item("ex-beamformer-board", "Digital beamformer board", "Component", "5998", stock=20,
         parts=(("ex-pcb-bare", 1), ("ex-rf-switch", 8), ("ex-ceramic-capacitor", 40)),
         sups=(S("ex-nl-boards", 0.5), S("ex-de-hf", 0.5))),
    Item("ex-rf-switch", "RF switch IC", "Component", "5962", stock=40,
         sups=(S("ex-us-mmic", 0.4), S("ex-fr-mmic", 0.4))),
    Item("ex-rf-cable-assembly", "RF cable assembly", "Component", "5995", stock=30,
         parts=(("ex-copper-wire", 2), ("ex-rf-connector", 2)),
         sups=(S("ex-nl-cables", 0.5), S("ex-pl-cables", 0.4))),
    Item("ex-rf-connector", "RF coaxial connector", "Component", "5935", stock=90,
         parts=(("crm-copper", 0.01),),
         sups=(S("ex-fr-connectors", 0.5), S("ex-us-connectors", 0.4))),
    Item("ex-copper-wire", "Copper wire (per 100 m)", M, "6145", stock=60,
         parts=(("crm-copper", 1),),
         sups=(S("ex-pl-cables", 0.4), S("ex-nl-cables", 0.2), S("ex-cn-electronics", 0.3))),
    Item("ex-antenna-frame", "Antenna support frame", "Component", "5985", stock=30,
         parts=(("ex-aluminium-plate", 0.2),),
         sups=(S("ex-nl-machining", 0.6), S("ex-cz-machining", 0.3))),
    Item("ex-aluminium-plate", "Aluminium plate (per tonne)", M, "9535", stock=45,
         parts=(("crm-bauxite-alumina-and-aluminium", 1),),
         sups=(S("ex-de-foundry", 0.4), S("ex-no-silicon", 0.3), S("ex-cn-strategic", 0.2))),
    # SCENARIO hidden shared sub-supplier: two "independent" cabinet makers (NL, FR) each need their
    # own processing board (supplier-specific input), and both boards need the same ADC chip from
    # one Swiss maker -- a tier-3 single point of failure behind a dual-sourced tier-1.
    Item("ex-radar-signal-cabinet", "Radar signal-processing cabinet", "Component", "5840", stock=10,
         parts=(("ex-cabinet-enclosure", 1), ("ex-ethernet-switch", 1), ("ex-cable-harness", 1)),
         sups=(S("ex-nl-signal", 0.5, inputs=("ex-proc-board-a",)),
               S("ex-fr-signal", 0.5, inputs=("ex-proc-board-b",)))),
    # SCENARIO export control with an alternative path: board A needs the US FPGA (EAR); the
    # French cabinet route uses board B with a European FPGA.
    Item("ex-proc-board-a", "Signal-processing board, type A", "Component", "5998", stock=10,
         parts=(("ex-adc-chip", 4), ("ex-fpga-us", 2), ("ex-pcb-bare", 1), ("ex-ceramic-capacitor", 150)),
         sups=(S("ex-nl-boards", 1.0),)),
    Item("ex-proc-board-b", "Signal-processing board, type B", "Component", "5998", stock=15,
         parts=(("ex-adc-chip", 4), ("ex-fpga-eu", 2), ("ex-pcb-bare", 1), ("ex-ceramic-capacitor", 150)),
         sups=(S("ex-de-hf", 1.0),)),
    Item("ex-adc-chip", "Radar-grade high-speed ADC", "Component", "5962", stock=20,
         sups=(S("ex-ch-semis", 1.0, rec=240, conf="Assumed"),)),
    Item("ex-fpga-us", "High-end FPGA (US origin)", "Component", "5962", stock=30, export=("EAR",),
         sups=(S("ex-us-fpga", 1.0),)),
    Item("ex-fpga-eu", "Radiation-tolerant FPGA (EU origin)", "Component", "5962", stock=30,
         sups=(S("ex-fr-fpga", 1.0),)),
    Item("ex-pcb-bare", "Bare multilayer printed circuit board", "Component", "5998", stock=30,
         parts=(("crm-copper", 0.05), ("ex-glass-fibre-prepreg", 0.1)),
         sups=(S("ex-de-pcb", 0.5), S("ex-cn-pcb", 0.4))),
    Item("ex-ethernet-switch", "Rugged Ethernet switch", "Component", "5895", stock=30,
         parts=(("ex-pcb-bare", 1), ("ex-switch-asic", 1)),
         sups=(S("ex-us-networks", 0.6), S("ex-de-hf", 0.3))),
    Item("ex-switch-asic", "Ethernet switch ASIC", "Component", "5962", stock=40,
         sups=(S("ex-tw-foundry", 0.7), S("ex-kr-foundry", 0.2))),
    Item("ex-cabinet-enclosure", "19-inch cabinet enclosure", "Component", "5975", stock=30,
         parts=(("ex-aluminium-plate", 0.1), ("ex-fastener-kit", 1)),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-fastener-kit", "Fastener kit", "Component", "5305", stock=120,
         sups=(S("ex-nl-fasteners", 0.45), S("ex-tr-fasteners", 0.2, valid_to="2025-03-31"),
               S("ex-cn-electronics", 0.3))),
    Item("ex-cable-harness", "Cable harness", "Component", "6150", stock=30,
         parts=(("ex-copper-wire", 5), ("ex-mil-connector", 6)),
         sups=(S("ex-nl-cables", 0.6), S("ex-pl-cables", 0.3))),
    Item("ex-mil-connector", "Circular military connector", "Component", "5935", stock=60,
         parts=(("crm-copper", 0.05),),
         sups=(S("ex-fr-connectors", 0.5), S("ex-us-connectors", 0.4))),
    # SCENARIO expired evidence: the German PSU source's relation ended on 2025-09-30
    Item("ex-radar-psu", "Radar power supply unit", "Component", "6130", stock=20,
         parts=(("ex-power-converter-board", 2), ("ex-tantalum-capacitor", 24), ("ex-heat-sink", 1),
                ("ex-psu-enclosure", 1)),
         sups=(S("ex-nl-power", 0.6), S("ex-de-power", 0.35, valid_to="2025-09-30", conf="Disclosed"))),
    Item("ex-power-converter-board", "Power converter board", "Component", "5998", stock=20,
         parts=(("ex-pcb-bare", 1), ("ex-power-mosfet", 8), ("ex-tantalum-capacitor", 10),
                ("ex-magnetics-transformer", 2)),
         sups=(S("ex-nl-power", 0.5), S("ex-nl-boards", 0.4))),
    Item("ex-power-mosfet", "Power MOSFET", "Component", "5961", stock=60,
         parts=(("ex-silicon-wafer", 0.01),),
         sups=(S("ex-de-semis", 0.5), S("ex-jp-passives", 0.4))),
    Item("ex-silicon-wafer", "Silicon wafer", M, "5961", stock=60,
         parts=(("crm-silicon-metal", 0.2),),
         sups=(S("ex-de-semis", 0.4), S("ex-jp-epi", 0.4))),
    Item("ex-tantalum-capacitor", "Tantalum capacitor", "Component", "5910", stock=60,
         parts=(("crm-tantalum", 0.002),),
         sups=(S("ex-us-passives", 0.5), S("ex-de-passives", 0.4))),
    Item("ex-magnetics-transformer", "Power transformer", "Component", "5950", stock=40,
         parts=(("ex-copper-wire", 0.5), ("ex-ferrite-core", 1)),
         sups=(S("ex-nl-power", 0.4), S("ex-cz-motors", 0.5))),
    Item("ex-ferrite-core", "Ferrite core", "Component", "5950", stock=60,
         parts=(("crm-manganese", 0.01),),
         sups=(S("ex-cn-electronics", 0.6), S("ex-de-passives", 0.3))),
    Item("ex-heat-sink", "Heat sink", "Component", "5999", stock=40,
         parts=(("ex-aluminium-plate", 0.02),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-psu-enclosure", "Power supply enclosure", "Component", "6130", stock=40,
         parts=(("ex-aluminium-plate", 0.05),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.5))),
    # SCENARIO single source with unknown recovery time
    Item("ex-radar-cooling-unit", "Radar liquid-cooling unit", "Component", "4130", stock=15,
         parts=(("ex-coolant-pump", 2), ("ex-heat-exchanger", 1), ("ex-coolant-glycol", 1),
                ("ex-coolant-piping", 1)),
         sups=(S("ex-nl-cooling", 1.0, no_rec=True),)),
    Item("ex-coolant-pump", "Coolant pump", "Component", "4320", stock=30,
         parts=(("ex-electric-motor", 1),),
         sups=(S("ex-it-hydraulics", 0.35), S("ex-nl-hydraulics", 0.6))),
    Item("ex-electric-motor", "Small electric motor", "Component", "6105", stock=30,
         parts=(("ex-copper-wire", 0.5),),
         sups=(S("ex-cz-motors", 0.5), S("ex-cn-electronics", 0.4))),
    Item("ex-heat-exchanger", "Plate heat exchanger", "Component", "4420", stock=30,
         parts=(("crm-copper", 0.01), ("ex-aluminium-plate", 0.01)),
         sups=(S("ex-nl-cooling", 0.5), S("ex-it-hydraulics", 0.4))),
    # SCENARIO data gap: no supplier, no components (a shapes Warning)
    Item("ex-coolant-glycol", "Coolant (glycol-water mix)", M, "6850", stock=90),
    Item("ex-coolant-piping", "Coolant piping set", "Component", "4710", stock=40,
         sups=(S("ex-nl-cooling", 0.4), S("ex-de-foundry", 0.5))),
    Item("ex-radar-pedestal", "Radar pedestal and drive", "Component", "5840", stock=20,
         parts=(("ex-servo-motor", 2), ("ex-precision-bearing", 2), ("ex-slip-ring", 1),
                ("ex-pedestal-casting", 1)),
         sups=(S("ex-nl-machining", 0.6), S("ex-cz-machining", 0.3))),
    Item("ex-servo-motor", "Servo motor with permanent magnets", "Component", "6105", stock=30,
         parts=(("ex-ndfeb-magnet", 8), ("ex-copper-wire", 1)),
         sups=(S("ex-nl-drives", 0.6), S("ex-cz-motors", 0.3))),
    Item("ex-ndfeb-magnet", "NdFeB permanent magnet", "Component", "6105", stock=45,
         parts=(("srm-rare-earth-elements-for-permanent-magnets", 0.05),),
         sups=(S("ex-cn-magnets", 0.6), S("ex-jp-magnets", 0.35))),
    # SCENARIO cycle through inputs: the Dutch bearing maker needs Dutch steel bar, and the Dutch
    # steel mill needs precision bearings for its rolling mill; both items have other sources.
    Item("ex-precision-bearing", "Precision roller bearing", "Component", "3110", stock=60,
         sups=(S("ex-nl-bearings", 0.45, inputs=("ex-bearing-steel-bar",)), S("ex-se-bearings", 0.45))),
    Item("ex-bearing-steel-bar", "Bearing-steel bar", M, "9510", stock=45,
         parts=(("ex-steel-slab", 1),),
         sups=(S("ex-nl-steel", 0.4, inputs=("ex-precision-bearing",)), S("ex-se-steel", 0.5))),
    Item("ex-slip-ring", "Slip ring", "Component", "5977", stock=40,
         sups=(S("ex-gb-sliprings", 0.7), S("ex-de-gears", 0.3))),
    Item("ex-pedestal-casting", "Pedestal casting", "Component", "5840", stock=40,
         parts=(("ex-steel-slab", 0.3),),
         sups=(S("ex-de-foundry", 0.6), S("ex-pl-forge", 0.3))),
    # assembled in house (no supply relation), only from components
    Item("ex-radar-cable-set", "Radar cable set (assembled in house)", "Component", "6150", stock=30,
         parts=(("ex-cable-harness", 4), ("ex-rf-cable-assembly", 6))),

    # ======================= S2 offshore patrol vessel =======================
    Item("ex-patrol-vessel", "Example offshore patrol vessel", "System", "1905", stock=0,
         demand=0.25, realises=("naval-shipbuilding",), nl_name="Voorbeeld oceaanpatrouilleschip",
         parts=(("ex-naval-radar", 1), ("ex-hull-block", 14), ("ex-main-diesel-engine", 2),
                ("ex-shaft-line", 2), ("ex-gearbox-marine", 2), ("ex-generator-set", 3),
                ("ex-cms-console", 4), ("ex-tactical-radio", 6), ("ex-remote-weapon-station", 1),
                ("ex-deck-crane", 1), ("ex-hvac-unit", 2), ("ex-rhib", 2), ("ex-ship-cable-set", 1),
                ("ex-navigation-radar", 2), ("ex-integrated-bridge", 1)),
         sups=(S("ex-nl-shipyard", 1.0, site="ex-shipyard", rec=540, lead=1095, conf="Disclosed"),)),
    Item("ex-hull-block", "Hull block", "Component", "1990", stock=0,
         parts=(("ex-ship-steel-plate", 25), ("ex-welding-consumables", 1), ("ex-fastener-kit", 4)),
         sups=(S("ex-nl-shipyard", 0.6, site="ex-shipyard"), S("ex-pl-shipyard", 0.4))),
    Item("ex-ship-steel-plate", "Ship-building steel plate (per tonne)", M, "9515", stock=30,
         parts=(("ex-steel-slab", 1.05),),
         sups=(S("ex-de-steel", 0.5), S("ex-se-steel", 0.3), S("ex-nl-steel", 0.2))),
    Item("ex-steel-slab", "Steel slab (per tonne)", M, "9640", stock=20,
         parts=(("crm-coking-coal", 0.8), ("crm-manganese", 0.01), ("ex-iron-ore", 1.5)),
         sups=(S("ex-nl-steel", 0.5), S("ex-de-steel", 0.4))),
    Item("ex-iron-ore", "Iron ore (per tonne)", M, "9610", stock=30,
         sups=(S("ex-au-mining", 0.5), S("ex-br-mining", 0.4))),
    Item("ex-welding-consumables", "Welding consumables", M, "3439", stock=60,
         sups=(S("ex-se-carbide", 0.4), S("ex-de-chem", 0.4))),
    Item("ex-main-diesel-engine", "Main propulsion diesel engine", "Component", "2815", stock=0,
         parts=(("ex-turbocharger", 2), ("ex-engine-block-casting", 1), ("ex-fuel-injection-system", 1),
                ("ex-engine-control-unit", 1), ("ex-crankshaft", 1)),
         sups=(S("ex-it-naval", 0.5), S("ex-de-engines", 0.45))),
    Item("ex-turbocharger", "Turbocharger", "Component", "2950", stock=30,
         sups=(S("ex-ch-turbo", 0.5), S("ex-jp-engines", 0.4))),
    Item("ex-engine-block-casting", "Engine block casting", "Component", "2815", stock=30,
         parts=(("ex-steel-slab", 1), ("crm-magnesium", 0.01)),
         sups=(S("ex-de-foundry", 0.6), S("ex-it-naval", 0.3))),
    Item("ex-fuel-injection-system", "Common-rail fuel-injection system", "Component", "2910", stock=30,
         sups=(S("ex-de-engines", 0.5), S("ex-jp-engines", 0.4))),
    Item("ex-engine-control-unit", "Engine control unit", "Component", "5998", stock=30,
         parts=(("ex-pcb-bare", 1), ("ex-microcontroller", 2), ("ex-ceramic-capacitor", 80)),
         sups=(S("ex-de-engines", 0.5), S("ex-nl-power", 0.3))),
    Item("ex-microcontroller", "Automotive-grade microcontroller", "Component", "5962", stock=45,
         sups=(S("ex-nl-semis", 0.5), S("ex-jp-mems", 0.3), S("ex-tw-foundry", 0.15))),
    Item("ex-crankshaft", "Forged crankshaft", "Component", "2815", stock=30,
         parts=(("ex-alloy-steel-bar", 1),),
         sups=(S("ex-nl-forge", 0.4, site="ex-forge-nl"), S("ex-pl-forge", 0.4, site="ex-forge-pl"))),
    Item("ex-alloy-steel-bar", "Alloy-steel bar", M, "9510", stock=45,
         parts=(("ex-steel-slab", 1), ("crm-vanadium", 0.002)),
         sups=(S("ex-se-steel", 0.5), S("ex-de-steel", 0.4))),
    # SCENARIO single source whose stock covers its recovery (no exposure gap)
    Item("ex-shaft-line", "Propeller shaft line", "Component", "2010", stock=90,
         parts=(("ex-propeller", 1), ("ex-propeller-shaft", 1), ("ex-precision-bearing", 4),
                ("ex-shaft-seal", 2)),
         sups=(S("ex-gb-marine", 1.0, rec=60, conf="Disclosed"),)),
    Item("ex-propeller", "Controllable-pitch propeller", "Component", "2010", stock=60,
         parts=(("ex-nab-casting", 1),),
         sups=(S("ex-gb-marine", 0.5), S("ex-nl-propellers", 0.4))),
    Item("ex-nab-casting", "Nickel-aluminium bronze casting", "Component", "2010", stock=60,
         parts=(("crm-copper", 3), ("crm-bauxite-alumina-and-aluminium", 0.5)),
         sups=(S("ex-de-foundry", 0.5), S("ex-nl-propellers", 0.4))),
    Item("ex-propeller-shaft", "Propeller shaft", "Component", "2010", stock=60,
         parts=(("ex-alloy-steel-bar", 2),),
         sups=(S("ex-nl-forge", 0.5, site="ex-forge-nl"), S("ex-gb-marine", 0.4))),
    Item("ex-shaft-seal", "Shaft seal", "Component", "5330", stock=60,
         sups=(S("ex-se-bearings", 0.5), S("ex-it-hydraulics", 0.4))),
    Item("ex-gearbox-marine", "Marine reduction gearbox", "Component", "3010", stock=30,
         parts=(("ex-gear-set", 1), ("ex-precision-bearing", 6), ("ex-gearbox-casing", 1)),
         sups=(S("ex-de-gears", 0.6), S("ex-it-naval", 0.3))),
    Item("ex-gear-set", "Gear set", "Component", "3020", stock=30,
         parts=(("ex-alloy-steel-bar", 3),),
         sups=(S("ex-de-gears", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-gearbox-casing", "Gearbox casing", "Component", "3040", stock=30,
         parts=(("ex-steel-slab", 0.5),),
         sups=(S("ex-de-foundry", 0.6), S("ex-pl-forge", 0.3, site="ex-forge-pl"))),
    Item("ex-generator-set", "Diesel generator set", "Component", "6115", stock=20,
         parts=(("ex-diesel-engine-small", 1), ("ex-alternator", 1), ("ex-engine-control-unit", 1)),
         sups=(S("ex-fi-power", 0.5), S("ex-de-engines", 0.45))),
    Item("ex-diesel-engine-small", "Auxiliary diesel engine", "Component", "2815", stock=30,
         parts=(("ex-engine-block-casting", 1), ("ex-turbocharger", 1), ("ex-fuel-injection-system", 1)),
         sups=(S("ex-fi-power", 0.5), S("ex-jp-engines", 0.4))),
    Item("ex-alternator", "Alternator", "Component", "6115", stock=30,
         parts=(("ex-copper-wire", 10), ("ex-electrical-steel", 0.2)),
         sups=(S("ex-fi-power", 0.4), S("ex-cz-motors", 0.5))),
    Item("ex-electrical-steel", "Electrical steel (per tonne)", M, "9515", stock=45,
         parts=(("ex-steel-slab", 1), ("crm-silicon-metal", 0.03)),
         sups=(S("ex-de-steel", 0.4), S("ex-se-steel", 0.4))),
    Item("ex-cms-console", "Combat-management console", "Component", "7010", stock=20,
         parts=(("ex-rugged-display", 2), ("ex-rugged-computer", 1), ("ex-cable-harness", 1),
                ("ex-console-frame", 1)),
         sups=(S("ex-nl-radar", 0.5), S("ex-nl-signal", 0.4))),
    Item("ex-rugged-display", "Rugged display", "Component", "7025", stock=30,
         parts=(("ex-lcd-panel", 1), ("ex-display-driver-board", 1)),
         sups=(S("ex-gb-displays", 0.5), S("ex-nl-signal", 0.3))),
    Item("ex-lcd-panel", "LCD panel", "Component", "5980", stock=45,
         sups=(S("ex-kr-displays", 0.6), S("ex-tw-electronics", 0.3))),
    Item("ex-display-driver-board", "Display driver board", "Component", "5998", stock=30,
         parts=(("ex-pcb-bare", 1), ("ex-microcontroller", 1)),
         sups=(S("ex-nl-boards", 0.5), S("ex-de-hf", 0.3))),
    Item("ex-rugged-computer", "Rugged mission computer", "Component", "7021", stock=20,
         parts=(("ex-cpu-module", 1), ("ex-ssd-module", 1), ("ex-pcb-bare", 1), ("ex-computer-chassis", 1)),
         sups=(S("ex-nl-signal", 0.4), S("ex-de-computers", 0.5))),
    Item("ex-cpu-module", "Processor module", "Component", "5962", stock=30,
         sups=(S("ex-us-cpu", 0.6), S("ex-tw-electronics", 0.3))),
    Item("ex-ssd-module", "Solid-state storage module", "Component", "7050", stock=30,
         parts=(("ex-nand-flash", 4),),
         sups=(S("ex-kr-memory", 0.6), S("ex-tw-electronics", 0.3))),
    Item("ex-nand-flash", "NAND flash memory", "Component", "5962", stock=45,
         sups=(S("ex-kr-memory", 0.6), S("ex-cn-electronics", 0.3))),
    Item("ex-computer-chassis", "Computer chassis", "Component", "7021", stock=30,
         parts=(("ex-aluminium-plate", 0.05),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-console-frame", "Console frame", "Component", "7010", stock=30,
         parts=(("ex-aluminium-plate", 0.1),),
         sups=(S("ex-nl-machining", 0.5), S("ex-nl-shipyard", 0.3))),
    Item("ex-deck-crane", "Deck crane", "Component", "3950", stock=0,
         parts=(("ex-hydraulic-cylinder", 2), ("ex-hydraulic-power-unit", 1), ("ex-crane-boom", 1)),
         sups=(S("ex-nl-hydraulics", 0.5), S("ex-no-cranes", 0.45))),
    Item("ex-hydraulic-cylinder", "Hydraulic cylinder", "Component", "3040", stock=30,
         parts=(("ex-alloy-steel-bar", 0.5), ("ex-shaft-seal", 2)),
         sups=(S("ex-nl-hydraulics", 0.5), S("ex-it-hydraulics", 0.4))),
    Item("ex-hydraulic-power-unit", "Hydraulic power unit", "Component", "4320", stock=30,
         parts=(("ex-electric-motor", 1),),
         sups=(S("ex-nl-hydraulics", 0.6), S("ex-it-hydraulics", 0.3))),
    Item("ex-crane-boom", "Crane boom", "Component", "3950", stock=30,
         parts=(("ex-ship-steel-plate", 2),),
         sups=(S("ex-nl-shipyard", 0.4), S("ex-no-cranes", 0.5))),
    Item("ex-hvac-unit", "Shipboard HVAC unit", "Component", "4120", stock=20,
         parts=(("ex-compressor", 1), ("ex-heat-exchanger", 2), ("ex-electric-motor", 2)),
         sups=(S("ex-nl-cooling", 0.5), S("ex-it-hydraulics", 0.4))),
    Item("ex-compressor", "Refrigeration compressor", "Component", "4310", stock=30,
         sups=(S("ex-it-hydraulics", 0.4), S("ex-cz-motors", 0.4))),
    Item("ex-rhib", "Rigid-hull inflatable boat", "Component", "1940", stock=30,
         parts=(("ex-outboard-engine", 2), ("ex-rhib-hull", 1)),
         sups=(S("ex-nl-boats", 0.7), S("ex-no-cranes", 0.2))),
    Item("ex-outboard-engine", "Outboard engine", "Component", "2805", stock=30,
         sups=(S("ex-jp-engines", 0.6), S("ex-us-engines", 0.35))),
    Item("ex-rhib-hull", "RHIB composite hull", "Component", "1940", stock=30,
         parts=(("ex-glass-fibre-prepreg", 30),),
         sups=(S("ex-nl-boats", 0.6), S("ex-nl-composites", 0.3))),
    Item("ex-ship-cable-set", "Ship cable set (assembled in house)", "Component", "6150", stock=20,
         parts=(("ex-cable-harness", 30),)),
    Item("ex-navigation-radar", "Navigation radar (commercial)", "Component", "5840", stock=30,
         sups=(S("ex-jp-marine", 0.6), S("ex-no-navigation", 0.3))),
    Item("ex-integrated-bridge", "Integrated bridge system", "Component", "6605", stock=20,
         parts=(("ex-rugged-display", 4), ("ex-rugged-computer", 2)),
         sups=(S("ex-no-navigation", 0.5), S("ex-de-computers", 0.4))),

    # ======================= S3 8x8 armoured vehicle =======================
    Item("ex-armoured-vehicle", "Example 8x8 armoured vehicle", "System", "2355", stock=0, demand=4,
         realises=("land-vehicles",), nl_name="Voorbeeld 8x8 pantservoertuig",
         parts=(("ex-vehicle-hull", 1), ("ex-powerpack", 1), ("ex-driveline", 1), ("ex-suspension-unit", 8),
                ("ex-wheel-tyre", 8), ("ex-remote-weapon-station", 1), ("ex-tactical-radio", 2),
                ("ex-vehicle-battery-pack", 2), ("ex-vetronics-unit", 1), ("ex-add-on-armour-kit", 1),
                ("ex-vehicle-cable-set", 1), ("ex-driver-periscope", 3), ("ex-cbrn-filter-unit", 1)),
         use_only=("ex-driver-periscope", "ex-cbrn-filter-unit"),
         sups=(S("ex-nl-vehicles", 1.0, site="ex-vehicle-plant", rec=300, lead=365, conf="Disclosed"),)),
    Item("ex-vehicle-hull", "Armoured vehicle hull", "Component", "2510", stock=10,
         parts=(("ex-armour-steel-plate", 10), ("ex-welding-consumables", 2), ("ex-fastener-kit", 6)),
         sups=(S("ex-nl-vehicles", 0.5, site="ex-vehicle-plant"), S("ex-tr-defence", 0.4))),
    # SCENARIO critical raw material single point of failure: niobium for armour steel comes only
    # from one Brazilian miner (an organisation and a country single point of failure)
    Item("ex-armour-steel-plate", "Armour steel plate (per tonne)", M, "9515", stock=30,
         parts=(("ex-steel-slab", 1.1), ("crm-niobium", 0.001), ("srm-boron-metallurgy-grade", 0.0005)),
         sups=(S("ex-se-steel", 0.5), S("ex-de-steel", 0.4))),
    # SCENARIO failure pair: the powerpack comes from Germany or the US; either alone suffices
    Item("ex-powerpack", "Vehicle powerpack", "Component", "2815", stock=20,
         parts=(("ex-vehicle-diesel-engine", 1), ("ex-transmission", 1), ("ex-cooling-pack", 1),
                ("ex-engine-control-unit", 1)),
         sups=(S("ex-de-engines", 0.6, conf="Disclosed"), S("ex-us-engines", 0.4, conf="Disclosed"))),
    Item("ex-vehicle-diesel-engine", "Vehicle diesel engine", "Component", "2815", stock=20,
         parts=(("ex-engine-block-casting", 1), ("ex-turbocharger", 1), ("ex-fuel-injection-system", 1),
                ("ex-crankshaft", 1)),
         sups=(S("ex-de-engines", 0.5), S("ex-jp-engines", 0.4))),
    Item("ex-transmission", "Automatic transmission", "Component", "2520", stock=20,
         parts=(("ex-gear-set", 2), ("ex-precision-bearing", 8), ("ex-gearbox-casing", 1)),
         sups=(S("ex-de-gears", 0.5), S("ex-us-engines", 0.4))),
    Item("ex-cooling-pack", "Vehicle cooling pack", "Component", "2930", stock=20,
         parts=(("ex-heat-exchanger", 2), ("ex-electric-motor", 2)),
         sups=(S("ex-nl-cooling", 0.4), S("ex-it-hydraulics", 0.5))),
    Item("ex-driveline", "8x8 driveline", "Component", "2520", stock=20,
         parts=(("ex-axle", 4), ("ex-gear-set", 4)),
         sups=(S("ex-de-gears", 0.5), S("ex-tr-defence", 0.4))),
    Item("ex-axle", "Driven axle", "Component", "2530", stock=30,
         parts=(("ex-alloy-steel-bar", 1),),
         sups=(S("ex-tr-defence", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-suspension-unit", "Hydropneumatic suspension unit", "Component", "2530", stock=30,
         parts=(("ex-hydraulic-cylinder", 1), ("ex-coil-spring", 1)),
         sups=(S("ex-fi-suspension", 0.5), S("ex-nl-hydraulics", 0.4))),
    Item("ex-coil-spring", "Coil spring", "Component", "5360", stock=45,
         parts=(("ex-alloy-steel-bar", 0.3),),
         sups=(S("ex-fi-suspension", 0.4), S("ex-it-hydraulics", 0.3), S("ex-tr-fasteners", 0.2))),
    Item("ex-wheel-tyre", "Run-flat wheel and tyre", "Component", "2610", stock=30,
         parts=(("ex-natural-rubber", 30), ("ex-run-flat-insert", 1)),
         sups=(S("ex-fr-tyres", 0.6), S("ex-tr-defence", 0.3))),
    Item("ex-natural-rubber", "Natural rubber (per kg)", M, "9320", stock=60,
         sups=(S("ex-th-rubber", 0.5), S("ex-my-rubber", 0.4))),
    Item("ex-run-flat-insert", "Run-flat insert", "Component", "2610", stock=30,
         parts=(("ex-natural-rubber", 5),),
         sups=(S("ex-fr-tyres", 0.5), S("ex-tr-defence", 0.4))),
    # SCENARIO export control with an alternative path (ITAR): the Spanish route needs a US
    # stabiliser, the Norwegian route does not.
    Item("ex-remote-weapon-station", "Remote weapon station", "Component", "1005", stock=20,
         parts=(("ex-rws-sight", 1), ("ex-rws-mount", 1), ("ex-cable-harness", 1)),
         sups=(S("ex-no-defence", 0.6, conf="Disclosed"),
               S("ex-es-defensa", 0.3, inputs=("ex-gun-stabiliser",)))),
    Item("ex-gun-stabiliser", "Gun stabiliser (US origin)", "Component", "1220", stock=30,
         export=("ITAR",), sups=(S("ex-us-stabilizer", 1.0),)),
    Item("ex-rws-sight", "Weapon-station sight", "Component", "1240", stock=20,
         parts=(("ex-uncooled-ir-core", 1), ("ex-laser-rangefinder", 1)),
         sups=(S("ex-nl-optronics", 0.5, site="ex-optronics-plant"), S("ex-fr-optronique", 0.4))),
    Item("ex-uncooled-ir-core", "Uncooled thermal camera core", "Component", "5855", stock=30,
         parts=(("ex-microbolometer", 1),),
         sups=(S("ex-fr-optronique", 0.5), S("ex-il-thermal", 0.4))),
    Item("ex-microbolometer", "Microbolometer array", "Component", "5855", stock=45,
         sups=(S("ex-fr-optronique", 0.6), S("ex-cn-electronics", 0.3))),
    Item("ex-laser-rangefinder", "Laser rangefinder", "Component", "1240", stock=30,
         parts=(("ex-laser-diode", 1),),
         sups=(S("ex-de-laser", 0.5), S("ex-nl-optronics", 0.4))),
    Item("ex-laser-diode", "Pulsed laser diode", "Component", "5961", stock=45,
         parts=(("ex-gaas-wafer", 0.01),),
         sups=(S("ex-de-laser", 0.5), S("ex-jp-epi", 0.4))),
    Item("ex-rws-mount", "Weapon-station mount", "Component", "1005", stock=20,
         parts=(("ex-servo-motor", 2), ("ex-precision-bearing", 2), ("ex-slip-ring", 1)),
         sups=(S("ex-no-defence", 0.5), S("ex-es-defensa", 0.4))),
    # SCENARIO Dutch single source (batteries)
    Item("ex-vehicle-battery-pack", "Vehicle lithium-ion battery pack", "Component", "6140", stock=20,
         parts=(("ex-li-ion-cell", 96), ("ex-bms-board", 1), ("ex-battery-enclosure", 1)),
         sups=(S("ex-nl-batteries", 1.0, rec=90),)),
    Item("ex-li-ion-cell", "Lithium-ion cell", "Component", "6140", stock=45,
         parts=(("ex-cathode-nmc", 0.05), ("ex-anode-graphite", 0.03), ("ex-electrolyte", 0.02),
                ("ex-separator-film", 0.1)),
         sups=(S("ex-kr-cells", 0.6), S("ex-cn-cells", 0.35))),
    Item("ex-cathode-nmc", "NMC cathode material (per kg)", M, "6810", stock=60,
         parts=(("srm-lithium-battery-grade", 0.07), ("srm-nickel-battery-grade", 0.5), ("srm-cobalt", 0.1),
                ("srm-manganese-battery-grade", 0.1)),
         sups=(S("ex-kr-cathode", 0.6), S("ex-cn-strategic", 0.3))),
    Item("ex-anode-graphite", "Graphite anode material (per kg)", M, "6810", stock=60,
         parts=(("srm-graphite-battery-grade", 1),),
         sups=(S("ex-cn-anode", 0.6), S("ex-jp-anode", 0.3))),
    Item("ex-electrolyte", "Electrolyte (per kg)", M, "6810", stock=60,
         parts=(("srm-lithium-battery-grade", 0.01), ("crm-fluorspar", 0.01)),
         sups=(S("ex-jp-chem", 0.5), S("ex-cn-cells", 0.3))),
    Item("ex-separator-film", "Separator film (per m2)", M, "9330", stock=60,
         sups=(S("ex-jp-chem", 0.6), S("ex-kr-cells", 0.3))),
    Item("ex-bms-board", "Battery management board", "Component", "5998", stock=30,
         parts=(("ex-pcb-bare", 1), ("ex-microcontroller", 2), ("ex-power-mosfet", 4)),
         sups=(S("ex-nl-boards", 0.5), S("ex-nl-batteries", 0.4))),
    Item("ex-battery-enclosure", "Battery enclosure", "Component", "6140", stock=30,
         parts=(("ex-aluminium-plate", 0.02),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-vetronics-unit", "Vehicle electronics (vetronics) unit", "Component", "5895", stock=20,
         parts=(("ex-rugged-computer", 1), ("ex-rugged-display", 2), ("ex-ethernet-switch", 1),
                ("ex-cable-harness", 2)),
         sups=(S("ex-nl-signal", 0.5), S("ex-de-computers", 0.4))),
    Item("ex-add-on-armour-kit", "Add-on armour kit (assembled in house)", "Component", "2510", stock=20,
         parts=(("ex-ceramic-armour-tile", 40), ("ex-armour-steel-plate", 2))),
    Item("ex-ceramic-armour-tile", "Ceramic armour tile", "Component", "2510", stock=30,
         parts=(("ex-boron-carbide-powder", 0.5),),
         sups=(S("ex-de-ceramics", 0.5), S("ex-us-ceramics", 0.4))),
    Item("ex-boron-carbide-powder", "Boron carbide powder (per kg)", M, "6810", stock=60,
         parts=(("crm-boron", 0.8),),
         sups=(S("ex-cn-strategic", 0.6), S("ex-us-ceramics", 0.3))),
    Item("ex-vehicle-cable-set", "Vehicle cable set (assembled in house)", "Component", "6150", stock=20,
         parts=(("ex-cable-harness", 12),)),
    Item("ex-driver-periscope", "Driver periscope", "Component", "1240", stock=30,
         parts=(("ex-optical-glass", 2),),
         sups=(S("ex-nl-optics", 0.5, site="ex-optics-nl"), S("ex-cz-optics", 0.4))),
    Item("ex-optical-glass", "Optical glass blank", M, "6650", stock=60,
         parts=(("crm-light-rare-earth-elements", 0.001),),
         sups=(S("ex-de-laser", 0.3), S("ex-jp-optics", 0.5))),
    Item("ex-cbrn-filter-unit", "CBRN filter unit", "Component", "4240", stock=30,
         parts=(("ex-activated-carbon", 2),),
         sups=(S("ex-nl-filters", 0.6), S("ex-fi-power", 0.3))),
    Item("ex-activated-carbon", "Impregnated activated carbon (per kg)", M, "6810", stock=60,
         sups=(S("ex-jp-anode", 0.4), S("ex-cn-strategic", 0.5))),

    # ======================= S4 155 mm artillery round =======================
    Item("ex-155mm-round", "Example 155 mm high-explosive artillery round", "System", "1320", stock=15,
         demand=1500, realises=("munitions-and-energetics",), nl_name="Voorbeeld 155mm-brisantgranaat",
         parts=(("ex-projectile-body", 1), ("ex-he-fill", 10.8), ("ex-fuze", 1), ("ex-propellant-charge", 1),
                ("ex-primer", 1), ("ex-rotating-band", 1), ("ex-ammo-packaging", 1), ("ex-lifting-plug", 1)),
         sups=(S("ex-nl-munitions", 1.0, site="ex-munitions-plant", cap=2500, rec=180, lead=180,
                 conf="Disclosed"),)),
    # SCENARIO capacity bottleneck: two forges, 600 + 500 shell bodies a month, for a demand of 1500
    Item("ex-projectile-body", "155 mm projectile body (forged and machined)", "Component", "1320", stock=20,
         parts=(("ex-shell-steel-billet", 1),),
         sups=(S("ex-nl-forge", 0.5, cap=600, site="ex-forge-nl", rec=120, conf="Disclosed"),
               S("ex-pl-forge", 0.4, cap=500, site="ex-forge-pl", rec=150, conf="Inferred"))),
    Item("ex-shell-steel-billet", "Shell-steel billet", M, "9640", stock=30,
         parts=(("ex-steel-slab", 0.06),),
         sups=(S("ex-de-steel", 0.5), S("ex-se-steel", 0.3), S("ex-nl-steel", 0.2))),
    Item("ex-he-fill", "High-explosive fill, Composition B (per kg)", M, "1376", stock=30,
         parts=(("ex-rdx", 0.6), ("ex-tnt", 0.4)),
         sups=(S("ex-nl-energetics", 0.5, site="ex-energetics-park"), S("ex-be-powder", 0.4))),
    Item("ex-tnt", "TNT (per kg)", M, "1376", stock=45,
         parts=(("ex-toluene", 1.5), ("ex-nitric-acid", 1)),
         sups=(S("ex-pl-explosives", 0.6), S("ex-be-powder", 0.3))),
    Item("ex-rdx", "RDX (per kg)", M, "1376", stock=45,
         parts=(("ex-nitric-acid", 2), ("ex-hexamine", 1)),
         sups=(S("ex-nl-energetics", 0.4, site="ex-energetics-park"), S("ex-pl-explosives", 0.3),
               S("ex-de-propellant", 0.2))),
    Item("ex-nitric-acid", "Nitric acid (per kg)", M, "6810", stock=30,
         sups=(S("ex-nl-chem", 0.6), S("ex-de-chem", 0.3))),
    Item("ex-hexamine", "Hexamine (per kg)", M, "6810", stock=30,
         sups=(S("ex-de-chem", 0.5), S("ex-cn-chem", 0.4))),
    Item("ex-toluene", "Toluene (per kg)", M, "6810", stock=30,
         sups=(S("ex-nl-chem", 0.5), S("ex-de-chem", 0.4))),
    # SCENARIO stock-vs-recovery gap along one path: round <- fuze <- safety & arming device <-
    # MEMS chip from one Japanese maker (recovery 365 days; stock 10 + 20 + 30 + 15 = 75 days)
    Item("ex-fuze", "Multi-option artillery fuze", "Component", "1390", stock=30,
         parts=(("ex-fuze-sad", 1), ("ex-fuze-electronics", 1), ("ex-fuze-body", 1), ("ex-fuze-battery", 1)),
         sups=(S("ex-nl-fuze", 1.0, cap=3000, site="ex-fuze-works", rec=120, conf="Disclosed"),)),
    Item("ex-fuze-sad", "Fuze safety and arming device", "Component", "1390", stock=20,
         parts=(("ex-mems-sad-chip", 1), ("ex-micro-detonator", 1)),
         sups=(S("ex-de-fuze", 1.0, rec=150, conf="Inferred"),)),
    Item("ex-mems-sad-chip", "MEMS safety-and-arming chip", "Component", "5962", stock=10,
         sups=(S("ex-jp-mems", 1.0, rec=365, conf="Inferred"),)),
    Item("ex-micro-detonator", "Micro-detonator", "Component", "1390", stock=30,
         sups=(S("ex-pl-explosives", 0.5), S("ex-nl-energetics", 0.4, site="ex-energetics-park"))),
    Item("ex-fuze-electronics", "Fuze electronics board", "Component", "5998", stock=30,
         parts=(("ex-pcb-bare", 1), ("ex-microcontroller", 1), ("ex-tantalum-capacitor", 4)),
         sups=(S("ex-nl-boards", 0.4), S("ex-nl-semis", 0.3), S("ex-de-fuze", 0.2))),
    Item("ex-fuze-body", "Fuze body (machined)", "Component", "1390", stock=30,
         parts=(("ex-aluminium-plate", 0.002),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-fuze-battery", "Fuze reserve battery", "Component", "6135", stock=45,
         parts=(("srm-lithium-battery-grade", 0.001),),
         sups=(S("ex-nl-batteries", 0.4), S("ex-kr-cells", 0.4))),
    # SCENARIO site single point of failure: both propellant-charge producers use one park
    Item("ex-propellant-charge", "Modular propellant charge set", "Component", "1320", stock=20,
         parts=(("ex-nc-propellant", 2), ("ex-combustible-case", 1)),
         sups=(S("ex-nl-energetics", 0.5, site="ex-energetics-park", rec=200, conf="Disclosed"),
               S("ex-de-propellant", 0.45, site="ex-energetics-park", rec=200, conf="Inferred"))),
    Item("ex-nc-propellant", "Nitrocellulose propellant (per kg)", M, "1376", stock=30,
         parts=(("ex-nitrocellulose", 0.9),),
         sups=(S("ex-be-powder", 0.6), S("ex-de-propellant", 0.3))),
    Item("ex-nitrocellulose", "Nitrocellulose (per kg)", M, "6810", stock=30,
         parts=(("ex-cotton-linters", 1),),
         sups=(S("ex-be-powder", 0.5), S("ex-de-chem", 0.4))),
    Item("ex-cotton-linters", "Cotton linters (per kg)", M, "8305", stock=60,
         sups=(S("ex-tr-mining", 0.3), S("ex-cn-chem", 0.6))),
    Item("ex-combustible-case", "Combustible cartridge case", "Component", "1320", stock=30,
         parts=(("ex-nitrocellulose", 0.3),),
         sups=(S("ex-de-propellant", 0.5, site="ex-energetics-park"), S("ex-be-powder", 0.4))),
    Item("ex-primer", "Percussion primer", "Component", "1390", stock=45,
         parts=(("ex-antimony-trisulfide", 0.001),),
         sups=(S("ex-nl-energetics", 0.4, site="ex-energetics-park"), S("ex-tr-defence", 0.5))),
    Item("ex-antimony-trisulfide", "Antimony trisulfide (per kg)", M, "6810", stock=60,
         parts=(("crm-antimony", 1),),
         sups=(S("ex-cn-antimony", 0.6), S("ex-tr-mining", 0.3))),
    Item("ex-rotating-band", "Copper rotating band", "Component", "1320", stock=45,
         parts=(("crm-copper", 0.001),),
         sups=(S("ex-nl-forge", 0.4, site="ex-forge-nl"), S("ex-pl-cables", 0.5))),
    Item("ex-ammo-packaging", "Ammunition packaging", "Component", "8140", stock=45,
         sups=(S("ex-nl-packaging", 0.6), S("ex-pl-explosives", 0.3))),
    Item("ex-lifting-plug", "Lifting plug", "Component", "1320", stock=45,
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),

    # ======================= S5 thermal weapon sight =======================
    Item("ex-thermal-sight", "Example cooled thermal weapon sight", "System", "5855", stock=10, demand=40,
         realises=("optronics",), nl_name="Voorbeeld gekoeld warmtebeeldvizier",
         parts=(("ex-ir-camera-core", 1), ("ex-germanium-lens", 3), ("ex-oled-microdisplay", 1),
                ("ex-sight-housing", 1), ("ex-sight-electronics", 1), ("ex-sight-battery-pack", 1),
                ("ex-eyepiece-optics", 1)),
         sups=(S("ex-nl-optronics", 1.0, site="ex-optronics-plant", rec=240, lead=270, conf="Disclosed"),)),
    Item("ex-ir-camera-core", "Cooled MWIR camera core", "Component", "5855", stock=20,
         export=("EUDualUse",),
         parts=(("ex-ir-detector", 1), ("ex-cryocooler", 1), ("ex-proximity-electronics", 1)),
         sups=(S("ex-nl-optronics", 0.6, site="ex-optronics-plant"), S("ex-fr-optronique", 0.4))),
    # SCENARIO export control without alternative path (ITAR) and a country single point of
    # failure (US) without an organisation single point of failure: two US detector makers
    Item("ex-ir-detector", "Cooled MWIR focal-plane array (US origin)", "Component", "5855", stock=30,
         export=("ITAR",),
         parts=(("ex-readout-ic", 1), ("ex-detector-dewar", 1)),
         sups=(S("ex-us-ir", 0.7, conf="Disclosed", rec=270), S("ex-us-ir2", 0.3, conf="none", rec=300))),
    Item("ex-readout-ic", "Readout integrated circuit", "Component", "5962", stock=30,
         sups=(S("ex-us-ir", 0.5), S("ex-tw-foundry", 0.4))),
    Item("ex-detector-dewar", "Detector dewar", "Component", "5855", stock=30,
         sups=(S("ex-us-ir2", 0.5), S("ex-fr-optronique", 0.4))),
    Item("ex-cryocooler", "Linear cryocooler", "Component", "4130", stock=30,
         parts=(("ex-ndfeb-magnet", 2),),
         sups=(S("ex-fr-optronique", 0.6), S("ex-il-thermal", 0.3))),
    Item("ex-proximity-electronics", "Camera proximity electronics", "Component", "5998", stock=30,
         parts=(("ex-pcb-bare", 1), ("ex-fpga-eu", 1)),
         sups=(S("ex-nl-boards", 0.5), S("ex-nl-optronics", 0.4))),
    # SCENARIO critical raw material: germanium. The Belgian blank maker looks like a European
    # alternative, but both blank makers need germanium, refined only in China.
    Item("ex-germanium-lens", "Germanium objective lens", "Component", "6650", stock=30,
         parts=(("ex-germanium-blank", 1),),
         sups=(S("ex-nl-optics", 0.6, site="ex-optics-pl"), S("ex-cz-optics", 0.3))),
    Item("ex-germanium-blank", "Germanium lens blank", M, "6650", stock=45,
         parts=(("crm-germanium", 0.2),),
         sups=(S("ex-cn-germanium", 0.6), S("ex-be-germanium", 0.3))),
    Item("ex-oled-microdisplay", "OLED microdisplay", "Component", "5980", stock=30,
         sups=(S("ex-kr-displays", 0.5), S("ex-tw-electronics", 0.4))),
    Item("ex-sight-housing", "Sight housing", "Component", "1240", stock=30,
         parts=(("ex-aluminium-plate", 0.01),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-sight-electronics", "Sight main electronics board", "Component", "5998", stock=30,
         parts=(("ex-pcb-bare", 1), ("ex-microcontroller", 1), ("ex-ceramic-capacitor", 60)),
         sups=(S("ex-nl-boards", 0.6), S("ex-de-hf", 0.3))),
    Item("ex-sight-battery-pack", "Sight battery pack", "Component", "6140", stock=30,
         parts=(("ex-li-ion-cell", 4),),
         sups=(S("ex-nl-batteries", 0.5), S("ex-kr-cells", 0.4))),
    Item("ex-eyepiece-optics", "Eyepiece optics", "Component", "6650", stock=30,
         parts=(("ex-optical-glass", 1),),
         sups=(S("ex-nl-optics", 0.5, site="ex-optics-nl"), S("ex-cz-optics", 0.4))),

    # ======================= S6 tactical radio =======================
    Item("ex-tactical-radio", "Example tactical software-defined radio", "System", "5820", stock=20,
         demand=200, realises=("communications",), nl_name="Voorbeeld tactische software-defined radio",
         parts=(("ex-radio-rf-frontend", 1), ("ex-radio-baseband-board", 1), ("ex-crypto-module", 1),
                ("ex-radio-housing", 1), ("ex-radio-battery", 2), ("ex-radio-antenna", 1),
                ("ex-radio-keypad-display", 1)),
         # SCENARIO failure pair at system level: a Dutch and a German radio maker
         sups=(S("ex-nl-comms", 0.6, site="ex-comms-plant", rec=180, conf="Disclosed"),
               S("ex-de-radio", 0.4, site="ex-radio-plant-de", rec=180, conf="Disclosed"))),
    Item("ex-radio-rf-frontend", "Radio RF front end", "Component", "5998", stock=20,
         parts=(("ex-rf-transceiver-ic", 1), ("ex-gan-mmic", 2)),
         sups=(S("ex-de-hf", 0.5), S("ex-us-comms", 0.4))),
    Item("ex-rf-transceiver-ic", "RF transceiver IC", "Component", "5962", stock=45,
         sups=(S("ex-us-rfic", 0.6), S("ex-de-semis", 0.3))),
    Item("ex-radio-baseband-board", "Radio baseband board", "Component", "5998", stock=20,
         parts=(("ex-pcb-bare", 1), ("ex-fpga-eu", 1), ("ex-dsp-chip", 1), ("ex-ceramic-capacitor", 120)),
         sups=(S("ex-nl-boards", 0.5), S("ex-de-hf", 0.5))),
    Item("ex-dsp-chip", "Digital signal processor", "Component", "5962", stock=45,
         sups=(S("ex-us-rfic", 0.5), S("ex-tw-foundry", 0.4))),
    Item("ex-crypto-module", "Type-approved crypto module", "Component", "5810", stock=60,
         export=("EUDualUse",),
         parts=(("ex-crypto-asic", 1), ("ex-pcb-bare", 1)),
         sups=(S("ex-nl-crypto", 1.0, rec=200, conf="Disclosed"),)),
    Item("ex-crypto-asic", "Crypto ASIC", "Component", "5962", stock=90,
         sups=(S("ex-nl-semis", 1.0, rec=365, conf="Inferred"),)),
    Item("ex-radio-housing", "Radio housing (magnesium)", "Component", "5820", stock=30,
         parts=(("srm-magnesium-metal", 0.5),),
         sups=(S("ex-nl-machining", 0.5), S("ex-cz-machining", 0.4))),
    Item("ex-radio-battery", "Radio battery", "Component", "6140", stock=30,
         parts=(("ex-li-ion-cell", 6),),
         sups=(S("ex-nl-batteries", 0.5), S("ex-kr-cells", 0.4))),
    Item("ex-radio-antenna", "Whip antenna", "Component", "5985", stock=45,
         parts=(("ex-copper-wire", 0.1), ("ex-rf-connector", 1)),
         sups=(S("ex-nl-antenna", 0.5), S("ex-se-antenna", 0.4))),
    Item("ex-radio-keypad-display", "Radio keypad and display", "Component", "5820", stock=30,
         parts=(("ex-lcd-panel", 1),),
         sups=(S("ex-kr-displays", 0.5), S("ex-nl-comms", 0.3))),

    # ======================= supplier-specific inputs =======================
    Item("ex-carbide-tooling", "Tungsten-carbide cutting tools (set)", "Component", "3455", stock=60,
         parts=(("crm-tungsten", 0.01),),
         sups=(S("ex-se-carbide", 0.5), S("ex-cn-tungsten", 0.4))),

    # ======================= critical raw materials (reference items; fictional suppliers) ======
    Item("crm-gallium", sups=(S("ex-cn-gallium", 0.6, conf="Inferred"), S("ex-cn-raremetals", 0.3))),
    Item("crm-arsenic", sups=(S("ex-cn-raremetals", 0.5), S("ex-be-germanium", 0.2))),
    Item("crm-germanium", sups=(S("ex-cn-germanium", 0.7, conf="Inferred"), S("ex-cn-strategic", 0.2))),
    Item("crm-copper", sups=(S("ex-cl-copper", 0.5), S("ex-cd-cobalt", 0.25), S("ex-au-mining", 0.15))),
    Item("crm-bauxite-alumina-and-aluminium",
         sups=(S("ex-gn-bauxite", 0.5), S("ex-au-mining", 0.4))),
    Item("crm-silicon-metal", sups=(S("ex-cn-strategic", 0.6), S("ex-no-silicon", 0.3))),
    Item("crm-tantalum", sups=(S("ex-cd-tantalum", 0.5), S("ex-rw-tantalum", 0.3))),
    Item("crm-manganese", sups=(S("ex-za-manganese", 0.6), S("ex-au-mining", 0.3))),
    Item("crm-coking-coal", sups=(S("ex-au-mining", 0.6), S("ex-us-coal", 0.3))),
    Item("crm-magnesium", sups=(S("ex-cn-strategic", 0.8), S("ex-tr-mining", 0.1))),
    Item("crm-vanadium", sups=(S("ex-za-vanadium", 0.5), S("ex-cn-strategic", 0.4))),
    Item("crm-niobium", sups=(S("ex-br-niobium", 1.0, conf="Disclosed", rec=365),)),
    Item("crm-boron", sups=(S("ex-tr-mining", 0.7), S("ex-us-borates", 0.25))),
    Item("crm-fluorspar", sups=(S("ex-mx-fluorspar", 0.5), S("ex-cn-strategic", 0.4))),
    Item("crm-light-rare-earth-elements", sups=(S("ex-cn-rareearths", 0.7), S("ex-au-rareearths", 0.2))),
    Item("crm-antimony", sups=(S("ex-cn-antimony", 0.7), S("ex-tr-mining", 0.2))),
    Item("crm-tungsten", sups=(S("ex-cn-tungsten", 0.7), S("ex-at-tungsten", 0.2),
                               S("ex-kr-tungsten", 0.05, valid_to="2025-06-30"))),
    Item("srm-rare-earth-elements-for-permanent-magnets",
         sups=(S("ex-cn-rareearths", 0.7), S("ex-au-rareearths", 0.15))),
    Item("srm-boron-metallurgy-grade", sups=(S("ex-tr-mining", 0.7), S("ex-us-borates", 0.25))),
    Item("srm-lithium-battery-grade",
         sups=(S("ex-cl-lithium", 0.5), S("ex-au-lithium", 0.3), S("ex-cn-strategic", 0.15))),
    Item("srm-nickel-battery-grade", sups=(S("ex-id-nickel", 0.6), S("ex-ca-nickel", 0.3))),
    Item("srm-cobalt", sups=(S("ex-cd-cobalt", 0.7), S("ex-cn-strategic", 0.2))),
    Item("srm-manganese-battery-grade", sups=(S("ex-za-manganese", 0.6), S("ex-cn-strategic", 0.3))),
    Item("srm-graphite-battery-grade", sups=(S("ex-cn-graphite", 0.7), S("ex-mz-graphite", 0.2))),
    Item("srm-magnesium-metal", sups=(S("ex-cn-strategic", 0.8), S("ex-tr-mining", 0.1))),
]

# Every relation of the Dutch precision-machining company needs carbide tooling (a supplier-specific
# input that brings tungsten into many supply chains).
MACHINING_INPUT = ("ex-nl-machining", "ex-carbide-tooling")

PROJECTS: list[Project] = [
    # SCENARIO a capability Defence needs with no Dutch provider (space), and a project for it
    Project("ex-space-situational-awareness", "Example space situational awareness demonstrator",
            "Voorbeeld demonstrator ruimtesituatiebewustzijn", ("space",),
            ("ex-nl-radar", "ex-nl-institute", "ex-fr-space"),
            "Demonstrates a Dutch ground radar for tracking objects in orbit (fictional)."),
    Project("ex-shell-forging-scale-up", "Example 155 mm shell-body forging scale-up",
            "Voorbeeld opschaling smeden granaathulzen 155mm", ("munitions-and-energetics",),
            ("ex-nl-forge", "ex-nl-munitions", "ex-nl-fund"),
            "Adds a second forging line for 155 mm projectile bodies, the designed bottleneck (fictional)."),
    Project("ex-gallium-recovery", "Example gallium recovery pilot",
            "Voorbeeld proef terugwinning gallium", ("radar", "electronics-manufacturing"),
            ("ex-nl-institute", "ex-nl-semis", "ex-nl-radar"),
            "Recovers gallium from production scrap to reduce dependence on one country (fictional)."),
    Project("ex-guided-weapons-study", "Example guided-weapons production study",
            "Voorbeeld studie productie geleide wapens", ("guided-weapons",),
            ("ex-nl-institute", "ex-nl-energetics", "ex-no-defence"),
            "Studies Dutch production of guided-weapon subsystems (fictional)."),
]

SOURCES = (
    "Example Defence Industry Survey 2025 (fictional document)",
    "Example supplier declaration 2025 (fictional document)",
    "Example annual report 2024 (fictional document)",
    "Example trade-press article 'Scaling up in the Low Countries' (fictional document)",
    "Example analyst estimate 2025 (fictional document)",
)
DATA_SOURCE = ("defport-kg fictional example industrial base (invented for demonstration; describes no real "
               "organisation or product)")

# NCAGE first letters per country, only to make the fictional codes look plausible.
NCAGE_LETTER = {"NL": "H", "DE": "D", "FR": "F", "GB": "K", "NO": "N", "BE": "B", "SE": "S",
                "PL": "P", "IT": "A", "ES": "E", "TR": "T", "CZ": "Z", "FI": "R", "IL": "I"}


# ----------------------------------------------------------------------------------------------
# Identifiers (fictional values in valid formats)
# ----------------------------------------------------------------------------------------------


def lei_check_digits(base18: str) -> str:
    """ISO 7064 MOD 97-10 check digits for an 18-character LEI base (ISO 17442)."""
    digits = "".join(str(int(ch, 36)) for ch in base18 + "00")
    return f"{98 - int(digits) % 97:02d}"


def lei_is_valid(lei: str) -> bool:
    if len(lei) != 20 or not lei.isalnum() or not lei[-2:].isdigit() or lei.upper() != lei:
        return False
    return int("".join(str(int(ch, 36)) for ch in lei)) % 97 == 1


def make_lei(key: str) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n = h("lei", key)
    body = ""
    for _ in range(12):
        n, r = divmod(n, 36)
        body += alphabet[r]
    base = "XMPL00" + body  # "XMPL": no real LEI issuer uses this prefix
    return base + lei_check_digits(base)


def make_kvk(key: str, used: set[str]) -> str:
    n = h("kvk", key) % 10_000_000
    while True:
        kvk = f"9{n:07d}"
        if kvk not in used:
            used.add(kvk)
            return kvk
        n = (n + 1) % 10_000_000


def make_ncage(org: Org, used: set[str]) -> str:
    letter = NCAGE_LETTER.get(org.country, "X")
    n = h("ncage", org.key) % 10_000
    while True:
        code = f"{letter}{n:04d}" if org.country != "US" else f"{n:04d}X"
        if code not in used:
            used.add(code)
            return code
        n = (n + 1) % 10_000


def make_nsn(item: Item, used: set[str]) -> str:
    n = h("nsn", item.key) % 10_000_000
    while True:
        serial = f"{n:07d}"
        nsn = f"{item.fsc}-17-{serial[:3]}-{serial[3:]}"
        if nsn not in used:
            used.add(nsn)
            return nsn
        n = (n + 1) % 10_000_000


# ----------------------------------------------------------------------------------------------
# Derived numbers
# ----------------------------------------------------------------------------------------------


def monthly_need(items: dict[str, Item]) -> dict[str, float]:
    """Units of each item needed a month when every system is made at its demand.

    Relations' inputs are counted for the share of the item their relation is expected to make.
    The fixed point converges because the one input cycle has a loop gain below 1.
    """
    need = {key: 0.0 for key in items}
    for _ in range(200):
        new = {key: (item.demand or 0.0) for key, item in items.items()}
        for item in items.values():
            for part, qty in item.parts:
                new[part] += need[item.key] * qty
            total = sum(s.share for s in item.sups) or 1.0
            for sup in item.sups:
                for inp in sup.inputs:
                    new[inp] += need[item.key] * sup.share / total
        if all(abs(new[k] - need[k]) < 1e-9 for k in need):
            break
        need = new
    return need


def nice(value: float) -> float:
    """Round a capacity to two significant digits (a plausible figure)."""
    if value <= 0:
        return 0.0
    exponent = math.floor(math.log10(value)) - 1
    return round(round(value / 10**exponent) * 10**exponent, 6)


def derived_capacity(item: Item, sup: Sup, need: float) -> float | None:
    """Capacity sized from demand: 1.3 to 2.4 times the relation's share of the need."""
    if sup.uncapacitated or item.key.startswith(("crm-", "srm-")) or need <= 0:
        return None
    total = sum(s.share for s in item.sups)
    factor = 1.3 + (h("cap", item.key, sup.org) % 111) / 100
    return max(nice(need * factor * sup.share / total), 0.01)


# ----------------------------------------------------------------------------------------------
# Turtle output
# ----------------------------------------------------------------------------------------------

_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    body = "".join(_ESC.get(ch, ch) for ch in text)
    if lang:
        return f'"{body}"@{lang}'
    if datatype:
        return f'"{body}"^^{datatype}'
    return f'"{body}"'


def dec(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if "." not in text:
        text += ".0"
    return f'"{text}"^^xsd:decimal'


def integer(value: int) -> str:
    return f'"{value}"^^xsd:integer'


def date(value: str) -> str:
    return f'"{value}"^^xsd:date'


def ref(kind: str, key: str) -> str:
    """A dpid: prefixed name; '/' must be escaped in Turtle local names."""
    return f"dpid:{kind}\\/{key}"


def block(subject: str, pairs: list[tuple[str, str]]) -> str:
    grouped: list[tuple[str, list[str]]] = []
    for predicate, obj in pairs:
        if grouped and grouped[-1][0] == predicate:
            grouped[-1][1].append(obj)
        else:
            grouped.append((predicate, [obj]))
    lines = [subject]
    for index, (predicate, objects) in enumerate(grouped):
        end = " ." if index == len(grouped) - 1 else " ;"
        lines.append(f"    {predicate} {', '.join(objects)}{end}")
    return "\n".join(lines) + "\n"


def anon(pairs: list[tuple[str, str]]) -> str:
    """An unnamed node as its own statement: ``[] p o ; p o .``"""
    return "[] " + " ;\n    ".join(f"{p} {o}" for p, o in pairs) + " .\n"


def fictional(name: str, lang: str = "en") -> str:
    return lit(f"{name} ({'fictief' if lang == 'nl' else 'fictional'})", lang)


HEADER = """\
# The example industrial base -- FICTIONAL (defport-kg example data)
# Generated by data/example/build_example.py; do not edit by hand (see data/README.md and
# data/example/SCENARIOS.md for the situations designed into it).
#
# Every organisation, site, item, supply relation and project here is invented and labelled
# "(fictional)" / "(fictief)". Identifiers have valid formats but are made up. Countries,
# capabilities, supply groups and critical raw materials are the real reference data, referred to
# by IRI only.

@prefix dp: <https://w3id.org/defport/ontology#> .
@prefix dpid: <https://w3id.org/defport/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""


def check(net: Network) -> None:
    """Refuse to write a network that breaks its own rules."""
    for item in net.items.values():
        total = sum(s.share for s in item.sups)
        assert total <= 1.0 + 1e-9, f"shares of {item.key} add up to {total}"
        orgs = [s.org for s in item.sups]
        assert len(orgs) == len(set(orgs)), f"{item.key} has two relations with one supplier"
        for part, qty in item.parts:
            assert part in net.items or part.startswith(("crm-", "srm-")), f"{item.key}: unknown {part}"
            assert qty > 0
        for sup in item.sups:
            assert sup.org in net.orgs, f"{item.key}: unknown supplier {sup.org}"
            assert sup.site is None or sup.site in net.sites, f"{item.key}: unknown site {sup.site}"
            for inp in sup.inputs:
                assert inp in net.items, f"{item.key}: unknown input {inp}"
    for org in net.orgs.values():
        assert org.controlled_by is None or org.controlled_by in net.orgs
    for site in net.sites.values():
        assert site.operator in net.orgs
    for project in net.projects:
        assert all(p in net.orgs for p in project.participants)


def build() -> str:
    net = Network(
        orgs={o.key: o for o in ORGS},
        sites={s.key: s for s in SITES},
        items={i.key: i for i in ITEMS},
        projects=list(PROJECTS),
    )
    assert len(net.orgs) == len(ORGS) and len(net.items) == len(ITEMS)
    # Supplier-specific input of every relation of the machining company.
    machinist, tooling = MACHINING_INPUT
    for item in net.items.values():
        item.sups = tuple(
            Sup(**{**s.__dict__, "inputs": (*s.inputs, tooling)}) if s.org == machinist else s
            for s in item.sups
        )
    check(net)
    need = monthly_need(net.items)

    out = [HEADER]
    kvks: set[str] = set()
    ncages: set[str] = set()
    nsns: set[str] = set()

    out.append("# --- Organisations ---\n\n")
    for org in net.orgs.values():
        pairs: list[tuple[str, str]] = [("a", f"dp:{org.kind}"), ("rdfs:label", fictional(org.name))]
        if org.country == "NL":
            pairs.append(("rdfs:label", fictional(org.nl_name or org.name, "nl")))
        pairs.append(("dp:country", ref("country", org.country)))
        if org.country == "NL" and org.kind != "GovernmentBody":
            pairs.append(("dp:kvkNumber", lit(make_kvk(org.key, kvks))))
        if org.lei and org.kind != "GovernmentBody":
            pairs.append(("dp:lei", lit(make_lei(org.key))))
        if org.defence:
            pairs.append(("dp:ncage", lit(make_ncage(org, ncages))))
        pairs += [("dp:hasCapability", ref("capability", c)) for c in org.caps]
        pairs += [("dp:needsCapability", ref("capability", c)) for c in org.needs]
        if org.controlled_by:
            pairs.append(("dp:controlledBy", ref("org", org.controlled_by)))
        pairs.append(("dcterms:source", lit(DATA_SOURCE)))
        out.append(block(ref("org", org.key), pairs) + "\n")
        if org.controlled_by:
            control = [("a", "dp:Control"),
                       ("rdfs:label", fictional(f"Control of {org.name} by {net.orgs[org.controlled_by].name}")),
                       ("dp:controlled", ref("org", org.key)),
                       ("dp:controller", ref("org", org.controlled_by))]
            if org.control_share is not None:
                control.append(("dp:controlShare", dec(org.control_share)))
            control.append(("dcterms:source", lit(SOURCES[2])))
            out.append(anon(control) + "\n")

    out.append("# --- Sites ---\n\n")
    for site in net.sites.values():
        pairs = [("a", "dp:Site"), ("rdfs:label", fictional(site.name))]
        if site.country:
            pairs.append(("dp:country", ref("country", site.country)))
        pairs += [("dp:operatedBy", ref("org", site.operator)), ("dcterms:source", lit(DATA_SOURCE))]
        out.append(block(ref("site", site.key), pairs) + "\n")

    out.append("# --- Items and bills of materials ---\n\n")
    for item in net.items.values():
        if not item.key.startswith("ex-"):
            continue
        pairs = [("a", f"dp:{item.cls}"), ("rdfs:label", fictional(item.name))]
        if item.nl_name:
            pairs.append(("rdfs:label", fictional(item.nl_name, "nl")))
        if item.fsc:
            pairs.append(("dp:nsn", lit(make_nsn(item, nsns))))
            pairs.append(("dp:supplyGroup", ref("fsg", item.fsc[:2])))
        pairs += [("dp:exportControl", f"dp:{regime}") for regime in item.export]
        if item.demand is not None:
            pairs.append(("dp:monthlyDemand", dec(item.demand)))
        pairs += [("dp:realises", ref("capability", c)) for c in item.realises]
        stock = item.stock
        if stock is not None and not item.no_stock:
            pairs.append(("dp:stockDays", dec(stock)))
        pairs += [("dp:hasComponent", ref("item", part)) for part, _ in item.parts
                  if part not in item.use_only]
        pairs.append(("dcterms:source", lit(DATA_SOURCE)))
        out.append(block(ref("item", item.key), pairs))
        # One dp:ComponentUse per BOM line, with the quantity per unit of the assembly.
        for part, qty in item.parts:
            out.append(anon([("a", "dp:ComponentUse"), ("dp:assembly", ref("item", item.key)),
                             ("dp:component", ref("item", part)), ("dp:quantity", dec(qty))]))
        out.append("\n")

    out.append("# --- Supply relations ---\n\n")
    for item in net.items.values():
        for sup in item.sups:
            key = f"ex-{item.key.removeprefix('ex-')}--{sup.org.removeprefix('ex-')}"
            supplier = net.orgs[sup.org]
            item_name = item.name or (
                item.key[4:].replace("-", " ")
                + (" (EU critical raw material)" if item.key.startswith("crm-") else " (EU strategic raw material)"))
            pairs = [("a", "dp:SupplyRelation"),
                     ("rdfs:label", fictional(f"{supplier.name} supplies {item_name}")),
                     ("dp:supplier", ref("org", sup.org)), ("dp:item", ref("item", item.key))]
            if sup.site:
                pairs.append(("dp:site", ref("site", sup.site)))
            pairs += [("dp:requiresInput", ref("item", inp)) for inp in sup.inputs]
            pairs.append(("dp:share", dec(sup.share)))
            cap = sup.cap if sup.cap is not None else derived_capacity(item, sup, need[item.key])
            if cap is not None:
                pairs.append(("dp:monthlyCapacity", dec(cap)))
            lead = sup.lead if sup.lead is not None else 14 + h("lead", key) % 352
            pairs.append(("dp:leadTimeDays", integer(lead)))
            rec = sup.rec if sup.rec is not None else 30 + h("rec", key) % 271
            if not sup.no_rec and (sup.rec is not None or h("norec", key) % 12):
                pairs.append(("dp:recoveryDays", integer(rec)))
            conf = sup.conf or ("Disclosed", "Disclosed", "Inferred", "Inferred", "Assumed")[h("c", key) % 5]
            if conf != "none":
                pairs.append(("dp:confidence", f"dp:{conf}"))
            source = sup.source or SOURCES[h("src", key) % len(SOURCES)]
            pairs.append(("dcterms:source", lit(source)))
            pairs.append(("dp:validFrom", date("2024-01-01" if sup.valid_to else "2025-01-01")))
            pairs.append(("dp:validTo", date(sup.valid_to or "2028-12-31")))
            out.append(block(ref("supply", key), pairs) + "\n")

    out.append("# --- Projects ---\n\n")
    for project in net.projects:
        pairs = [("a", "dp:Project"), ("rdfs:label", fictional(project.name)),
                 ("rdfs:label", fictional(project.nl_name, "nl")),
                 ("rdfs:comment", lit(project.description, "en"))]
        pairs += [("dp:addressesCapability", ref("capability", c)) for c in project.caps]
        pairs += [("dp:participant", ref("org", p)) for p in project.participants]
        pairs.append(("dcterms:source", lit(DATA_SOURCE)))
        out.append(block(ref("project", project.key), pairs) + "\n")
    return "".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default: {OUT})")
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    with args.out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
