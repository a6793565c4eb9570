"""Programmes (issue 15, point 1): the list and a programme's page (full and htmx), who sees what on it, the new
programme and its edit with communities chosen from a list, the staff appointed and removed; bad input and every
role (anonymous, member, staff, administrator), with the database checked after each POST."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Community, Notification, Programme, ProgrammeStaff
from tests.conftest import count_queries, login, make_community, make_user, post
from tests.programme_world import make_call, progworld  # noqa: F401


@pytest.fixture
def private(app, progworld):  # noqa: F811
    """A private community linked to the programme, of which only the region's member is a member."""
    with app.app_context():
        from app.models import User

        member = db.session.get(User, progworld.region_member.id)
        community = make_community("Tavolo riservato RTD", "private", members=[member])
        programme = db.session.get(Programme, progworld.programme.id)
        programme.communities = [*programme.communities, community]
        make_call(programme, "Avviso in preparazione", {"region": 3}, phase="draft")
        db.session.commit()
        return community.id


def text(response) -> str:
    """The page, with the apostrophes Jinja escapes written plainly (messages are compared as typed)."""
    return response.get_data(as_text=True).replace("&#39;", "'")


def url(progworld, name="programme", **extra):  # noqa: F811
    from flask import url_for

    return url_for(f"calls.{name}", slug=progworld.programme.slug, **extra)


def programme_row(app, slug):
    with app.app_context():
        found = db.session.execute(select(Programme).where(Programme.slug == slug)).scalar_one_or_none()
        if found is None:
            return None
        return {"name": found.name, "summary": found.summary, "communities": sorted(c.name for c in found.communities),
                "promoter_id": found.promoter_id, "starts_on": found.starts_on, "ends_on": found.ends_on,
                "website": found.website, "description": found.description}


def staff_ids(app, programme_id):
    with app.app_context():
        return set(db.session.scalars(select(ProgrammeStaff.user_id).where(
            ProgrammeStaff.programme_id == programme_id)))


def programme_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Programme.id)))


# ---- the list and the page ----------------------------------------------------------------------------------------

