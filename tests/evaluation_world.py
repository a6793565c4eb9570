"""Fixtures of the evaluation tests (issue 13): a call with the EPSA grid, a commission, candidate organisations,
and helpers that write candidacies, assignments and reviews directly (the services are tested on their own)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models.base import utcnow
from tests.conftest import Ref, make_community, make_org, make_practice, make_user, ref

# Every role of the permission matrices, in this order.
ROLES = ("anonymous", "member", "candidate_referent", "candidate_member", "other_referent", "reviewer",
         "reviewer_conflicted", "reviewer_unassigned", "chair", "deputy", "admin", "supplier")


@dataclass
class EvalWorld:
    """One call ("Premio buone pratiche 2026", slug `premio-2026`) in phase `open`, with the six EPSA criteria.

    - candidate_referent / candidate_member: Chieri, donor of `practice` (published) and `draft_practice`
    - other_referent: Bari's referent, donor of `other_practice` (published)
    - chair: Asti (not a referent); deputy: Novara, deputy member of the commission
    - reviewer (Lecce), reviewer_conflicted (Torino: Torino has adopted `practice`, a computed conflict once
      recorded), reviewer_unassigned (Pisa): commission members who signed the attestation
    - member: Cuneo, nobody in the evaluation; supplier: a supplier's person; admin: platform administrator
    - facilitator (Asti, a second person): facilitates the practices' community
    """

    call: Ref
    practice: Ref
    draft_practice: Ref
    other_practice: Ref
    community: Ref
    admin: Ref
    chair: Ref
    deputy: Ref
    reviewer: Ref
    reviewer_conflicted: Ref
    reviewer_unassigned: Ref
    candidate_referent: Ref
    candidate_member: Ref
    other_referent: Ref
    member: Ref
    supplier: Ref
    facilitator: Ref
    chieri: Ref
    bari: Ref
    torino: Ref

    def person(self, role: str) -> Ref | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def eworld(app) -> EvalWorld:
    with app.app_context():
        from app.models import Adoption

        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        novara = make_org("Comune di Novara", ipa_code="c_f952", province_code="NO")
        lecce = make_org("Comune di Lecce", ipa_code="c_e506", region_code="16", province_code="LE")
        torino = make_org("Comune di Torino", ipa_code="c_l219")
        pisa = make_org("Comune di Pisa", ipa_code="c_g702", region_code="09", province_code="PI")
        cuneo = make_org("Comune di Cuneo", ipa_code="c_d205", province_code="CN")
        vendor = make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None, region_code="03",
                          province_code=None)
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            chair=make_user("presidente@asti.example.it", asti, full_name="Paola Presidente"),
            deputy=make_user("vice@novara.example.it", novara, full_name="Vito Vice"),
            reviewer=make_user("valutatrice@lecce.example.it", lecce, full_name="Vera Valutatrice"),
            reviewer_conflicted=make_user("valutatore@torino.example.it", torino, full_name="Tullio Torinese"),
            reviewer_unassigned=make_user("valutatrice@pisa.example.it", pisa, full_name="Pia Pisana"),
            candidate_referent=make_user("referente@chieri.example.it", chieri, is_referent=True,
                                         full_name="Renata Referente"),
            candidate_member=make_user("cedente@chieri.example.it", chieri, full_name="Carlo Cedente"),
            other_referent=make_user("referente@bari.example.it", bari, is_referent=True, full_name="Bruno Barese"),
            member=make_user("membro@cuneo.example.it", cuneo, full_name="Mario Membro"),
            supplier=make_user("fornitore@solidale.example.it", vendor, full_name="Sergio Fornitore"),
            facilitator=make_user("animatrice@asti.example.it", asti, full_name="Fabia Animatrice"),
        )
        community = make_community("Comunità appalti", "open", facilitators=[people["facilitator"]],
                                   members=[people["member"], people["candidate_member"]])
        practice = make_practice("Sportello unico digitale", community, chieri,
                                 kit={"context": "Contesto.", "requirements": "Requisiti."})
        draft_practice = make_practice("Bozza di pratica", community, chieri, status="draft")
        other_practice = make_practice("Mensa scolastica in rete", community, bari)
        db.session.add(Adoption(practice_id=practice.id, organization_id=torino.id, status="completed",
                                confirmed_at=utcnow(), declared_by_id=people["reviewer_conflicted"].id))
        call = make_call(chair=people["chair"], created_by=people["admin"])
        add_commission(call, reviewers=[people["reviewer"], people["reviewer_conflicted"],
                                        people["reviewer_unassigned"]], deputies=[people["deputy"]])
        db.session.commit()
        return EvalWorld(call=ref(call), practice=ref(practice), draft_practice=ref(draft_practice),
                         other_practice=ref(other_practice), community=ref(community),
                         **{k: ref(v) for k, v in people.items()}, chieri=ref(chieri), bari=ref(bari),
                         torino=ref(torino))


def make_call(title: str = "Premio buone pratiche 2026", *, chair=None, created_by=None, phase: str = "open",
              **fields):
    """A call with the default EPSA grid, closing in 30 days; flushes (the caller commits)."""
    from slugify import slugify

    from app.evaluation.defaults import default_criteria
    from app.models import Criterion, EvaluationCall

    values = dict(description="Avviso per riconoscere le buone pratiche delle amministrazioni.", year=2026,
                  categories=[{"code": "digitale", "label": "Trasformazione digitale"},
                              {"code": "servizi", "label": "Servizi ai cittadini"}],
                  opens_on=date.today() - timedelta(days=5), closes_at=utcnow() + timedelta(days=30),
                  review_due_on=date.today() + timedelta(days=60), reviewers_per_candidacy=2, max_load=6,
                  disagreement_threshold=1.5)
    values.update(fields)
    call = EvaluationCall(title=title, slug=slugify(title), phase=phase, chair_id=chair.id if chair else None,
                          created_by_id=created_by.id if created_by else None, **values)
    call.criteria = [Criterion(**each) for each in default_criteria()]
    db.session.add(call)
    db.session.flush()
    return call


def add_commission(call, reviewers=(), deputies=(), attested: bool = True) -> None:
    from app.models import CommissionMember

    for person, deputy in [(each, False) for each in reviewers] + [(each, True) for each in deputies]:
        db.session.add(CommissionMember(call_id=call.id, user_id=person.id, is_deputy=deputy,
                                        attested_at=utcnow() if attested else None))
    db.session.flush()


def set_phase(app, call_id: int, phase: str) -> None:
    """Move a call straight to a phase (and its submitted candidacies along), as the chair would have."""
    with app.app_context():
        from app.models import Candidacy, EvaluationCall

        call = db.session.get(EvaluationCall, call_id)
        call.phase = phase
        if phase in ("review", "consensus", "decided"):
            call.criteria_frozen_at = call.criteria_frozen_at or None
            for candidacy in db.session.query(Candidacy).filter_by(call_id=call_id, status="submitted"):
                candidacy.status = "under_review"
        if phase == "decided":
            call.decisions_published_at = utcnow()
            for candidacy in db.session.query(Candidacy).filter_by(call_id=call_id, status="under_review"):
                candidacy.status = "decided"
        db.session.commit()


STANDARD_FIELDS = {
    "why_good": "Riduce i tempi di rilascio dei permessi da 60 a 15 giorni.",
    "methods": "Analisi dei processi, sportello online, formazione del personale.",
    "results": "Tempi medi ridotti del 75% (relazione 2025 allegata).",
    "resources": "Due persone per sei mesi, 40.000 euro di fondi PNRR.",
    "transferability": "KIT pubblicato con modulistica e capitolato.",
    "contacts": "Ufficio SUAP, suap@chieri.example.it",
}


def make_candidacy(call_id: int, practice_id: int, author_id: int, status: str = "submitted", **fields):
    """A candidacy written directly, in the caller's app context; commits. Submitted ones get their snapshot."""
    from app.models import Candidacy, Practice, User

    practice = db.session.get(Practice, practice_id)
    author = db.session.get(User, author_id)
    values = dict(category="digitale", fields=dict(STANDARD_FIELDS), extra={})
    values.update(fields)
    candidacy = Candidacy(call_id=call_id, practice_id=practice_id, organization_id=author.organization_id,
                          status=status, created_by_id=author_id, **values)
    if status != "draft":
        candidacy.submitted_at, candidacy.submitted_by_id = utcnow(), author_id
        candidacy.snapshot = {"title": practice.title, "summary": practice.summary, "fields": dict(values["fields"]),
                              "extra": dict(values["extra"])}
    db.session.add(candidacy)
    db.session.commit()
    return candidacy


