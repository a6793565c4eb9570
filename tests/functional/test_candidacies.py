"""Candidacies to calls for expression of interest (issue 15, part 3): the referent writes the draft (the call's
fields, the signed document with its protocol, attachments, the working group), sends it (the staff are told),
replaces and removes documents, withdraws it (a selected one's seat goes to the waiting list); the candidacy page
and its downloads for who may see them; the boxes on the call page, the dashboard and the organisation's profile.
Full page and htmx; the database checked after each POST."""
from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import (CandidacyChange, CandidacyContact, CandidacyDocument, InterestCall, InterestCandidacy,
                        Notification, Organization, ProgrammeParticipant)
from app.models.base import utcnow
from tests.conftest import count_queries, csrf_token, login, make_org, make_user, ref

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIELDS = [
    {"key": "mission", "label": "Missione di bilancio", "kind": "choice", "required": True,
     "choices": ["01 Servizi istituzionali", "12 Diritti sociali"], "help": ""},
    {"key": "budget", "label": "Risorse dedicate (euro)", "kind": "number", "required": False, "help": ""},
    {"key": "motivation", "label": "Motivazione", "kind": "textarea", "required": True, "help": ""},
    {"key": "declaration", "label": "Dichiaro di aver letto l'avviso", "kind": "checkbox", "required": True},
    {"key": "plan", "label": "Piano delle attività", "kind": "attachment", "required": True, "help": ""},
]


# ---- helpers (used by test_candidacy_bad_input.py too) ------------------------------------------------------------

def form_url(progworld) -> str:
    return f"/calls/{progworld.call.slug}/candidacy"


def use_fields(app, call_id: int, fields=FIELDS) -> None:
    with app.app_context():
        db.session.get(InterestCall, call_id).fields = fields
        db.session.commit()


def set_call(app, call_id: int, **values) -> None:
    with app.app_context():
        call = db.session.get(InterestCall, call_id)
        for key, value in values.items():
            setattr(call, key, value)
        db.session.commit()


def complete(intent: str = "submit", **overrides) -> dict:
    """A candidacy answering every field of FIELDS (the files go apart)."""
    data = {"field_mission": "12 Diritti sociali", "field_budget": "40.000", "field_motivation": "Perché sì.",
            "field_declaration": "y", "protocol_number": "PROT-2027-15",
            "protocol_date": (date.today() - timedelta(days=2)).isoformat(),
            "contact_name_0": "Marta Metropolitana", "contact_role_0": "Dirigente",
            "contact_email_0": "marta@cmto.example.it", "contact_phone_0": "011 1234567", "intent": intent}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def send(client, url: str, data: dict, files: dict | None = None, htmx: bool = False):
    payload = {**data, "csrf_token": csrf_token(client, "/privacy")}
    for name, (content, filename) in (files or {}).items():
        payload[name] = (io.BytesIO(content), filename)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data=payload, headers=headers, content_type="multipart/form-data")


def all_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def candidacies(app) -> list[InterestCandidacy]:
    with app.app_context():
        found = list(db.session.scalars(select(InterestCandidacy).where(InterestCandidacy.protocol_number != "PROT-1")
                                        .order_by(InterestCandidacy.id)))
        for each in found:
            db.session.expunge(each)
        return found


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def make_candidacy(app, progworld, status: str = "submitted", organization_id=None, pa_kind="metropolitan_city",
                   **fields) -> int:
    with app.app_context():
        candidacy = InterestCandidacy(call_id=progworld.call.id, organization_id=organization_id or progworld.metro.id,
                                      pa_kind=pa_kind, status=status, answers={}, protocol_number="P-9",
                                      submitted_at=utcnow() if status != "draft" else None, **fields)
        db.session.add(candidacy)
        db.session.commit()
        return candidacy.id


# ---- writing and sending ------------------------------------------------------------------------------------------

