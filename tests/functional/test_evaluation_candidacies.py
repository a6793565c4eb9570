"""Candidacies (issue 13, point 3): writing, documents, submitting (the frozen snapshot), withdrawing, taking back to
draft, and the bad input of the issue — after the deadline, another organisation's practice, a draft practice, twice
to the same call (also at once), a required field missing at submission, a number that is not one, a refused file."""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Candidacy, CandidacyAttachment, EvaluationAudit, EvaluationCall, Notification, Practice
from app.models.base import utcnow
from tests.conftest import csrf_token, login
from tests.evaluation_world import STANDARD_FIELDS, make_candidacy, set_phase
from tests.functional.test_concurrent_submissions import at_once

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_url(eworld, practice=None) -> str:
    return f"/evaluation/calls/{eworld.call.slug}/candidacies/new?practice={(practice or eworld.practice).slug}"


def form_data(**overrides) -> dict:
    return {"category": "digitale", **STANDARD_FIELDS, **overrides}


def send(client, url, data, htmx=False, files=None):
    payload = {**data, "csrf_token": csrf_token(client, "/privacy")}
    if files:
        payload["files"] = files
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data=payload, headers=headers, content_type="multipart/form-data")


def rows(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def only_candidacy(app) -> Candidacy:
    with app.app_context():
        found = db.session.execute(select(Candidacy)).scalar_one()
        db.session.expunge(found)
        return found


def set_call(app, call_id, **values) -> None:
    with app.app_context():
        call = db.session.get(EvaluationCall, call_id)
        for key, value in values.items():
            setattr(call, key, value)
        db.session.commit()


# ---- the happy path -------------------------------------------------------------------------------------------

def test_a_referent_saves_a_draft_then_submits_it_and_the_chair_is_told(app, client, eworld):
    login(client, eworld.candidate_referent)
    page = client.get(new_url(eworld))
    assert page.status_code == 200
    assert "Perché è una buona pratica" in page.get_data(as_text=True)
    response = send(client, new_url(eworld), form_data(results="", intent="draft"),
                    files=[(io.BytesIO(PDF), "relazione.pdf")])
    assert response.status_code == 303
    draft = only_candidacy(app)
    assert response.headers["Location"].endswith(f"/evaluation/candidacies/{draft.id}")
    assert draft.status == "draft" and draft.snapshot is None and draft.fields["results"] == ""
    assert draft.organization_id == eworld.chieri.id and draft.category == "digitale"
    assert rows(app, CandidacyAttachment) == 1
    # The draft reads as a draft; submitting it now misses "results": refused, at the page, nothing changed.
    refused = send(client, f"/evaluation/candidacies/{draft.id}/submit", {})
    assert refused.status_code == 422
    assert "Risultati e loro evidenze" in refused.get_data(as_text=True)
    assert only_candidacy(app).status == "draft"
    # The edit completes it and sends it.
    edit = f"/evaluation/candidacies/{draft.id}/edit"
    assert STANDARD_FIELDS["why_good"] in client.get(edit).get_data(as_text=True)
    assert send(client, edit, form_data(intent="submit")).status_code == 303
    sent = only_candidacy(app)
    assert sent.status == "submitted" and sent.submitted_by_id == eworld.candidate_referent.id
    assert sent.snapshot["title"] == "Sportello unico digitale"
    assert sent.snapshot["fields"] == STANDARD_FIELDS
    assert sent.snapshot["kit_version"]["label"] == "1.0" and sent.kit_version_id == sent.snapshot["kit_version"]["id"]
    assert [each["name"] for each in sent.snapshot["attachments"]] == ["relazione.pdf"]
    assert sent.snapshot["category_label"] == "Trasformazione digitale"
    assert rows(app, EvaluationAudit, EvaluationAudit.action == "candidacy.submit") == 1
    assert rows(app, Notification, Notification.verb == "evaluation.candidacy_submitted",
                Notification.user_id == eworld.chair.id) == 1
    chair = app.test_client()
    login(chair, eworld.chair)
    assert ("Renata Referente ha inviato una candidatura all&#39;avviso «Premio buone pratiche 2026»: «Sportello "
            "unico digitale»") in chair.get("/notifications/").get_data(as_text=True)
    # Sent: no more edits.
    assert client.get(edit).status_code == 403
    assert send(client, edit, form_data(why_good="Altro.")).status_code == 403


def test_save_and_submit_at_once_with_htmx_redirects(app, client, eworld):
    login(client, eworld.candidate_referent)
    response = send(client, new_url(eworld), form_data(intent="submit"), htmx=True)
    assert response.status_code == 204 and "/evaluation/candidacies/" in response.headers["HX-Redirect"]
    assert only_candidacy(app).status == "submitted"


def test_withdraw_asks_first_then_redraft_and_submit_again(app, client, eworld):
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
    login(client, eworld.candidate_referent)
    base = f"/evaluation/candidacies/{candidacy_id}"
    asked = send(client, f"{base}/withdraw", {})
    assert asked.status_code == 200 and "Ritirare la candidatura" in asked.get_data(as_text=True)
    assert only_candidacy(app).status == "submitted"
    done = send(client, f"{base}/withdraw", {"confirmed": "1"}, htmx=True)
    assert done.status_code == 200 and "Candidatura ritirata." in done.get_data(as_text=True)
    assert only_candidacy(app).status == "withdrawn" and only_candidacy(app).withdrawn_at is not None
    assert rows(app, Notification, Notification.verb == "evaluation.candidacy_withdrawn",
                Notification.user_id == eworld.chair.id) == 1
    assert send(client, f"{base}/redraft", {}).status_code == 303
    assert only_candidacy(app).status == "draft"
    assert send(client, f"{base}/submit", {}).status_code == 303
    again = only_candidacy(app)
    assert again.status == "submitted"
    assert [each["fields"] for each in again.snapshot["previous"]] == [STANDARD_FIELDS]  # the earlier version kept
    assert "La versione inviata in precedenza è conservata." in client.get(base).get_data(as_text=True)
    actions = [a for (a,) in db_actions(app)]
    assert actions == ["candidacy.withdraw", "candidacy.redraft", "candidacy.submit"]


def db_actions(app):
    with app.app_context():
        return db.session.execute(select(EvaluationAudit.action).order_by(EvaluationAudit.id)).all()


def test_withdraw_is_refused_once_review_started(app, client, eworld):
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id).id
    set_phase(app, eworld.call.id, "review")
    login(client, eworld.candidate_referent)
    response = send(client, f"/evaluation/candidacies/{candidacy_id}/withdraw", {"confirmed": "1"}, htmx=True)
    assert response.status_code == 422
    assert "prima che cominci la valutazione" in response.get_data(as_text=True)
    assert only_candidacy(app).status == "under_review"