def test_list_full_and_htmx(client, progworld):  # noqa: F811
    page = client.get("/programmes/")
    body = text(page)
    assert page.status_code == 200 and "<html" in body and "Ask Public Value" in body and "Formez PA" in body
    assert "Nuovo programma" not in body
    assert "1 avviso aperto" in body  # the published call's window is open
    fragment = client.get("/programmes/?page=1", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert "Ask Public Value" in text(fragment)
    assert "HX-Request" in fragment.headers.get("Vary", "")
    assert client.get("/programmes/?page=0").status_code == 404
    client = client.application.test_client()
    login(client, progworld.admin)
    assert "Nuovo programma" in text(client.get("/programmes/"))


def test_page_for_anonymous_hides_drafts_private_communities_and_names(app, client, progworld, private):  # noqa: F811
    with app.test_request_context():
        target = url(progworld)
    page = client.get(target)
    body = text(page)
    assert page.status_code == 200
    assert "Formez PA" in body and "Valore pubblico" in body and "Avviso Innovation Lab 2027" in body
    assert "Primo avviso" in body and "Regione Piemonte" in body  # a participant, under its kind
    assert "Tavolo riservato RTD" not in body and "Avviso in preparazione" not in body
    assert "Stella Staff" not in body and "1 persona gestisce" in body
    assert "Modifica il programma" not in body
    assert client.get("/programmes/nessuno").status_code == 404


def test_page_for_members_staff_and_admin(app, client, progworld, private):  # noqa: F811
    with app.test_request_context():
        target = url(progworld)
    login(client, progworld.member)
    body = text(client.get(target))
    assert "Stella Staff" in body and "Tavolo riservato RTD" not in body and "Avviso in preparazione" not in body
    assert "Aggiungi allo staff" not in body
    client = app.test_client()
    login(client, progworld.region_member)  # a member of the private community sees it
    assert "Tavolo riservato RTD" in text(client.get(target))
    client = app.test_client()
    login(client, progworld.staff)
    body = text(client.get(target))
    assert "Avviso in preparazione" in body and "Modifica il programma" in body and "Aggiungi allo staff" not in body
    client = app.test_client()
    login(client, progworld.admin)
    body = text(client.get(target))
    assert "Tavolo riservato RTD" in body and "Aggiungi allo staff" in body and "Togli" in body


def test_page_queries_are_bounded(app, client, progworld):  # noqa: F811
    from app.models import Organization, ProgrammeParticipant
    from tests.conftest import make_org

    with app.test_request_context():
        target = url(progworld)
    admin = app.test_client()
    login(admin, progworld.admin)
    before = (count_queries(app, client, target), count_queries(app, admin, target))
    with app.app_context():  # more calls, participants, staff and communities: no more queries
        programme = db.session.get(Programme, progworld.programme.id)
        for number in range(3):
            make_call(programme, f"Avviso numero {number}", {"region": 2, "municipality": 3})
            organization = make_org(f"Comune numero {number}", ipa_code=f"c_z{number}")
            db.session.add(ProgrammeParticipant(programme_id=programme.id, organization_id=organization.id))
            person = make_user(f"staff{number}@example.it", db.session.get(Organization, progworld.promoter.id))
            db.session.add(ProgrammeStaff(programme_id=programme.id, user_id=person.id))
            programme.communities = [*programme.communities, make_community(f"Comunità {number}")]
        db.session.commit()
    after = (count_queries(app, client, target), count_queries(app, admin, target))
    assert after == before and before[0] <= 20


# ---- new programme --------------------------------------------------------------------------------------------------

def good(progworld, **changes):  # noqa: F811
    values = {"name": "PerForma PA", "summary": "Tavoli di confronto sulle buone pratiche",
              "promoter_id": str(progworld.promoter.id), "starts_on": "2025-02-01", "ends_on": "31/12/2026",
              "website": "https://www.formez.it/performa", "description": "Il programma **PerForma PA**.",
              "communities": [str(progworld.community.id)]}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


@pytest.mark.parametrize("role,expected", [("anonymous", 302), ("member", 403), ("staff", 403), ("admin", 200)])
def test_new_programme_who_may(client, progworld, role, expected):  # noqa: F811
    if role != "anonymous":
        login(client, getattr(progworld, role))
    assert client.get("/programmes/new").status_code == expected
    before = programme_count(client.application)
    response = post(client, "/programmes/new", good(progworld, name=f"Programma di {role}"))
    assert response.status_code == (303 if role == "admin" else expected)
    assert programme_count(client.application) == before + (role == "admin")


def test_new_programme_created_with_communities(app, client, progworld):  # noqa: F811
    login(client, progworld.admin)
    response = post(client, "/programmes/new", good(progworld))
    assert response.status_code == 303 and response.headers["Location"].endswith("/programmes/performa-pa")
    row = programme_row(app, "performa-pa")
    assert row["communities"] == ["Valore pubblico"] and row["promoter_id"] == progworld.promoter.id
    assert str(row["starts_on"]) == "2025-02-01" and str(row["ends_on"]) == "2026-12-31"
    body = text(client.get("/programmes/performa-pa"))
    assert "<strong>PerForma PA</strong>" in body and "dal 1 feb 2025 al 31 dic 2026" in body
    # htmx: the same name again gets its own address; the answer sends the browser there
    again = post(client, "/programmes/new", good(progworld), htmx=True)
    assert again.status_code == 204 and again.headers["HX-Redirect"].endswith("/programmes/performa-pa-2")
    # "new" is the form's address: a programme called so gets another slug
    assert post(client, "/programmes/new", good(progworld, name="New")).headers["Location"].endswith(
        "/programmes/programma-new")


@pytest.mark.parametrize("changes,field_message", [
    ({"name": ""}, "Scrivete il nome del programma."),
    ({"name": "x" * 201}, "Al massimo 200 caratteri."),
    ({"summary": "x" * 301}, "Al massimo 300 caratteri."),
    ({"starts_on": "31/02/2025"}, "Non è una data valida"),
    ({"ends_on": "99999-01-01"}, "Non è una data valida"),
    ({"starts_on": "1899-01-01"}, "Indicate una data tra il 2000 e il 2100."),
    ({"ends_on": "2024-01-01"}, "La fine del programma deve seguire il suo inizio."),
    ({"website": "javascript:alert(1)"}, "Inserisci un indirizzo web completo"),
    ({"promoter_id": "999999"}, "Scegliete l'ente promotore dall'elenco."),
    ({"promoter_id": "²"}, "Scegliete l'ente promotore dall'elenco."),
    ({"communities": ["424242"]}, "Scegliete le comunità dall'elenco."),
    ({"communities": ["abc"]}, "Scegliete le comunità dall'elenco."),
    ({"description": "x" * 20_001}, "Al massimo 20000 caratteri."),
])
def test_new_programme_bad_input(client, progworld, changes, field_message):  # noqa: F811
    login(client, progworld.admin)
    before = programme_count(client.application)
    for htmx in (False, True):
        response = post(client, "/programmes/new", good(progworld, **changes), htmx=htmx)
        body = text(response)
        assert response.status_code == 422 and field_message in body
        assert ("<html" in body) is not htmx
        assert 'value="Tavoli di confronto sulle buone pratiche"' in body or "summary" in changes  # kept as typed
    assert programme_count(client.application) == before


def test_private_community_not_offered_to_who_cannot_see_it(app, client, progworld, private):  # noqa: F811
    login(client, progworld.admin)
    assert "Tavolo riservato RTD" in text(client.get("/programmes/new"))
    client = app.test_client()
    login(client, progworld.staff)
    with app.test_request_context():
        edit = url(progworld, "edit_programme")
    assert "Tavolo riservato RTD" not in text(client.get(edit))
    response = post(client, edit, good(progworld, name="Ask Public Value", communities=[str(private)]))
    assert response.status_code == 422 and "Scegliete le comunità dall'elenco." in text(response)


# ---- edit ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", [("anonymous", 302), ("member", 403), ("region_referent", 403),
                                           ("staff", 200), ("admin", 200)])
