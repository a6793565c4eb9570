"""An adoption's page, edit and withdraw (issue 16): role × full page / htmx with what each POST changed, the newer
version notice, the slots of the KPI page (adopters, the "Adotta" button) and of the organisation's profile."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.kpi import core
from app.models import KpiAdoption, KpiDefinition, KpiValue, User
from tests.conftest import make_org
from tests.functional.test_kpi_adoptions import ROLES, assert_login, client_as, count_of, form, send
from tests.kpi_world import make_adoption

MANAGERS = {"member", "adopter", "admin"}  # Chieri's people (referent or not) and administrators


def adoption_row(app, adoption_id):
    with app.app_context():
        row = db.session.get(KpiAdoption, adoption_id)
        return (row.responsible_office, row.target_1, row.active, row.version_id)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_adoption_page_is_public_and_provisional_values_are_not(app, kworld, htmx):
    url = f"/kpi/adoptions/{kworld.adoption.id}"
    for role in ROLES:
        response = client_as(app, kworld, role).get(url, headers={"HX-Request": "true"} if htmx else {})
        text = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 200, role
        assert ("<html" in text) is (not htmx)
        assert "38 gg" in text and "31 gg" in text  # final values: everybody
        sees = role in MANAGERS
        assert ("27 gg" in text) is sees, role  # 2025 is provisional
        assert ('name="period"' in text) is (sees and role != "admin"), role  # the value form: its own people
        if not htmx:
            assert ("Modifica l'adozione" in text) is sees, role
            assert "Ufficio controllo di gestione" in text and "PIAO 2024–2026" in text
        assert "Sì, raggiunto" in text  # 31 ≤ 35 (lower is better): told in words


def test_adoption_of_an_invisible_definition_does_not_exist(app, kworld):
    with app.app_context():
        proposal = db.session.get(KpiDefinition, kworld.proposed.id)
        chieri = db.session.get(type(proposal.author_organization), kworld.chieri.id)
        hidden = make_adoption(proposal, chieri).id
        db.session.commit()
    assert client_as(app, kworld, "outsider").get(f"/kpi/adoptions/{hidden}").status_code == 404
    assert client_as(app, kworld, "anonymous").get(f"/kpi/adoptions/{hidden}").status_code == 404
    assert client_as(app, kworld, "member").get(f"/kpi/adoptions/{hidden}").status_code == 200
    for url in ("/kpi/adoptions/999999", "/kpi/adoptions/99999999999999", "/kpi/adoptions/-1",
                f"/kpi/adoptions/{hidden}/edit"):
        assert client_as(app, kworld, "outsider").get(url).status_code == 404, url


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_edit_adoption_matrix(app, kworld, htmx):
    url = f"/kpi/adoptions/{kworld.adoption.id}/edit"
    headers = {"HX-Request": "true"} if htmx else {}
    for index, role in enumerate(ROLES):
        client = client_as(app, kworld, role)
        response = client.get(url, headers=headers)
        before = adoption_row(app, kworld.adoption.id)
        office = f"Ufficio {index}"
        posted = send(client, url, form("2024", responsible_office=office, target_1=str(30 + index)), htmx=htmx)
        after = adoption_row(app, kworld.adoption.id)
        if role == "anonymous":
            assert_login(response, htmx)
            assert_login(posted, htmx)
            assert after == before
        elif role in MANAGERS:
            text = response.get_data(as_text=True)
            assert response.status_code == 200 and 'value="Ufficio' in text, role
            assert ("<html" in text) is (not htmx)
            assert posted.status_code == (204 if htmx else 303), role
            assert after[:2] == (office, 30.0 + index), role
        else:
            assert response.status_code == 403 and posted.status_code == 403, role
            assert after == before, role


def test_edit_adoption_checks_and_keeps_the_rest(app, kworld):
    client = client_as(app, kworld, "adopter")
    url = f"/kpi/adoptions/{kworld.adoption.id}/edit"
    before = adoption_row(app, kworld.adoption.id)
    response = send(client, url, form("2024", target_2="-1", responsible_office="Nuovo ufficio"))
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and 'id="target_2-error"' in text and "sotto il minimo" in text
    assert 'value="Nuovo ufficio"' in text
    assert adoption_row(app, kworld.adoption.id) == before
    # Moving the plan onto another of the organisation's adoptions is the duplicate error.
    send(client, f"/kpi/{kworld.published.slug}/adopt", form("2025"))
    response = send(client, url, form("2025"))
    assert response.status_code == 422 and "ha già adottato" in html.unescape(response.get_data(as_text=True))
    assert adoption_row(app, kworld.adoption.id) == before


def test_a_newer_version_is_announced_and_may_be_adopted(app, kworld):
    with app.test_request_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        facilitator = db.session.get(User, kworld.facilitator.id)
        core.write_version(definition, core.VersionData({
            "name": "Tempo medio ponderato di pagamento", "unit": "days", "polarity": "lower"}),
                           facilitator, change_note="Media ponderata sull'importo", breaks_series=True)
        db.session.commit()
        new_version = definition.current_version_id
    client = client_as(app, kworld, "adopter")
    text = html.unescape(client.get(f"/kpi/adoptions/{kworld.adoption.id}").get_data(as_text=True))
    assert "versione più recente" in text and "Media ponderata sull'importo" in text
    assert "interrompe la serie storica" in text
    edit_page = html.unescape(client.get(f"/kpi/adoptions/{kworld.adoption.id}/edit").get_data(as_text=True))
    assert 'name="upgrade_version"' in edit_page
    assert send(client, f"/kpi/adoptions/{kworld.adoption.id}/edit",
                form("2024", upgrade_version="y")).status_code == 303
    assert adoption_row(app, kworld.adoption.id)[3] == new_version
    text = client.get(f"/kpi/adoptions/{kworld.adoption.id}").get_data(as_text=True)
    assert "versione più recente" not in text
    # Others adopting now get the new version.
    send(client_as(app, kworld, "outsider"), f"/kpi/{kworld.published.slug}/adopt", form("2025"))
    with app.app_context():
        assert db.session.scalar(select(KpiAdoption.version_id).where(
            KpiAdoption.organization_id == kworld.other.id)) == new_version


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_withdraw_matrix_keeps_values_and_the_count(app, kworld, htmx):
    url = f"/kpi/adoptions/{kworld.adoption.id}/withdraw"
    order = [role for role in ROLES if role not in MANAGERS] + ["member"]
    for role in order:
        response = send(client_as(app, kworld, role), url, {"confirmed": "1"}, htmx=htmx)
        active = adoption_row(app, kworld.adoption.id)[2]
        if role == "anonymous":
            assert_login(response, htmx)
            assert active
        elif role in MANAGERS:
            assert response.status_code == (204 if htmx else 303)
            assert not active
        else:
            assert response.status_code == 403, role
            assert active, role
    assert count_of(app, kworld.published.id) == 1
    with app.app_context():
        assert db.session.query(KpiValue).filter_by(adoption_id=kworld.adoption.id).count() == 3
        assert db.session.get(KpiAdoption, kworld.adoption.id).withdrawn_at is not None
    client = client_as(app, kworld, "adopter")
    page = client.get(f"/kpi/adoptions/{kworld.adoption.id}").get_data(as_text=True)
    assert "Adozione ritirata" in page and 'name="period"' not in page
    assert client.get(f"/kpi/adoptions/{kworld.adoption.id}/edit").status_code == 403
    again = send(client, url, {"confirmed": "1"})  # twice: told, nothing changes
    assert again.status_code == 303 and count_of(app, kworld.published.id) == 1


def test_withdraw_asks_first_without_javascript(app, kworld):
    client = client_as(app, kworld, "adopter")
    response = send(client, f"/kpi/adoptions/{kworld.adoption.id}/withdraw")
    assert response.status_code == 200 and "Ritira l&#39;adozione" in response.get_data(as_text=True)
    assert adoption_row(app, kworld.adoption.id)[2] is True
    assert client.post(f"/kpi/adoptions/{kworld.adoption.id}/withdraw", data={"confirmed": "1"}).status_code == 400


# ---- slots -----------------------------------------------------------------------------------------------------

def test_kpi_page_lists_the_adopters_and_the_button_per_reader(app, kworld):
    url = f"/kpi/{kworld.published.slug}"
    for role in ROLES:
        text = html.unescape(client_as(app, kworld, role).get(url).get_data(as_text=True))
        assert "2 amministrazioni adottano questo indicatore." in text, role
        assert "Comune di Chieri" in text and "Comune di Moncalieri" in text
        assert f'href="/kpi/adoptions/{kworld.peer_adoption.id}"' in text and "PIAO 2024–2026" in text
        adopt_link = f'href="/kpi/{kworld.published.slug}/adopt"'
        own = role in {"member", "adopter"}
        assert ("La vostra adozione" in text) is own, role
        assert (adopt_link in text) is (role in {"member", "adopter", "outsider", "facilitator", "staff"}), role
    outsider = html.unescape(client_as(app, kworld, "outsider").get(url).get_data(as_text=True))
    assert "Adotta l'indicatore" in outsider
    unadopted = client_as(app, kworld, "anonymous").get(f"/kpi/{kworld.unadopted.slug}").get_data(as_text=True)
    assert "Nessuna amministrazione adotta ancora questo indicatore." in unadopted


def test_withdrawn_adopters_leave_the_list(app, kworld):
    send(client_as(app, kworld, "adopter"), f"/kpi/adoptions/{kworld.adoption.id}/withdraw", {"confirmed": "1"})
    text = client_as(app, kworld, "anonymous").get(f"/kpi/{kworld.published.slug}").get_data(as_text=True)
    assert "1 amministrazione adotta questo indicatore." in text
    assert f'href="/kpi/adoptions/{kworld.adoption.id}"' not in text


def test_adopters_slot_is_one_query_whatever_the_number(app, kworld):
    from app.kpi.slots_adoptions import definition_adopters

    with app.test_request_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        for number in range(12):
            make_adoption(definition, make_org(f"Comune numero {number}", ipa_code=f"c_x{number:03d}"))
        db.session.commit()
        definition = db.session.get(KpiDefinition, kworld.published.id)
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            markup = definition_adopters(definition)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(statements) == 1, statements
        assert "14 amministrazioni adottano questo indicatore." in str(markup)


def test_organisation_profile_box(app, kworld):
    text = html.unescape(client_as(app, kworld, "anonymous").get(f"/organizations/{kworld.chieri.slug}")
                         .get_data(as_text=True))
    assert "Indicatori adottati: 1" in text
    assert f'href="/kpi/organizations/{kworld.chieri.slug}"' in text
    asti = client_as(app, kworld, "anonymous").get(f"/organizations/{kworld.other.slug}").get_data(as_text=True)
    assert "Indicatori adottati" not in asti
