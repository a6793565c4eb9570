"""The search's query language: what readers may type, how it is parsed and run, and "did you mean".

Split from app.search.query (which re-exports these names)."""
from __future__ import annotations

import re

from whoosh import qparser
from whoosh.query import And, Every, NullQuery, Or, Phrase, Term

from app.search.schema import build_schema, spelling_analyzer

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}

_SCHEMA = None
# A wildcard needs three letters before it (pro*): a lone * or *a* would walk every term of the index.
_SHORT_WILDCARD = re.compile(r"(?<!\w\w\w)\*|\?")
# + and - are operators only at the start of a word: e-procurement and anti-corruzione stay words.
_AT_WORD_START = r"(?:(?<=\s)|(?<=\()|^)"
_SYNTAX = re.compile(r'["()*+\-]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


class QueryNotUnderstood(Exception):
    """Whoosh's parser refused the text (half-typed operators such as `appalti NOT OR`)."""


def _parser() -> qparser.QueryParser:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = build_schema()
    parser = qparser.MultifieldParser(["title", "summary", "tags", "donors", "content", "accepted", "labels"],
                                      _SCHEMA,
                                      group=qparser.AndGroup)
    # Fields are ours, not the reader's: `status:draft` must be a word, never a way around the mask.
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.remove_plugin_class(qparser.BoostPlugin)
    # Ranges and free wildcards can cost seconds on a large index; prefixes (pro*) are enough for people.
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=_AT_WORD_START + r"\+", minusexpr=_AT_WORD_START + "-"))
    return parser


def parse_query(text: str):
    """Words (all of them), "phrases", -exclusion, prefix*, OR; QueryNotUnderstood if the parser gives up."""
    text = _SHORT_WILDCARD.sub(" ", text).strip()
    if not text:
        return Every()
    try:
        return _parser().parse(text)
    except Exception as error:  # the parser raises NotImplementedError, IndexError, AssertionError...
        raise QueryNotUnderstood(str(error)) from error


def _pairs(words) -> list:
    return [Term("pairs", f"{first} {second}") for first, second in zip(words, words[1:])]


def _phrase_by_pairs(query):
    """A quoted phrase looked up in the `pairs` field instead of checking word positions in Python (10x slower than
    SQLite FTS5 at p95 in bench/search.py). Exact for two words; a longer phrase becomes a chain of adjacent pairs,
    which could also match "a b" and "b c" written apart — rare in real text, and we chose speed."""
    if isinstance(query, Or) and query.subqueries and all(isinstance(c, Phrase) for c in query.subqueries) \
            and len({tuple(c.words) for c in query.subqueries}) == 1 and len(query.subqueries[0].words) >= 2:
        return And(_pairs(query.subqueries[0].words))  # the parser writes a phrase once per field
    if isinstance(query, Phrase) and len(query.words) >= 2:
        return And(_pairs(query.words))
    return query if query.is_leaf() else query.apply(_phrase_by_pairs)


def fast_query(query):
    """The query as it is run: phrases through word pairs (the parsed query still drives the highlights)."""
    return _phrase_by_pairs(query).normalize()


def plain_words(text: str) -> str:
    """The text with every operator and symbol removed: what is searched when the syntax is not understood."""
    return " ".join(_SYNTAX.sub(" ", text).split())


def _is_empty(query) -> bool:
    """Nothing left to look for (the words were all stop words, or only exclusions)."""
    return query is None or query is NullQuery


def _finds_any(searcher, query, filter_query, mask) -> bool:
    return not searcher.search(query, limit=1, filter=filter_query, mask=mask).is_empty()


def _suggest(searcher, text: str, filter_query, mask) -> str | None:
    """A corrected query, offered only if it finds something this reader may see.

    A word counts as known only if a document the reader may see contains it, and a replacement must itself occur in
    such a document: otherwise the presence or absence of a suggestion would tell whether hidden practices contain
    a word. Only a few words of four letters or more are corrected (the corrector walks the word list)."""
    corrector = searcher.corrector("spell")
    corrected, shift, changed = text, 0, False
    # Whoosh reuses one Token object for the whole stream: copy what is needed as the tokens go by.
    words = [(t.text, t.startchar, t.endchar) for t in spelling_analyzer()(text, chars=True)
             if len(t.text) >= 4 and t.text.upper() not in _OPERATORS]
    for word, start, end in words[:5]:
        if _finds_any(searcher, Term("spell", word), None, mask):
            continue
        for candidate in corrector.suggest(word, limit=8, maxdist=2, prefix=1):
            if candidate != word and _finds_any(searcher, Term("spell", candidate), None, mask):
                corrected = corrected[:start + shift] + candidate + corrected[end + shift:]
                shift += len(candidate) - (end - start)
                changed = True
                break
    if not changed or corrected == text:
        return None
    try:
        return corrected if _finds_any(searcher, fast_query(parse_query(corrected)), filter_query, mask) else None
    except QueryNotUnderstood:
        return None
