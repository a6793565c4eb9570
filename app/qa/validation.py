"""Checking what people type in Q&A, before anything is written: titles, bodies, comments, tags, and whether the
question still accepts posts. Each check raises QaError (a refused operation; nothing was saved) or returns the
cleaned value. Used by app.qa.services (which re-exports QaError) and app.qa.bridges.

Decisions:
- Title 10–200 characters after trimming; body 1–20,000; comment 1–600 (trimmed).
- Tags: at most 5, each normalised like a slug (lowercase, spaces and punctuation → "-", accented letters kept:
  "Fondi UE" → "fondi-ue", "Città Metropolitana" → "città-metropolitana"), at most 40 characters, duplicates
  (after normalising) dropped; a tag of punctuation only is dropped.
"""
from __future__ import annotations

from app.models.qa import BODY_MAX, COMMENT_MAX, TAG_MAX, TAGS_PER_QUESTION, TITLE_MAX
from app.qa.workflow import N_, QaWorkflowError, Visibility, check_open_for_posts

TITLE_MIN = 10


class QaError(Exception):
    """A refused operation; nothing was saved. `message` is an Italian msgid, `field` the form field it belongs to
    (None: a message for the page)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def workflow_error(error: QaWorkflowError, field: str | None = None) -> QaError:
    return QaError(str(error), field)


def clean_title(title: str | None) -> str:
    value = " ".join((title or "").split())
    if not value:
        raise QaError(N_("Scrivi la domanda in una riga."), "title")
    if len(value) < TITLE_MIN:
        raise QaError(N_("Il titolo è troppo breve: scrivi almeno 10 caratteri."), "title")
    if len(value) > TITLE_MAX:
        raise QaError(N_("Il titolo può avere al massimo 200 caratteri."), "title")
    return value


def clean_body(body: str | None, *, limit: int = BODY_MAX, field: str = "body", comment: bool = False) -> str:
    value = (body or "").strip()
    if not value:
        raise QaError(N_("Scrivi il commento.") if comment else N_("Il testo non può essere vuoto."), field)
    if "\x00" in value:
        value = value.replace("\x00", "")
    if len(value) > limit:
        raise QaError(N_("Un commento può avere al massimo 600 caratteri.") if comment
                      else N_("Il testo può avere al massimo 20000 caratteri."), field)
    return value


def normalize_tag(name: str) -> str:
    from slugify import slugify

    return slugify(name or "", allow_unicode=True)


def clean_tags(tags) -> list[str]:
    """['Fondi UE', 'fondi ue', 'PNRR'] → ['fondi-ue', 'pnrr'] (order kept); QaError on too many or too long."""
    if tags is None:
        tags = []
    if isinstance(tags, str):
        tags = tags.split(",")
    names: list[str] = []
    for raw in tags:
        name = normalize_tag(str(raw))
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise QaError(N_("Ogni etichetta può avere al massimo 40 caratteri."), "tags")
        if name not in names:
            names.append(name)
    if len(names) > TAGS_PER_QUESTION:
        raise QaError(N_("Al massimo 5 etichette."), "tags")
    return names


def clean_comment(body: str | None) -> str:
    """A comment's text: 1–600 characters after trimming."""
    return clean_body(body, limit=COMMENT_MAX, comment=True)


def check_comment_target(question, answer) -> None:
    """A comment goes on the question or on one of its visible answers."""
    if answer is not None:
        if answer.question_id != question.id:
            raise QaError(N_("Questa risposta non appartiene alla domanda."), "answer")
        if answer.visibility != Visibility.VISIBLE:
            raise QaError(N_("Non si può commentare un contenuto nascosto."), "answer")


def check_open(question) -> None:
    """The question accepts new posts (it is not closed)."""
    try:
        check_open_for_posts(question.status)
    except QaWorkflowError as error:
        raise workflow_error(error) from None
