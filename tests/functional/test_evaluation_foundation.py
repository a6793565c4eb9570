"""The evaluation area's foundation (issue 13): the fixtures build, the access rules read them as documented."""
from app.extensions import db
from tests.evaluation_world import add_conflict, assign, make_candidacy, make_review, set_phase


def test_access_rules_on_the_fixture_world(app, eworld):
    from app.evaluation import access
    from app.models import Candidacy, User

    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        assign(candidacy.id, eworld.reviewer.id)
        add_conflict(eworld.call.id, candidacy.id, eworld.reviewer_conflicted.id)
        candidacy_id = candidacy.id
    set_phase(app, eworld.call.id, "review")
    with app.test_request_context():
        candidacy = db.session.get(Candidacy, candidacy_id)
        person = {role: db.session.get(User, eworld.person(role).id) for role in
                  ("reviewer", "reviewer_conflicted", "reviewer_unassigned", "chair", "candidate_member", "member",
                   "admin")}
        assert access.can_view_candidacy(person["reviewer"], candidacy)
        assert not access.can_view_candidacy(person["reviewer_conflicted"], candidacy)
        assert not access.can_view_candidacy(person["reviewer_unassigned"], candidacy)
        assert access.can_view_candidacy(person["chair"], candidacy)
        assert access.can_view_candidacy(person["candidate_member"], candidacy)
        assert not access.can_view_candidacy(person["member"], candidacy)
        assert not access.can_view_reviews(person["reviewer"], candidacy)  # not before their own is in
        assert not access.can_use_self_assessment(person["admin"], eworld.chieri.id)
        assert access.can_use_self_assessment(person["candidate_member"], eworld.chieri.id)


def test_a_review_written_by_the_helper_has_its_weighted_total(app, eworld):
    with app.app_context():
        candidacy = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        assignment = assign(candidacy.id, eworld.reviewer.id)
        review = make_review(assignment.id, {"innovation": 5, "impact": 4, "engagement": 3, "relevance": 3,
                                             "sustainability": 2, "transferability": 1})
        assert review.total == 3.0
