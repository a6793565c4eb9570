"""Practices declare the KPIs they improve (issue 16, point 7): kpi.link_practice and kpi.unlink_practice for every
role, full page and htmx, with what each POST changed; bad input at the field with nothing saved; the slot
practice.kpis on a practice's page and kpi.definition.practices on a KPI's page, where only the practices the reader
may see are listed (published, not in a private community the reader is not in)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Community, KpiPracticeLink, Organization, User
from tests.conftest import count_queries, csrf_token, login, make_community, make_practice

ROLES = ("anonymous", "member", "adopter", "peer", "outsider", "facilitator", "staff", "region_person",
         "supplier_person", "admin")
WRITERS = {"adopter", "admin"}  # the donor's referents and administrators


@dataclass
class Extra:
    draft: str  # a draft practice of Chieri
    private: str  # a published practice of Chieri in a private community (members: peer)
    archived: str
    private_link_evidence: str


@pytest.fixture
def extra(app, kworld) -> Extra:
    """More practices around the world's KPI `published`: a draft, an archived one and one in a private community,
    each declaring it (written directly: what the pages show is under test)."""
    with app.app_context():
        community = db.session.get(Community, kworld.community.id)
        chieri = db.session.get(Organization, kworld.chieri.id)
        peer = db.session.get(User, kworld.peer.id)
        private = make_community("Tavolo riservato dei pagamenti", "private", members=[peer])
        practices = dict(draft=make_practice("Bozza di fatturazione rapida", community, chieri, status="draft", kit={}),
                         private=make_practice("Pratica riservata sui pagamenti", private, chieri),
                         archived=make_practice("Vecchio sistema di pagamento", community, chieri,
                                                status="archived"))
        for key, practice in practices.items():
            db.session.add(KpiPracticeLink(practice_id=practice.id, definition_id=kworld.published.id,
                                           evidence=f"Evidenza della pratica {key}."))
        db.session.commit()
        return Extra(draft=practices["draft"].slug, private=practices["private"].slug,
                     archived=practices["archived"].slug, private_link_evidence="Evidenza della pratica private.")


def signed_in(app, world, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(world, role)).status_code == 303
    return client


def links_of(app, practice_id: int) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(KpiPracticeLink.definition_id, KpiPracticeLink.evidence, KpiPracticeLink.declared_by_id)
            .where(KpiPracticeLink.practice_id == practice_id).order_by(KpiPracticeLink.id))]


def total_links(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(KpiPracticeLink.id)))


def check_refusal(response, outcome: str, htmx: bool, where) -> None:
    if outcome == "login":
        if htmx:
            assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"], where
        else:
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"], where
    else:
        assert response.status_code == outcome, where


def test_link_matrix(app, kworld, extra):
    """Every role declaring a KPI for the world's published practice, as a page and as htmx."""
    url = f"/kpi/practice/{kworld.practice.slug}/link"
    before = links_of(app, kworld.practice.id)
    for role in ROLES:
        client = signed_in(app, kworld, role)
        token = csrf_token(client, "/privacy")
        outcome = "login" if role == "anonymous" else ("ok" if role in WRITERS else 403)
        for htmx in (False, True):
            where = (role, htmx)
            headers = {"HX-Request": "true"} if htmx else {}
            page = client.get(url, headers=headers)
            response = client.post(url, headers=headers, data={
                "csrf_token": token, "definition": str(kworld.unadopted.id),
                "evidence": "Con lo sportello online gli accessi con SPID sono passati dal 40 al 65%."})
            if outcome != "ok":
                check_refusal(page, outcome, htmx, where)
                check_refusal(response, outcome, htmx, where)
                assert links_of(app, kworld.practice.id) == before, where
                continue
            text = page.get_data(as_text=True)
            assert page.status_code == 200 and 'id="kpi-link-form"' in text, where
            assert ("<html" in text) is (not htmx), where
            if htmx:
                assert response.status_code == 204
                assert response.headers["HX-Redirect"] == f"/practices/{kworld.practice.slug}#practice-kpis"
            else:
                assert response.status_code == 303 and response.headers["Location"].endswith("#practice-kpis")
            actor = getattr(kworld, role).id
            assert links_of(app, kworld.practice.id) == before + [
                (kworld.unadopted.id, "Con lo sportello online gli accessi con SPID sono passati dal 40 al 65%.",
                 actor)], where
            with app.app_context():  # back as it was, for the next role
                db.session.execute(KpiPracticeLink.__table__.delete().where(
                    KpiPracticeLink.practice_id == kworld.practice.id,
                    KpiPracticeLink.definition_id == kworld.unadopted.id))
                db.session.commit()


