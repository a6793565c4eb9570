"""Benchmark: full-text search over practices, Whoosh (what the site runs) against an SQLite FTS5 baseline.

Usage: .venv/bin/python bench/search.py [--sizes 1000 10000] [--queries 40] [--repeat 3] [--profile]   (~6 min)
Prints figures (docs/benchmarks.md keeps them); never a pass/fail test. For each size, in a temporary folder: seeds N
synthetic practices with Italian text (fixed seed), times the Whoosh rebuild and an FTS5 build from the same documents
(app.search.documents), runs the same queries on both (single words, AND of words, phrases, a theme filter, broad
queries for the full page), and times how long an edit committed through the ORM takes to become findable with the
writer thread. "top-10" = the exact best 10 ids (bare Whoosh searcher vs FTS5 bm25 LIMIT 10); "page" = query.search()
as the search page runs it (mask, facets, snippets, rows from the database) vs FTS5 top 10 with snippet, total and
counts for the 6 facets. --profile prints a cProfile of query.search on the largest size's faceted set.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import whoosh  # noqa: E402
from flask_login import AnonymousUserMixin  # noqa: E402
from sqlalchemy import delete, insert, select  # noqa: E402
from whoosh import collectors  # noqa: E402
from whoosh.query import Term  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (KIT_SECTIONS, THEME_LABELS, Community, KitSection, KitVersion,  # noqa: E402
                        Organization, Practice, PracticeTag, SearchPending, practice_co_donor)
from app.search import documents, query as search_query  # noqa: E402
from app.search.writer import ensure_thread  # noqa: E402
from config import TestConfig  # noqa: E402

VOCAB = list(dict.fromkeys("""
appalti appalto gara gare bando bandi avviso protocollo protocollazione pagamenti pagamento pagoPA fascicolo
fascicoli sanità sanitario sanitaria città cittadini cittadino rifiuti raccolta differenziata trasporti trasporto
mobilità scuola scuole istruzione università ricerca formazione competenze digitale digitali digitalizzazione transizione
innovazione servizi servizio sportello sportelli anagrafe anagrafica stato civile tributi tributo imposta tassa tari imu
bilancio contabilità ragioneria personale dipendenti assunzioni concorso concorsi performance valutazione piao
anticorruzione trasparenza accesso civico privacy dati aperti interoperabilità piattaforma piattaforme cloud sicurezza
informatica rete reti connettività software riuso codice sorgente licenza documentazione manuale procedura procedure
procedimento procedimenti istanza istanze modulistica moduli firma elettronica identità spid cie domicilio pec
notifiche comunicazione cittadinanza partecipazione consultazione ambiente territorio urbanistica edilizia paesaggio
verde parchi acqua idrico energia efficienza energetica illuminazione pubblica manutenzione strade viabilità parcheggi
polizia locale sicurezza urbana protezione civile emergenza cultura biblioteca biblioteche musei teatro turismo
eventi sport giovani anziani famiglie disabilità inclusione sociale welfare assistenza domiciliare servizi sociali
casa abitare housing lavoro occupazione impresa imprese commercio attività produttive suap sue agricoltura pesca
fondi europei pnrr progetto progetti progettazione finanziamento finanziamenti rendicontazione monitoraggio
controllo controlli audit qualità indicatori obiettivi risultati impatto valore pubblico pianificazione programmazione
strategia governance coordinamento rete collaborazione convenzione convenzioni accordo accordi delibera determina
regolamento regolamenti atto atti decreto normativa centrale committenza acquisti fornitori fornitura forniture
contratti contratto esecuzione collaudo mercato elettronico mepa consip catalogo inventario patrimonio beni immobili
demanio archivio archivi conservazione documentale gestione documenti flussi workflow dematerializzazione
semplificazione riorganizzazione organizzazione uffici ufficio responsabile dirigente comune comuni unione provincia
regione ministero agenzia ente enti amministrazione amministrazioni azienda aziende ospedale ospedali farmacia
prenotazione prenotazioni cup referti telemedicina vaccinazioni prevenzione salute benessere nutrizione mensa
mense refezione asilo nido infanzia sostegno povertà contributi sussidi agevolazioni esenzioni tariffe riscossione
entrate spesa spese costi risorse investimenti economia risparmio sostenibilità clima emissioni mobilità ciclabile
bicicletta autobus ferrovia porto aeroporto logistica cantiere cantieri lavori opere infrastrutture scuola edifici
sismica idrogeologico frane alluvione incendi boschi fauna animali randagismo cimitero cimiteri elezioni elettorale
statistica censimento mappe cartografia catasto toponomastica numerazione civica segnalazioni reclami customer
soddisfazione ascolto sondaggio questionario app mobile sito portale web accessibilità usabilità design modello
kit buona pratica esperienza sperimentazione pilota replicabilità scalabilità comunità volontariato terzo settore
cooperative associazioni scuola lavoro orientamento tirocini apprendistato biblioteca digitale wifi banda ultralarga
intelligenza artificiale algoritmo analisi cruscotto dashboard report open source migrazione""".split()))

PHRASES = ["gestione documentale", "sportello unico", "fascicolo sanitario elettronico", "piano triennale",
           "centrale unica di committenza", "transizione digitale", "raccolta differenziata", "dati aperti",
           "servizi online", "firma digitale", "domicilio digitale", "pubblica illuminazione", "lavoro agile",
           "trasporto pubblico locale", "mercato elettronico", "conservazione sostitutiva", "piano regolatore",
           "accesso civico generalizzato", "edilizia scolastica", "protezione dei dati personali", "servizi sociali",
           "bilancio partecipativo", "piattaforma digitale nazionale dati", "anagrafe nazionale", "welfare di comunità"]
STOP = "di e il la per con dei delle nel nella alla al che un una del della ai agli da in sul sulla tra le i".split()
TAGS = ["pagoPA", "SPID", "CIE", "PNRR", "open data", "interoperabilità", "cloud", "riuso", "app IO", "PEC", "ANPR",
        "SUAP", "PIAO", "appalti", "e-procurement", "sanità digitale", "smart city", "sostenibilità", "inclusione",
        "formazione", "trasparenza", "privacy", "cybersicurezza", "open source", "accessibilità", "mobilità", "turismo",
        "scuola", "welfare", "ambiente", "energia", "protezione civile", "bilancio", "tributi", "archivio", "cultura"]
CITIES = """Torino Milano Genova Venezia Trieste Bologna Firenze Ancona Perugia Roma Napoli Bari Potenza Catanzaro
Palermo Cagliari Aosta Trento Bolzano Campobasso Pescara Verona Padova Brescia Bergamo Parma Modena Rimini Pisa Siena
Lucca Livorno Arezzo Pesaro Ascoli Terni Latina Frosinone Viterbo Caserta Salerno Avellino Lecce Taranto Foggia
Matera Cosenza Messina Catania Siracusa Sassari Nuoro Cuneo Asti Novara Como Varese Lecco Mantova Cremona""".split()
LICENCES = ["EUPL-1.2", "AGPL-3.0-or-later", "MIT", "CC-BY-4.0", "CC0-1.0", "GPL-3.0-or-later", None]
REGIONS = [f"{n:02d}" for n in range(1, 21)]
WHEN = datetime(2025, 1, 1)
CUM = list(__import__("itertools").accumulate(1 / (rank + 1) ** 1.2 for rank in range(len(VOCAB))))  # Zipf-like
CATEGORIES = ("single", "multi", "phrase", "filtered", "faceted")
ORGANISATIONS = [("municipality", "Comune di {}", 110), ("region", "Regione {}", 20), ("province", "Provincia {}", 15),
                 ("metropolitan_city", "Città metropolitana di {}", 5), ("health_authority", "ASL {}", 15),
                 ("university", "Università di {}", 10), ("union_of_municipalities", "Unione dei comuni di {}", 5),
                 ("agency", "Agenzia per la mobilità di {}", 5), ("central_administration", "Ministero, sede di {}", 5),
                 (None, "{} Digitale S.p.A.", 10)]  # 200; a supplier when pa_kind is None


def sentence(rng: random.Random, words: int, topic=(VOCAB, PHRASES)) -> str:
    """Words mostly from the practice's topic (so that rare words stay rare), else drawn Zipf-like from all of them."""
    out = []
    for word in rng.choices(VOCAB, cum_weights=CUM, k=words):
        if rng.random() < 0.75:
            word = rng.choice(topic[0])
        r = rng.random()
        if r < 0.35:
            out.append(rng.choice(STOP))
        elif r < 0.37:
            out.append(rng.choice(topic[1]))
        out.append(word)
    text = " ".join(out)
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, topic=(VOCAB, PHRASES)) -> str:
    return ". ".join(sentence(rng, rng.randint(8, 18), topic) for _ in range(rng.randint(3, 6))) + "."


