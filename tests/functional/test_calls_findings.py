"""Findings of the adversarial review of the calls area (issue 15): each test shows a bug a user or an attacker
would hit (quotas and promotion, the programme's participants, private content, odd input), fixed in the code."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import CandidacyDocument, InterestCall, InterestCandidacy, Organization, ProgrammeParticipant
from tests.calls_review_helpers import another_region, make_candidacy
from tests.conftest import login, post
from tests.programme_world import progworld  # noqa: F401  (fixture)


def _status(app, candidacy_id: int) -> str:
    with app.app_context():
        return db.session.get(InterestCandidacy, candidacy_id).status


def _participants(app, programme_id: int) -> dict[int, int | None]:
    with app.app_context():
        return dict(db.session.execute(select(ProgrammeParticipant.organization_id, ProgrammeParticipant.candidacy_id)
                                       .where(ProgrammeParticipant.programme_id == programme_id)).all())


def _withdraw(client, candidacy_id: int, htmx: bool = False):
    return post(client, f"/candidacies/{candidacy_id}/withdraw", {"confirmed": "1"}, htmx=htmx)


# ---- promotion once the results are out -------------------------------------------------------------------------

def test_a_selected_one_may_withdraw_after_the_results_and_the_waiting_list_moves_up(app, client, progworld):
    """Withdrawing is allowed once the results are published; the promotion it triggers was refused
    (RESULTS_FINAL), so the withdrawal itself failed with a 422 whenever someone was waiting."""
    with app.app_context():
        lombardia, referent = another_region()
        liguria, _other = another_region("Regione Liguria", "r_liguri", "referente@liguria.it")
        selected = make_candidacy(progworld.call.id, lombardia, status="selected").id
        waiting = make_candidacy(progworld.call.id, liguria, status="waiting").id
        db.session.get(InterestCall, progworld.call.id).phase = "results"
        db.session.commit()
        referent_email, lombardia_id, liguria_id = referent.email, lombardia.id, liguria.id
    login(client, referent_email)
    response = _withdraw(client, selected)
    assert response.status_code == 303
    assert _status(app, selected) == "withdrawn" and _status(app, waiting) == "selected"
    participants = _participants(app, progworld.programme.id)
    assert lombardia_id not in participants and participants[liguria_id] == waiting
    page = client.get(f"/calls/{progworld.call.slug}").get_data(as_text=True)
    assert "Regione Liguria" in page


# ---- participants -------------------------------------------------------------------------------------------------

def test_withdrawing_one_call_keeps_the_participation_another_selection_gives(app, client, progworld):
    """The region is a participant through the earlier call and is selected in the current one too: withdrawing
    the earlier candidacy deleted the participant row although the organisation is still selected."""
    with app.app_context():
        region = db.session.get(Organization, progworld.region.id)
        current = make_candidacy(progworld.call.id, region, status="submitted")
        current.status = "selected"  # the participant row exists already (the earlier call): none is added
        earlier = db.session.scalar(select(InterestCandidacy.id).where(
            InterestCandidacy.organization_id == region.id, InterestCandidacy.call_id != progworld.call.id))
        db.session.commit()
        current_id = current.id
    login(client, progworld.region_referent)
    assert _withdraw(client, earlier).status_code == 303
    assert _status(app, earlier) == "withdrawn"
    assert _participants(app, progworld.programme.id).get(progworld.region.id) == current_id
    # and withdrawing the last selection ends the participation
    assert _withdraw(client, current_id).status_code == 303
    assert progworld.region.id not in _participants(app, progworld.programme.id)


def test_the_programme_page_does_not_announce_a_selection_before_the_results(app, progworld):
    """A selection is public once the call's results are (the call page, the organisation's profile): the
    programme page listed the organisation as a participant as soon as the staff selected it."""
    with app.app_context():
        lombardia, _referent = another_region()
        make_candidacy(progworld.call.id, lombardia, status="selected")
        db.session.commit()
    url = f"/programmes/{progworld.programme.slug}"
    for reader in (None, progworld.member, progworld.metro_referent, progworld.staff):
        reading = app.test_client()
        if reader is not None:
            login(reading, reader)
        page = reading.get(url).get_data(as_text=True)
        assert "Regione Piemonte" in page  # selected by the earlier call, whose results are out
        assert ("Regione Lombardia" in page) == (reader == progworld.staff)  # the staff see their selection
    with app.app_context():
        db.session.get(InterestCall, progworld.call.id).phase = "results"
        db.session.commit()
    assert "Regione Lombardia" in app.test_client().get(url).get_data(as_text=True)


# ---- a call sent back to draft --------------------------------------------------------------------------------------

def test_a_call_back_in_draft_is_not_shown_through_the_organisations_draft_candidacy(app, client, progworld):
    """A draft call is for its managers only: sent back to draft (nothing submitted, a draft candidacy begun) and
    renamed, it showed through the candidacy's page, its downloads and the dashboard to the organisation's people."""
    with app.app_context():
        metro = db.session.get(Organization, progworld.metro.id)
        draft_id = make_candidacy(progworld.call.id, metro, status="draft").id
        document_id = db.session.scalar(select(CandidacyDocument.id).where(CandidacyDocument.candidacy_id == draft_id))
        call = db.session.get(InterestCall, progworld.call.id)
        call.phase, call.title = "draft", "Avviso riservato in preparazione"
        db.session.commit()
    login(client, progworld.metro_referent)
    for htmx in (False, True):
        headers = {"HX-Request": "true"} if htmx else {}
        assert client.get(f"/candidacies/{draft_id}", headers=headers).status_code == 404
    assert client.get(f"/candidacies/{draft_id}/documents/{document_id}").status_code == 404
    assert "Avviso riservato in preparazione" not in client.get("/dashboard").get_data(as_text=True)
    staff = app.test_client()
    login(staff, progworld.staff)
    assert staff.get(f"/candidacies/{draft_id}").status_code == 200
    # published again, the organisation finds its draft where it left it
    with app.app_context():
        db.session.get(InterestCall, progworld.call.id).phase = "published"
        db.session.commit()
    assert client.get(f"/candidacies/{draft_id}").status_code == 200
    assert "Avviso riservato in preparazione" in client.get("/dashboard").get_data(as_text=True)


# ---- what the candidate organisation's people read ------------------------------------------------------------------

def test_a_colleague_of_the_referent_is_not_told_an_open_call_is_closed(app, client, progworld):
    """The call page's box told a member of the candidate organisation (not a referent, so never "editable") that
    the draft could no longer be sent, while the call was open and the referent could send it."""
    from tests.conftest import make_user

    with app.app_context():
        metro = db.session.get(Organization, progworld.metro.id)
        make_user("collega@cmto.example.it", metro, full_name="Carlo Collega")
        make_candidacy(progworld.call.id, metro, status="draft")
        db.session.commit()
    login(client, "collega@cmto.example.it")
    page = client.get(f"/calls/{progworld.call.slug}").get_data(as_text=True)
    assert "Città metropolitana di Torino" in page and 'data-status="draft"' in page
    assert "non accetta più candidature" not in page
    referent = app.test_client()
    login(referent, progworld.metro_referent)
    assert "Continua la bozza" in referent.get(f"/calls/{progworld.call.slug}").get_data(as_text=True)


def test_a_small_number_typed_in_a_draft_comes_back_as_typed(app, client, progworld):
    """A number answer such as 0,00001 was shown back in the draft (and on the candidacy page) as "1e-05", which
    the form then refused as not a number: the draft could not be saved again without retyping it."""
    from tests.functional.test_candidacies import complete, form_url, send, use_fields

    use_fields(app, progworld.call.id)
    login(client, progworld.metro_referent)
    assert send(client, form_url(progworld), complete("draft", field_budget="0,00001")).status_code == 303
    with app.app_context():
        candidacy_id = db.session.scalar(select(InterestCandidacy.id).where(
            InterestCandidacy.organization_id == progworld.metro.id))
    form = client.get(form_url(progworld)).get_data(as_text=True)
    assert 'value="0,00001"' in form and "1e-05" not in form
    assert "1e-05" not in client.get(f"/candidacies/{candidacy_id}").get_data(as_text=True)
    assert send(client, form_url(progworld), complete("draft", field_budget="0,00001")).status_code == 303