@pytest.mark.parametrize("which, outcomes", [
    # a draft: its donor team sees it but may not declare for it yet; the others do not see it
    ("draft", {"adopter": 403, "member": 403, "admin": 403, "outsider": 404, "peer": 404}),
    # a private community's practice: only its members (and administrators) see it
    ("private", {"adopter": 404, "outsider": 404, "peer": 403, "admin": "ok"}),
    # archived: public, never changed again
    ("archived", {"adopter": 403, "admin": 403, "outsider": 403}),
])
def test_link_needs_a_published_practice_the_reader_sees(app, kworld, extra, which, outcomes):
    slug = getattr(extra, which)
    count = total_links(app)
    for role, outcome in outcomes.items():
        client = signed_in(app, kworld, role)
        token = csrf_token(client, "/privacy")
        url = f"/kpi/practice/{slug}/link"
        assert client.get(url).status_code == (200 if outcome == "ok" else outcome), (which, role)
        if outcome != "ok":
            response = client.post(url, data={"csrf_token": token, "definition": str(kworld.unadopted.id),
                                              "evidence": "Evidenza."})
            assert response.status_code == outcome, (which, role)
    assert total_links(app) == count


def test_unknown_practice_is_404(app, kworld):
    client = signed_in(app, kworld, "admin")
    token = csrf_token(client, "/privacy")
    for slug in ("non-esiste", "x" * 300, "a%00b"):
        assert client.get(f"/kpi/practice/{slug}/link").status_code == 404
        assert client.post(f"/kpi/practice/{slug}/link", data={"csrf_token": token}).status_code == 404
        assert client.post(f"/kpi/practice/{slug}/unlink/1", data={"csrf_token": token}).status_code == 404


def test_the_select_offers_published_kpis_not_linked_yet(app, kworld):
    client = signed_in(app, kworld, "adopter")
    text = client.get(f"/kpi/practice/{kworld.practice.slug}/link").get_data(as_text=True)
    select_html = text[text.index('<select'):text.index('</select>')]
    assert f'value="{kworld.unadopted.id}"' in select_html
    for other in (kworld.published, kworld.proposed, kworld.in_review, kworld.deprecated, kworld.withdrawn):
        assert f'value="{other.id}"' not in select_html  # already linked, or not published
    assert 'for="definition"' in text and 'for="evidence"' in text
    assert kworld.published.name in text  # among the KPIs declared already, with its remove button
    assert f"/kpi/practice/{kworld.practice.slug}/unlink/" in text


BAD_INPUT = [
    ("definition", "proposed", "Scegliete un indicatore pubblicato della libreria."),
    ("definition", "deprecated", "Scegliete un indicatore pubblicato della libreria."),
    ("definition", "published", "Scegliete un indicatore pubblicato della libreria."),  # already declared
    ("definition", "", "Scegliete un indicatore pubblicato della libreria."),
    ("definition", "abc", "Scegliete un indicatore pubblicato della libreria."),
    ("definition", "-1", "Scegliete un indicatore pubblicato della libreria."),
    ("definition", "99999999999999999999", "Scegliete un indicatore pubblicato della libreria."),
    ("definition", "2\x00", "Scegliete un indicatore pubblicato della libreria."),
    ("evidence", "", "Descrivete che cosa è migliorato con la pratica e come lo avete misurato."),
    ("evidence", " \n\x00 ", "Descrivete che cosa è migliorato con la pratica e come lo avete misurato."),
    ("evidence", "x" * 5001, "Al massimo 5000 caratteri."),
]


