"""Consensus and decisions (issue 13, point 8): the commission's private discussion, the chair's decision, the
publication of a call's decisions (all or nothing), the feedback report (never a reviewer's name), the results."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (Candidacy, Decision, DiscussionPost, EvaluationAudit, EvaluationCall, Notification, Practice,
                        User)
from app.models.base import utcnow
from tests.conftest import csrf_token, login, post
from tests.evaluation_world import add_conflict, assign, make_candidacy, make_review, set_phase

SCORES_A = [{"innovation": 5, "impact": 4, "engagement": 4, "relevance": 3, "sustainability": 4, "transferability": 4},
            {"innovation": 3, "impact": 3, "engagement": 2, "relevance": 4, "sustainability": 3, "transferability": 3}]


@dataclass
class Scene:
    a: int  # Chieri's candidacy of `practice`
    b: int  # Bari's candidacy of `other_practice`


@pytest.fixture
def scene(app, eworld) -> Scene:
    """Two candidacies in a call in consensus. A: assigned to `reviewer` (review submitted) and to
    `reviewer_conflicted` (assigned, then a confirmed conflict: sees nothing of A). B: assigned to
    `reviewer_unassigned` (the fixture's name: here it reviews B only, never A)."""
    with app.app_context():
        a = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        b = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id, category="servizi")
        first = assign(a.id, eworld.reviewer.id)
        make_review(first.id, SCORES_A[0])
        assign(a.id, eworld.reviewer_conflicted.id)
        add_conflict(eworld.call.id, a.id, eworld.reviewer_conflicted.id, source="reviewer", status="confirmed")
        other = assign(b.id, eworld.reviewer_unassigned.id)
        make_review(other.id, SCORES_A[1])
        ids = Scene(a=a.id, b=b.id)
    set_phase(app, eworld.call.id, "consensus")
    return ids


def sign_in(client, person):
    assert login(client, person).status_code == 303


def signed_in(app, person):
    """A new client signed in as `person` (signing out is a POST: a fresh client is simpler)."""
    client = app.test_client()
    sign_in(client, person)
    return client


def notifications(app, verb: str) -> dict[int, int]:
    with app.app_context():
        return dict(db.session.execute(select(Notification.user_id, func.count()).where(Notification.verb == verb)
                                       .group_by(Notification.user_id)).all())


def write_decision(app, candidacy_id: int, outcome: str | None, motivation: str = "", published: bool = False):
    with app.app_context():
        db.session.add(Decision(candidacy_id=candidacy_id, outcome=outcome, motivation=motivation,
                                synthesis="Sintesi riservata della commissione.",
                                published_at=utcnow() if published else None))
        db.session.commit()


# ---- discussion -------------------------------------------------------------------------------------------------