def test_the_referent_saves_a_draft_continues_it_and_sends_it_and_the_staff_are_told(app, client, progworld):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    call_page = client.get(f"/calls/{progworld.call.slug}").get_data(as_text=True)
    assert "Presenta la candidatura" in call_page
    page = client.get(form_url(progworld))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for label in ("Missione di bilancio", "Candidatura firmata", "Numero di protocollo", "Il gruppo di lavoro",
                  "Salva la bozza", "Invia la candidatura"):
        assert label in text
    # A draft, incomplete: saved as typed, with its signed document.
    response = send(client, form_url(progworld), complete("draft", field_motivation="", protocol_number=""),
                    files={"signed": (PDF, "candidatura firmata.pdf")})
    assert response.status_code == 303
    [draft] = candidacies(app)
    assert response.headers["Location"].endswith(f"/candidacies/{draft.id}")
    assert draft.status == "draft" and draft.pa_kind == "metropolitan_city"
    assert draft.organization_id == progworld.metro.id and draft.created_by_id == progworld.metro_referent.id
    assert draft.answers == {"mission": "12 Diritti sociali", "budget": 40000, "motivation": "",
                             "declaration": True}
    assert draft.protocol_number == "" and draft.protocol_date == date.today() - timedelta(days=2)
    assert count(app, CandidacyContact, CandidacyContact.candidacy_id == draft.id) == 1
    assert count(app, CandidacyDocument, CandidacyDocument.role == "signed") == 1
    assert len(all_files(app)) == 1 and count(app, CandidacyChange) == 0
    # Continuing: the form shows what was saved; the call page's box offers to continue.
    again = client.get(form_url(progworld)).get_data(as_text=True)
    assert "marta@cmto.example.it" in again and "candidatura firmata.pdf" in again and "40000" in again
    assert "Continua la bozza" in client.get(f"/calls/{progworld.call.slug}").get_data(as_text=True)
    # Sending it complete (the plan attached now), through htmx: a real navigation to the candidacy.
    sent = send(client, form_url(progworld), complete(), files={"field_plan": (PDF, "piano.pdf")}, htmx=True)
    assert sent.status_code == 204 and sent.headers["HX-Redirect"].endswith(f"/candidacies/{draft.id}")
    [done] = candidacies(app)
    assert done.status == "submitted" and done.submitted_by_id == progworld.metro_referent.id
    assert done.answers["motivation"] == "Perché sì." and done.protocol_number == "PROT-2027-15"
    with app.app_context():
        documents = db.session.scalars(select(CandidacyDocument).order_by(CandidacyDocument.id)).all()
        assert [(each.role, each.field_key) for each in documents] == [("signed", ""), ("attachment", "plan")]
        change = db.session.scalars(select(CandidacyChange)).one()
        assert (change.action, change.from_status, change.to_status) == ("submit", "draft", "submitted")
        told = db.session.scalars(select(Notification).where(Notification.verb == "calls.submitted")).all()
        assert [each.user_id for each in told] == [progworld.staff.id]
        assert told[0].link.endswith(f"/candidacies/{draft.id}")
    # The form now says the organisation has already candidated, with the link; the page shows the candidacy.
    refused = client.get(form_url(progworld)).get_data(as_text=True)
    assert "ha già una candidatura" in refused and f"/candidacies/{draft.id}" in refused
    shown = client.get(f"/candidacies/{draft.id}").get_data(as_text=True)
    for expected in ("Inviata", "Perché sì.", "40000", "candidatura firmata.pdf", "piano.pdf", "Marta Metropolitana",
                     "PROT-2027-15", "Cronologia", "Ritira la candidatura"):
        assert expected in shown
    assert "Inviata" in client.get(f"/calls/{progworld.call.slug}").get_data(as_text=True)


def test_a_call_without_fields_is_sent_at_once_with_the_signed_document(app, client, progworld):
    login(client, progworld.region_referent)
    response = send(client, form_url(progworld), complete(
        contact_name_0="Renata Referente", contact_email_0="renata@regione.example.it"),
        files={"signed": (PDF, "firmata.pdf")})
    assert response.status_code == 303
    [sent] = candidacies(app)
    assert (sent.status, sent.pa_kind, sent.answers) == ("submitted", "region", {})
    assert count(app, Notification, Notification.verb == "calls.submitted",
                 Notification.user_id == progworld.staff.id) == 1