def test_link_bad_input(app, kworld):
    """Each wrong value at its field, the rest kept, nothing saved (page and htmx)."""
    ids = {"proposed": kworld.proposed.id, "deprecated": kworld.deprecated.id, "published": kworld.published.id}
    client = signed_in(app, kworld, "adopter")
    token = csrf_token(client, "/privacy")
    count = total_links(app)
    for (field, value, message), htmx in ((case, htmx) for case in BAD_INPUT for htmx in (False, True)):
        where = (field, value[:20], htmx)
        data = {"definition": str(kworld.unadopted.id), "evidence": "Gli accessi sono cresciuti del 20%."}
        data[field] = str(ids.get(value, value))
        response = client.post(f"/kpi/practice/{kworld.practice.slug}/link",
                               headers={"HX-Request": "true"} if htmx else {}, data={"csrf_token": token, **data})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, where
        assert message in text.replace("&#39;", "'"), where
        assert f'id="{field}-error"' in text, where
        assert ("<html" in text) is (not htmx), where
        if field == "definition":
            assert "Gli accessi sono cresciuti del 20%." in text, where  # the evidence typed is kept
    assert total_links(app) == count


def test_link_without_csrf_is_refused(app, kworld):
    client = signed_in(app, kworld, "adopter")
    count = total_links(app)
    response = client.post(f"/kpi/practice/{kworld.practice.slug}/link",
                           data={"definition": str(kworld.unadopted.id), "evidence": "Evidenza."})
    assert response.status_code == 400
    assert total_links(app) == count


def test_unlink_matrix(app, kworld):
    with app.app_context():
        link_id = db.session.scalar(select(KpiPracticeLink.id).where(
            KpiPracticeLink.practice_id == kworld.practice.id))
    url = f"/kpi/practice/{kworld.practice.slug}/unlink/{link_id}"
    for role in ROLES:
        for htmx in (False, True):
            where = (role, htmx)
            client = signed_in(app, kworld, role)
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.post(url, headers=headers, data={"csrf_token": csrf_token(client, "/privacy")})
            if role not in WRITERS:
                check_refusal(response, "login" if role == "anonymous" else 403, htmx, where)
                assert [row[0] for row in links_of(app, kworld.practice.id)] == [kworld.published.id], where
                continue
            assert response.status_code == (204 if htmx else 303), where
            assert links_of(app, kworld.practice.id) == [], where
            with app.app_context():
                db.session.add(KpiPracticeLink(id=link_id, practice_id=kworld.practice.id,
                                               definition_id=kworld.published.id, evidence="Di nuovo."))
                db.session.commit()


def test_unlink_refuses_a_link_of_another_practice_or_none(app, kworld, extra):
    with app.app_context():
        other_link = db.session.scalar(select(KpiPracticeLink.id).where(
            KpiPracticeLink.practice_id != kworld.practice.id))
    client = signed_in(app, kworld, "admin")
    token = csrf_token(client, "/privacy")
    count = total_links(app)
    for link_id in (other_link, 999999, 2**31):
        assert client.post(f"/kpi/practice/{kworld.practice.slug}/unlink/{link_id}",
                           data={"csrf_token": token}).status_code == 404
    assert client.post(f"/kpi/practice/{kworld.practice.slug}/unlink/-1", data={"csrf_token": token}).status_code \
        in (404, 405)
    with app.app_context():
        own = db.session.scalar(select(KpiPracticeLink.id).where(KpiPracticeLink.practice_id == kworld.practice.id))
    assert client.post(f"/kpi/practice/{kworld.practice.slug}/unlink/{own}").status_code == 400  # no CSRF
    assert total_links(app) == count


# ---- the slots -------------------------------------------------------------------------------------------------

def test_practice_page_lists_its_kpis(app, kworld):
    with app.app_context():
        link = db.session.scalar(select(KpiPracticeLink).where(KpiPracticeLink.practice_id == kworld.practice.id))
        link.evidence = "Il tempo è sceso **da 42 a 31 giorni**. <script>alert(1)</script>"
        db.session.commit()
    for role, can_link in (("anonymous", False), ("outsider", False), ("member", False), ("adopter", True),
                           ("admin", True)):
        text = signed_in(app, kworld, role).get(f"/practices/{kworld.practice.slug}").get_data(as_text=True)
        assert 'id="practice-kpis"' in text, role
        box = text[text.index('id="practice-kpis"'):]
        box = box[:box.index("</section>")]
        assert f'href="/kpi/{kworld.published.slug}"' in box and kworld.published.name in box, role
        assert "<strong>da 42 a 31 giorni</strong>" in box and "<script>" not in box, role
        assert ("Dichiara un indicatore" in box) is can_link, role


