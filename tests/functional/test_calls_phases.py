"""A call's phases (issue 15, part CALLS): publish, publish the results (the candidates' referents hear of it),
back to draft, each refusal told on the call's page with nothing changed; and the call's public page in each phase."""
from __future__ import annotations

import html
import itertools
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import InterestCall, InterestCandidacy, Notification, Programme
from app.models.base import utcnow
from tests.conftest import count_queries, login, make_org, make_user, post
from tests.programme_world import make_call


def switch(client, person) -> None:
    """Sign out whoever is signed in, then sign `person` in."""
    post(client, "/auth/logout")
    login(client, person)


def phase_of(app, call_id: int) -> tuple:
    with app.app_context():
        call = db.session.get(InterestCall, call_id)
        return call.phase, call.published_at, call.results_published_at


def draft_call(app, world, quotas=None, window: bool = True) -> int:
    with app.app_context():
        programme = db.session.get(Programme, world.programme.id)
        call = make_call(programme, "Avviso in bozza", {"region": 3} if quotas is None else quotas, phase="draft")
        if not window:
            call.opens_at = call.closes_at = None
        db.session.commit()
        return call.id


def transition(client, slug: str, action: str, htmx: bool = False):
    return post(client, f"/calls/{slug}/transition", {"action": action}, htmx=htmx)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_publishing_needs_quotas_and_a_window_and_nothing_changes_when_refused(app, client, progworld):
    login(client, progworld.staff)
    for call_id, message in ((draft_call(app, progworld, quotas={}),
                              "Indicate almeno un tipo di ente ammesso, con il numero di posti."),):
        slug = "avviso-in-bozza"
        for htmx in (False, True):
            response = transition(client, slug, "publish", htmx=htmx)
            text = text_of(response)
            assert response.status_code == 422 and message in text
            assert ("<html" in text) is not htmx and "Gestione dell'avviso" in text
            assert phase_of(app, call_id) == ("draft", None, None)


