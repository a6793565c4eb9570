"""The organisation's private self-assessment (issue 13, point 4): CAF 2020 loaded once, an assessment, each
person's scores (classical and fine-tuned), validation at the field, the consensus by referents only, closing, the
improvement plan, the comparison over time, templates (edit, clone)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AssessmentScore, AssessmentTemplate, ImprovementAction, SelfAssessment
from tests.conftest import login, post

URL = "/evaluation/self-assessment"


# ---- helpers (also used by the other self-assessment test files) ---------------------------------------------------

def load_template(app) -> int:
    """CAF 2020 loaded as the CLI does; returns the template id."""
    with app.app_context():
        from app.evaluation.caf import load_caf

        template, _created = load_caf()
        return template.id


def make_assessment(app, organization_id: int, template_id: int, creator_id: int, assessed_on=date(2026, 3, 10),
                    panel: str = "classical", title: str = "Autovalutazione CAF 2026", status: str = "open") -> int:
    with app.app_context():
        assessment = SelfAssessment(organization_id=organization_id, template_id=template_id, title=title,
                                    panel=panel, assessed_on=assessed_on, status=status, created_by_id=creator_id)
        db.session.add(assessment)
        db.session.commit()
        return assessment.id


def add_score(app, assessment_id: int, code: str, user_id: int | None, values: dict, strengths: str = "",
              improvements: str = "", evidence: str = "") -> int:
    with app.app_context():
        score = AssessmentScore(assessment_id=assessment_id, item_code=code, user_id=user_id, values=values,
                                strengths=strengths, improvements=improvements, evidence=evidence)
        db.session.add(score)
        db.session.commit()
        return score.id


def scores(app, assessment_id: int, user_id=..., code: str | None = None) -> list[AssessmentScore]:
    with app.app_context():
        query = select(AssessmentScore).where(AssessmentScore.assessment_id == assessment_id)
        if user_id is not ...:
            query = query.where(AssessmentScore.user_id.is_(None) if user_id is None else
                                AssessmentScore.user_id == user_id)
        if code:
            query = query.where(AssessmentScore.item_code == code)
        found = list(db.session.execute(query).scalars())
        for each in found:
            db.session.expunge(each)
        return found


# ---- CAF 2020 loaded once -------------------------------------------------------------------------------------------

def test_load_caf_command_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["evaluation", "load-caf"])
    assert first.exit_code == 0, first.output
    assert "28 sub-criteria" in first.output
    second = runner.invoke(args=["evaluation", "load-caf"])
    assert second.exit_code == 0 and "already loaded" in second.output
    with app.app_context():
        templates = list(db.session.execute(select(AssessmentTemplate)).scalars())
        assert len(templates) == 1
        assert templates[0].code == "caf-2020" and len(templates[0].sub_items()) == 28


# ---- creating an assessment ------------------------------------------------------------------------------------------

def test_a_person_of_the_organisation_starts_an_assessment(app, client, eworld):
    template_id = load_template(app)
    login(client, eworld.candidate_member)
    page = client.get(f"{URL}/new")
    assert page.status_code == 200 and "CAF 2020" in page.get_data(as_text=True)
    response = post(client, f"{URL}/new", {"template": template_id, "panel": "fine_tuned",
                                           "title": "Autovalutazione 2026", "assessed_on": "2026-04-02"})
    assert response.status_code == 303
    with app.app_context():
        assessment = db.session.execute(select(SelfAssessment)).scalar_one()
        assert (assessment.organization_id, assessment.panel, assessment.assessed_on) == (
            eworld.chieri.id, "fine_tuned", date(2026, 4, 2))
        assessment_id = assessment.id
    assert response.headers["Location"].endswith(f"{URL}/{assessment_id}")
    page = client.get(f"{URL}/{assessment_id}").get_data(as_text=True)
    assert "Autovalutazione 2026" in page and "1.1" in page and "9.2" in page
    assert "traduzione di lavoro" in page  # the working translations are marked
    assert "Autovalutazione 2026" in client.get(f"{URL}/").get_data(as_text=True)


def test_a_new_assessment_with_bad_fields_is_refused_at_the_field(app, client, eworld):
    template_id = load_template(app)
    login(client, eworld.candidate_member)
    response = post(client, f"{URL}/new", {"template": template_id, "panel": "classical", "title": "",
                                           "assessed_on": "domani"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in text and 'id="assessed_on-error"' in text
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(SelfAssessment)).scalar() == 0


# ---- scores ----------------------------------------------------------------------------------------------------------

def test_own_classical_score_is_saved_and_written_again(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.candidate_member)
    page = client.get(f"{URL}/{assessment_id}/items/1.1")
    assert page.status_code == 200 and 'name="score"' in page.get_data(as_text=True)
    response = post(client, f"{URL}/{assessment_id}/items/1.1", {"score": "65", "strengths": "Visione condivisa.",
                                                                 "improvements": "", "evidence": "Piano 2025"})
    assert response.status_code == 303
    response = post(client, f"{URL}/{assessment_id}/items/1.1", {"score": "70", "strengths": "Visione condivisa."})
    assert response.status_code == 303
    saved = scores(app, assessment_id, eworld.candidate_member.id)
    assert [(each.item_code, each.values, each.strengths) for each in saved] == [
        ("1.1", {"score": 70}, "Visione condivisa.")]


@pytest.mark.parametrize("value, message", [("101", "Il punteggio va da 0 a 100."),
                                            ("-5", "Il punteggio va da 0 a 100."),
                                            ("sessanta", "Scrivi un numero intero da 0 a 100."),
                                            ("6.5", "Scrivi un numero intero da 0 a 100."),
                                            ("", "Indica almeno un punteggio.")])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_score_is_refused_at_the_field_and_nothing_is_saved(app, client, eworld, value, message, htmx):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.candidate_member)
    response = post(client, f"{URL}/{assessment_id}/items/2.3", {"score": value, "strengths": "Testo da tenere"},
                    htmx=htmx)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="score-error"' in text and message in text
    assert "Testo da tenere" in text  # the rest of the form is kept
    assert ("<html" in text) is (not htmx)
    assert scores(app, assessment_id) == []


def test_fine_tuned_panels_score_pdca_for_enablers_and_trends_targets_for_results(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id,
                                    panel="fine_tuned")
    login(client, eworld.candidate_member)
    page = client.get(f"{URL}/{assessment_id}/items/4.4").get_data(as_text=True)
    assert all(f'name="{key}"' in page for key in ("plan", "do", "check", "act")) and 'name="score"' not in page
    assert post(client, f"{URL}/{assessment_id}/items/4.4", {"plan": "80", "do": "60", "check": "40",
                                                              "act": "20"}).status_code == 303
    response = post(client, f"{URL}/{assessment_id}/items/9.1", {"trends": "55", "targets": "300"}, htmx=True)
    assert response.status_code == 422 and 'id="targets-error"' in response.get_data(as_text=True)
    response = post(client, f"{URL}/{assessment_id}/items/9.1", {"trends": "55", "targets": "45"}, htmx=True)
    assert response.status_code == 200 and "Il tuo punteggio è salvato." in response.get_data(as_text=True)
    saved = {each.item_code: each.values for each in scores(app, assessment_id, eworld.candidate_member.id)}
    assert saved == {"4.4": {"plan": 80, "do": 60, "check": 40, "act": 20}, "9.1": {"trends": 55, "targets": 45}}


def test_an_item_that_is_not_a_sub_criterion_is_not_found(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.candidate_member)
    assert client.get(f"{URL}/{assessment_id}/items/1").status_code == 404
    assert client.get(f"{URL}/{assessment_id}/items/99.9").status_code == 404


def test_colleagues_see_each_others_scores_side_by_side_with_names(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    add_score(app, assessment_id, "3.2", eworld.candidate_referent.id, {"score": 40}, strengths="Corsi interni.")
    add_score(app, assessment_id, "3.2", eworld.candidate_member.id, {"score": 60}, strengths="Mentoring.")
    login(client, eworld.candidate_member)
    page = client.get(f"{URL}/{assessment_id}/items/3.2").get_data(as_text=True)
    assert "Renata Referente" in page and "Carlo Cedente" in page
    assert "Corsi interni." in page and "Mentoring." in page


# ---- consensus, closing --------------------------------------------------------------------------------------------

def test_consensus_only_by_referents_and_upserted(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.candidate_member)
    page = client.get(f"{URL}/{assessment_id}/items/1.2").get_data(as_text=True)
    assert 'name="consensus-score"' not in page
    response = post(client, f"{URL}/{assessment_id}/items/1.2/consensus", {"consensus-score": "50"})
    assert response.status_code == 403
    assert scores(app, assessment_id) == []
    post(client, "/auth/logout")
    login(client, eworld.candidate_referent)
    assert 'name="consensus-score"' in client.get(f"{URL}/{assessment_id}/items/1.2").get_data(as_text=True)
    assert post(client, f"{URL}/{assessment_id}/items/1.2/consensus",
                {"consensus-score": "50", "consensus-strengths": "Cruscotto mensile."}).status_code == 303
    response = post(client, f"{URL}/{assessment_id}/items/1.2/consensus", {"consensus-score": "55"}, htmx=True)
    assert response.status_code == 200 and "Il valore di consenso è salvato." in response.get_data(as_text=True)
    response = post(client, f"{URL}/{assessment_id}/items/1.2/consensus", {"consensus-score": "x"})
    assert response.status_code == 422 and 'id="consensus-score-error"' in response.get_data(as_text=True)
    consensus = scores(app, assessment_id, None)
    assert [(each.item_code, each.values) for each in consensus] == [("1.2", {"score": 55})]


def test_closing_fixes_the_scores(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.candidate_member)
    assert post(client, f"{URL}/{assessment_id}/close").status_code == 403
    post(client, "/auth/logout")
    login(client, eworld.candidate_referent)
    assert post(client, f"{URL}/{assessment_id}/close").status_code == 303
    with app.app_context():
        assessment = db.session.get(SelfAssessment, assessment_id)
        assert assessment.status == "closed" and assessment.closed_at is not None
    response = post(client, f"{URL}/{assessment_id}/items/1.1", {"score": "50"})
    assert response.status_code == 422 and "chiusa" in response.get_data(as_text=True)
    response = post(client, f"{URL}/{assessment_id}/items/1.1/consensus", {"consensus-score": "50"})
    assert response.status_code == 422
    assert scores(app, assessment_id) == []


# ---- improvement plan ------------------------------------------------------------------------------------------------

def test_improvement_plan_actions_are_added_and_moved(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.candidate_member)
    response = post(client, f"{URL}/{assessment_id}/plan", {"title": "", "status": "planned"})
    assert response.status_code == 422 and 'id="title-error"' in response.get_data(as_text=True)
    response = post(client, f"{URL}/{assessment_id}/plan", {"title": "Indagine di clima", "item_code": "7.1",
                                                            "owner": "Ufficio personale", "due_on": "2026-12-31",
                                                            "status": "planned"})
    assert response.status_code == 303
    with app.app_context():
        action = db.session.execute(select(ImprovementAction)).scalar_one()
        assert (action.title, action.item_code, action.due_on) == ("Indagine di clima", "7.1", date(2026, 12, 31))
        action_id = action.id
    response = post(client, f"{URL}/{assessment_id}/plan", {"action_id": action_id, "status": "forse"})
    assert response.status_code == 422 and "Scegli uno stato." in response.get_data(as_text=True)
    assert post(client, f"{URL}/{assessment_id}/plan", {"action_id": 999, "status": "done"}).status_code == 422
    assert post(client, f"{URL}/{assessment_id}/plan", {"action_id": action_id, "status": "done"}).status_code == 303
    with app.app_context():
        assert db.session.get(ImprovementAction, action_id).status == "done"
    page = client.get(f"{URL}/{assessment_id}/plan").get_data(as_text=True)
    assert "Indagine di clima" in page and "Ufficio personale" in page


# ---- comparison over time ----------------------------------------------------------------------------------------

def test_an_assessment_repeated_a_year_later_shows_in_the_comparison(app, client, eworld):
    template_id = load_template(app)
    first = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id,
                            assessed_on=date(2025, 3, 10), title="Autovalutazione 2025", status="closed")
    second = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id,
                             assessed_on=date(2026, 3, 12), title="Autovalutazione 2026")
    add_score(app, first, "1.1", None, {"score": 40})
    add_score(app, first, "1.2", None, {"score": 60})  # criterion 1 in 2025: 50
    add_score(app, second, "1.1", None, {"score": 70})
    add_score(app, second, "1.2", None, {"score": 80})  # criterion 1 in 2026: 75
    add_score(app, second, "1.3", eworld.candidate_member.id, {"score": 5})  # a person's own: not in the chart
    login(client, eworld.candidate_member)
    response = client.get(f"{URL}/compare")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<svg" in text and "<title" in text and "<figcaption" in text and "<table" in text
    assert "Autovalutazione 2025" in text and "Autovalutazione 2026" in text
    row = text[text.index("<th scope=\"row\">1. Leadership"):]
    row = row[:row.index("</tr>")]
    assert "50" in row and "75" in row
    assert text.index("Autovalutazione 2025") < text.index("Autovalutazione 2026")  # oldest first


def test_the_comparison_without_consensus_says_so(app, client, eworld):
    login(client, eworld.candidate_member)
    response = client.get(f"{URL}/compare")
    assert response.status_code == 200 and "Ancora nessun valore di consenso" in response.get_data(as_text=True)


# ---- templates -------------------------------------------------------------------------------------------------------

def test_templates_are_managed_by_administrators_only(app, client, eworld):
    template_id = load_template(app)
    login(client, eworld.candidate_referent)
    assert client.get("/evaluation/templates").status_code == 403
    assert client.get(f"/evaluation/templates/{template_id}").status_code == 403
    assert post(client, f"/evaluation/templates/{template_id}/clone").status_code == 403
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(AssessmentTemplate)).scalar() == 1


def test_template_edit_validates_the_yaml_at_the_field(app, client, eworld):
    template_id = load_template(app)
    login(client, eworld.admin)
    page = client.get(f"/evaluation/templates/{template_id}")
    assert page.status_code == 200 and "title_it" in page.get_data(as_text=True)
    cases = [("- code: [unclosed", "YAML valido"),
             ("- code: '1'\n  level: criterion\n  kind: enabler\n  title_it: Uno\n", "non ha sottocriteri"),
             ("- code: '1'\n  level: criterion\n  kind: enabler\n  title_it: Uno\n- code: '1.1'\n  level: sub\n"
              "  parent: '2'\n  kind: enabler\n  title_it: Sotto\n", "un criterio scritto prima"),
             ("- code: '1'\n  level: livello\n  kind: enabler\n  title_it: Uno\n", "criterion oppure sub")]
    for text, message in cases:
        response = post(client, f"/evaluation/templates/{template_id}", {"title": "CAF", "items": text,
                                                                          "active": "y"})
        body = response.get_data(as_text=True)
        assert response.status_code == 422, text
        assert 'id="items-error"' in body and message in body, (text, body[:300])
    good = ("- code: '1'\n  level: criterion\n  kind: enabler\n  title_it: Uno\n- code: '1.1'\n  level: sub\n"
            "  parent: '1'\n  kind: enabler\n  title_it: Sotto\n  working_translation: true\n")
    response = post(client, f"/evaluation/templates/{template_id}", {"title": "Questionario breve", "items": good,
                                                                      "active": "y"})
    assert response.status_code == 303
    with app.app_context():
        template = db.session.get(AssessmentTemplate, template_id)
        assert template.title == "Questionario breve" and [each["code"] for each in template.items] == ["1", "1.1"]


def test_a_template_in_use_keeps_its_items(app, client, eworld):
    template_id = load_template(app)
    make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.admin)
    good = ("- code: '1'\n  level: criterion\n  kind: enabler\n  title_it: Uno\n- code: '1.1'\n  level: sub\n"
            "  parent: '1'\n  kind: enabler\n  title_it: Sotto\n")
    response = post(client, f"/evaluation/templates/{template_id}", {"title": "CAF", "items": good, "active": "y"})
    assert response.status_code == 422 and "nuova versione" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(AssessmentTemplate, template_id).sub_items()) == 28


def test_template_clone_makes_a_new_version(app, client, eworld):
    template_id = load_template(app)
    login(client, eworld.admin)
    assert "CAF 2020" in client.get("/evaluation/templates").get_data(as_text=True)
    response = post(client, f"/evaluation/templates/{template_id}/clone")
    assert response.status_code == 303
    with app.app_context():
        copy = db.session.execute(select(AssessmentTemplate).where(AssessmentTemplate.id != template_id)).scalar_one()
        assert (copy.code, copy.version, copy.cloned_from_id, copy.active) == ("caf-2020", 2, template_id, False)
        assert copy.items == db.session.get(AssessmentTemplate, template_id).items
        copy_id = copy.id
    assert response.headers["Location"].endswith(f"/evaluation/templates/{copy_id}")
    assert post(client, f"/evaluation/templates/{template_id}/clone").status_code == 303
    with app.app_context():
        versions = db.session.execute(select(AssessmentTemplate.version).order_by(AssessmentTemplate.version))
        assert list(versions.scalars()) == [1, 2, 3]


# ---- fragments, dashboard ------------------------------------------------------------------------------------------

def test_pages_and_their_htmx_fragments(app, client, eworld):
    template_id = load_template(app)
    assessment_id = make_assessment(app, eworld.chieri.id, template_id, eworld.candidate_referent.id)
    login(client, eworld.candidate_referent)
    for url, inside in ((f"{URL}/{assessment_id}", "criterion-1"), (f"{URL}/new", 'name="title"'),
                        (f"{URL}/{assessment_id}/plan", 'name="title"'), (f"{URL}/{assessment_id}/items/1.1",
                                                                           'name="score"'),
                        (f"{URL}/", "Autovalutazione CAF 2026"), (f"{URL}/compare", "<table")):
        page = client.get(url)
        assert page.status_code == 200 and "<html" in page.get_data(as_text=True), url
        assert inside in page.get_data(as_text=True), url
        assert "HX-Request" in page.headers.get("Vary", ""), url
    fragment = client.get(f"{URL}/{assessment_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "criterion-1" in fragment


def test_the_dashboard_links_people_of_an_organisation_to_their_self_assessment(app, client, eworld):
    login(client, eworld.candidate_member)
    assert f'href="{URL}/"' in client.get("/dashboard").get_data(as_text=True)
    post(client, "/auth/logout")
    login(client, eworld.admin)
    assert f'href="{URL}/"' not in client.get("/dashboard").get_data(as_text=True)