def test_practice_page_without_kpis_shows_nothing_to_readers(app, kworld):
    with app.app_context():
        db.session.execute(KpiPracticeLink.__table__.delete())
        db.session.commit()
    assert 'id="practice-kpis"' not in signed_in(app, kworld, "outsider").get(
        f"/practices/{kworld.practice.slug}").get_data(as_text=True)
    text = signed_in(app, kworld, "adopter").get(f"/practices/{kworld.practice.slug}").get_data(as_text=True)
    assert 'id="practice-kpis"' in text and "Dichiara un indicatore" in text


def _kpi_practices(app, kworld, role: str, slug: str) -> str:
    response = signed_in(app, kworld, role).get(f"/kpi/{slug}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if 'id="kpi-practices"' not in text:
        return ""
    box = text[text.index('id="kpi-practices"'):]
    return box[:box.index("</section>")]


@pytest.mark.parametrize("role, sees_private", [("anonymous", False), ("outsider", False), ("adopter", False),
                                                ("peer", True), ("admin", True)])
def test_kpi_page_lists_only_practices_the_reader_sees(app, kworld, extra, role, sees_private):
    box = _kpi_practices(app, kworld, role, kworld.published.slug)
    assert f'href="/practices/{kworld.practice.slug}"' in box, role
    assert "Dopo l&#39;adozione il tempo medio è sceso" in box or "Dopo l'adozione il tempo medio è sceso" in box
    assert (f'href="/practices/{extra.private}"' in box) is sees_private, role
    assert (extra.private_link_evidence in box) is sees_private, role
    # drafts and archived practices are never listed, whoever reads
    assert f'href="/practices/{extra.draft}"' not in box and "pratica draft" not in box, role
    assert f'href="/practices/{extra.archived}"' not in box, role


def test_kpi_page_offers_the_readers_own_practices(app, kworld):
    box = _kpi_practices(app, kworld, "adopter", kworld.unadopted.slug)
    assert "Nessuna pratica dichiara ancora" in box
    offer = f'/kpi/practice/{kworld.practice.slug}/link?kpi={kworld.unadopted.slug}'
    assert offer in box.replace("&amp;", "&")
    assert "kpi-own-practices" not in _kpi_practices(app, kworld, "member", kworld.unadopted.slug)  # not a referent
    assert "kpi-own-practices" not in _kpi_practices(app, kworld, "adopter", kworld.published.slug)  # linked already
    page = signed_in(app, kworld, "adopter").get(offer).get_data(as_text=True)
    assert f'<option selected value="{kworld.unadopted.id}">' in page


def test_kpi_page_of_a_proposal_has_no_practices_box(app, kworld):
    assert _kpi_practices(app, kworld, "facilitator", kworld.proposed.slug) == ""


def test_kpi_page_queries_do_not_grow_with_practices(app, kworld):
    client = app.test_client()
    url = f"/kpi/{kworld.published.slug}"
    few = count_queries(app, client, url)
    with app.app_context():
        community = db.session.get(Community, kworld.community.id)
        donors = [db.session.get(Organization, ref.id) for ref in (kworld.chieri, kworld.moncalieri, kworld.other)]
        for n in range(9):
            practice = make_practice(f"Pratica di prova {n}", community, donors[n % 3])
            db.session.add(KpiPracticeLink(practice_id=practice.id, definition_id=kworld.published.id,
                                           evidence=f"Evidenza {n}."))
        db.session.commit()
    assert count_queries(app, client, url) <= few


def test_practice_page_queries_do_not_grow_with_kpis(app, kworld):
    client = app.test_client()
    url = f"/practices/{kworld.practice.slug}"
    few = count_queries(app, client, url)
    with app.app_context():
        from app.models import KpiDefinition
        from tests.kpi_world import make_kpi

        for n in range(8):
            definition = make_kpi(f"Indicatore collegato numero {n}")
            db.session.add(KpiPracticeLink(practice_id=kworld.practice.id, definition_id=definition.id,
                                           evidence=f"Evidenza {n}."))
        db.session.commit()
        assert db.session.query(KpiDefinition).count() >= 14
    text = client.get(url).get_data(as_text=True)
    assert "Indicatore collegato numero 7" in text
    assert count_queries(app, client, url) <= few