# ---- the snapshot is frozen ------------------------------------------------------------------------------------

def test_the_submitted_version_does_not_follow_the_practice(app, client, eworld):
    login(client, eworld.candidate_referent)
    assert send(client, new_url(eworld), form_data(intent="submit")).status_code == 303
    candidacy = only_candidacy(app)
    with app.app_context():
        db.session.get(Practice, eworld.practice.id).title = "Titolo cambiato dopo l'invio"
        db.session.commit()
    page = client.get(f"/evaluation/candidacies/{candidacy.id}").get_data(as_text=True)
    assert "Candidatura: «Sportello unico digitale»" in page
    assert "Questa è la versione inviata" in page
    assert only_candidacy(app).snapshot["title"] == "Sportello unico digitale"


# ---- bad input --------------------------------------------------------------------------------------------------

def test_after_the_deadline_nothing_is_saved(app, client, eworld):
    set_call(app, eworld.call.id, closes_at=utcnow() - timedelta(minutes=1))
    login(client, eworld.candidate_referent)
    page = client.get(new_url(eworld))
    assert "Il termine per le candidature è scaduto." in page.get_data(as_text=True)
    fragment = client.get(new_url(eworld), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "Il termine per le candidature è scaduto." in fragment.get_data(as_text=True)
    chooser = client.get(f"/evaluation/calls/{eworld.call.slug}/candidacies/new", headers={"HX-Request": "true"})
    assert chooser.status_code == 200 and "Le candidature a questo avviso sono chiuse." in chooser.get_data(as_text=True)
    response = send(client, new_url(eworld), form_data(intent="draft"))
    assert response.status_code == 422
    assert "Il termine per le candidature è scaduto." in response.get_data(as_text=True)
    assert rows(app, Candidacy) == 0


def test_a_draft_cannot_be_submitted_after_the_deadline(app, client, eworld):
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id,
                                      status="draft").id
    set_call(app, eworld.call.id, closes_at=utcnow() - timedelta(minutes=1))
    login(client, eworld.candidate_referent)
    response = send(client, f"/evaluation/candidacies/{candidacy_id}/submit", {}, htmx=True)
    assert response.status_code == 422 and "Il termine per le candidature è scaduto." in response.get_data(as_text=True)
    assert only_candidacy(app).status == "draft"


