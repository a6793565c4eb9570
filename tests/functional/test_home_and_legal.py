"""Home page, footer, glossary and legal pages (issue 11, points 15 and 16)."""
from __future__ import annotations

import re

from app.extensions import db
from app.models import Activity
from tests.conftest import count_queries, login, make_community, make_org, make_practice, make_user


def test_visitor_home_is_a_starting_point(app, client, pworld):
    with app.app_context():
        db.session.add(Activity(community_id=pworld.open_community.id, actor_id=pworld.donor.id, verb="member.joined"))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    # A search box that leads to the search page.
    assert re.search(r'<form class="home-search[^"]*" method="get" action="/search"', page)
    assert 'id="home-q" name="q"' in page
    # Latest practices a visitor may see, and none of the others.
    latest = page.split('id="latest-title"')[1].split("</section>")[0]
    assert "Centrale unica di committenza" in latest and 'href="/practices/centrale-unica-di-committenza"' in latest
    for hidden in ("Bozza segreta del Comune", "Pratica del tavolo riservato", "Vecchio sportello unico"):
        assert hidden not in page
    # Active communities, with their members; a private one is never listed.
    communities = page.split('id="communities-title"')[1].split("</section>")[0]
    assert 'href="/communities/comunita-aperta"' in communities and "Tavolo riservato" not in page
    assert "2 persone iscritte" in communities  # the facilitator and the donor
    # Figures link to their lists.
    figures = page.split('id="figures-title"')[1].split("</section>")[0]
    assert re.search(r'<p class="display-5 mb-0">1</p><p class="card-text"><a href="/practices/">buone pratiche', figures)
    assert 'href="/communities/">comunità di pratica' in figures and 'href="/organizations/"' in figures
    # No recognition exists yet: no empty "recognised" section.
    assert "Pratiche riconosciute" not in page


def test_home_lists_the_most_recently_active_communities_first(app, client, cworld):
    with app.app_context():
        db.session.add(Activity(community_id=cworld.moderated.id, actor_id=cworld.member.id, verb="member.joined"))
        db.session.commit()
    communities = client.get("/").get_data(as_text=True).split('id="communities-title"')[1].split("</section>")[0]
    assert communities.index("Comunità moderated") < communities.index("Comunità open")
    assert "Comunità private" not in communities
    assert "3 persone iscritte" in communities  # two facilitators and a member; the pending person is not counted


def _grow(app, n: int) -> None:
    with app.app_context():
        org = make_org(f"Comune numero {n}", ipa_code=f"c_x{n:03d}")
        person = make_user(f"persona{n}@example.it", org, full_name=f"Persona {n}")
        for i in range(n):
            community = make_community(f"Comunità {n}-{i}", "open", members=[person])
            make_practice(f"Pratica {n}-{i}", community, org)
            db.session.add(Activity(community_id=community.id, actor_id=person.id, verb="member.joined"))
        db.session.commit()


def test_home_page_issues_a_bounded_number_of_queries(app, client, pworld):
    _grow(app, 2)
    few = count_queries(app, client, "/")
    _grow(app, 9)
    many = count_queries(app, client, "/")
    assert few == many and many <= 12, (few, many)


def test_signed_in_person_lands_on_the_dashboard_in_a_bounded_number_of_queries(app, client, pworld):
    response = login(client, pworld.donor)
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Ti diamo il bentornato, Carla Cedente." in page and "Bentornato" not in page
    with app.app_context():
        db.session.add(Activity(community_id=pworld.open_community.id, actor_id=pworld.donor.id, verb="member.joined"))
        db.session.commit()
    few = count_queries(app, client, "/dashboard")
    with app.app_context():
        for i in range(8):
            person = make_user(f"nuova{i}@example.it", None, full_name=f"Nuova Persona {i}")
            db.session.add(Activity(community_id=pworld.open_community.id, actor_id=person.id, verb="member.joined"))
        db.session.commit()
    many = count_queries(app, client, "/dashboard")
    assert few == many, (few, many)


def test_feed_wording_is_neutral_for_members_and_visitors(app, client, cworld):
    with app.app_context():
        db.session.add(Activity(community_id=cworld.open.id, actor_id=cworld.member.id, verb="member.joined"))
        db.session.add(Activity(community_id=cworld.open.id, actor_id=cworld.facilitator.id,
                                verb="facilitator.appointed", object_type="user", object_id=cworld.member.id,
                                object_label="Mario Membro"))
        db.session.add(Activity(community_id=cworld.open.id, actor_id=cworld.member.id, verb="member.left"))
        db.session.commit()
    visitor = client.get(f"/communities/{cworld.open.slug}").get_data(as_text=True)
    assert "Nuova iscrizione alla comunità" in visitor and "Una persona ha lasciato la comunità" in visitor
    assert "La comunità ha una nuova persona che la anima" in visitor
    assert "Mario Membro" not in visitor and "è entrat" not in visitor
    login(client, cworld.facilitator)
    member_view = client.get(f"/communities/{cworld.open.slug}").get_data(as_text=True)
    assert "Nuova iscrizione: Mario Membro" in member_view and "Mario Membro ora anima la comunità" in member_view
    assert "Mario Membro ha lasciato la comunità" in member_view and "è entrat" not in member_view
    assert "Nuova iscrizione: Mario Membro" in client.get("/dashboard").get_data(as_text=True)