def test_edit_who_may(app, client, progworld, role, expected):  # noqa: F811
    with app.test_request_context():
        edit = url(progworld, "edit_programme")
    if role != "anonymous":
        login(client, getattr(progworld, role))
    assert client.get(edit).status_code == expected
    response = post(client, edit, good(progworld, name="Ask Public Value 2", communities=[]))
    assert response.status_code == (303 if expected == 200 else expected)
    row = programme_row(app, progworld.programme.slug)
    assert row["name"] == ("Ask Public Value 2" if expected == 200 else "Ask Public Value")
    assert client.get("/programmes/nessuno/edit").status_code in (302, 404)


def test_edit_keeps_private_community_and_slug(app, client, progworld, private):  # noqa: F811
    with app.test_request_context():
        edit = url(progworld, "edit_programme")
    login(client, progworld.staff)
    page = text(client.get(edit))
    assert 'value="Ask Public Value"' in page and "checked" in page  # filled from the programme
    response = post(client, edit, good(progworld, name="Ask Public Value – KPI", communities=[]), htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/programmes/ask-public-value")
    row = programme_row(app, "ask-public-value")
    # the staff unticked what they could see; the private community they cannot see stayed linked
    assert row["name"] == "Ask Public Value – KPI" and row["communities"] == ["Tavolo riservato RTD"]


def test_edit_bad_input_changes_nothing(app, client, progworld):  # noqa: F811
    with app.test_request_context():
        edit = url(progworld, "edit_programme")
    login(client, progworld.staff)
    before = programme_row(app, progworld.programme.slug)
    for htmx in (False, True):
        response = post(client, edit, good(progworld, name="", ends_on="2020-01-01"), htmx=htmx)
        body = text(response)
        assert response.status_code == 422 and "Scrivete il nome del programma." in body
        assert "La fine del programma deve seguire il suo inizio." in body
    assert programme_row(app, progworld.programme.slug) == before
    assert client.post(edit, data=good(progworld)).status_code == 400  # no CSRF token


# ---- staff ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", [("anonymous", 302), ("member", 403), ("staff", 403)])
def test_staff_changes_refused(app, client, progworld, role, expected):  # noqa: F811
    with app.test_request_context():
        add = url(progworld, "add_staff")
        remove = url(progworld, "remove_staff", staff_id=1)
    if role != "anonymous":
        login(client, getattr(progworld, role))
    before = staff_ids(app, progworld.programme.id)
    assert post(client, add, {"email": progworld.member.email}).status_code == expected
    assert post(client, remove, {"confirmed": "1"}).status_code == expected
    assert staff_ids(app, progworld.programme.id) == before


def test_admin_appoints_staff_and_the_person_hears(app, client, progworld):  # noqa: F811
    with app.test_request_context():
        add = url(progworld, "add_staff")
    login(client, progworld.admin)
    response = post(client, add, {"email": "  MEMBRO@chieri.example.it "})
    assert response.status_code == 303 and response.headers["Location"].endswith("#programme-staff")
    assert staff_ids(app, progworld.programme.id) == {progworld.staff.id, progworld.member.id}
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(Notification.verb == "calls.staff_appointed")).all()
        assert [n.user_id for n in notes] == [progworld.member.id]
        assert notes[0].params["programme"] == "Ask Public Value"
        assert notes[0].link.endswith("/programmes/ask-public-value")
    assert "Mario Membro" in text(client.get(url_for_programme(app, progworld)))