def test_another_organisations_practice_is_refused(app, client, eworld):
    login(client, eworld.candidate_referent)
    url = new_url(eworld, eworld.other_practice)
    assert client.get(url).status_code == 403
    assert send(client, url, form_data(intent="draft")).status_code == 403
    assert rows(app, Candidacy) == 0


def test_a_draft_practice_is_refused(app, client, eworld):
    login(client, eworld.candidate_referent)
    url = new_url(eworld, eworld.draft_practice)
    assert "Si candida solo una pratica pubblicata." in client.get(url).get_data(as_text=True)
    response = send(client, url, form_data(intent="draft"))
    assert response.status_code == 422 and "Si candida solo una pratica pubblicata." in response.get_data(as_text=True)
    assert rows(app, Candidacy) == 0


def test_twice_to_the_same_call_is_refused_with_a_link(app, client, eworld):
    login(client, eworld.candidate_referent)
    assert send(client, new_url(eworld), form_data(intent="draft")).status_code == 303
    again = send(client, new_url(eworld), form_data(intent="draft"))
    assert again.status_code == 422
    text = again.get_data(as_text=True)
    assert "Questa pratica è già candidata a questo avviso" in text
    assert f"/evaluation/candidacies/{only_candidacy(app).id}" in text
    assert rows(app, Candidacy) == 1


def test_twice_at_the_same_moment_gives_one_candidacy(app, eworld):
    responses = at_once(app, eworld.candidate_referent, new_url(eworld), [form_data(intent="draft")] * 3)
    codes = sorted(r.status_code for r in responses)
    assert codes == [303, 422, 422], codes
    assert all("Questa pratica è già candidata" in r.get_data(as_text=True) for r in responses if r.status_code == 422)
    assert rows(app, Candidacy) == 1


def test_an_ineligible_kind_of_administration_is_refused(app, client, eworld):
    set_call(app, eworld.call.id, eligible_pa_kinds=["region"])
    login(client, eworld.candidate_referent)
    response = send(client, new_url(eworld), form_data(intent="draft"))
    assert response.status_code == 422 and "non rientra tra quelli" in response.get_data(as_text=True)
    assert rows(app, Candidacy) == 0


EXTRA = [{"key": "budget", "label": "Budget in euro", "kind": "number", "required": True, "choices": []},
         {"key": "scale", "label": "Scala", "kind": "choice", "required": False, "choices": ["Comunale", "Regionale"]},
         {"key": "consent", "label": "Dichiaro che i dati sono veri", "kind": "checkbox", "required": True,
          "choices": []},
         {"key": "note", "label": "Note", "kind": "textarea", "required": False, "choices": []}]


def test_extra_fields_are_rendered_by_kind_and_checked(app, client, eworld):
    set_call(app, eworld.call.id, extra_fields=EXTRA, require_completed=True)
    login(client, eworld.candidate_referent)
    page = client.get(new_url(eworld)).get_data(as_text=True)
    assert 'name="extra_budget"' in page and 'type="checkbox"' in page and "Regionale" in page
    assert 'name="completed_on"' in page
    # A number that is not one: 422 at its field, the rest of the form kept, nothing saved.
    bad = send(client, new_url(eworld), form_data(extra_budget="quaranta", why_good="Testo tenuto.", intent="draft"))
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'id="extra_budget-error"' in text and "Scrivete un numero" in text and "Testo tenuto." in text
    assert rows(app, Candidacy) == 0
    # A choice not in the list, a date in the future: at their fields.
    bad = send(client, new_url(eworld), form_data(extra_scale="Galattica", completed_on="2999-01-01", intent="draft"))
    assert bad.status_code == 422
    assert 'id="extra_scale-error"' in bad.get_data(as_text=True)
    assert 'id="completed_on-error"' in bad.get_data(as_text=True)
    # Submitting without the required declaration and date: refused at those fields.
    missing = send(client, new_url(eworld), form_data(extra_budget="40.000,50", intent="submit"))
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert 'id="extra_consent-error"' in text and 'id="completed_on-error"' in text
    assert rows(app, Candidacy) == 0
    ok = send(client, new_url(eworld), form_data(extra_budget="40.000,50", extra_consent="y", extra_scale="Comunale",
                                                 completed_on="2025-06-30", intent="submit"))
    assert ok.status_code == 303
    sent = only_candidacy(app)
    assert sent.extra == {"budget": 40000.5, "consent": True, "scale": "Comunale", "note": ""}
    assert sent.snapshot["completed_on"] == "2025-06-30" and sent.snapshot["extra"]["budget"] == 40000.5