def seed(n: int, rng: random.Random) -> None:
    """Organisations, communities and N practices with tags, co-donors and one kit version each, in bulk."""
    kinds = [(pa_kind, pattern) for pa_kind, pattern, count in ORGANISATIONS for _ in range(count)]
    db.session.execute(insert(Organization), [
        {"id": i + 1, "name": pattern.format(CITIES[i % len(CITIES)]), "slug": f"org-{i}", "pa_kind": pa_kind,
         "kind": "public_administration" if pa_kind else "supplier", "region_code": rng.choice(REGIONS),
         "description": "", "status": "active", "created_at": WHEN} for i, (pa_kind, pattern) in enumerate(kinds)])
    themes = list(THEME_LABELS)
    db.session.execute(insert(Community), [
        {"id": i + 1, "name": f"Comunità {sentence(rng, 2).lower()} {i}", "slug": f"comunita-{i}",
         "theme": themes[i % 8], "description": paragraph(rng), "scope": "national", "created_at": WHEN,
         "visibility": "private" if i in (7, 15) else ("moderated" if i % 3 else "open")} for i in range(20)])
    for start in range(0, n, 2000):
        practices, versions, sections, tags, co_donors = [], [], [], [], []
        for pid in range(start + 1, min(start + 2000, n) + 1):
            status = rng.choices(["published", "draft", "archived"], [85, 8, 7])[0]
            when = WHEN + timedelta(minutes=pid)
            keys = rng.sample(list(KIT_SECTIONS), rng.randint(3, 6))
            donor = rng.randint(1, len(kinds))
            topic = (rng.sample(VOCAB, 25), rng.sample(PHRASES, 2))
            practices.append({
                "id": pid, "title": sentence(rng, rng.randint(4, 7), topic), "slug": f"pratica-{pid}",
                "summary": sentence(rng, rng.randint(12, 22), topic) + ".", "description": paragraph(rng, topic),
                "kind": rng.choice(["organisational", "software"]), "status": status,
                "community_id": rng.randint(1, 20), "donor_id": donor, "theme": rng.choice(themes),
                "mission": rng.choice(REGIONS), "region_code": rng.choice(REGIONS), "licence": rng.choice(LICENCES),
                "kit_completeness": round(100 * len(keys) / 9), "kit_updated_at": when, "created_at": when,
                "updated_at": when, "published_at": None if status == "draft" else when})
            versions.append({"id": pid, "practice_id": pid, "label": "1.0", "changelog": "", "created_at": when,
                             "status": "draft" if status == "draft" else "published",
                             "published_at": None if status == "draft" else when})
            sections += [{"kit_version_id": pid, "key": key, "body": "\n\n".join(paragraph(rng, topic) for _ in
                                                                                   range(rng.randint(1, 3)))}
                         for key in keys]
            tags += [{"practice_id": pid, "name": name} for name in rng.sample(TAGS, rng.randint(2, 5))]
            if rng.random() < 0.15:
                co_donors += [{"practice_id": pid, "organization_id": o}
                              for o in set(rng.sample(range(1, len(kinds) + 1), 2)) - {donor}]
        for model, rows in ((Practice, practices), (KitVersion, versions), (KitSection, sections),
                            (PracticeTag, tags)):
            db.session.execute(insert(model), rows)
        if co_donors:
            db.session.execute(practice_co_donor.insert(), co_donors)
    db.session.execute(delete(SearchPending))
    db.session.commit()