def url_for_programme(app, progworld):  # noqa: F811
    with app.test_request_context():
        return url(progworld)


@pytest.mark.parametrize("email,message", [
    ("", "Scrivete l'indirizzo e-mail della persona."),
    ("non-un-indirizzo", "Scrivete un indirizzo e-mail valido."),
    ("nessuno@example.it", "Nessuna persona attiva sulla piattaforma ha questo indirizzo"),
    ("attesa@chieri.example.it", "Nessuna persona attiva sulla piattaforma ha questo indirizzo"),
    ("staff@formez.example.it", "Stella Staff fa già parte dello staff del programma."),
    ("a" * 250 + "@x.it", "Al massimo 254 caratteri."),
])
def test_appointment_refused_at_the_field(app, client, progworld, email, message):  # noqa: F811
    with app.app_context():
        from app.models import Organization

        make_user("attesa@chieri.example.it", db.session.get(Organization, progworld.municipality.id),
                  affiliation_status="pending")
        db.session.commit()
    with app.test_request_context():
        add = url(progworld, "add_staff")
    login(client, progworld.admin)
    before = staff_ids(app, progworld.programme.id)
    full = post(client, add, {"email": email})
    assert full.status_code == 422 and message in text(full)
    assert "<html" in text(full)
    fragment = post(client, add, {"email": email}, htmx=True)
    body = text(fragment)
    assert fragment.status_code == 422 and message in body and "<html" not in body
    assert "Staff del programma" in body and "Formez PA" not in body.split("Staff del programma")[0]
    assert staff_ids(app, progworld.programme.id) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.verb == "calls.staff_appointed")) == 0


def test_admin_removes_staff_after_confirming(app, client, progworld):  # noqa: F811
    with app.app_context():
        staff_id = db.session.scalar(select(ProgrammeStaff.id).where(ProgrammeStaff.user_id == progworld.staff.id))
    with app.test_request_context():
        remove = url(progworld, "remove_staff", staff_id=staff_id)
        other = url(progworld, "remove_staff", staff_id=staff_id + 100)
        add = url(progworld, "add_staff")
    login(client, progworld.admin)
    asked = post(client, remove)
    assert asked.status_code == 200 and "Togliere Stella Staff dallo staff" in text(asked)
    assert staff_ids(app, progworld.programme.id) == {progworld.staff.id}
    assert post(client, other, {"confirmed": "1"}).status_code == 404
    assert client.post(remove, data={"confirmed": "1"}).status_code == 400  # no CSRF token
    assert client.post(add, data={"email": progworld.member.email}).status_code == 400
    assert staff_ids(app, progworld.programme.id) == {progworld.staff.id}
    done = post(client, remove, {"confirmed": "1"}, htmx=True)
    assert done.status_code == 204 and done.headers["HX-Redirect"].endswith("#programme-staff")
    assert staff_ids(app, progworld.programme.id) == set()
    assert post(client, remove, {"confirmed": "1"}).status_code == 404  # already removed
    # the former staff no longer edits the programme
    client = app.test_client()
    login(client, progworld.staff)
    with app.test_request_context():
        assert client.get(url(progworld, "edit_programme")).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Community.id))) == 1