def test_a_post_reaches_the_commission_but_never_a_conflicted_member_nor_the_candidate(app, client, eworld, scene):
    sign_in(client, eworld.reviewer)
    url = f"/evaluation/candidacies/{scene.a}/discussion"
    response = post(client, url, {"body": "Propongo di **riconoscerla**: i risultati sono documentati."},
                    page=url, htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>riconoscerla</strong>" in html and "Vera Valutatrice" in html
    assert "<html" not in html  # the discussion block only
    told = notifications(app, "evaluation.discussion_new")
    assert told == {eworld.chair.id: 1}  # not the author, not the conflicted member, not the candidate
    with app.app_context():
        first = db.session.execute(select(DiscussionPost)).scalar_one()
        assert first.candidacy_id == scene.a and first.parent_id is None
        notification = db.session.execute(select(Notification)).scalar_one()
        assert notification.link == f"{url}#post-{first.id}"
        first_id = first.id

    client = signed_in(app, eworld.chair)
    news = client.get("/notifications/").get_data(as_text=True)
    assert ("Vera Valutatrice ha scritto nella discussione della commissione su «Sportello unico digitale» "
            "(Premio buone pratiche 2026)") in news
    response = post(client, url, {"body": "D'accordo.", "parent": str(first_id)}, page=url)
    assert response.status_code == 303 and f"{url}#post-" in response.headers["Location"]
    with app.app_context():
        reply = db.session.execute(select(DiscussionPost).where(DiscussionPost.parent_id == first_id)).scalar_one()
        reply_id = reply.id
    # A reply to a reply joins the thread (one level).
    response = post(client, url, {"body": "Aggiungo una nota.", "parent": str(reply_id)}, page=url, htmx=True)
    assert response.status_code == 200
    with app.app_context():
        parents = db.session.execute(select(DiscussionPost.parent_id).order_by(DiscussionPost.id)).scalars().all()
        assert parents == [None, first_id, first_id]
    assert notifications(app, "evaluation.discussion_new") == {eworld.chair.id: 1, eworld.reviewer.id: 2}
    page = client.get(url).get_data(as_text=True)
    assert page.index("Propongo di") < page.index("accordo.") < page.index("Aggiungo una nota.")


def test_a_reviewer_discusses_only_once_their_own_review_is_sent(app, client, eworld, scene):
    """Independent first, shared after: an assigned reviewer who has not sent their review neither reads nor writes
    the discussion, nor is told of a post; once sent, they are."""
    from app.models import Assignment

    with app.app_context():
        pending = assign(scene.a, eworld.deputy.id).id  # a second reviewer of A, review not sent
        db.session.add(DiscussionPost(candidacy_id=scene.a, author_id=eworld.reviewer.id,
                                      body="Io ho dato 5 su innovazione."))
        db.session.commit()
    url = f"/evaluation/candidacies/{scene.a}/discussion"
    sign_in(client, eworld.deputy)
    response = client.get(url)
    assert response.status_code == 403 and "Io ho dato 5" not in response.get_data(as_text=True)
    assert post(client, url, {"body": "Anch'io."}, page=f"/evaluation/candidacies/{scene.a}").status_code == 403
    chair = signed_in(app, eworld.chair)
    assert post(chair, url, {"body": "Attendiamo tutte le valutazioni."}, page=url).status_code == 303
    assert notifications(app, "evaluation.discussion_new") == {eworld.reviewer.id: 1}
    with app.app_context():
        make_review(pending, SCORES_A[1])
        assert db.session.get(Assignment, pending).status == "submitted"
    assert "Io ho dato 5" in client.get(url).get_data(as_text=True)
    assert post(chair, url, {"body": "Ora ci siamo tutti."}, page=url).status_code == 303
    assert notifications(app, "evaluation.discussion_new") == {eworld.reviewer.id: 2, eworld.deputy.id: 1}


def test_an_empty_post_is_refused_at_the_field(app, client, eworld, scene):
    sign_in(client, eworld.reviewer)
    url = f"/evaluation/candidacies/{scene.a}/discussion"
    for htmx in (False, True):
        response = post(client, url, {"body": "   "}, page=url, htmx=htmx)
        assert response.status_code == 422
        assert "Scrivi il messaggio." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DiscussionPost)) == 0


def test_the_discussion_is_closed_once_decisions_are_published(app, client, eworld, scene):
    set_phase(app, eworld.call.id, "decided")
    sign_in(client, eworld.reviewer)
    url = f"/evaluation/candidacies/{scene.a}/discussion"
    assert client.get(url).status_code == 200
    response = post(client, url, {"body": "Troppo tardi."}, page=url)
    assert response.status_code == 422
    assert "La discussione è chiusa" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DiscussionPost)) == 0


# ---- recording a decision ---------------------------------------------------------------------------------------

def test_the_reviews_that_count_follow_the_blocking_conflict_rule(app, eworld, scene):
    """decisions.submitted_reviews is reviews.submitted_reviews: a candidate's suggestion does not discard a review;
    the platform's pending suggestion (or a confirmed conflict) does."""
    from app.evaluation import decisions

    with app.test_request_context():
        candidacy = db.session.get(Candidacy, scene.a)
        assert [r.reviewer_id for r in decisions.submitted_reviews(candidacy)] == [eworld.reviewer.id]
        add_conflict(eworld.call.id, scene.a, eworld.reviewer.id, kind="personal", source="candidate")
        assert [r.reviewer_id for r in decisions.submitted_reviews(candidacy)] == [eworld.reviewer.id]
        assert decisions.commission_figures(candidacy, decisions.submitted_reviews(candidacy))["submitted"]
        add_conflict(eworld.call.id, scene.a, eworld.reviewer.id, kind="reuser", source="computed")
        assert decisions.submitted_reviews(candidacy) == []