def assign(candidacy_id: int, user_id: int, status: str = "assigned", by_id: int | None = None):
    """An assignment written directly, in the caller's app context; commits."""
    from app.models import Assignment

    assignment = Assignment(candidacy_id=candidacy_id, user_id=user_id, status=status, assigned_by_id=by_id)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def make_review(assignment_id: int, scores: dict[str, int], confidence: int = 2, submitted: bool = True,
                comment: str = "Buona candidatura."):
    """A review with a score per criterion code (motivation filled), total computed the plain way; commits."""
    from app.models import Assignment, Review, ReviewScore

    assignment = db.session.get(Assignment, assignment_id)
    criteria = {c.code: c for c in assignment.candidacy.call.criteria}
    review = Review(assignment_id=assignment.id, candidacy_id=assignment.candidacy_id, reviewer_id=assignment.user_id,
                    confidence=confidence, comment=comment, submitted_at=utcnow() if submitted else None)
    review.scores = [ReviewScore(criterion_id=criteria[code].id, score=value, motivation=f"Motivo per {code}.")
                     for code, value in scores.items()]
    weights = sum(criteria[code].weight for code in scores)
    review.total = (sum(criteria[code].weight * value for code, value in scores.items()) / weights
                    if submitted and len(scores) == len(criteria) else None)
    if submitted:
        assignment.status = "submitted"
    db.session.add(review)
    db.session.commit()
    return review


def add_conflict(call_id: int, candidacy_id: int, user_id: int, kind: str = "reuser", source: str = "computed",
                 status: str = "suggested"):
    from app.models import Conflict

    conflict = Conflict(call_id=call_id, candidacy_id=candidacy_id, user_id=user_id, kind=kind, source=source,
                        status=status)
    db.session.add(conflict)
    db.session.commit()
    return conflict