# ---- FTS5 --------------------------------------------------------------------------------------------------------

FACET_COLUMNS = ("community", "theme", "mission", "region", "donor_kind", "licence")


def build_fts(path: Path) -> sqlite3.Connection:
    """The same documents in an FTS5 table (facets as UNINDEXED columns), merged into one b-tree like a rebuild."""
    con = sqlite3.connect(path)
    con.execute(f"CREATE VIRTUAL TABLE doc USING fts5(title, summary, tags, donors, content, "
                f"{', '.join(c + ' UNINDEXED' for c in FACET_COLUMNS)}, status UNINDEXED, "
                f"tokenize = 'unicode61 remove_diacritics 2')")
    columns = ("title", "summary", "tags", "donors", "content") + FACET_COLUMNS + ("status",)
    sql = f"INSERT INTO doc(rowid, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})"
    con.executemany(sql, ([pid] + [doc[c] for c in columns]
                          for pid, doc in documents.documents_for(documents.all_practice_ids())))
    con.execute("INSERT INTO doc(doc) VALUES ('optimize')")
    con.commit()
    return con


def fts_match(q: str) -> str:
    """Our query syntax for FTS5: words are ANDed, a "phrase" stays a phrase; every part quoted."""
    if q.startswith('"'):
        return q
    return " ".join(f'"{word}"' for word in q.split())


