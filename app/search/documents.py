"""What the index holds for a practice, a question (issue 12) and a KPI definition (issue 16), read from the
database in batches.

Document ids: a practice's is its id ("12"), a question's is "q" and its id ("q12"), a KPI definition's "k" and its
id ("k12"). A question is indexed with its visible answers and comments; a hidden or deleted question is not indexed
at all (None below). A KPI definition is indexed in every status, its current version's text: who may see it is
decided at query time (app.search.kpis)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.markdown import markdown_text
from app.models import KIT_SECTIONS, Answer, Comment, KitVersion, KpiDefinition, KpiVersion, Practice, Question
from app.practices.categories import category_label
from app.qa.workflow import QuestionStatus, Visibility

BATCH = 500


def _kit_versions(practice_ids: list[int]) -> dict[int, KitVersion]:
    """The kit version each practice shows: its latest published one, else its draft (then the practice is a draft
    too, readable only by its donors)."""
    versions = db.session.execute(
        select(KitVersion).where(KitVersion.practice_id.in_(practice_ids))
        .options(selectinload(KitVersion.sections), selectinload(KitVersion.attachments))
        .order_by(KitVersion.practice_id, KitVersion.published_at.desc(), KitVersion.id.desc())).scalars()
    chosen: dict[int, KitVersion] = {}
    for version in versions:
        current = chosen.get(version.practice_id)
        if current is None or (current.status != "published" and version.status == "published"):
            chosen[version.practice_id] = version
    return chosen


def document(practice: Practice, kit: KitVersion | None) -> dict:
    """The fields of one practice's search document."""
    kit_text = []
    if kit is not None:
        bodies = kit.section_bodies()
        # Imports copy the description into the first section: the same text twice would only repeat snippets.
        kit_text = [markdown_text(bodies[key]) for key in KIT_SECTIONS
                    if bodies.get(key, "").strip() and bodies[key].strip() != (practice.description or "").strip()]
        kit_text += [attachment.original_name for attachment in kit.attachments]
    donors = [practice.donor.name] + [organization.name for organization in practice.co_donors]
    # The catalogue's English category codes, and their Italian names ("gestione documentale") beside them.
    with force_locale("it"):  # the index is Italian whatever the language of the request that wrote it
        tags = " ".join(dict.fromkeys(word for tag in practice.tags
                                      for word in (tag.name, category_label(tag.name))))
    if practice.publiccode and practice.publiccode.get("generic_name"):
        tags += " " + practice.publiccode["generic_name"]  # "Servizi per la sanità": the catalogue's own label
    # Plain text: snippets are cut from it, and "## Contesto" or "**" would show as such.
    content = "\n\n".join([markdown_text(practice.description)] + kit_text)
    donor = practice.donor
    return {
        "id": str(practice.id),
        "type": "practice",
        "solved": "",
        "accepted": "",
        "draft_practice": "no",
        "slug": practice.slug,
        "title": practice.title,
        "summary": practice.summary,
        "tags": tags,
        # The community is a facet (below), not words of every practice: "facilitazione" must not match them all.
        "donors": " ".join(donors),
        "content": content,
        "spell": " ".join([practice.title, practice.summary, tags, content]),
        "pairs": "\n".join([practice.title, practice.summary, tags, " ".join(donors), content]),
        "status": practice.status,
        "community": str(practice.community_id),
        "donor_ids": " ".join(str(i) for i in sorted(practice.donor_ids)),
        "theme": practice.theme or "",
        "mission": practice.mission or "",
        "region": practice.region_code or "",
        "donor_kind": (donor.pa_kind or donor.kind) or "",
        "licence": practice.licence or "",
        "kind": practice.kind or "",
        "origin": "catalogue" if practice.publiccode else "documented",
        "completeness": practice.kit_completeness or 0,
        "recognised": "yes" if practice.recognised else "no",  # Practice.recognised: written by the evaluation
        "published": practice.published_at or practice.created_at,
        "updated": practice.updated_at,
    }


