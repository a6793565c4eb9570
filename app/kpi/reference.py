"""The reference taxonomies of the KPI library (issue 16), as in ../shared/research/kpi-events-federation.md §1–2,
and their idempotent loader (`flask kpi load-reference`).

Each scheme has an edition (its source) and a validity start; loading again changes nothing, and a changed label of
the same edition is updated in place (a new edition would be loaded with a new `valid_from`, closing the old rows).
The Italian SDG names are UNRIC's (marked "verify" in the research note); the English BES names are ISTAT's.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import ReferenceScheme, ReferenceTerm

LOCAL_EDITION = "D.Lgs. 118/2011, allegato 14 (ARCONET)"
STATE_EDITION = "Bilancio dello Stato, missioni RGS (2017)"
PIAO_EDITION = "DM 30 giugno 2022 n. 132, Piano-tipo"
BES_EDITION = "ISTAT BES dei territori"
SDG_EDITION = "Agenda 2030 (ONU)"
LOCAL_FROM = date(2015, 1, 1)
STATE_FROM = date(2017, 1, 1)
PIAO_FROM = date(2022, 9, 22)
BES_FROM = date(2013, 1, 1)
SDG_FROM = date(2015, 9, 25)

# (code, label, technical)
LOCAL_MISSIONS = [
    ('01', 'Servizi istituzionali, generali e di gestione', False),
    ('02', 'Giustizia', False),
    ('03', 'Ordine pubblico e sicurezza', False),
    ('04', 'Istruzione e diritto allo studio', False),
    ('05', 'Tutela e valorizzazione dei beni e delle attività culturali', False),
    ('06', 'Politiche giovanili, sport e tempo libero', False),
    ('07', 'Turismo', False),
    ('08', 'Assetto del territorio ed edilizia abitativa', False),
    ('09', "Sviluppo sostenibile e tutela del territorio e dell'ambiente", False),
    ('10', 'Trasporti e diritto alla mobilità', False),
    ('11', 'Soccorso civile', False),
    ('12', 'Diritti sociali, politiche sociali e famiglia', False),
    ('13', 'Tutela della salute', False),
    ('14', 'Sviluppo economico e competitività', False),
    ('15', 'Politiche per il lavoro e la formazione professionale', False),
    ('16', 'Agricoltura, politiche agroalimentari e pesca', False),
    ('17', 'Energia e diversificazione delle fonti energetiche', False),
    ('18', 'Relazioni con le altre autonomie territoriali e locali', False),
    ('19', 'Relazioni internazionali', False),
    ('20', 'Fondi e accantonamenti', True),
    ('50', 'Debito pubblico', True),
    ('60', 'Anticipazioni finanziarie', True),
    ('99', 'Servizi per conto terzi', True),
]

# (code, label)
STATE_MISSIONS = [
    ('001', 'Organi costituzionali, a rilevanza costituzionale e Presidenza del Consiglio dei ministri'),
    ('002', 'Amministrazione generale e supporto alla rappresentanza generale di Governo e dello Stato sul territorio'),
    ('003', 'Relazioni finanziarie con le autonomie territoriali'),
    ('004', "L'Italia in Europa e nel mondo"),
    ('005', 'Difesa e sicurezza del territorio'),
    ('006', 'Giustizia'),
    ('007', 'Ordine pubblico e sicurezza'),
    ('008', 'Soccorso civile'),
    ('009', 'Agricoltura, politiche agroalimentari e pesca'),
    ('010', 'Energia e diversificazione delle fonti energetiche'),
    ('011', 'Competitività e sviluppo delle imprese'),
    ('012', 'Regolazione dei mercati'),
    ('013', 'Diritto alla mobilità e sviluppo dei sistemi di trasporto'),
    ('014', 'Infrastrutture pubbliche e logistica'),
    ('015', 'Comunicazioni'),
    ('016', 'Commercio internazionale ed internazionalizzazione del sistema produttivo'),
    ('017', 'Ricerca e innovazione'),
    ('018', "Sviluppo sostenibile e tutela del territorio e dell'ambiente"),
    ('019', 'Casa e assetto urbanistico'),
    ('020', 'Tutela della salute'),
    ('021', 'Tutela e valorizzazione dei beni e attività culturali e paesaggistici'),
    ('022', 'Istruzione scolastica'),
    ('023', 'Istruzione universitaria e formazione post-universitaria'),
    ('024', 'Diritti sociali, politiche sociali e famiglia'),
    ('025', 'Politiche previdenziali'),
    ('026', 'Politiche per il lavoro'),
    ('027', 'Immigrazione, accoglienza e garanzia dei diritti'),
    ('028', 'Sviluppo e riequilibrio territoriale'),
    ('029', 'Politiche economico-finanziarie e di bilancio e tutela della finanza pubblica'),
    ('030', 'Giovani e sport'),
    ('031', 'Turismo'),
    ('032', 'Servizi istituzionali e generali delle amministrazioni pubbliche'),
    ('033', 'Fondi da ripartire'),
    ('034', 'Debito pubblico'),
]

# (code, Italian, English)
BES_DOMAINS = [
    ('BES_01', 'Salute', 'Health'),
    ('BES_02', 'Istruzione e formazione', 'Education and training'),
    ('BES_03', 'Lavoro e conciliazione dei tempi di vita', 'Work and life balance'),
    ('BES_04', 'Benessere economico', 'Economic well-being'),
    ('BES_05', 'Relazioni sociali', 'Social relationships'),
    ('BES_06', 'Politica e istituzioni', 'Politics and institutions'),
    ('BES_07', 'Sicurezza', 'Safety'),
    ('BES_08', 'Benessere soggettivo', 'Subjective well-being'),
    ('BES_09', 'Paesaggio e patrimonio culturale', 'Landscape and cultural heritage'),
    ('BES_10', 'Ambiente', 'Environment'),
    ('BES_11', 'Innovazione, ricerca e creatività', 'Innovation, research and creativity'),
    ('BES_12', 'Qualità dei servizi', 'Quality of services'),
]

# (number, English, Italian)
SDGS = [
    (1, 'No Poverty', 'Sconfiggere la povertà'),
    (2, 'Zero Hunger', 'Sconfiggere la fame'),
    (3, 'Good Health and Well-being', 'Salute e benessere'),
    (4, 'Quality Education', 'Istruzione di qualità'),
    (5, 'Gender Equality', 'Parità di genere'),
    (6, 'Clean Water and Sanitation', 'Acqua pulita e servizi igienico-sanitari'),
    (7, 'Affordable and Clean Energy', 'Energia pulita e accessibile'),
    (8, 'Decent Work and Economic Growth', 'Lavoro dignitoso e crescita economica'),
    (9, 'Industry, Innovation and Infrastructure', 'Imprese, innovazione e infrastrutture'),
    (10, 'Reduced Inequalities', 'Ridurre le disuguaglianze'),
    (11, 'Sustainable Cities and Communities', 'Città e comunità sostenibili'),
    (12, 'Responsible Consumption and Production', 'Consumo e produzione responsabili'),
    (13, 'Climate Action', 'Lotta contro il cambiamento climatico'),
    (14, 'Life Below Water', "Vita sott'acqua"),
    (15, 'Life on Land', 'Vita sulla terra'),
    (16, 'Peace, Justice and Strong Institutions', 'Pace, giustizia e istituzioni solide'),
    (17, 'Partnerships for the Goals', 'Partnership per gli obiettivi'),
]

# (code, label): the PIAO's sections, then its sub-sections (code "2.1" belongs to section "2"). The numbering is
# the Piano-tipo's as commonly used (the research note asks to verify it against the annex).
PIAO_SECTIONS = [
    ("1", "Scheda anagrafica dell'amministrazione"),
    ("2", "Valore pubblico, performance e anticorruzione"),
    ("3", "Organizzazione e capitale umano"),
    ("4", "Monitoraggio"),
]
PIAO_SUBSECTIONS = [
    ("2.1", "Valore pubblico"),
    ("2.2", "Performance"),
    ("2.3", "Rischi corruttivi e trasparenza"),
    ("3.1", "Struttura organizzativa"),
    ("3.2", "Organizzazione del lavoro agile"),
    ("3.3", "Piano triennale dei fabbisogni di personale"),
]


def _rows() -> list[dict]:
    """Every shipped term, as the loader's rows (parents before children)."""
    rows = [dict(scheme=ReferenceScheme.MISSION_LOCAL, code=code, label_it=label, technical=technical,
                 edition=LOCAL_EDITION, valid_from=LOCAL_FROM) for code, label, technical in LOCAL_MISSIONS]
    rows += [dict(scheme=ReferenceScheme.MISSION_STATE, code=code, label_it=label, edition=STATE_EDITION,
                  valid_from=STATE_FROM) for code, label in STATE_MISSIONS]
    rows += [dict(scheme=ReferenceScheme.PIAO_SECTION, code=code, label_it=label, edition=PIAO_EDITION,
                  valid_from=PIAO_FROM) for code, label in PIAO_SECTIONS]
    rows += [dict(scheme=ReferenceScheme.PIAO_SUBSECTION, code=code, label_it=label, edition=PIAO_EDITION,
                  valid_from=PIAO_FROM, parent=(ReferenceScheme.PIAO_SECTION, code.split(".")[0]))
             for code, label in PIAO_SUBSECTIONS]
    rows += [dict(scheme=ReferenceScheme.BES_DOMAIN, code=code, label_it=label, label_en=english,
                  edition=BES_EDITION, valid_from=BES_FROM) for code, label, english in BES_DOMAINS]
    rows += [dict(scheme=ReferenceScheme.SDG, code=str(number), label_it=italian, label_en=english,
                  edition=SDG_EDITION, valid_from=SDG_FROM) for number, english, italian in SDGS]
    return rows