def fts_search(con, q: str, where: str, params: tuple, page: bool):
    snippet = ", snippet(doc, 4, '<mark>', '</mark>', ' … ', 32)" if page else ""
    sql = (f"SELECT rowid, title{snippet} FROM doc WHERE doc MATCH ? {where} "
           f"ORDER BY bm25(doc, 4.0, 2.0, 2.0, 1.5, 1.0) LIMIT 10")  # the schema's field boosts
    top = con.execute(sql, (fts_match(q),) + params).fetchall()
    if not page:
        return top, None
    counts = con.execute(
        f"WITH m AS MATERIALIZED (SELECT {', '.join(FACET_COLUMNS)} FROM doc WHERE doc MATCH ? {where}) "
        + " UNION ALL ".join(f"SELECT '{c}', {c}, count(*) FROM m GROUP BY {c}" for c in FACET_COLUMNS),
        (fts_match(q),) + params).fetchall()
    return top, sum(count for facet, _, count in counts if facet == "community")


# ---- queries -----------------------------------------------------------------------------------------------------

def query_sets(rng: random.Random, count: int) -> dict[str, list[tuple[str, dict]]]:
    """Distinct queries per category, from the vocabulary of the text."""
    def distinct(make):
        seen: dict = {}
        while len(seen) < count:
            q, filters = make()
            seen.setdefault((q, tuple(filters.items())), (q, filters))
        return list(seen.values())

    def word() -> str:  # half as skewed as the text (common topics), half uniform (rarer ones)
        return rng.choices(VOCAB, cum_weights=CUM)[0] if rng.random() < 0.5 else rng.choice(VOCAB)

    def words(k: int) -> list[str]:
        chosen: dict[str, None] = {}
        while len(chosen) < k:
            chosen[word()] = None
        return list(chosen)

    themes = list(THEME_LABELS)
    return {
        "single": distinct(lambda: (word(), {})),
        "multi": distinct(lambda: (" ".join(words(rng.randint(2, 3))), {})),
        "phrase": distinct(lambda: (f'"{rng.choice(PHRASES)}"' if rng.random() < 0.5
                                    else f'"{word()} {word()}"', {})),
        "filtered": distinct(lambda: (word(), {"theme": rng.choice(themes)})),
        "faceted": distinct(lambda: (" ".join(words(rng.randint(1, 2))), {})),
    }


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_category(app, index, fts, queries, repeat: int) -> dict[str, tuple[float, float, float]]:
    """(p50 ms, p95 ms, mean hits) for each way of searching."""
    anonymous = AnonymousUserMixin()
    with app.test_request_context():
        communities, hidden = search_query.communities_for(anonymous)
        mask = search_query.reader_mask(anonymous, hidden)
        hidden_sql = ",".join(f"'{i}'" for i in hidden) or "''"
        where = f"AND status != 'draft' AND community NOT IN ({hidden_sql})"  # the same mask as reader_mask

        def whoosh_top(q, filters):
            # replace=0: Whoosh's default limit=10 search prunes sub-matchers while collecting and returns a wrong
            # top 10 for about a third of our AND queries (see docs/benchmarks.md); FTS5's answer is exact.
            collector = collectors.FilterCollector(collectors.TopCollector(10, replace=0),
                                                   Term("theme", filters["theme"]) if filters else None, mask)
            with index.searcher() as searcher:
                searcher.search_with_collector(search_query.fast_query(search_query.parse_query(q)), collector)
                return len([hit["id"] for hit in collector.results()])

        def whoosh_page(q, filters):
            return search_query.search(index, search_query.SearchRequest(q=q, filters=dict(filters)), anonymous,
                                       communities, hidden).total

        def fts_run(q, filters, page):
            extra, params = ("AND theme = ?", (filters["theme"],)) if filters else ("", ())
            top, total = fts_search(fts, q, f"{where} {extra}", params, page)
            return total if page else len(top)

        runs = {"whoosh top-10": whoosh_top, "fts5 top-10": lambda *a: fts_run(*a, page=False),
                "whoosh page": whoosh_page, "fts5 page": lambda *a: fts_run(*a, page=True)}
        timings: dict[str, list[float]] = {name: [] for name in runs}
        hits: dict[str, list[int]] = {name: [] for name in runs}
        for round_ in range(repeat + 1):  # round 0 warms up; engines alternate query by query, so that noise from
            for q, filters in queries:  # other processes falls on all of them alike
                for name, run in runs.items():
                    start = time.perf_counter()
                    found = run(q, filters)
                    if round_:
                        timings[name].append((time.perf_counter() - start) * 1000)
                        hits[name].append(found)
        return {name: (percentile(timings[name], 50), percentile(timings[name], 95), statistics.mean(hits[name]))
                for name in runs}


