"""Fixtures of the Q&A tests (issue 12): three communities, a practice in each, a person in every role."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models.base import utcnow
from tests.conftest import Ref, make_community, make_org, make_practice, make_user, ref

ROLES = ("anonymous", "member", "other_member", "facilitator", "donor_referent", "donor_member", "supplier",
         "outsider", "admin")


@dataclass
class QaWorld:
    """Communities open / moderated / private, each with a published practice of Chieri's.

    - member (Bari) and other_member (Lecce): active members of all three communities
    - facilitator (Asti): facilitates all three
    - donor_referent (Chieri, referent): NOT a member of the communities (the donor team answers anyway)
    - donor_member (Chieri): member of all three
    - supplier (a supplier's person): member of all three
    - outsider (Torino): signed in, member of none
    - admin: platform administrator, member of none
    """

    open: Ref
    moderated: Ref
    private: Ref
    open_practice: Ref
    moderated_practice: Ref
    private_practice: Ref
    admin: Ref
    facilitator: Ref
    member: Ref
    other_member: Ref
    donor_referent: Ref
    donor_member: Ref
    supplier: Ref
    outsider: Ref
    chieri: Ref
    bari: Ref
    lecce: Ref

    def community(self, visibility: str) -> Ref:
        return getattr(self, visibility)

    def practice(self, visibility: str) -> Ref:
        return getattr(self, f"{visibility}_practice")


@pytest.fixture
def qworld(app) -> QaWorld:
    with app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        lecce = make_org("Comune di Lecce", ipa_code="c_e506", region_code="16", province_code="LE")
        torino = make_org("Comune di Torino", ipa_code="c_l219")
        vendor = make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None, region_code="03",
                          province_code=None)
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            facilitator=make_user("animatrice@asti.example.it", asti, full_name="Fabia Animatrice"),
            member=make_user("membro@bari.example.it", bari, full_name="Mario Membro"),
            other_member=make_user("altra@lecce.example.it", lecce, full_name="Olga Altra"),
            donor_referent=make_user("referente@chieri.example.it", chieri, is_referent=True,
                                     full_name="Renata Referente"),
            donor_member=make_user("cedente@chieri.example.it", chieri, full_name="Carlo Cedente"),
            supplier=make_user("fornitore@solidale.example.it", vendor, full_name="Sergio Fornitore"),
            outsider=make_user("esterno@torino.example.it", torino, full_name="Ettore Esterno"),
        )
        members = [people[k] for k in ("member", "other_member", "donor_member", "supplier")]
        communities, practices = {}, {}
        for visibility in ("open", "moderated", "private"):
            community = make_community(f"Comunità {visibility}", visibility, facilitators=[people["facilitator"]],
                                       members=members)
            communities[visibility] = community
            practices[f"{visibility}_practice"] = make_practice(f"Pratica della comunità {visibility}", community,
                                                                chieri)
        db.session.commit()
        return QaWorld(**{k: ref(v) for k, v in communities.items()}, **{k: ref(v) for k, v in practices.items()},
                       **{k: ref(v) for k, v in people.items()}, chieri=ref(chieri), bari=ref(bari),
                       lecce=ref(lecce))


def make_question(community_id: int, author_id: int, title: str = "Come avete gestito la gara per la mensa?",
                  body: str = "Vorremmo sapere come avete scritto il capitolato.", practice_id: int | None = None,
                  tags=(), **fields):
    """A question written directly (with its first revision), in the caller's app context; commits."""
    from app.models import Question, QuestionTag, Revision, User

    author = db.session.get(User, author_id)
    question = Question(community_id=community_id, practice_id=practice_id, title=title, body=body,
                        author_id=author_id, organization_id=author.organization_id if author else None, **fields)
    question.tags = [QuestionTag(name=name) for name in tags]
    db.session.add(question)
    db.session.flush()
    db.session.add(Revision(target_type="question", target_id=question.id, number=1, title=title, body=body,
                            tags=",".join(tags), editor_id=author_id, created_at=question.created_at))
    db.session.commit()
    return question


def make_answer(question_id: int, author_id: int, body: str = "Abbiamo usato il modello ANAC.", **fields):
    """An answer written directly (first revision, the question's counters), in the caller's app context; commits."""
    from app.models import Answer, Question, Revision, User

    question = db.session.get(Question, question_id)
    author = db.session.get(User, author_id)
    official = fields.pop("official", None)
    if official is None:
        official = question.practice is not None and author.organization_id in question.practice.donor_ids
    answer = Answer(question_id=question_id, author_id=author_id, body=body, official=official,
                    organization_id=author.organization_id, **fields)
    db.session.add(answer)
    db.session.flush()
    db.session.add(Revision(target_type="answer", target_id=answer.id, number=1, body=body, editor_id=author_id,
                            created_at=answer.created_at))
    question.answer_count += 1
    question.last_activity_at = utcnow()
    if author_id != question.author_id and question.first_answer_at is None:
        question.first_answer_at = answer.created_at or utcnow()
    db.session.commit()
    return answer