def test_a_new_signed_document_replaces_the_old_one_and_its_file(app, client, progworld):
    login(client, progworld.metro_referent)
    assert send(client, form_url(progworld), complete("draft"), files={"signed": (PDF, "prima.pdf")}).status_code == 303
    [first_file] = all_files(app)
    assert send(client, form_url(progworld), complete("draft"),
                files={"signed": (PDF + b"%v2\n", "seconda.pdf")}, htmx=True).status_code == 204
    with app.app_context():
        [signed] = db.session.scalars(select(CandidacyDocument)).all()
        assert signed.original_name == "seconda.pdf" and signed.role == "signed"
    files = all_files(app)
    assert len(files) == 1 and files[0] != first_file


def test_the_working_group_rows_are_replaced_and_empty_rows_ignored(app, client, progworld):
    login(client, progworld.metro_referent)
    send(client, form_url(progworld), complete("draft", contact_name_1="Luca Tecnico",
                                               contact_email_1="luca@cmto.example.it"))
    [draft] = candidacies(app)
    assert count(app, CandidacyContact, CandidacyContact.candidacy_id == draft.id) == 2
    send(client, form_url(progworld), complete("draft", contact_name_0="", contact_role_0="", contact_email_0="",
                                               contact_phone_0="", contact_name_2="Anna Nuova",
                                               contact_email_2="anna@cmto.example.it"))
    with app.app_context():
        names = [each.full_name for each in db.session.scalars(select(CandidacyContact)
                                                                .order_by(CandidacyContact.position))]
    assert names == ["Anna Nuova"]


def test_a_document_of_a_draft_is_removed_after_confirmation(app, client, progworld):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    send(client, form_url(progworld), complete("draft"), files={"field_plan": (PDF, "piano.pdf")})
    [draft] = candidacies(app)
    with app.app_context():
        document_id = db.session.scalars(select(CandidacyDocument.id)).one()
    url = f"/candidacies/{draft.id}/documents/{document_id}/remove"
    asked = client.post(url, data={"csrf_token": csrf_token(client, "/privacy")})
    assert asked.status_code == 200 and "Togliere «piano.pdf»" in asked.get_data(as_text=True)
    assert count(app, CandidacyDocument) == 1
    done = client.post(url, data={"csrf_token": csrf_token(client, "/privacy"), "confirmed": "1"},
                       headers={"HX-Request": "true"})
    assert done.status_code == 204 and done.headers["HX-Redirect"].endswith(form_url(progworld))
    assert count(app, CandidacyDocument) == 0 and all_files(app) == []


# ---- withdrawing --------------------------------------------------------------------------------------------------

def test_withdrawing_asks_first_then_withdraws_and_tells_the_staff(app, client, progworld):
    candidacy_id = make_candidacy(app, progworld)
    login(client, progworld.metro_referent)
    url = f"/candidacies/{candidacy_id}/withdraw"
    asked = client.post(url, data={"csrf_token": csrf_token(client, "/privacy")})
    assert asked.status_code == 200 and "non potrà candidarsi di nuovo" in asked.get_data(as_text=True)
    assert candidacies(app)[0].status == "submitted"
    done = client.post(url, data={"csrf_token": csrf_token(client, "/privacy"), "confirmed": "1"},
                       headers={"HX-Request": "true"})
    assert done.status_code == 200
    fragment = done.get_data(as_text=True)
    assert "Candidatura ritirata." in fragment and "<html" not in fragment
    [withdrawn] = candidacies(app)
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at is not None
    assert count(app, CandidacyChange, CandidacyChange.action == "withdraw") == 1
    assert count(app, Notification, Notification.verb == "calls.withdrawn",
                 Notification.user_id == progworld.staff.id) == 1
    # Once withdrawn, nothing more to withdraw: refused with the reason, nothing changed.
    again = client.post(url, data={"csrf_token": csrf_token(client, "/privacy"), "confirmed": "1"})
    assert again.status_code == 422 and "non si può più ritirare" in again.get_data(as_text=True)
    assert count(app, CandidacyChange) == 1


