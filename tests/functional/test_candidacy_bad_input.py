"""Bad input to a candidacy (issue 15, part 3): outside the window, before it opens, an ineligible kind, without the
signed document, without protocol number or date, a protocol date in the future, a required field empty, twice, an
EXE named .pdf, a person who is not a referent — each refused with its message at its field (or above the form),
full page and htmx, and nothing saved: no candidacy, no document, no file."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CandidacyChange, CandidacyContact, CandidacyDocument, InterestCandidacy, Organization
from app.models.base import utcnow
from tests.conftest import login, make_user, ref
from tests.functional.test_candidacies import (PDF, all_files, candidacies, complete, count, form_url, make_candidacy,
                                               send, set_call, use_fields)

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"


def nothing_saved(app) -> None:
    assert candidacies(app) == []
    assert count(app, CandidacyDocument) == 0 and count(app, CandidacyContact) == 0
    assert count(app, CandidacyChange) == 0 and all_files(app) == []


def refused(client, progworld, data, files=None, htmx=False, status=422) -> str:
    response = send(client, form_url(progworld), data, files=files, htmx=htmx)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    text = response.get_data(as_text=True)
    assert ("<html" in text) is not htmx
    return text


# ---- the call does not take this candidacy ------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_outside_the_window_the_form_says_so_and_nothing_is_saved(app, client, progworld, htmx):
    set_call(app, progworld.call.id, closes_at=utcnow() - timedelta(hours=1))
    login(client, progworld.metro_referent)
    page = client.get(form_url(progworld)).get_data(as_text=True)
    assert "Le candidature per questo avviso sono chiuse." in page and "Invia la candidatura" not in page
    text = refused(client, progworld, complete(), files={"signed": (PDF, "firmata.pdf")}, htmx=htmx)
    assert "Le candidature per questo avviso sono chiuse." in text
    nothing_saved(app)


def test_before_the_window_opens_the_form_says_so_and_nothing_is_saved(app, client, progworld):
    set_call(app, progworld.call.id, opens_at=utcnow() + timedelta(days=2))
    login(client, progworld.metro_referent)
    assert "non sono ancora aperte" in client.get(form_url(progworld)).get_data(as_text=True)
    assert "non sono ancora aperte" in refused(client, progworld, complete("draft"),
                                               files={"signed": (PDF, "firmata.pdf")})
    nothing_saved(app)


def test_a_draft_left_when_the_window_closes_can_no_longer_be_changed(app, client, progworld):
    draft_id = make_candidacy(app, progworld, status="draft")
    set_call(app, progworld.call.id, closes_at=utcnow() - timedelta(minutes=5))
    login(client, progworld.metro_referent)
    text = refused(client, progworld, complete(), files={"signed": (PDF, "firmata.pdf")})
    assert "sono chiuse" in text and f"/candidacies/{draft_id}" in text
    [draft] = candidacies(app)
    assert draft.status == "draft" and draft.protocol_number == "P-9" and all_files(app) == []


def test_an_ineligible_kind_is_told_and_nothing_is_saved(app, client, progworld):
    with app.app_context():
        chieri_referent = ref(make_user("referente@chieri.example.it",
                                        db.session.get(Organization, progworld.municipality.id), is_referent=True))
        db.session.commit()
    login(client, chieri_referent)
    assert "non è tra quelli ammessi" in client.get(form_url(progworld)).get_data(as_text=True)
    assert "non è tra quelli ammessi" in refused(client, progworld, complete(),
                                                 files={"signed": (PDF, "firmata.pdf")}, htmx=True)
    nothing_saved(app)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_person_who_is_not_a_referent_is_refused_with_the_reason(app, client, progworld, htmx):
    login(client, progworld.region_member)
    page = client.get(form_url(progworld))
    assert page.status_code == 403 and "referente" in page.get_data(as_text=True)
    text = refused(client, progworld, complete(), files={"signed": (PDF, "firmata.pdf")}, htmx=htmx, status=403)
    assert "referente di una pubblica amministrazione" in text
    nothing_saved(app)


def test_anonymous_people_are_sent_to_sign_in_and_a_draft_call_is_not_found(app, client, progworld):
    assert client.get(form_url(progworld)).status_code == 302
    set_call(app, progworld.call.id, phase="draft")
    login(client, progworld.metro_referent)
    assert client.get(form_url(progworld)).status_code == 404
    assert send(client, form_url(progworld), complete()).status_code == 404
    assert client.get("/calls/nessun-avviso/candidacy").status_code == 404
    nothing_saved(app)


# ---- incomplete or wrong --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("missing, field, message", [
    ("signed", "signed", "Caricate la candidatura firmata"),
    ("protocol_number", "protocol_number", "Indicate il numero di protocollo"),
    ("protocol_date", "protocol_date", "Indicate la data di protocollo"),
    ("field_motivation", "field_motivation", "Questo campo serve per inviare la candidatura."),
    ("field_declaration", "field_declaration", "serve questa dichiarazione"),
    ("field_plan", "field_plan", "Allegate questo documento"),
    ("contact_name_0", "contact_name_0", "Indicate almeno una persona del gruppo di lavoro."),
])
def test_a_submission_missing_an_item_says_so_at_its_field_and_saves_nothing(app, client, progworld, missing, field,
                                                                              message):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    data = complete(**{missing: ""})
    if missing == "contact_name_0":
        data.update(contact_role_0="", contact_email_0="", contact_phone_0="")
    files = {"signed": (PDF, "firmata.pdf"), "field_plan": (PDF, "piano.pdf")}
    files.pop(missing, None)
    text = refused(client, progworld, data, files=files, htmx=missing == "signed")
    assert message in text and f'id="{field}-error"' in text
    assert "nulla è stato salvato" in text and "selezionateli di nuovo" in text
    # The rest of the form is kept as typed.
    assert "PROT-2027-15" in text or missing == "protocol_number"
    assert "Marta Metropolitana" in text or missing == "contact_name_0"
    nothing_saved(app)


def test_a_failed_submission_leaves_the_saved_draft_as_it_was(app, client, progworld):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    assert send(client, form_url(progworld), complete("draft", field_motivation="Prima stesura.")).status_code == 303
    text = refused(client, progworld, complete(field_motivation="Seconda stesura."),
                   files={"field_plan": (PDF, "piano.pdf")})
    assert "Caricate la candidatura firmata" in text and "Seconda stesura." in text
    [draft] = candidacies(app)
    assert draft.status == "draft" and draft.answers["motivation"] == "Prima stesura."
    assert count(app, CandidacyDocument) == 0 and all_files(app) == []


@pytest.mark.parametrize("intent", ["draft", "submit"])
def test_a_protocol_date_in_the_future_is_refused(app, client, progworld, intent):
    login(client, progworld.metro_referent)
    text = refused(client, progworld, complete(intent, protocol_date=(date.today() + timedelta(days=3)).isoformat()),
                   files={"signed": (PDF, "firmata.pdf")})
    assert "La data di protocollo non può essere nel futuro." in text and 'id="protocol_date-error"' in text
    nothing_saved(app)


@pytest.mark.parametrize("overrides, field, message", [
    ({"protocol_date": "31/02/2027"}, "protocol_date", "Scrivete una data valida"),
    ({"field_budget": "quaranta"}, "field_budget", "Scrivete un numero"),
    ({"field_mission": "99 Inventata"}, "field_mission", "Scegliete una delle voci"),
    ({"contact_email_0": "non-una-mail"}, "contact_email_0", "indirizzo e-mail valido"),
    ({"contact_name_0": ""}, "contact_name_0", "Scrivete il nome e cognome"),
    ({"contact_phone_0": "chiamami"}, "contact_phone_0", "numero di telefono"),
    ({"protocol_number": "P" * 61}, "protocol_number", "61"),
])
def test_what_is_not_well_written_is_told_at_its_field(app, client, progworld, overrides, field, message):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    text = refused(client, progworld, complete("draft", **overrides), files={"signed": (PDF, "firmata.pdf")})
    assert f'id="{field}-error"' in text and (message in text or field == "protocol_number")
    assert "I file scelti non sono stati salvati" in text
    nothing_saved(app)


@pytest.mark.parametrize("htmx", [False, True])
def test_an_exe_named_pdf_is_refused_at_its_field_and_nothing_is_stored(app, client, progworld, htmx):
    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    text = refused(client, progworld, complete("draft"), htmx=htmx,
                   files={"signed": (PDF, "firmata.pdf"), "field_plan": (EXE, "piano.pdf")})
    assert "«piano.pdf»" in text and "non è un PDF" in text and 'id="field_plan-error"' in text
    nothing_saved(app)


# ---- twice --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_a_second_candidacy_shows_the_existing_one_and_changes_nothing(app, client, progworld, htmx):
    existing = make_candidacy(app, progworld, status="submitted")
    login(client, progworld.metro_referent)
    page = client.get(form_url(progworld)).get_data(as_text=True)
    assert "ha già una candidatura" in page and f"/candidacies/{existing}" in page
    text = refused(client, progworld, complete(), files={"signed": (PDF, "altra.pdf")}, htmx=htmx)
    assert "ha già una candidatura" in text and f"/candidacies/{existing}" in text
    [only] = candidacies(app)
    assert only.id == existing and only.status == "submitted" and only.protocol_number == "P-9"
    assert count(app, CandidacyDocument) == 0 and all_files(app) == []


def test_a_withdrawn_candidacy_is_not_started_again(app, client, progworld):
    withdrawn = make_candidacy(app, progworld, status="withdrawn")
    login(client, progworld.metro_referent)
    text = refused(client, progworld, complete("draft"))
    assert "ha già una candidatura" in text and f"/candidacies/{withdrawn}" in text
    with app.app_context():
        assert db.session.scalars(select(InterestCandidacy.status).where(
            InterestCandidacy.id == withdrawn)).one() == "withdrawn"


def test_the_submitted_candidacy_refuses_removing_its_documents(app, client, progworld):
    login(client, progworld.metro_referent)
    send(client, form_url(progworld), complete(), files={"signed": (PDF, "firmata.pdf")})
    [sent] = candidacies(app)
    with app.app_context():
        document_id = db.session.scalars(select(CandidacyDocument.id)).one()
    from tests.conftest import csrf_token
    response = client.post(f"/candidacies/{sent.id}/documents/{document_id}/remove",
                           data={"csrf_token": csrf_token(client, "/privacy"), "confirmed": "1"})
    assert response.status_code == 303
    assert "si modifica solo in bozza" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count(app, CandidacyDocument) == 1 and len(all_files(app)) == 1


def test_two_sends_at_the_same_moment_make_one_candidacy_sent_once(app, client, progworld):
    from tests.functional.test_concurrent_submissions import at_once

    login(client, progworld.metro_referent)
    assert send(client, form_url(progworld), complete("draft"), files={"signed": (PDF, "firmata.pdf")}).status_code \
        == 303
    responses = at_once(app, progworld.metro_referent, form_url(progworld), [complete(), complete()])
    assert sorted(each.status_code for each in responses) == [303, 422]
    assert "ha già una candidatura" in next(each for each in responses if each.status_code == 422).get_data(
        as_text=True)
    [sent] = candidacies(app)
    assert sent.status == "submitted" and count(app, CandidacyChange) == 1
    assert count(app, CandidacyDocument) == 1 and len(all_files(app)) == 1


def test_two_first_drafts_at_the_same_moment_make_one_candidacy(app, progworld):
    from tests.functional.test_concurrent_submissions import at_once

    responses = at_once(app, progworld.metro_referent, form_url(progworld),
                        [complete("draft", protocol_number="A"), complete("draft", protocol_number="B")])
    assert [each.status_code for each in responses] == [303, 303]
    [draft] = candidacies(app)
    assert draft.status == "draft" and draft.protocol_number in ("A", "B")
    assert count(app, CandidacyContact) == 1