def test_the_chair_records_an_unpublished_decision_with_a_motivation(app, client, eworld, scene):
    sign_in(client, eworld.chair)
    url = f"/evaluation/candidacies/{scene.a}/decision"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Totale ponderato" in html and "Valutazioni inviate: 1/1." in html
    assert "Vera Valutatrice" not in html  # figures, not people

    # A final outcome needs its motivation: 422 at the field, the rest kept, nothing stored.
    for htmx in (False, True):
        response = post(client, url, {"synthesis": "Forte sui risultati.", "proposed_outcome": "recognised",
                                      "outcome": "recognised", "motivation": ""}, page=url, htmx=htmx)
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert "Motivate l&#39;esito" in body and "Forte sui risultati." in body
    response = post(client, url, {"outcome": "prize"}, page=url)
    assert response.status_code == 422 and "Scegli un esito dall&#39;elenco." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0

    response = post(client, url, {"synthesis": "Forte sui risultati.", "proposed_outcome": "recognised",
                                  "outcome": "recognised", "motivation": "Risultati misurati e trasferibili."},
                    page=url)
    assert response.status_code == 303
    with app.app_context():
        decision = db.session.execute(select(Decision)).scalar_one()
        assert (decision.outcome, decision.proposed_outcome, decision.published_at) == ("recognised", "recognised",
                                                                                         None)
        assert decision.decided_by_id == eworld.chair.id
        entry = db.session.execute(select(EvaluationAudit).where(EvaluationAudit.action == "decision.record")
                                   ).scalar_one()
        assert entry.candidacy_id == scene.a and entry.detail["outcome"] == "recognised"
    assert "Esito registrato, non ancora pubblicato" in client.get(url).get_data(as_text=True)
    # Unpublished: no feedback report, no results, no recognition.
    client = signed_in(app, eworld.candidate_referent)
    assert client.get(f"/evaluation/candidacies/{scene.a}/feedback").status_code == 403
    assert client.get("/evaluation/calls/premio-buone-pratiche-2026/results").status_code == 404
    with app.app_context():
        assert not db.session.get(Practice, eworld.practice.id).recognised


def test_a_deputy_decides_when_the_chair_is_conflicted(app, client, eworld, scene):
    with app.app_context():
        add_conflict(eworld.call.id, scene.a, eworld.chair.id, kind="personal", source="reviewer",
                     status="confirmed")
        db.session.get(Candidacy, scene.a).chair_handled_by_id = eworld.deputy.id
        db.session.commit()
    url = f"/evaluation/candidacies/{scene.a}/decision"
    sign_in(client, eworld.chair)
    assert client.get(url).status_code == 404
    client = signed_in(app, eworld.deputy)
    response = post(client, url, {"outcome": "special_mention", "motivation": "Menzione per il metodo."}, page=url)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.execute(select(Decision.outcome)).scalar_one() == "special_mention"


# ---- publication --------------------------------------------------------------------------------------------------

PUBLISH = "/evaluation/calls/premio-buone-pratiche-2026/phase/publish_decisions"


def state(app, eworld, scene) -> dict:
    with app.app_context():
        return dict(
            phase=db.session.get(EvaluationCall, eworld.call.id).phase,
            statuses=sorted(db.session.execute(select(Candidacy.status)).scalars()),
            published=db.session.scalar(select(func.count()).select_from(Decision)
                                        .where(Decision.published_at.is_not(None))),
            recognised=db.session.scalar(select(func.count()).select_from(Practice)
                                         .where(Practice.recognised.is_(True))),
            notifications=db.session.scalar(select(func.count()).select_from(Notification)
                                            .where(Notification.verb == "evaluation.decision_published")),
            audits=db.session.scalar(select(func.count()).select_from(EvaluationAudit)
                                     .where(EvaluationAudit.action == "decision.publish")))