def test_a_selected_one_withdrawing_promotes_the_longest_waiting_of_its_kind(app, client, progworld):
    with app.app_context():
        other = make_org("Città metropolitana di Genova", pa_kind="metropolitan_city", ipa_code="cmge")
        third = make_org("Città metropolitana di Milano", pa_kind="metropolitan_city", ipa_code="cmmi")
        db.session.commit()
        other_id, third_id = other.id, third.id
    selected = make_candidacy(app, progworld, status="selected")
    with app.app_context():
        db.session.add(ProgrammeParticipant(programme_id=progworld.programme.id, organization_id=progworld.metro.id,
                                            candidacy_id=selected))
        db.session.commit()
    first_waiting = make_candidacy(app, progworld, status="waiting", organization_id=other_id,
                                   waiting_since=utcnow() - timedelta(days=2))
    make_candidacy(app, progworld, status="waiting", organization_id=third_id, waiting_since=utcnow())
    login(client, progworld.metro_referent)
    response = client.post(f"/candidacies/{selected}/withdraw",
                           data={"csrf_token": csrf_token(client, "/privacy"), "confirmed": "1"})
    assert response.status_code == 303
    statuses = {each.organization_id: each.status for each in candidacies(app)}
    assert statuses == {progworld.metro.id: "withdrawn", other_id: "selected", third_id: "waiting"}
    with app.app_context():
        participants = set(db.session.scalars(select(ProgrammeParticipant.organization_id)))
        promote = db.session.scalars(select(CandidacyChange).where(CandidacyChange.action == "promote")).one()
    assert progworld.metro.id not in participants and other_id in participants
    assert promote.candidacy_id == first_waiting and promote.actor_id is None
    page = client.get(f"/candidacies/{selected}").get_data(as_text=True)
    assert "Ritirata" in page


# ---- the page and its documents -----------------------------------------------------------------------------------

def test_the_page_and_the_downloads_answer_only_to_the_organisation_and_the_programme(app, client, progworld):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    send(client, form_url(progworld), complete(), files={"signed": (PDF, "firmata.pdf"),
                                                           "field_plan": (PDF, "piano.pdf")})
    [sent] = candidacies(app)
    with app.app_context():
        document_id = db.session.scalars(select(CandidacyDocument.id).where(CandidacyDocument.role == "signed")).one()
        colleague = ref(make_user("collega@cmto.example.it", db.session.get(Organization, progworld.metro.id)))
        db.session.commit()
    page, download = f"/candidacies/{sent.id}", f"/candidacies/{sent.id}/documents/{document_id}"
    for person, expected in ((progworld.metro_referent, 200), (colleague, 200), (progworld.staff, 200),
                             (progworld.admin, 200), (progworld.region_referent, 404), (progworld.member, 404),
                             (None, 404)):
        client = app.test_client()
        if person is not None:
            login(client, person)
        for htmx in (False, True):
            headers = {"HX-Request": "true"} if htmx else {}
            assert client.get(page, headers=headers).status_code == expected, (person, htmx)
        got = client.get(download)
        assert got.status_code == expected, person
        if expected == 200:
            assert got.data == PDF and got.headers["Content-Disposition"].startswith("attachment")
    # A document id of another candidacy, or none at all: 404 for everybody.
    assert client.get(f"/candidacies/{sent.id}/documents/999").status_code == 404


def test_the_colleague_reads_but_does_not_withdraw_and_the_staff_see_the_decisions(app, client, progworld):
    candidacy_id = make_candidacy(app, progworld)
    login(client, progworld.region_referent)
    assert client.get(f"/candidacies/{candidacy_id}").status_code == 404
    client = app.test_client()
    login(client, progworld.staff)
    page = client.get(f"/candidacies/{candidacy_id}").get_data(as_text=True)
    assert "Ritira la candidatura" not in page and "calls-decide" in page
    refused = client.post(f"/candidacies/{candidacy_id}/withdraw",
                          data={"csrf_token": csrf_token(client, "/privacy"), "confirmed": "1"})
    assert refused.status_code == 403 and candidacies(app)[0].status == "submitted"