def documents_for(practice_ids: Iterable[int]) -> Iterator[tuple[int, dict | None]]:
    """(id, document) for each id; None for a practice that no longer exists."""
    ids = sorted(set(practice_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        practices = {p.id: p for p in db.session.execute(
            select(Practice).where(Practice.id.in_(chunk))
            .options(selectinload(Practice.donor), selectinload(Practice.co_donors), selectinload(Practice.tags),
                     selectinload(Practice.community))).scalars()}
        kits = _kit_versions(list(practices))
        for practice_id in chunk:
            practice = practices.get(practice_id)
            yield practice_id, (document(practice, kits.get(practice_id)) if practice else None)
        if len(ids) > BATCH:
            db.session.expunge_all()  # a rebuild of 50k practices must not keep them all in the identity map


def all_practice_ids() -> list[int]:
    return list(db.session.execute(select(Practice.id).order_by(Practice.id)).scalars())


# ---- questions (issue 12) ----------------------------------------------------------------------------------------

QUESTION_PREFIX = "q"
KPI_PREFIX = "k"


def question_key(question_id: int) -> str:
    return f"{QUESTION_PREFIX}{question_id}"


def kpi_key(definition_id: int) -> str:
    return f"{KPI_PREFIX}{definition_id}"


def parse_key(key: str) -> tuple[str, int]:
    """("practice" | "question" | "kpi", id) of a document id."""
    if key.startswith(QUESTION_PREFIX):
        return "question", int(key[len(QUESTION_PREFIX):])
    if key.startswith(KPI_PREFIX):
        return "kpi", int(key[len(KPI_PREFIX):])
    return "practice", int(key)


def _plain(text: str | None) -> str:
    """A post's plain text without its mentions' names: snippets are read by visitors, who see no names."""
    from app.qa.notify import MENTION_RE

    return markdown_text(MENTION_RE.sub("@", text or ""))


def question_document(question: Question, answers: list[Answer], comments: list[Comment]) -> dict:
    """The fields of one question's document: its body, its visible answers and comments; the accepted answer's
    text again in its own boosted field."""
    body = _plain(question.body)
    answer_texts = [_plain(answer.body) for answer in answers]
    comment_texts = [_plain(comment.body) for comment in comments]
    accepted = next((_plain(answer.body) for answer in answers if answer.id == question.accepted_answer_id), "")
    tags = " ".join(question.tag_names)
    content = "\n\n".join(text for text in answer_texts + comment_texts if text.strip())
    practice = question.practice
    return {
        "id": question_key(question.id),
        "type": "question",
        "solved": "yes" if question.status == QuestionStatus.SOLVED or question.accepted_answer_id else "no",
        "accepted": accepted,
        "draft_practice": "yes" if practice is not None and practice.status == "draft" else "no",
        "slug": "",
        "title": question.title,
        "summary": body,  # the question's own words weigh more than its answers'
        "tags": tags,
        "donors": "",
        "content": content,
        "spell": " ".join([question.title, body, tags, content]),
        "pairs": "\n".join([question.title, body, tags, content]),
        "status": question.status,
        "community": str(question.community_id),
        "donor_ids": " ".join(str(i) for i in sorted(practice.donor_ids)) if practice is not None else "",
        "theme": "",
        "mission": "",
        "region": "",
        "donor_kind": "",
        "licence": "",
        "kind": "",
        "origin": "",
        "completeness": 0,
        "recognised": "",
        "published": question.created_at,
        "updated": question.last_activity_at or question.created_at,
    }


def question_documents_for(question_ids: Iterable[int]) -> Iterator[tuple[int, dict | None]]:
    """(id, document) for each question id; None for a question that no longer exists or is not visible."""
    ids = sorted(set(question_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        questions = {q.id: q for q in db.session.execute(
            select(Question).where(Question.id.in_(chunk), Question.visibility == Visibility.VISIBLE)
            .options(selectinload(Question.tags),
                     selectinload(Question.practice).selectinload(Practice.co_donors))).scalars()}
        answers: dict[int, list[Answer]] = {}
        comments: dict[int, list[Comment]] = {}
        if questions:
            for answer in db.session.execute(
                    select(Answer).where(Answer.question_id.in_(list(questions)),
                                         Answer.visibility == Visibility.VISIBLE).order_by(Answer.id)).scalars():
                answers.setdefault(answer.question_id, []).append(answer)
            visible_answers = select(Answer.id).where(Answer.question_id.in_(list(questions)),
                                                      Answer.visibility == Visibility.VISIBLE)
            for comment in db.session.execute(
                    select(Comment).where(Comment.question_id.in_(list(questions)),
                                          Comment.visibility == Visibility.VISIBLE,
                                          Comment.answer_id.is_(None) | Comment.answer_id.in_(visible_answers))
                    .order_by(Comment.id)).scalars():
                comments.setdefault(comment.question_id, []).append(comment)
        for question_id in chunk:
            question = questions.get(question_id)
            yield question_id, (question_document(question, answers.get(question_id, []),
                                                  comments.get(question_id, [])) if question else None)
        if len(ids) > BATCH:
            db.session.expunge_all()


def all_question_ids() -> list[int]:
    """The questions a rebuild indexes (visible ones; hidden and deleted ones are left out)."""
    return list(db.session.execute(select(Question.id).where(Question.visibility == Visibility.VISIBLE)
                                   .order_by(Question.id)).scalars())


def all_documents() -> Iterator[dict]:
    """Every document the index should hold: practices, then questions, then KPI definitions."""
    for _, doc in documents_for(all_practice_ids()):
        if doc is not None:
            yield doc
    for _, doc in question_documents_for(all_question_ids()):
        if doc is not None:
            yield doc
    for _, doc in kpi_documents_for(all_kpi_ids()):
        if doc is not None:
            yield doc


# ---- KPI definitions (issue 16) ----------------------------------------------------------------------------------

_MISSION_SCHEMES = ("mission_local", "mission_state", "programme_local")


def _term_text(term) -> str:
    """A reference term as words people search: its code and its Italian name ("12 Diritti sociali …")."""
    return f"{term.code} {term.label_it}" if term is not None else ""


def kpi_document(definition: KpiDefinition) -> dict:
    """The fields of one KPI definition's document, from its current version: the name weighs most, then the
    short name and tags, the definition; formula and source are its content (snippets come from there), codes and
    taxonomies its labels."""
    version = definition.current_version
    name = version.name if version else definition.code
    description = markdown_text(version.description) if version else ""
    tags = " ".join([version.short_name or ""] + list(version.tags or [])).strip() if version else ""
    terms = list(version.terms) if version else []
    missions = [t for t in terms if t.scheme in _MISSION_SCHEMES]
    local_missions = [t.code for t in missions if t.scheme == "mission_local"]
    content_parts, label_parts = [], [definition.code]
    if version:
        content_parts = [version.formula, version.numerator, version.denominator, version.data_source]
        label_parts += [version.external_code] + [_term_text(t) for t in terms]  # missions, programmes, SDGs
        label_parts += [_term_text(version.bes_domain), _term_text(version.piao_subsection)]
    content = "\n".join(part for part in content_parts if part and part.strip())
    labels = "\n".join(part for part in label_parts if part and part.strip())
    return {
        "id": kpi_key(definition.id),
        "type": "kpi",
        "solved": "",
        "accepted": "",
        "draft_practice": "no",
        "slug": definition.slug,
        "title": name,
        "summary": description,
        "tags": tags,
        "donors": "",
        "content": content,
        "labels": labels,
        "spell": " ".join([name, description, tags, content, labels]),
        "pairs": "\n".join([name, description, tags, content, labels]),
        "status": definition.status,
        # Not the community's id: a published KPI is public even when proposed in a private community, and the
        # reader's mask hides the documents of the communities they may not see (app.kpi.access decides instead).
        "community": "",
        "donor_ids": "",
        "theme": "",
        "mission": local_missions[0] if local_missions else "",
        "kpi_missions": " ".join(local_missions),
        "region": "",
        "donor_kind": "",
        "licence": "",
        "kind": "",
        "origin": "",
        "completeness": 0,
        "recognised": "",
        "published": definition.published_at or definition.created_at,
        "updated": definition.updated_at or definition.created_at,
    }


def kpi_documents_for(definition_ids: Iterable[int]) -> Iterator[tuple[int, dict | None]]:
    """(id, document) for each KPI definition id; None for one that no longer exists."""
    ids = sorted(set(definition_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        version_options = selectinload(KpiDefinition.current_version)
        definitions = {d.id: d for d in db.session.execute(
            select(KpiDefinition).where(KpiDefinition.id.in_(chunk))
            .options(version_options.selectinload(KpiVersion.terms),
                     version_options.selectinload(KpiVersion.bes_domain),
                     version_options.selectinload(KpiVersion.piao_subsection))).scalars()}
        for definition_id in chunk:
            definition = definitions.get(definition_id)
            yield definition_id, (kpi_document(definition) if definition else None)
        if len(ids) > BATCH:
            db.session.expunge_all()


def all_kpi_ids() -> list[int]:
    """Every KPI definition, whatever its status (visibility is decided when searching)."""
    return list(db.session.execute(select(KpiDefinition.id).order_by(KpiDefinition.id)).scalars())