def _upsert(rows: list[dict]) -> tuple[int, int]:
    """Insert new terms and update changed ones, matched by (scheme, code, valid_from); returns (added, updated)."""
    added = updated = 0
    existing = {(t.scheme, t.code, t.valid_from): t for t in db.session.execute(select(ReferenceTerm)).scalars()}
    position_by_scheme: dict[str, int] = {}
    pending = False  # new terms not flushed yet: flushed together (one INSERT), before a child needs their ids
    for row in rows:
        row = dict(row)
        parent_key = row.pop("parent", None)
        scheme = row["scheme"]
        position_by_scheme[scheme] = position_by_scheme.get(scheme, 0) + 1
        row.setdefault("label_en", "")
        row.setdefault("technical", False)
        row["position"] = position_by_scheme[scheme]
        if parent_key is not None:
            if pending:
                db.session.flush()
                pending = False
            parent = next((t for (s, c, _f), t in existing.items() if (s, c) == parent_key and t.valid_to is None),
                          None)
            row["parent_id"] = parent.id if parent else None
        key = (scheme, row["code"], row["valid_from"])
        term = existing.get(key)
        if term is None:
            term = ReferenceTerm(**row)
            db.session.add(term)
            pending = True
            existing[key] = term
            added += 1
        elif any(getattr(term, name) != value for name, value in row.items()):
            for name, value in row.items():
                setattr(term, name, value)
            updated += 1
    db.session.flush()
    return added, updated