def test_the_candidacy_page_issues_a_bounded_number_of_queries(app, client, progworld):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    send(client, form_url(progworld), complete(contact_name_1="Luca", contact_email_1="luca@cmto.example.it"),
         files={"signed": (PDF, "firmata.pdf"), "field_plan": (PDF, "piano.pdf")})
    [sent] = candidacies(app)
    assert count_queries(app, client, f"/candidacies/{sent.id}") <= 20


# ---- the boxes on other pages -------------------------------------------------------------------------------------

def test_the_call_box_tells_each_reader_what_they_can_do(app, client, progworld):
    call_page = f"/calls/{progworld.call.slug}"
    assert "Accedi per candidare il tuo ente" in client.get(call_page).get_data(as_text=True)
    client = app.test_client()
    login(client, progworld.region_member)
    assert "la presenta un suo referente" in client.get(call_page).get_data(as_text=True)
    with app.app_context():
        chieri = db.session.get(Organization, progworld.municipality.id)
        chieri_referent = ref(make_user("referente@chieri.example.it", chieri, is_referent=True))
        db.session.commit()
    client = app.test_client()
    login(client, chieri_referent)
    assert "non è tra quelli ammessi" in client.get(call_page).get_data(as_text=True)
    client = app.test_client()
    login(client, progworld.staff)
    assert "call-candidacy-box" not in client.get(call_page).get_data(as_text=True)
    set_call(app, progworld.call.id, opens_at=utcnow() + timedelta(days=3))
    client = app.test_client()
    login(client, progworld.metro_referent)
    assert "non sono ancora aperte" in client.get(call_page).get_data(as_text=True)


def test_an_inadmissible_candidacy_shows_its_reason_and_cannot_be_withdrawn(app, client, progworld):
    candidacy_id = make_candidacy(app, progworld, status="inadmissible", reason="Manca la firma digitale.")
    login(client, progworld.metro_referent)
    page = client.get(f"/candidacies/{candidacy_id}").get_data(as_text=True)
    assert "Non ammissibile" in page and "Motivo dell'inammissibilità:" in page
    assert "Manca la firma digitale." in page and "Ritira la candidatura" not in page
    box = client.get(f"/calls/{progworld.call.slug}").get_data(as_text=True)
    assert "Manca la firma digitale." in box and "Continua la bozza" not in box
    refused = client.post(f"/candidacies/{candidacy_id}/withdraw",
                          data={"csrf_token": csrf_token(client, "/privacy"), "confirmed": "1"})
    assert refused.status_code == 422 and count(app, CandidacyChange) == 0


def test_the_dashboard_and_the_profile_show_candidacies_and_programmes(app, client, progworld):
    candidacy_id = make_candidacy(app, progworld, status="selected")
    with app.app_context():
        db.session.add(ProgrammeParticipant(programme_id=progworld.programme.id, organization_id=progworld.metro.id,
                                            candidacy_id=candidacy_id))
        db.session.commit()
    login(client, progworld.metro_referent)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Candidature del mio ente agli avvisi dei programmi" in dashboard and f"/candidacies/{candidacy_id}" in dashboard
    assert "Selezionata" in dashboard
    metro_profile = f"/organizations/{progworld.metro.slug}"
    assert "Ask Public Value" in client.get(metro_profile).get_data(as_text=True)
    # Others learn of the selection once the call's results are published; the region's earlier one is public.
    client = app.test_client()
    login(client, progworld.region_referent)
    assert "Programmi a cui partecipa" not in client.get(metro_profile).get_data(as_text=True)
    assert "Ask Public Value" in client.get(f"/organizations/{progworld.region.slug}").get_data(as_text=True)
    set_call(app, progworld.call.id, phase="results")
    assert "Ask Public Value" in client.get(metro_profile).get_data(as_text=True)