def edit_to_visibility(url: str, search_dir: str, tmp: str, edits: int = 10) -> float:
    """Median ms from an ORM commit of a new title to the first search page that finds it (writer thread on)."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SEARCH_DIR=search_dir, SEARCH_WRITER="thread",
                     UPLOAD_FOLDER=f"{tmp}/uploads")
    index = app.extensions["search_index"]
    anonymous = AnonymousUserMixin()
    ensure_thread(app)
    timings = []
    with app.test_request_context():
        communities, hidden = search_query.communities_for(anonymous)
        ids = db.session.execute(select(Practice.id).where(Practice.status == "published",
                                                           Practice.community_id.not_in(hidden)).limit(edits)).scalars()
        for n, pid in enumerate(list(ids)):
            word = "verificaz" + "".join(random.Random(n).choices("bcdfghlmnpqrstvz", k=8))
            practice = db.session.get(Practice, pid)
            practice.title = f"{practice.title} {word}"
            start = time.perf_counter()
            db.session.commit()
            while not search_query.search(index, search_query.SearchRequest(q=word), anonymous, communities,
                                          hidden).total:
                if time.perf_counter() - start > 30:
                    raise RuntimeError(f"{word} not findable after 30 s")
                time.sleep(0.005)
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def bench_size(n: int, args, tmp: str) -> dict:
    os.makedirs(tmp)
    url = f"sqlite:///{tmp}/bench.db"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SEARCH_DIR=f"{tmp}/search", SEARCH_WRITER="off",
                     UPLOAD_FOLDER=f"{tmp}/uploads")
    index = app.extensions["search_index"]
    result = {"n": n}
    with app.app_context():
        db.create_all()
        result["seed s"] = timed(lambda: seed(n, random.Random(42)))
        result["documents_for docs/s"] = n / timed(lambda: list(documents.documents_for(documents.all_practice_ids())))
        result["whoosh build docs/s"] = n / timed(index.rebuild)
        result["fts5 build docs/s"] = n / timed(lambda: build_fts(Path(tmp) / "fts.db").close())
        db.session.remove()
    fts = sqlite3.connect(Path(tmp) / "fts.db")
    print(f"  {n} practices: seeded in {result['seed s']:.1f} s; documents_for {result['documents_for docs/s']:.0f}"
          f" docs/s; Whoosh rebuild {result['whoosh build docs/s']:.0f} docs/s; FTS5 build "
          f"{result['fts5 build docs/s']:.0f} docs/s (both builds include documents_for)", flush=True)
    sets = query_sets(random.Random(7), args.queries)
    for category in CATEGORIES:
        result[category] = run_category(app, index, fts, sets[category], args.repeat)
        print(f"  {category:<9} " + "  ".join(f"{k} {v[0]:.1f}/{v[1]:.1f} ms" for k, v in result[category].items()),
              flush=True)
    if args.profile and n == max(args.sizes):
        profile_faceted(app, index, sets["faceted"])
    result["edit ms"] = edit_to_visibility(url, f"{tmp}/search", tmp)
    print(f"  edit to visibility: median {result['edit ms']:.0f} ms", flush=True)
    return result


def profile_faceted(app, index, queries) -> None:
    anonymous = AnonymousUserMixin()
    with app.test_request_context():
        communities, hidden = search_query.communities_for(anonymous)
        profiler = cProfile.Profile()
        profiler.enable()
        for q, _ in queries:
            search_query.search(index, search_query.SearchRequest(q=q), anonymous, communities, hidden)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; whoosh {whoosh.versionstring()}; "
            f"SQLite {sqlite3.sqlite_version}; load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=40, help="distinct queries per category")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query after the warm-up")
    parser.add_argument("--profile", action="store_true", help="cProfile query.search on the largest faceted set")
    args = parser.parse_args()
    print(f"Machine: {machine()}", flush=True)
    tmp = tempfile.mkdtemp(prefix="bench-search-")
    try:  # every size's folder stays until the end: its writer thread (a daemon) keeps polling it
        results = [bench_size(n, args, f"{tmp}/{n}") for n in args.sizes]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Load average at the end: {os.getloadavg()[0]:.1f} (other processes share these cores)")
    print(f"\n{'size':>6} {'category':<9} | {'Whoosh top-10':>13} {'FTS5 top-10':>13} {'ratio':>5} | "
          f"{'Whoosh page':>13} {'FTS5 page':>13} {'ratio':>5} | hits W/F (page)")
    for r in results:
        for category in CATEGORIES:
            f = r[category]
            cells = []
            for engine in ("top-10", "page"):
                w, s = f[f"whoosh {engine}"], f[f"fts5 {engine}"]
                cells.append(f"{w[0]:5.1f}/{w[1]:6.1f} {s[0]:5.1f}/{s[1]:6.1f} {w[1] / s[1]:5.1f}")
            print(f"{r['n']:>6} {category:<9} | {cells[0]} | {cells[1]} | "
                  f"{f['whoosh page'][2]:.0f}/{f['fts5 page'][2]:.0f}")
    print("(p50/p95 in ms; ratio = Whoosh p95 / FTS5 p95)")
    for r in results:
        print(f"{r['n']:>6} practices: builds Whoosh {r['whoosh build docs/s']:.0f} docs/s, FTS5 "
              f"{r['fts5 build docs/s']:.0f} docs/s; edit to visibility median {r['edit ms']:.0f} ms")
    largest = max(results, key=lambda r: r["n"])
    for engine in ("top-10", "page"):
        ratios = {c: largest[c][f"whoosh {engine}"][1] / largest[c][f"fts5 {engine}"][1] for c in CATEGORIES}
        missed = [c for c, ratio in ratios.items() if ratio > 3]
        print(f"Target (Whoosh p95 <= 3x FTS5 p95, {largest['n']} practices, {engine}): "
              + ("met for every category" if not missed else
                 f"NOT met for {', '.join(f'{c} ({ratios[c]:.1f}x)' for c in missed)}"))


if __name__ == "__main__":
    main()
