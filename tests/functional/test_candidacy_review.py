"""The staff's examination of a call's candidacies (issue 15, part REVIEW): the board with its filters, counts and
quota usage; each decision and what it changed (status, history, participants, notifications); the quota; the
waiting list promoted when a selected one withdraws; htmx row swaps and errors at the row."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.calls.core import lock, move
from app.extensions import db
from app.models import (CandidacyChange, InterestCall, InterestCandidacy, Notification, ProgrammeParticipant,
                        User)
from tests.calls_review_helpers import another_region, make_candidacy
from tests.conftest import post
from tests.programme_world import progworld  # noqa: F401  (fixture)


@pytest.fixture
def board(app, progworld):
    """Four candidacies to the published call: the region and the metropolitan city sent theirs, a second region is
    admissible, a third region is a draft."""
    with app.app_context():
        from app.models import Organization

        region = db.session.get(Organization, progworld.region.id)
        metro = db.session.get(Organization, progworld.metro.id)
        lombardia, lombardia_referent = another_region()
        veneto, _veneto_referent = another_region("Regione Veneto", "r_veneto", "referente@veneto.it")
        rows = dict(region=make_candidacy(progworld.call.id, region, minutes_ago=90),
                    metro=make_candidacy(progworld.call.id, metro, minutes_ago=80),
                    lombardia=make_candidacy(progworld.call.id, lombardia, status="admissible", minutes_ago=70),
                    veneto=make_candidacy(progworld.call.id, veneto, status="draft"))
        ids = {key: row.id for key, row in rows.items()}
        ids["lombardia_referent"] = lombardia_referent.id
        db.session.commit()
        return ids


def state(app, candidacy_id: int) -> dict:
    with app.app_context():
        candidacy = db.session.get(InterestCandidacy, candidacy_id)
        return dict(status=candidacy.status, reason=candidacy.reason, decided_by=candidacy.decided_by_id,
                    history=[(c.action, c.to_status) for c in candidacy.history],
                    participant=db.session.scalar(select(ProgrammeParticipant.candidacy_id).where(
                        ProgrammeParticipant.programme_id == candidacy.call.programme_id,
                        ProgrammeParticipant.organization_id == candidacy.organization_id)))


def notices(app, verb: str) -> list[tuple[int, dict]]:
    with app.app_context():
        return [(n.user_id, n.params) for n in db.session.scalars(
            select(Notification).where(Notification.verb == verb).order_by(Notification.id))]


def decide(client, candidacy_id, action, note="", htmx=False, where="board", **extra):
    return post(client, f"/candidacies/{candidacy_id}/decide", {"action": action, "note": note, "where": where,
                                                               **extra}, htmx=htmx)


# ---- the board ------------------------------------------------------------------------------------------------

def test_board_lists_sent_candidacies_with_counts_and_quotas(client, as_user, progworld, board):
    as_user(progworld.staff)
    response = client.get(f"/calls/{progworld.call.slug}/candidacies")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" in page and "HX-Request" in response.headers["Vary"]
    for name in ("Regione Piemonte", "Città metropolitana di Torino", "Regione Lombardia"):
        assert name in page
    assert "Regione Veneto" not in page  # a draft is the organisation's own, only counted
    assert "1 ente sta preparando la candidatura" in page
    assert f"PROT-{progworld.region.id}-2027" in page
    assert f'href="/candidacies/{board["region"]}/documents/' in page and "candidatura-regione-piemonte.pdf" in page
    assert f'href="/candidacies/{board["region"]}"' in page
    assert "3 candidature inviate" in page and "Inviata: <strong>2</strong>" in page
    assert "Ammissibile: <strong>1</strong>" in page
    quotas = re.search(r'<table class="table table-sm calls-quotas">.*?</table>', page, re.S).group(0)
    assert re.search(r'data-kind="region"><th scope="row">Regione</th><td>1</td><td>0</td>\s*<td>1</td><td>0</td>',
                     quotas)
    # the submitted ones can be admitted or rejected, the admissible one selected
    region_row = re.search(rf'<tr id="candidacy-row-{board["region"]}".*?</tr>', page, re.S).group(0)
    assert 'value="admit"' in region_row and 'value="reject"' in region_row and 'value="select"' not in region_row
    lombardia_row = re.search(rf'<tr id="candidacy-row-{board["lombardia"]}".*?</tr>', page, re.S).group(0)
    assert {"select", "wait_list", "not_select"} <= set(re.findall(r'name="action" value="(\w+)"', lombardia_row))


def test_filters_as_htmx_fragment_and_as_full_page(client, as_user, progworld, board):
    as_user(progworld.staff)
    url = f"/calls/{progworld.call.slug}/candidacies?status=submitted&kind=region"
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith('<div id="board-list">')
    assert "Regione Piemonte" in text and "Città metropolitana di Torino" not in text
    assert "Regione Lombardia" not in text  # admissible, filtered out
    full = client.get(url).get_data(as_text=True)
    assert "<html" in full and '<option value="submitted" selected>' in full
    assert '<option value="region" selected>' in full
    assert "Regione Lombardia" not in full
    # unknown filter values are no filter
    everything = client.get(f"/calls/{progworld.call.slug}/candidacies?status=nonsense&kind=%00x")
    everything = everything.get_data(as_text=True)
    assert "Regione Lombardia" in everything and "Città metropolitana di Torino" in everything
    empty = client.get(f"/calls/{progworld.call.slug}/candidacies?status=withdrawn").get_data(as_text=True)
    assert "Nessuna candidatura corrisponde ai filtri." in empty


def test_board_queries_do_not_grow_with_candidacies(app, client, as_user, progworld, board):
    from tests.conftest import count_queries

    as_user(progworld.staff)
    url = f"/calls/{progworld.call.slug}/candidacies"
    few = count_queries(app, client, url)
    with app.app_context():
        for number in range(6):
            organization, _referent = another_region(f"Regione {number}", f"r_{number}", f"r{number}@example.it")
            make_candidacy(progworld.call.id, organization, status="submitted")
        db.session.commit()
    assert count_queries(app, client, url) == few


# ---- each decision ----------------------------------------------------------------------------------------------

def test_admit_changes_status_history_and_tells_the_referents(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    response = decide(client, board["region"], "admit", where="page")
    assert response.status_code == 303 and response.headers["Location"] == f"/candidacies/{board['region']}"
    after = state(app, board["region"])
    assert after["status"] == "admissible" and after["decided_by"] == progworld.staff.id
    assert after["history"][-1] == ("admit", "admissible")
    assert [user for user, _params in notices(app, "calls.admit")] == [progworld.region_referent.id]
    assert after["participant"] != board["region"]  # admissible is not yet participating


def test_reject_requires_the_reason_at_the_field(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    before = state(app, board["metro"])
    response = decide(client, board["metro"], "reject", note="   ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<html" in page  # without htmx: the board again, the error at the row's field
    assert 'id="decide-note-%d-error"' % board["metro"] in page
    assert "Scrivete il motivo dell&#39;inammissibilità" in page
    assert state(app, board["metro"]) == before and notices(app, "calls.reject") == []

    response = decide(client, board["metro"], "reject", note="Manca la delibera di giunta.")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/calls/{progworld.call.slug}/candidacies"
    after = state(app, board["metro"])
    assert after["status"] == "inadmissible" and after["reason"] == "Manca la delibera di giunta."
    assert after["history"][-1] == ("reject", "inadmissible")
    sent = notices(app, "calls.reject")
    assert [user for user, _ in sent] == [progworld.metro_referent.id]
    assert sent[0][1]["reason"] == "Manca la delibera di giunta."


def test_select_makes_a_participant_and_the_quota_is_then_full(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    with app.app_context():  # the metropolitan city admissible, then selected: its kind's one seat
        metro = db.session.get(InterestCandidacy, board["metro"])
        metro.status = "admissible"
        db.session.commit()
    assert decide(client, board["metro"], "select", note="Ottima proposta").status_code == 303
    after = state(app, board["metro"])
    assert after["status"] == "selected" and after["participant"] == board["metro"]
    assert after["reason"] == "Ottima proposta"
    assert [user for user, _ in notices(app, "calls.select")] == [progworld.metro_referent.id]
    # the region's seat: Lombardia selected, then Piemonte (admitted) refused with the workflow's message
    assert decide(client, board["lombardia"], "select").status_code == 303
    assert decide(client, board["region"], "admit").status_code == 303
    before = state(app, board["region"])
    response = decide(client, board["region"], "select", htmx=True)
    assert response.status_code == 422
    row = response.get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="candidacy-row-{board["region"]}"') and "<html" not in row
    assert "I posti per questo tipo di ente sono esauriti" in row and 'role="alert"' in row
    assert state(app, board["region"]) == before
    # the waiting list instead
    assert decide(client, board["region"], "wait_list").status_code == 303
    assert state(app, board["region"])["status"] == "waiting"
    page = client.get(f"/calls/{progworld.call.slug}/candidacies").get_data(as_text=True)
    assert re.search(r'data-kind="region"><th scope="row">Regione</th><td>1</td><td>1</td>\s*<td>0 <span', page)
    assert re.search(r'<td>0 <span class="badge bg-warning text-dark">esauriti</span></td><td>1</td>', page)


def test_not_select_from_admissible_and_from_the_waiting_list(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    response = decide(client, board["lombardia"], "not_select", status="admissible", kind="region")
    assert response.status_code == 303  # back to the board as it was filtered
    assert response.headers["Location"] == f"/calls/{progworld.call.slug}/candidacies?status=admissible&kind=region"
    assert state(app, board["lombardia"])["status"] == "not_selected"
    with app.app_context():
        db.session.get(InterestCandidacy, board["region"]).status = "waiting"
        db.session.commit()
    assert decide(client, board["region"], "not_select").status_code == 303
    assert state(app, board["region"])["status"] == "not_selected"
    assert len(notices(app, "calls.not_select")) == 2
    # a decided one offers nothing more; a decision that does not apply is refused, nothing changed
    before = state(app, board["region"])
    response = decide(client, board["region"], "admit", htmx=True)
    assert response.status_code == 422 and "Si dichiara ammissibile solo" in response.get_data(as_text=True)
    assert state(app, board["region"]) == before
    assert decide(client, board["region"], "promote").status_code == 422
    assert decide(client, board["region"], "x" * 5000).status_code == 422
    assert state(app, board["region"]) == before


def test_waiting_list_promoted_when_a_selected_one_withdraws(app, client, as_user, progworld, board):
    with app.app_context():
        from app.models import Organization

        db.session.get(InterestCandidacy, board["lombardia"]).status = "selected"
        db.session.add(ProgrammeParticipant(programme_id=progworld.programme.id,
                                            organization_id=db.session.get(InterestCandidacy,
                                                                           board["lombardia"]).organization_id,
                                            candidacy_id=board["lombardia"]))
        first, _r = another_region("Regione Liguria", "r_liguri", "referente@liguria.it")
        later, _r2 = another_region("Regione Umbria", "r_umbria", "referente@umbria.it")
        early = make_candidacy(progworld.call.id, first, status="waiting", minutes_ago=50).id
        late = make_candidacy(progworld.call.id, later, status="waiting", minutes_ago=10).id
        db.session.commit()
    with app.test_request_context():
        candidacy = db.session.get(InterestCandidacy, board["lombardia"])
        lock(candidacy.call)
        move(candidacy, "withdraw", db.session.get(User, board["lombardia_referent"]), "candidate")
        db.session.commit()
    assert state(app, board["lombardia"])["status"] == "withdrawn"
    assert state(app, board["lombardia"])["participant"] is None  # no longer a participant
    promoted = state(app, early)
    assert promoted["status"] == "selected" and promoted["participant"] == early
    assert promoted["history"][-1] == ("promote", "selected")
    assert state(app, late)["status"] == "waiting"
    assert [params["organization"] for _user, params in notices(app, "calls.promote")] == ["Regione Liguria"] * 2
    # the board shows it: the region seat taken again, one still waiting
    as_user(progworld.staff)
    page = client.get(f"/calls/{progworld.call.slug}/candidacies").get_data(as_text=True)
    assert re.search(r'data-kind="region"><th scope="row">Regione</th><td>1</td><td>1</td>', page)


def test_no_decision_after_results_nor_on_a_draft(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    with app.app_context():
        db.session.get(InterestCall, progworld.call.id).phase = "results"
        db.session.commit()
    before = state(app, board["lombardia"])
    response = decide(client, board["lombardia"], "select")
    assert response.status_code == 422
    assert "Gli esiti dell&#39;avviso sono pubblicati" in response.get_data(as_text=True)
    assert state(app, board["lombardia"]) == before
    page = client.get(f"/calls/{progworld.call.slug}/candidacies").get_data(as_text=True)
    assert 'name="action"' not in page
    with app.app_context():
        db.session.get(InterestCall, progworld.call.id).phase = "published"
        db.session.commit()
    assert decide(client, board["veneto"], "admit").status_code == 422
    assert state(app, board["veneto"])["status"] == "draft"


# ---- htmx -------------------------------------------------------------------------------------------------------

def test_htmx_decision_swaps_the_row_and_reloads_the_counts(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    response = decide(client, board["region"], "admit", htmx=True, status="submitted")
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "calls-board-changed"
    row = response.get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="candidacy-row-{board["region"]}"') and "<html" not in row
    assert 'data-status="admissible"' in row and "Candidatura di Regione Piemonte dichiarata ammissibile." in row
    assert '<input type="hidden" name="status" value="submitted">' in row  # the filters kept for the next one
    assert state(app, board["region"])["status"] == "admissible"
    # reject without reason: the row with the error at its field, nothing changed
    response = decide(client, board["metro"], "reject", htmx=True)
    assert response.status_code == 422 and "HX-Trigger" not in response.headers
    row = response.get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="candidacy-row-{board["metro"]}"')
    assert 'aria-invalid="true"' in row and "Scrivete il motivo" in row
    assert state(app, board["metro"])["status"] == "submitted"
    # a reason too long: at the field, the text kept
    response = decide(client, board["metro"], "reject", note="x" * 5001, htmx=True)
    assert response.status_code == 422 and "Al massimo 5000 caratteri." in response.get_data(as_text=True)
    assert state(app, board["metro"])["status"] == "submitted"


def test_decide_box_on_the_candidacy_page(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    page = client.get(f"/candidacies/{board['metro']}").get_data(as_text=True)
    if 'id="decide-%d"' % board["metro"] not in page:
        pytest.skip("calls/candidacy.html does not include calls/_decide.html yet")
    assert 'hx-target="#decide-%d"' % board["metro"] in page and 'name="where" value="page"' in page
    response = decide(client, board["metro"], "reject", htmx=True, where="page")
    assert response.status_code == 422
    box = response.get_data(as_text=True)
    assert box.lstrip().startswith(f'<div id="decide-{board["metro"]}"') and "Scrivete il motivo" in box
    response = decide(client, board["metro"], "admit", htmx=True, where="page")
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/candidacies/{board['metro']}"
    # the candidate organisation's referent reads the page without the decisions
    post(client, "/auth/logout")
    as_user(progworld.metro_referent)
    assert 'id="decide-' not in client.get(f"/candidacies/{board['metro']}").get_data(as_text=True)


# ---- the dashboard ----------------------------------------------------------------------------------------------

def test_dashboard_box_for_the_staff_only(app, client, as_user, progworld, board):
    as_user(progworld.staff)
    page = client.get("/dashboard", follow_redirects=True).get_data(as_text=True)
    assert "Candidature da esaminare" in page
    assert f'href="/calls/{progworld.call.slug}/candidacies"' in page
    assert "2 inviate da esaminare" in page and "1 ammissibile da decidere" in page
    for person in (progworld.region_referent, progworld.member):
        post(client, "/auth/logout")
        as_user(person)
        assert "Candidature da esaminare" not in client.get("/dashboard", follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        db.session.execute(InterestCandidacy.__table__.update().values(status="not_selected"))
        db.session.commit()
        assert db.session.scalar(select(func.count(CandidacyChange.id))) > 0
    post(client, "/auth/logout")
    as_user(progworld.admin)
    assert "Candidature da esaminare" not in client.get("/dashboard", follow_redirects=True).get_data(as_text=True)


# ---- the last seat, taken twice at once ---------------------------------------------------------------------------

def test_two_staff_selecting_the_last_seat_at_once(app, progworld, board):
    from app.calls import review
    from app.calls.core import CallsError
    from tests.functional.test_qa_concurrency import at_once

    with app.app_context():
        db.session.get(InterestCandidacy, board["region"]).status = "admissible"
        db.session.commit()

    def select_call(candidacy_id, user_id):
        def prepare():
            candidacy, person = db.session.get(InterestCandidacy, candidacy_id), db.session.get(User, user_id)
            return lambda: review.decide(candidacy, person, "select")
        return prepare

    results = at_once(app, [select_call(board["region"], progworld.staff.id),
                            select_call(board["lombardia"], progworld.admin.id)])
    assert sorted(str(each) if each == "selected" else type(each).__name__ for each in results) == \
        ["CallsError", "selected"], results
    refused = next(each for each in results if isinstance(each, CallsError))
    assert refused.message.startswith("I posti per questo tipo di ente sono esauriti")
    statuses = sorted(state(app, board[key])["status"] for key in ("region", "lombardia"))
    assert statuses == ["admissible", "selected"]
    lombardia = state(app, board["lombardia"])  # Piemonte was a participant already, through an earlier call
    assert (lombardia["participant"] == board["lombardia"]) is (lombardia["status"] == "selected")