def test_publishing_with_a_missing_decision_is_refused_and_nothing_is_half_applied(app, client, eworld, scene):
    write_decision(app, scene.a, "recognised", "Risultati misurati.")
    write_decision(app, scene.b, None)  # only proposed: not a decision yet
    before = state(app, eworld, scene)
    with app.test_request_context():
        from app.evaluation import decisions

        call = db.session.get(EvaluationCall, eworld.call.id)
        assert decisions.missing_count(call) == 1
        with pytest.raises(decisions.EvaluationError):
            decisions.publish(call, db.session.get(User, eworld.chair.id))
    assert state(app, eworld, scene) == before
    sign_in(client, eworld.chair)
    response = client.post(PUBLISH, data={"csrf_token": csrf_token(client, "/privacy")})
    assert response.status_code == 422
    assert "registrate un esito per ogni candidatura" in response.get_data(as_text=True)
    assert state(app, eworld, scene) == before == dict(phase="consensus", statuses=["under_review"] * 2,
                                                       published=0, recognised=0, notifications=0, audits=0)


def test_publishing_releases_every_decision_together(app, client, eworld, scene):
    write_decision(app, scene.a, "recognised", "Risultati misurati e trasferibili.")
    write_decision(app, scene.b, "not_recognised", "Risultati non ancora misurati.")
    sign_in(client, eworld.chair)
    response = client.post(PUBLISH, data={"csrf_token": csrf_token(client, "/privacy")})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert state(app, eworld, scene) == dict(phase="decided", statuses=["decided"] * 2, published=2, recognised=1,
                                             notifications=2, audits=2)
    with app.app_context():
        practice = db.session.get(Practice, eworld.practice.id)
        assert practice.recognitions == [{"call": "premio-buone-pratiche-2026", "title": "Premio buone pratiche 2026",
                                          "year": 2026, "outcome": "recognised"}]
        assert not db.session.get(Practice, eworld.other_practice.id).recognised
        told = dict(db.session.execute(select(Notification.user_id, Notification.link).where(
            Notification.verb == "evaluation.decision_published")).all())
        # The candidates' referents, each with their own report; not the other people of the organisation.
        assert told == {eworld.candidate_referent.id: f"/evaluation/candidacies/{scene.a}/feedback",
                        eworld.other_referent.id: f"/evaluation/candidacies/{scene.b}/feedback"}
        assert db.session.get(EvaluationCall, eworld.call.id).decisions_published_at is not None
    news = signed_in(app, eworld.candidate_referent).get("/notifications/").get_data(as_text=True)
    assert ("L&#39;esito della candidatura di «Sportello unico digitale» a Premio buone pratiche 2026 è pubblicato"
            in news)

    # The public results: the recognised practice with its motivation, not the one that was not recognised.
    client = app.test_client()
    results = client.get("/evaluation/calls/premio-buone-pratiche-2026/results")
    assert results.status_code == 200
    html = results.get_data(as_text=True)
    assert "Sportello unico digitale" in html and "Risultati misurati e trasferibili." in html
    assert "Mensa scolastica in rete" not in html and "non ancora misurati" not in html
    assert "Trasformazione digitale" in html  # per category
    fragment = client.get("/evaluation/calls/premio-buone-pratiche-2026/results", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    # The call's page shows them too (it includes evaluation/_results.html once decided).
    call_page = client.get("/evaluation/calls/premio-buone-pratiche-2026").get_data(as_text=True)
    results_part = call_page[call_page.index('id="call-results"'):]
    assert "Risultati" in results_part and "Risultati misurati e trasferibili." in results_part
    assert "Mensa scolastica in rete" not in results_part


# ---- the feedback report ----------------------------------------------------------------------------------------

def test_the_feedback_report_has_outcome_scores_and_visible_motivations_never_reviewers(app, client, eworld, scene):
    with app.app_context():
        second = assign(scene.a, eworld.deputy.id, status="assigned")
        make_review(second.id, SCORES_A[1], comment="Commento generale riservato.")
        call = db.session.get(EvaluationCall, eworld.call.id)
        hidden = call.criteria[-1]
        hidden.candidate_visible = False
        hidden_code, hidden_title = hidden.code, hidden.title_it
        db.session.commit()
    write_decision(app, scene.a, "special_mention", "Un metodo che altri possono seguire.")
    write_decision(app, scene.b, "not_recognised", "Da documentare meglio.")
    sign_in(client, eworld.chair)
    assert client.post(PUBLISH, data={"csrf_token": csrf_token(client, "/privacy")}).status_code == 303
    client = signed_in(app, eworld.candidate_member)  # every person of the candidate organisation reads it
    url = f"/evaluation/candidacies/{scene.a}/feedback"
    for htmx in (False, True):
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Menzione speciale" in html and "Un metodo che altri possono seguire." in html
        assert "Premio buone pratiche 2026" in html and "2026" in html
        assert "4,00" in html  # innovation: (5 + 3) / 2
        assert "Motivo per innovation." in html  # a candidate-visible criterion's motivations
        assert f"Motivo per {hidden_code}." not in html and hidden_title in html  # mean shown, motivations not
        # Never who reviewed: no names, no e-mail addresses, not the commission's own notes.
        with app.app_context():
            for person in db.session.execute(select(User).where(User.id.in_(
                    [eworld.reviewer.id, eworld.deputy.id, eworld.chair.id, eworld.reviewer_conflicted.id]))).scalars():
                assert person.full_name not in html and person.email not in html
        assert "Commento generale riservato." not in html and "Sintesi riservata" not in html
        assert "<html" not in html if htmx else "<html" in html
    results = client.get("/evaluation/calls/premio-buone-pratiche-2026/results").get_data(as_text=True)
    assert results.index("Menzioni speciali") < results.index("Un metodo che altri possono seguire.")
    assert "Buone pratiche riconosciute" not in results  # none recognised, only a mention
    # Another organisation's report is not theirs; the commission does not read reports.
    assert client.get(f"/evaluation/candidacies/{scene.b}/feedback").status_code == 404
    client = signed_in(app, eworld.chair)
    assert client.get(url).status_code == 403


def test_publish_leaves_committing_to_the_call_phase_change(app, eworld, scene):
    """decisions.publish runs inside the phase change's transaction: it does not commit on its own."""
    write_decision(app, scene.a, "recognised", "Risultati misurati.")
    write_decision(app, scene.b, "not_recognised", "Da misurare.")
    with app.test_request_context():
        from app.evaluation import decisions

        call = db.session.get(EvaluationCall, eworld.call.id)
        assert decisions.missing_count(call) == 0
        assert decisions.publish(call, db.session.get(User, eworld.chair.id)) == 2
        assert db.session.get(Practice, eworld.practice.id).recognised  # applied in the session...
        db.session.rollback()  # ...and gone with the caller's rollback
    with app.app_context():
        assert not db.session.get(Practice, eworld.practice.id).recognised
        assert db.session.scalar(select(func.count()).select_from(Decision)
                                 .where(Decision.published_at.is_not(None))) == 0
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_published_decision_is_not_recorded_again(app, eworld, scene):
    write_decision(app, scene.a, "recognised", "Risultati misurati.")
    write_decision(app, scene.b, "not_recognised", "Da misurare.")
    with app.test_request_context():
        from app.evaluation import decisions
        from app.evaluation.calls import change_phase

        call = db.session.get(EvaluationCall, eworld.call.id)
        chair = db.session.get(User, eworld.chair.id)
        change_phase(call, "publish_decisions", chair)
        with pytest.raises(decisions.EvaluationError):
            decisions.record(db.session.get(Candidacy, scene.a), chair, synthesis="", proposed_outcome="",
                             outcome="not_recognised", motivation="Ci ripensiamo.")
    with app.app_context():
        assert db.session.execute(select(Decision.outcome).where(Decision.candidacy_id == scene.a)
                                  ).scalar_one() == "recognised"


def test_the_chairs_dashboard_counts_the_candidacies_waiting_for_an_outcome(app, eworld, scene):
    client = signed_in(app, eworld.chair)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Premio buone pratiche 2026: 2 candidature attendono l&#39;esito" in html
    write_decision(app, scene.a, "recognised", "Risultati misurati.")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Premio buone pratiche 2026: 1 candidatura attende l&#39;esito" in html
    assert "attende" not in signed_in(app, eworld.reviewer).get("/dashboard").get_data(as_text=True)