def test_publishing_without_a_window_is_refused_then_a_complete_draft_is_published(app, client, progworld):
    call_id = draft_call(app, progworld, window=False)
    login(client, progworld.staff)
    response = transition(client, "avviso-in-bozza", "publish")
    assert response.status_code == 422
    assert "Indicate quando si aprono e quando si chiudono le candidature." in text_of(response)
    assert phase_of(app, call_id) == ("draft", None, None)
    with app.app_context():
        call = db.session.get(InterestCall, call_id)
        call.opens_at, call.closes_at = utcnow() - timedelta(days=1), utcnow() + timedelta(days=9)
        db.session.commit()
    response = transition(client, "avviso-in-bozza", "publish", htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/calls/avviso-in-bozza")
    phase, published_at, _results = phase_of(app, call_id)
    assert phase == "published" and published_at is not None
    # Publishing twice: the reason, nothing changed.
    response = transition(client, "avviso-in-bozza", "publish")
    assert response.status_code == 422 and "Si pubblica solo un avviso in bozza." in text_of(response)
    assert phase_of(app, call_id) == ("published", published_at, None)
    response = transition(client, "avviso-in-bozza", "nonsense")
    assert response.status_code == 422 and "Operazione non riconosciuta." in text_of(response)


NUMBERS = itertools.count(1)


def candidates(app, world, statuses: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Organisations of the given names, each with a referent and a candidacy of the given status to the call."""
    made = {}
    with app.app_context():
        for name, status in statuses.items():
            position = next(NUMBERS)
            organization = make_org(name, pa_kind="region", ipa_code=f"r_{position}")
            referent = make_user(f"referente{position}@example.it", organization, is_referent=True)
            candidacy = InterestCandidacy(call_id=world.call.id, organization_id=organization.id, pa_kind="region",
                                          status=status, answers={}, submitted_at=utcnow(),
                                          waiting_since=utcnow() if status == "waiting" else None)
            db.session.add(candidacy)
            db.session.flush()
            made[name] = (organization.id, referent.id)
        db.session.commit()
    return made


def close_window(app, world) -> None:
    with app.app_context():
        call = db.session.get(InterestCall, world.call.id)
        call.opens_at, call.closes_at = utcnow() - timedelta(days=30), utcnow() - timedelta(minutes=1)
        db.session.commit()


def notified(app, verb: str) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Notification.user_id).where(Notification.verb == verb)))


def test_results_wait_for_the_closing_and_for_every_decision_then_the_candidates_hear(app, client, progworld):
    made = candidates(app, progworld, {"Regione Liguria": "selected", "Regione Umbria": "waiting",
                                       "Regione Molise": "not_selected", "Regione Lazio": "inadmissible",
                                       "Regione Marche": "withdrawn", "Regione Puglia": "submitted"})
    slug = progworld.call.slug
    login(client, progworld.staff)
    response = transition(client, slug, "publish_results")
    assert response.status_code == 422
    assert "Gli esiti si pubblicano dopo la chiusura delle candidature." in text_of(response)
    close_window(app, progworld)
    for htmx in (False, True):
        response = transition(client, slug, "publish_results", htmx=htmx)
        assert response.status_code == 422 and "Restano candidature da esaminare" in text_of(response)
    assert phase_of(app, progworld.call.id)[0] == "published" and not notified(app, "calls.results_published")
    # While published, the page gives numbers, never names.
    page = text_of(client.get(f"/calls/{slug}"))
    assert "Selezionati" in page and "Regione Liguria" not in page
    with app.app_context():
        db.session.scalar(select(InterestCandidacy).where(
            InterestCandidacy.organization_id == made["Regione Puglia"][0])).status = "not_selected"
        db.session.commit()
    response = transition(client, slug, "publish_results")
    assert response.status_code == 303
    phase, _published, results_at = phase_of(app, progworld.call.id)
    assert phase == "results" and results_at is not None
    told = {made[name][1] for name in ("Regione Liguria", "Regione Umbria", "Regione Molise", "Regione Puglia")}
    assert notified(app, "calls.results_published") == told
    with app.app_context():
        link = db.session.scalar(select(Notification.link).where(Notification.verb == "calls.results_published"))
        assert link == f"/calls/{slug}"
    # The page now lists the selected administrations by kind, linked to their profiles, and the waiting list.
    for reader in ("anonymous", progworld.member):
        if reader == "anonymous":
            post(client, "/auth/logout")
        else:
            switch(client, reader)
        page = text_of(client.get(f"/calls/{slug}"))
        assert "Le amministrazioni selezionate" in page
        assert '<a href="/organizations/regione-liguria">Regione Liguria</a>' in page
        for name in ("Regione Umbria", "Regione Molise", "Regione Lazio", "Regione Puglia"):
            assert name not in page
        assert "In lista d'attesa: 1 amministrazione" in page
    response = transition(client, slug, "publish_results")
    assert response.status_code == 403  # the member may not manage the call
    switch(client, progworld.staff)
    response = transition(client, slug, "publish_results")
    assert response.status_code == 422 and "una volta sola" in text_of(response)


def test_back_to_draft_is_for_administrators_while_nothing_was_submitted(app, client, progworld):
    slug = progworld.call.slug
    login(client, progworld.staff)
    assert "Riporta in bozza" not in text_of(client.get(f"/calls/{slug}"))
    response = transition(client, slug, "back_to_draft", htmx=True)
    assert response.status_code == 422 and "Gestisce l'avviso lo staff del programma" in text_of(response)
    assert phase_of(app, progworld.call.id)[0] == "published"
    switch(client, progworld.admin)
    assert "Riporta in bozza" in text_of(client.get(f"/calls/{slug}"))
    response = transition(client, slug, "back_to_draft")
    assert response.status_code == 303 and phase_of(app, progworld.call.id) == ("draft", None, None)
    assert transition(client, slug, "publish").status_code == 303
    candidates(app, progworld, {"Regione Liguria": "submitted"})
    response = transition(client, slug, "back_to_draft")
    assert response.status_code == 422
    assert "L'avviso ha già candidature inviate: non può tornare in bozza." in text_of(response)
    assert phase_of(app, progworld.call.id)[0] == "published"


def test_a_draft_call_is_only_for_its_managers(app, client, progworld):
    draft_call(app, progworld)
    for url in ("/calls/avviso-in-bozza", "/calls/avviso-in-bozza/edit"):
        assert client.get(url).status_code in (302, 404)
    assert client.get("/calls/avviso-in-bozza").status_code == 404
    for person in (progworld.member, progworld.region_referent, progworld.metro_referent, progworld.organizer):
        login(client, person)
        for htmx in (False, True):
            headers = {"HX-Request": "true"} if htmx else {}
            assert client.get("/calls/avviso-in-bozza", headers=headers).status_code == 404
            assert client.get("/calls/avviso-in-bozza/edit", headers=headers).status_code == 404
        assert transition(client, "avviso-in-bozza", "publish").status_code == 404
        post(client, "/auth/logout")
    for person in (progworld.staff, progworld.admin):
        switch(client, person)
        page = client.get("/calls/avviso-in-bozza")
        assert page.status_code == 200 and "In preparazione" in text_of(page)
        assert client.get("/calls/avviso-in-bozza", headers={"HX-Request": "true"}).status_code == 200
    assert phase_of(app, draft_call_id(app))[0] == "draft"


def draft_call_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(InterestCall.id).where(InterestCall.slug == "avviso-in-bozza"))


def test_a_transition_without_the_token_changes_nothing(app, client, progworld):
    login(client, progworld.staff)
    response = client.post(f"/calls/{progworld.call.slug}/transition", data={"action": "publish_results"})
    assert response.status_code == 400 and phase_of(app, progworld.call.id)[0] == "published"
    assert client.get("/calls/nessuno").status_code == 404


def test_the_public_page_shows_window_seats_and_counts(app, client, progworld):
    candidates(app, progworld, {"Regione Liguria": "selected"})
    page = text_of(client.get(f"/calls/{progworld.call.slug}"))
    assert "Candidature aperte" in page and "Gestione dell'avviso" not in page
    assert "Regione" in page and "Città metropolitana" in page and "Selezionati" in page
    assert "Ask Public Value" in page
    switch(client, progworld.staff)
    page = text_of(client.get(f"/calls/{progworld.call.slug}"))
    assert "Gestione dell'avviso" in page and f"/calls/{progworld.call.slug}/edit" in page
    assert f"/calls/{progworld.call.slug}/candidacies" in page and "Pubblica gli esiti" in page


def test_the_results_page_issues_a_bounded_number_of_queries(app, client, progworld):
    with app.app_context():
        db.session.get(InterestCall, progworld.call.id).quotas[0].seats = 30
        db.session.commit()
    candidates(app, progworld, {"Regione Liguria": "selected", "Regione Umbria": "waiting"})
    with app.app_context():
        db.session.get(InterestCall, progworld.call.id).phase = "results"
        db.session.commit()
    few = count_queries(app, client, f"/calls/{progworld.call.slug}")
    candidates(app, progworld, {f"Regione numero {n}": "selected" for n in range(10, 25)})
    many = count_queries(app, client, f"/calls/{progworld.call.slug}")
    assert many == few
    assert "Regione numero 24" in text_of(client.get(f"/calls/{progworld.call.slug}"))
