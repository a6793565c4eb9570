"""The search index's schema and its Italian analysis; no Flask here."""
from __future__ import annotations

from whoosh.analysis import BiWordFilter, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Bump whenever the fields or the analysis change: an index built with another version is rebuilt automatically.
SCHEMA_VERSION = 6  # 3: community name no longer indexed as text; plain-text content; origin facet
# 4: questions (issue 12): type and solved facets, accepted answer text, draft_practice; ids "q<id>"
# 5: "recognised" becomes a facet (issue 13: practices recognised by an evaluation call)
# 6: KPI definitions (issue 16): type "kpi", ids "k<id>", every mission of a KPI in kpi_missions, labels

# Words joined by dots or hyphens stay one token (e-procurement, D.Lgs), as people type them.
_TOKENS = r"\w+(?:[.-]\w+)*"


def italian_analyzer():
    """Italian stop words, then accents folded (città = citta), then Snowball's Italian stemmer (appalto = appalti).

    Stop words are removed before folding because the list spells them with accents (è, più)."""
    return (RegexTokenizer(_TOKENS) | LowercaseFilter() | StopFilter(lang="it")
            | CharsetFilter(accent_map) | StemFilter(lang="it", cachesize=50000))


def spelling_analyzer():
    """Whole words as written, for "did you mean": suggestions must be words, not stems."""
    return RegexTokenizer(_TOKENS) | LowercaseFilter() | StopFilter(lang="it")


def build_schema() -> Schema:
    """Practices with their kit text, questions with their answers (issue 12) and KPI definitions (issue 16); facets
    are column-stored ids so that counting them stays cheap.

    Document ids: a practice keeps its id as it was ("12"), a question is "q12", a KPI definition "k12"."""
    italian = italian_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=italian, stored=True, field_boost=4.0),
        summary=TEXT(analyzer=italian, stored=True, field_boost=2.0),
        tags=TEXT(analyzer=italian, field_boost=2.0),
        donors=TEXT(analyzer=italian, field_boost=1.5),
        content=TEXT(analyzer=italian, stored=True),
        # Questions: the accepted answer's text boosts its question (it is also part of the content).
        accepted=TEXT(analyzer=italian, field_boost=3.0),
        # KPI definitions: their codes and their taxonomies' codes and names (missions, SDGs, BES, PIAO), searched
        # but never quoted in snippets.
        labels=TEXT(analyzer=italian),
        spell=TEXT(analyzer=spelling_analyzer(), spelling=True),
        # Adjacent word pairs ("firm digital"): a quoted phrase becomes term lookups here instead of position checks
        # in Python, which made phrases 10x slower than SQLite FTS5 (bench/search.py).
        pairs=TEXT(analyzer=italian_analyzer() | BiWordFilter(sep=" "), phrase=False),
        # Visibility is decided at query time from these and the database (see query.reader_mask).
        status=ID(stored=True),
        community=ID(sortable=True),
        donor_ids=KEYWORD(),
        # Questions on a draft practice are masked like the draft itself (donor_ids are then the practice's donors).
        draft_practice=ID(),
        # Facets.
        type=ID(stored=True, sortable=True),  # "practice" | "question" | "kpi"
        solved=ID(sortable=True),  # questions: "yes" | "no"; practices: ""
        theme=ID(sortable=True),
        mission=ID(sortable=True),  # a KPI's first mission (the facet counts one value per document) …
        kpi_missions=KEYWORD(),  # … and all of them, so that filtering on any of its missions finds it
        region=ID(sortable=True),
        donor_kind=ID(sortable=True),
        licence=ID(sortable=True),
        kind=ID(sortable=True),
        origin=ID(sortable=True),  # "documented" on the platform, or imported from the "catalogue" (publiccode.yml)
        completeness=NUMERIC(sortable=True),
        recognised=ID(sortable=True),  # practices: "yes" once an evaluation call recognised them, else "no"
        published=DATETIME(sortable=True),
        updated=DATETIME(sortable=True),
        slug=STORED(),
        fingerprint=STORED(),  # a digest of the document, for `flask search status` to find stale entries
    )


FACETS = ("type", "solved", "recognised", "origin", "community", "theme", "mission", "region", "donor_kind", "licence")