def test_footer_names_owner_contacts_legal_notes_accessibility_and_help(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "OWNER_NAME", "Regione Esempio")
    monkeypatch.setitem(app.config, "OWNER_URL", "https://www.regione.example.it")
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "comunita@regione.example.it")
    page = client.get("/privacy").get_data(as_text=True)
    footer = page.split('id="footer"')[1]
    assert 'Piattaforma gestita da\n            <a href="https://www.regione.example.it">Regione Esempio</a>' in footer
    assert '<a href="mailto:comunita@regione.example.it">comunita@regione.example.it</a>' in footer
    for href in ('href="/legal"', 'href="/privacy"', 'href="/accessibility"', 'href="/glossary"'):
        assert href in footer
    # An owner's address that is not http(s) is never made a link.
    monkeypatch.setitem(app.config, "OWNER_URL", "javascript:alert(1)")
    footer = client.get("/privacy").get_data(as_text=True).split('id="footer"')[1]
    assert "javascript:" not in footer and "Regione Esempio" in footer


def test_privacy_notice_is_filled_from_settings(app, client, monkeypatch):
    empty = client.get("/privacy").get_data(as_text=True)
    assert empty.count("da indicare a cura del titolare") >= 4  # controller, DPO, legal basis, retention
    settings = {"PRIVACY_CONTROLLER": "Regione Esempio, piazza Italia 1, Torino",
                "PRIVACY_CONTACT": "privacy@regione.example.it",
                "PRIVACY_DPO_CONTACT": "rpd@regione.example.it",
                "PRIVACY_LEGAL_BASIS": "Art. 6, par. 1, lett. e) del GDPR: compito di interesse pubblico.",
                "PRIVACY_RETENTION": "Per la durata dell'account e 12 mesi dopo la sua chiusura."}
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    page = client.get("/privacy").get_data(as_text=True)
    for value in settings.values():
        assert value.replace("'", "&#39;") in page
    assert '<a href="mailto:privacy@regione.example.it">' in page and "da indicare" not in page.split("<main")[1]


def test_accessibility_statement_follows_the_agid_model(app, client, monkeypatch):
    empty = client.get("/accessibility").get_data(as_text=True)
    for heading in ("Stato di conformità", "Redazione della dichiarazione", "Meccanismo di feedback e recapiti",
                    "Procedura di attuazione"):
        assert heading in empty
    assert "da indicare a cura del titolare" in empty and 'href="https://form.agid.gov.it"' in empty
    monkeypatch.setitem(app.config, "OWNER_NAME", "Regione Esempio")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_STATUS", "partial")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_ISSUES", "Alcuni PDF allegati dagli enti non sono accessibili.")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_STATEMENT_DATE", "2026-09-23")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_FEEDBACK", "https://www.regione.example.it/segnalazioni")
    page = client.get("/accessibility").get_data(as_text=True)
    assert "Regione Esempio si impegna a rendere accessibile" in page
    assert "Questa piattaforma è parzialmente conforme ai requisiti" in page
    assert "Alcuni PDF allegati dagli enti non sono accessibili." in page
    assert "redatta il 23 settembre 2026" in page
    assert '<a href="https://www.regione.example.it/segnalazioni">' in page
    assert "da indicare" not in page.split("<main")[1]
    # A date the operator mistyped is shown as missing, not as an error page.
    monkeypatch.setitem(app.config, "ACCESSIBILITY_STATEMENT_DATE", "23/09/2026")
    assert "da indicare a cura del titolare" in client.get("/accessibility").get_data(as_text=True)


def test_legal_notes_name_the_owner(app, client, monkeypatch):
    assert "da indicare a cura del titolare" in client.get("/legal").get_data(as_text=True)
    monkeypatch.setitem(app.config, "OWNER_NAME", "Regione Esempio")
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "comunita@regione.example.it")
    page = client.get("/legal").get_data(as_text=True)
    assert "<h1>Note legali</h1>" in page and "Regione Esempio" in page
    assert '<a href="mailto:comunita@regione.example.it">' in page


def test_glossary_explains_the_words_of_reuse(client):
    page = client.get("/glossary").get_data(as_text=True)
    for anchor, term in (("kit-di-riuso", "KIT di riuso"), ("cedente", "Ente cedente"), ("riusatore", "Ente riusatore"),
                         ("dispiegamento", "Dispiegamento"), ("codice-ipa", "Codice IPA"),
                         ("comunita-di-pratica", "Comunità di pratica"), ("animatore", "Animatore o animatrice"),
                         ("co-cedente", "Co-cedente"), ("licenza", "Licenza")):
        assert f'<dt id="{anchor}" class="mt-3">{term}</dt>' in page
    english = client.get("/glossary", headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_glossary_is_linked_where_its_words_appear(client, pworld):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/glossary"' in home.split('id="footer"')[0]  # from the home page's introduction, not only the footer
    practice = client.get("/practices/centrale-unica-di-committenza").get_data(as_text=True)
    assert '<a href="/glossary#cedente" class="glossary-link">Ente cedente</a>' in practice
    assert '<a href="/glossary#licenza" class="glossary-link">Licenza</a>' in practice
    organization = client.get("/organizations/comune-di-chieri").get_data(as_text=True)
    assert '<a href="/glossary#codice-ipa" class="glossary-link">Codice IPA</a>' in organization
    community = client.get("/communities/comunita-aperta").get_data(as_text=True)
    assert 'href="/glossary#animatore"' in community
    assert "creata il" in community and "nata il" not in community