def test_a_missing_standard_field_at_submission_is_shown_at_the_field(app, client, eworld):
    login(client, eworld.candidate_referent)
    response = send(client, new_url(eworld), form_data(methods="", intent="submit"), htmx=True)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="methods-error"' in text and "Questo campo serve per inviare la candidatura." in text
    assert "<html" not in text  # the form block only
    assert STANDARD_FIELDS["why_good"] in text
    assert rows(app, Candidacy) == 0


def test_a_refused_file_is_named_at_the_field_and_nothing_is_saved(app, client, eworld):
    login(client, eworld.candidate_referent)
    response = send(client, new_url(eworld), form_data(intent="draft"),
                    files=[(io.BytesIO(b"MZ\x90\x00 not a pdf"), "relazione.pdf"), (io.BytesIO(PDF), "buono.pdf")])
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="files-error"' in text and "«relazione.pdf»" in text and "non è un PDF" in text
    assert rows(app, Candidacy) == 0 and rows(app, CandidacyAttachment) == 0
    exe = send(client, new_url(eworld), form_data(intent="draft"), files=[(io.BytesIO(b"MZ\x90\x00"), "setup.exe")])
    assert exe.status_code == 422 and "Tipo di file non ammesso" in exe.get_data(as_text=True)


def test_documents_download_safely_and_leave_a_draft(app, client, eworld):
    login(client, eworld.candidate_referent)
    assert send(client, new_url(eworld), form_data(intent="draft"),
                files=[(io.BytesIO(PDF), "relazione finale.pdf")]).status_code == 303
    candidacy = only_candidacy(app)
    with app.app_context():
        attachment_id = db.session.execute(select(CandidacyAttachment.id)).scalar_one()
    url = f"/evaluation/candidacies/{candidacy.id}/attachments/{attachment_id}"
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    other = app.test_client()
    login(other, eworld.other_referent)
    assert other.get(url).status_code == 404
    assert send(other, f"{url}/delete", {}).status_code == 404
    assert rows(app, CandidacyAttachment) == 1
    assert send(client, f"{url}/delete", {}).status_code == 303
    assert rows(app, CandidacyAttachment) == 0
    assert client.get(url).status_code == 404


def test_documents_of_a_submitted_candidacy_stay(app, client, eworld):
    login(client, eworld.candidate_referent)
    assert send(client, new_url(eworld), form_data(intent="submit"),
                files=[(io.BytesIO(PDF), "relazione.pdf")]).status_code == 303
    candidacy = only_candidacy(app)
    with app.app_context():
        attachment_id = db.session.execute(select(CandidacyAttachment.id)).scalar_one()
    response = send(client, f"/evaluation/candidacies/{candidacy.id}/attachments/{attachment_id}/delete", {})
    assert response.status_code == 303
    assert rows(app, CandidacyAttachment) == 1


# ---- the choice of the practice, the edit, the page's links ------------------------------------------------------

def test_without_a_practice_the_referent_chooses_one(app, client, eworld):
    login(client, eworld.candidate_referent)
    url = f"/evaluation/calls/{eworld.call.slug}/candidacies/new"
    page = client.get(url).get_data(as_text=True)
    assert "Quale pratica candidate?" in page and f"practice={eworld.practice.slug}" in page
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "Quale pratica candidate?" in fragment.get_data(as_text=True)
    form = client.get(new_url(eworld), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in form and 'id="candidacy-form"' in form
    assert eworld.draft_practice.slug not in page
    with app.app_context():
        make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id, status="draft")
    assert f"practice={eworld.practice.slug}" not in client.get(url).get_data(as_text=True)
    member = app.test_client()
    login(member, eworld.candidate_member)
    assert member.get(url).status_code == 403


