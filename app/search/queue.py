"""Index work is queued in the database by the same flush that changes what is searchable, then a writer is woken
after the commit. Nothing here touches the index, so a web request never waits on its lock."""
from __future__ import annotations

from itertools import chain

from sqlalchemy import DateTime, event, insert, inspect, literal, or_, select
from sqlalchemy.orm import Session

from app.models import (Answer, Attachment, Comment, Community, KitSection, KitVersion, KpiDefinition, KpiVersion,
                        Organization, Practice, PracticeTag, Question, QuestionTag, ReferenceTerm, SearchPending,
                        practice_co_donor)
from app.models.base import utcnow
from app.models.kpi import kpi_version_term

# Attributes whose change alters documents of many practices (names are indexed, ids are facets).
_COMMUNITY_FIELDS = ("name",)
_ORGANIZATION_FIELDS = ("name", "kind", "pa_kind")
_FLAG = "search_work_queued"
# A KPI definition's columns that its document does not hold: the adopters' count changes with every adoption.
_KPI_UNINDEXED = frozenset({"adoption_count"})
# A reference term's words are in the documents of the KPIs that use it (a new edition may rename a mission).
_TERM_FIELDS = ("code", "label_it")


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _kpi_changed(session: Session, definition: KpiDefinition) -> bool:
    if definition in session.new or definition in session.deleted:
        return True
    return any(attr.history.has_changes() for attr in inspect(definition).attrs if attr.key not in _KPI_UNINDEXED)


def _collect(session: Session):
    practice_ids: set[int] = set()
    question_ids: set[int] = set()
    version_ids: set[int] = set()
    community_ids: set[int] = set()
    organization_ids: set[int] = set()
    kpi_ids: set[int] = set()
    term_ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Practice):
            if obj in session.new or obj in session.deleted or session.is_modified(obj):
                practice_ids.add(obj.id)
        elif isinstance(obj, (PracticeTag, KitVersion)):
            if obj.practice_id is not None:
                practice_ids.add(obj.practice_id)
        elif isinstance(obj, (KitSection, Attachment)):
            if obj.kit_version_id is not None:
                version_ids.add(obj.kit_version_id)
        elif isinstance(obj, Question):
            if obj in session.new or obj in session.deleted or session.is_modified(obj):
                question_ids.add(obj.id)
        elif isinstance(obj, (QuestionTag, Answer, Comment)):
            if obj.question_id is not None:
                question_ids.add(obj.question_id)
        elif isinstance(obj, Community) and obj in session.dirty and _changed(obj, _COMMUNITY_FIELDS):
            community_ids.add(obj.id)
        elif isinstance(obj, Organization) and obj in session.dirty and _changed(obj, _ORGANIZATION_FIELDS):
            organization_ids.add(obj.id)
        elif isinstance(obj, KpiDefinition):  # issue 16
            if _kpi_changed(session, obj):
                kpi_ids.add(obj.id)
        elif isinstance(obj, KpiVersion):  # its fields and its terms (missions, SDGs): a collection change too
            if obj.definition_id is not None:
                kpi_ids.add(obj.definition_id)
        elif isinstance(obj, ReferenceTerm) and obj in session.dirty and _changed(obj, _TERM_FIELDS):
            term_ids.add(obj.id)
    return practice_ids, question_ids, version_ids, community_ids, organization_ids, kpi_ids, term_ids


def _queue_kpi_work(connection, table, now, kpi_ids: set[int], term_ids: set[int]) -> None:
    if kpi_ids:
        connection.execute(insert(table), [{"practice_id": None, "question_id": None, "kpi_id": i,
                                            "enqueued_at": now} for i in sorted(kpi_ids)])
    if term_ids:
        using = (select(KpiVersion.definition_id).join(kpi_version_term, kpi_version_term.c.version_id
                                                       == KpiVersion.id)
                 .where(kpi_version_term.c.term_id.in_(term_ids)))
        by_column = select(KpiVersion.definition_id).where(or_(KpiVersion.bes_domain_id.in_(term_ids),
                                                               KpiVersion.piao_subsection_id.in_(term_ids)))
        ids = using.union(by_column).subquery()
        connection.execute(insert(table).from_select(
            ["kpi_id", "enqueued_at"], select(ids.c[0], literal(now, DateTime)).distinct()))


@event.listens_for(Session, "after_flush")
def _queue_index_work(session: Session, _context) -> None:
    practice_ids, question_ids, version_ids, community_ids, organization_ids, kpi_ids, term_ids = _collect(session)
    if not (practice_ids or question_ids or version_ids or community_ids or organization_ids or kpi_ids
            or term_ids):
        return
    connection = session.connection()
    now = utcnow()
    table = SearchPending.__table__
    if practice_ids:
        connection.execute(insert(table), [{"practice_id": i, "question_id": None, "enqueued_at": now}
                                           for i in sorted(practice_ids)])
        # A practice's questions carry its status (a draft practice's questions are masked like the draft).
        practice_questions = select(Question.id).where(Question.practice_id.in_(practice_ids)).subquery()
        connection.execute(insert(table).from_select(
            ["question_id", "enqueued_at"],
            select(practice_questions.c[0], literal(now, DateTime)).distinct()))
    if question_ids:
        connection.execute(insert(table), [{"practice_id": None, "question_id": i, "enqueued_at": now}
                                           for i in sorted(question_ids)])
    affected = []
    if version_ids:
        affected.append(select(KitVersion.practice_id).where(KitVersion.id.in_(version_ids)))
    if community_ids:
        affected.append(select(Practice.id).where(Practice.community_id.in_(community_ids)))
    if organization_ids:
        co_donated = select(practice_co_donor.c.practice_id).where(
            practice_co_donor.c.organization_id.in_(organization_ids))
        affected.append(select(Practice.id).where(or_(Practice.donor_id.in_(organization_ids),
                                                      Practice.id.in_(co_donated))))
    for query in affected:
        ids = query.subquery()
        connection.execute(insert(table).from_select(
            ["practice_id", "enqueued_at"], select(ids.c[0], literal(now, DateTime)).distinct()))
    _queue_kpi_work(connection, table, now, kpi_ids, term_ids)
    session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _wake_writer(session: Session) -> None:
    if session.info.pop(_FLAG, False):
        from app.search.writer import wake

        wake()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_FLAG, None)