def load_reference() -> tuple[int, int]:
    """Load the shipped taxonomies (idempotent) and commit; returns (added, updated)."""
    counts = _upsert(_rows())
    db.session.commit()
    return counts


PROGRAMME_FILE_COLUMNS = ("code", "label")


class ReferenceFileError(ValueError):
    """A programmes file that cannot be loaded; the message says which row and why."""


def load_programmes(path: Path, edition: str, valid_from: date = LOCAL_FROM) -> tuple[int, int]:
    """Load the programmes within the local missions from a CSV file with columns code (MMPP) and label; the
    mission is the code's first two digits and must be loaded. Nothing is saved if a row is wrong."""
    missions = {t.code: t for t in db.session.execute(select(ReferenceTerm).where(
        ReferenceTerm.scheme == ReferenceScheme.MISSION_LOCAL, ReferenceTerm.valid_to.is_(None))).scalars()}
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        delimiter = ";" if ";" in handle.readline() else ","  # BDAP files are ";"-separated
        handle.seek(0)
        reader = csv.DictReader(handle, delimiter=delimiter)
        for number, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip()
            label = (row.get("label") or "").strip()
            if len(code) != 4 or not code.isdigit() or code[:2] not in missions or not label:
                raise ReferenceFileError(f"riga {number}: codice MMPP di una missione caricata e descrizione richiesti")
            rows.append(dict(scheme=ReferenceScheme.PROGRAMME_LOCAL, code=code, label_it=label[:300],
                             edition=edition[:120], valid_from=valid_from, parent_id=missions[code[:2]].id))
    try:
        counts = _upsert(rows)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def terms(scheme: str, include_technical: bool = True) -> list[ReferenceTerm]:
    """The current terms of a scheme, in their order."""
    query = select(ReferenceTerm).where(ReferenceTerm.scheme == scheme, ReferenceTerm.valid_to.is_(None))
    if not include_technical:
        query = query.where(ReferenceTerm.technical.is_(False))
    return list(db.session.execute(query.order_by(ReferenceTerm.position)).scalars())