def test_an_edit_keeps_the_form_on_bad_input_and_saves_a_good_one(app, client, eworld):
    set_call(app, eworld.call.id, extra_fields=EXTRA)
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id,
                                      status="draft").id
    login(client, eworld.candidate_referent)
    edit = f"/evaluation/candidacies/{candidacy_id}/edit"
    bad = send(client, edit, form_data(extra_budget="1,2,3", why_good="Nuovo testo.", intent="draft"), htmx=True)
    assert bad.status_code == 422 and "<html" not in bad.get_data(as_text=True)
    assert "Nuovo testo." in bad.get_data(as_text=True) and 'id="extra_budget-error"' in bad.get_data(as_text=True)
    assert only_candidacy(app).fields["why_good"] == STANDARD_FIELDS["why_good"]
    good = send(client, edit, form_data(extra_budget="12", why_good="Nuovo testo.", category="servizi",
                                        intent="draft"))
    assert good.status_code == 303
    saved = only_candidacy(app)
    assert saved.status == "draft" and saved.fields["why_good"] == "Nuovo testo."
    assert saved.extra["budget"] == 12 and saved.category == "servizi"
    bad_category = send(client, edit, form_data(category="inventata", intent="draft"))
    assert bad_category.status_code == 422 and 'id="category-error"' in bad_category.get_data(as_text=True)
    # Once the deadline has passed, the draft is no longer edited.
    set_call(app, eworld.call.id, closes_at=utcnow() - timedelta(minutes=1))
    assert client.get(edit).status_code == 403
    assert send(client, edit, form_data(intent="draft")).status_code == 403


def test_the_candidate_reads_the_next_step_and_the_moves(app, client, eworld):
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id,
                                      status="draft").id
    login(client, eworld.candidate_referent)
    page = client.get(f"/evaluation/candidacies/{candidacy_id}").get_data(as_text=True)
    assert "Modifica la bozza" in page and "Invia la candidatura" in page
    assert "Completate i campi e inviate" in page
    member = app.test_client()
    login(member, eworld.candidate_member)
    page = member.get(f"/evaluation/candidacies/{candidacy_id}").get_data(as_text=True)
    assert "Completate i campi e inviate" in page
    assert "Modifica la bozza" not in page and "Invia la candidatura" not in page
    assert send(member, f"/evaluation/candidacies/{candidacy_id}/submit", {}).status_code == 403
    assert only_candidacy(app).status == "draft"


def test_a_redraft_after_the_deadline_is_refused(app, client, eworld):
    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id,
                                      status="withdrawn").id
    set_call(app, eworld.call.id, closes_at=utcnow() - timedelta(minutes=1))
    login(client, eworld.candidate_referent)
    response = send(client, f"/evaluation/candidacies/{candidacy_id}/redraft", {})
    assert response.status_code == 422 and "Il termine per le candidature è scaduto." in response.get_data(as_text=True)
    assert only_candidacy(app).status == "withdrawn"


def test_numbers_are_read_as_written_in_italian():
    import pytest

    from app.evaluation.forms_candidacy import parse_number

    assert [parse_number(each) for each in ("12", "3,5", "40.000", "1.234,5", "2.5", "", "-7")] == [
        12, 3.5, 40000, 1234.5, 2.5, None, -7]
    for wrong in ("quaranta", "1,2,3", "1e5", "12 euro"):
        with pytest.raises(ValueError):
            parse_number(wrong)


def test_a_chair_in_conflict_is_not_told(app, client, eworld):
    from tests.evaluation_world import add_conflict

    with app.app_context():
        candidacy_id = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id,
                                      status="draft").id
    with app.app_context():
        add_conflict(eworld.call.id, candidacy_id, eworld.chair.id, kind="personal", source="chair",
                     status="confirmed")
    login(client, eworld.candidate_referent)
    assert send(client, f"/evaluation/candidacies/{candidacy_id}/submit", {}).status_code == 303
    assert only_candidacy(app).status == "submitted"
    assert rows(app, Notification, Notification.verb == "evaluation.candidacy_submitted") == 0
