"""An adversarial review of the KPI library (issue 16), security and visibility: what the review found (each test
failed before its fix) and the sound parts it probed, kept as regressions — people's names out of visitors' sight,
CSRF on every POST (pages and htmx), provisional values and invisible proposals in no page, fragment, export or
import report, no 500 for what a user can type."""
from __future__ import annotations

import html
import io
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (KpiAdoption, KpiChange, KpiComment, KpiDefinition, KpiPracticeLink, KpiValue, KpiVersion,
                        Programme)
from tests.conftest import csrf_token, login

HX = {"HX-Request": "true"}


def client_as(app, kworld, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    return client


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# ---- finding 1: visitors read organisations, not people's names ------------------------------------------------

def _a_public_thread(app, kworld) -> None:
    with app.app_context():
        db.session.add(KpiComment(definition_id=kworld.published.id, author_id=kworld.member.id,
                                  organization_id=kworld.chieri.id, body="Misuriamo anche le note di credito?"))
        db.session.add(KpiChange(definition_id=kworld.published.id, action="publish", from_status="in_review",
                                 to_status="published", version_number=1, actor_id=kworld.facilitator.id))
        db.session.commit()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_kpi_page_shows_visitors_organisations_not_peoples_names(app, kworld, htmx):
    """The rule of every other page (practices, Q&A): a visitor reads who wrote by organisation; the history and the
    discussion of a KPI's page named the people (the proposer, the reviewers, who commented) to anybody."""
    _a_public_thread(app, kworld)
    url = f"/kpi/{kworld.published.slug}"
    visitor = text_of(client_as(app, kworld, "anonymous").get(url, headers=HX if htmx else {}))
    assert "Misuriamo anche le note di credito?" in visitor  # the thread itself is public
    for name in ("Mario Membro", "Carla Chieri", "Fabia Animatrice"):
        assert name not in visitor, name
    assert "Comune di Chieri" in visitor and "Comune di Asti" in visitor  # who wrote, by organisation
    member = text_of(client_as(app, kworld, "outsider").get(url, headers=HX if htmx else {}))
    for name in ("Mario Membro", "Carla Chieri", "Fabia Animatrice"):
        assert name in member, name


def test_members_still_read_the_names_in_the_thread_htmx_swaps_in(app, kworld):
    """The thread htmx swaps in after posting is the same partial: a member who posts sees the names."""
    _a_public_thread(app, kworld)
    client = client_as(app, kworld, "peer")
    token = csrf_token(client, "/privacy")
    response = client.post(f"/kpi/{kworld.published.slug}/comments", data={"body": "Sì, al netto.",
                                                                            "csrf_token": token}, headers=HX)
    assert response.status_code == 200 and "Mario Membro" in text_of(response)


# ---- sound: CSRF on every POST ---------------------------------------------------------------------------------

def _snapshot(app) -> tuple:
    with app.app_context():
        return (
            tuple(db.session.execute(select(KpiDefinition.id, KpiDefinition.status, KpiDefinition.current_version_id)
                                     .order_by(KpiDefinition.id)).all()),
            db.session.scalar(select(func.count(KpiVersion.id))),
            tuple(db.session.execute(select(KpiComment.id, KpiComment.hidden_at).order_by(KpiComment.id)).all()),
            tuple(db.session.execute(select(KpiAdoption.id, KpiAdoption.active, KpiAdoption.target_1,
                                            KpiAdoption.responsible_office).order_by(KpiAdoption.id)).all()),
            tuple(db.session.execute(select(KpiValue.id, KpiValue.period, KpiValue.value, KpiValue.status)
                                     .order_by(KpiValue.id)).all()),
            tuple(db.session.execute(select(KpiPracticeLink.id).order_by(KpiPracticeLink.id)).all()),
        )


def test_every_kpi_post_refuses_a_request_without_its_csrf_token(app, kworld):
    """Each POST of the area, by someone allowed to make it, with a complete form but no token: 400, nothing
    changed — as a page and as htmx (the token travels in a header there; without it, the same refusal)."""
    with app.app_context():
        comment = KpiComment(definition_id=kworld.published.id, author_id=kworld.peer.id,
                             organization_id=kworld.moncalieri.id, body="Da nascondere")
        db.session.add(comment)
        db.session.commit()
        comment_id = comment.id
        value_id = db.session.scalar(select(KpiValue.id).where(KpiValue.adoption_id == kworld.adoption.id,
                                                                KpiValue.period == "2023"))
        link_id = db.session.scalar(select(KpiPracticeLink.id))
        programme_slug = db.session.get(Programme, kworld.programme.id).slug
    record = dict(name="Tempo medio di rilascio dei permessi di costruire", description="Giorni medi.",
                  typology="outcome", formula_kind="description", formula="Media dei giorni", unit="days",
                  polarity="lower", frequency="annual", level="municipality", data_source="SUE",
                  missions=[], change_note="Nuova fonte")
    adoption_form = dict(plan_kind="piao", plan_year="2025", baseline_value="40", baseline_year="2024",
                         target_1="35", target_2="30", target_3="25", responsible_office="Ragioneria")
    value_form = dict(period="2022", value="33", status="final")
    published, proposed, in_review = kworld.published.slug, kworld.proposed.slug, kworld.in_review.slug
    posts = [
        ("member", f"/kpi/new?community={kworld.community.slug}", record),
        ("region_person", f"/kpi/new?programme={programme_slug}", record),
        ("member", f"/kpi/{proposed}/edit", record),
        ("facilitator", f"/kpi/{published}/edit", record),
        ("peer", f"/kpi/{published}/comments", {"body": "Senza token"}),
        ("facilitator", f"/kpi/{published}/comments/{comment_id}/hide", {}),
        ("facilitator", f"/kpi/{proposed}/move/start_review", {}),
        ("staff", f"/kpi/{in_review}/move/return", {"note": "Rivedete il denominatore."}),
        ("staff", f"/kpi/{in_review}/move/publish", {}),
        ("facilitator", f"/kpi/{kworld.unadopted.slug}/move/deprecate", {"note": "Superato."}),
        ("member", f"/kpi/{proposed}/move/withdraw", {"confirmed": "1"}),
        ("adopter", f"/kpi/practice/{kworld.practice.slug}/link",
         {"definition": str(kworld.unadopted.id), "evidence": "Sceso del 20%."}),
        ("adopter", f"/kpi/practice/{kworld.practice.slug}/unlink/{link_id}", {}),
        ("outsider", f"/kpi/{published}/adopt", adoption_form),
        ("adopter", f"/kpi/adoptions/{kworld.adoption.id}/edit", {**adoption_form, "target_1": "20"}),
        ("adopter", f"/kpi/adoptions/{kworld.adoption.id}/withdraw", {"confirmed": "1"}),
        ("adopter", f"/kpi/adoptions/{kworld.adoption.id}/values", value_form),
        ("adopter", f"/kpi/adoptions/{kworld.adoption.id}/values/{value_id}/edit", {**value_form, "period": "2023"}),
        ("adopter", f"/kpi/adoptions/{kworld.adoption.id}/values/{value_id}/delete", {"confirmed": "1"}),
    ]
    before = _snapshot(app)
    clients = {}
    for role, url, data in posts:
        client = clients.setdefault(role, client_as(app, kworld, role))
        for headers in ({}, HX):
            response = client.post(url, data=data, headers=headers)
            assert response.status_code == 400, (role, url, headers, response.status_code)
            assert _snapshot(app) == before, (role, url, headers)
    importer = clients["adopter"]
    for headers in ({}, HX):
        response = importer.post("/kpi/import", headers=headers, content_type="multipart/form-data", data={
            "file": (io.BytesIO(b"kpi,period,value\nKPI-0001,2022,30\n"), "valori.csv")})
        assert response.status_code == 400
    assert _snapshot(app) == before


# ---- sound: provisional values and invisible proposals nowhere ---------------------------------------------------

def test_a_provisional_value_reaches_no_page_fragment_or_file_of_another_organisation(app, kworld):
    """Chieri's 2025 value (27 days) is provisional: its people and administrators see it; another organisation,
    a visitor, a peer adopter do not — not in the comparison (table, chart summary), the administration's page,
    the adoption, the KPI page's box, the CSV exports nor the open data."""
    with app.app_context():
        db.session.get(KpiAdoption, kworld.adoption.id).open_data = True
        db.session.commit()
    slug, chieri = kworld.published.slug, kworld.chieri.slug
    pages = [f"/kpi/{slug}", f"/kpi/{slug}/compare?peers=all", f"/kpi/{slug}/compare?peers=chosen&org={chieri}",
             f"/kpi/{slug}/compare?peers=all&year=2025&sort=value", f"/kpi/adoptions/{kworld.adoption.id}",
             f"/kpi/organizations/{chieri}"]
    files = ["/kpi/export/values.csv", f"/kpi/export/values.csv?kpi={slug}&organization={chieri}",
             f"/kpi/organizations/{chieri}/open-data.csv"]
    for role in ("anonymous", "outsider", "peer", "supplier_person", "facilitator", "staff"):
        client = client_as(app, kworld, role)
        for url in pages:
            for headers in ({}, HX):
                body = text_of(client.get(url, headers=headers))
                assert "27 gg" not in body and "27 giorni" not in body, (role, url, headers)
        for url in files:
            body = client.get(url).get_data(as_text=True)
            assert ",2025,27.0," not in body and "2024,31.0" in body, (role, url)
    for role in ("adopter", "member", "admin"):
        body = text_of(client_as(app, kworld, role).get(f"/kpi/{slug}/compare?peers=all"))
        assert "27 gg" in body, role
    # Open data are final values only, whoever asks.
    assert ",27.0," not in client_as(app, kworld, "adopter").get(files[2]).get_data(as_text=True)


def test_the_import_report_does_not_tell_a_kpi_the_reader_may_not_see_exists(app, kworld):
    """A CSV naming the region's proposal in review (invisible to Chieri) reads "unknown", like a code nobody has;
    one naming the proposal of Chieri's own community reads "not adopted" (the reader may see it)."""
    with app.app_context():
        hidden = db.session.get(KpiDefinition, kworld.in_review.id)
        seen = db.session.get(KpiDefinition, kworld.proposed.id)
        hidden_code, hidden_slug, seen_code = hidden.code, hidden.slug, seen.code
    client = client_as(app, kworld, "adopter")
    content = (f"kpi,period,value\n{hidden_code},2024,30\n{hidden_slug},2024,30\nKPI-9999,2024,30\n"
               f"{seen_code},2024,30\n").encode()
    response = client.post("/kpi/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/kpi/import"), "file": (io.BytesIO(content), "valori.csv")})
    body = text_of(response)
    assert response.status_code == 422
    assert f"indicatore sconosciuto: «{hidden_code}»" in body
    assert f"indicatore sconosciuto: «{hidden_slug}»" in body
    assert "Quota di raccolta differenziata" not in body
    assert f"il vostro ente non ha un'adozione attiva di {seen_code}" in body


def test_similar_kpis_and_the_places_boxes_show_proposals_only_to_who_may_see_them(app, kworld):
    """The similar-KPI fragment, the community's aside and the programme's box: the community's proposal for its
    members and reviewers, the programme's one for its staff and participants, the withdrawn one for nobody new."""
    with app.app_context():
        slugs = {name: db.session.get(KpiDefinition, getattr(kworld, name).id).slug
                 for name in ("proposed", "in_review", "withdrawn")}
        programme_slug = db.session.get(Programme, kworld.programme.id).slug
    sees = {"anonymous": set(), "outsider": set(), "supplier_person": set(), "member": {"proposed", "withdrawn"},
            "peer": {"proposed"}, "facilitator": {"proposed", "withdrawn"}, "staff": {"in_review"},
            "region_person": {"in_review"}}
    for role, visible in sees.items():
        client = client_as(app, kworld, role)
        bodies = " ".join(client.get(url, headers=headers).get_data(as_text=True) for url, headers in (
            ("/kpi/similar?name=Posti+nido+bambini", HX), ("/kpi/similar?name=raccolta+differenziata", {}),
            ("/kpi/similar?name=Indicatore+ritirato", HX), (f"/communities/{kworld.community.slug}", {}),
            (f"/programmes/{programme_slug}", {})))
        for name in ("proposed", "in_review"):
            assert (f"/kpi/{slugs[name]}\"" in bodies) is (name in visible), (role, name)
        assert f"/kpi/{slugs['withdrawn']}\"" not in bodies, role  # never suggested, never listed


# ---- sound: what a user can type never makes a 500 ---------------------------------------------------------------

NASTY = ("a\x00b", "1e308", "-1", "99999999999999999999", "%_", "\u202e𝔘", "9" * 400)


def test_typed_nonsense_in_urls_and_query_strings_is_never_a_server_error(app, kworld):
    slug = kworld.published.slug
    templates = ("/kpi/?q={x}&mission={x}&bes={x}&sdg={x}&piao={x}&level={x}&status={x}&sort={x}&page={x}",
                 "/kpi/{x}", f"/kpi/{slug}/versions/{{x}}",
                 f"/kpi/{slug}/compare?peers={{x}}&org={{x}}&year={{x}}&sort={{x}}",
                 "/kpi/organizations/{x}/open-data.ttl", "/kpi/export/definitions.csv?q={x}&status={x}",
                 "/kpi/export/values.csv?kpi={x}&organization={x}", "/kpi/similar?name=abc{x}&exclude={x}",
                 "/kpi/new?community={x}", "/kpi/new?programme={x}",
                 f"/kpi/practice/{kworld.practice.slug}/link?kpi={{x}}", "/kpi/adoptions/{x}",
                 f"/kpi/adoptions/{kworld.adoption.id}/values/{{x}}/edit", f"/kpi/{slug}/move/{{x}}",
                 "/search?q={x}&type=kpi&mission={x}")
    client = client_as(app, kworld, "adopter")
    for template in templates:
        for raw in NASTY:
            url = template.replace("{x}", quote(raw, safe=""))
            assert client.get(url, headers=HX).status_code < 500, url


# ---- finding 2: administrators do not write an administration's values -------------------------------------------------

def test_only_the_adopting_organisations_people_write_its_values(app, kworld):
    """Issue 16, point 5: "only the adopting organisation's people write them" — not a platform administrator,
    whose value would stand in the administration's official series (and its open data) as if it had reported it."""
    client = client_as(app, kworld, "admin")
    token = csrf_token(client, "/privacy")
    response = client.post(f"/kpi/adoptions/{kworld.adoption.id}/values",
                           data={"period": "2022", "value": "39", "status": "final", "csrf_token": token})
    with app.app_context():
        written = db.session.scalar(select(func.count(KpiValue.id)).where(
            KpiValue.adoption_id == kworld.adoption.id, KpiValue.period == "2022"))
    assert response.status_code == 403 and written == 0


# ---- sound: ids from another row, forged choices -------------------------------------------------------------------

def test_ids_of_another_kpi_practice_or_adoption_and_forged_choices_are_refused(app, kworld):
    """A comment of another KPI hidden through this one's URL, a link of another practice taken back through this
    one's, a value of another adoption; a proposal offered as what a practice improves or as a replacement."""
    from tests.conftest import make_practice
    from app.models import Community, Organization
    with app.app_context():
        other_comment = KpiComment(definition_id=kworld.unadopted.id, author_id=kworld.peer.id,
                                   organization_id=kworld.moncalieri.id, body="Su un altro indicatore")
        db.session.add(other_comment)
        other_practice = make_practice("Sportello digitale", db.session.get(Community, kworld.community.id),
                                       db.session.get(Organization, kworld.moncalieri.id))
        db.session.flush()
        other_link = KpiPracticeLink(practice_id=other_practice.id, definition_id=kworld.published.id,
                                     evidence="Altra pratica", declared_by_id=kworld.peer.id)
        db.session.add(other_link)
        db.session.commit()
        comment_id, link_id = other_comment.id, other_link.id
        peer_value = db.session.scalar(select(KpiValue.id).where(KpiValue.adoption_id == kworld.peer_adoption.id))
    before = _snapshot(app)
    facilitator = client_as(app, kworld, "facilitator")
    token = csrf_token(facilitator, "/privacy")
    assert facilitator.post(f"/kpi/{kworld.published.slug}/comments/{comment_id}/hide",
                            data={"csrf_token": token}).status_code == 404
    assert facilitator.post(f"/kpi/{kworld.unadopted.slug}/move/deprecate", data={
        "csrf_token": token, "note": "Superato.", "replacement": str(kworld.proposed.id)}).status_code in (400, 422)
    adopter = client_as(app, kworld, "adopter")
    token = csrf_token(adopter, "/privacy")
    assert adopter.post(f"/kpi/practice/{kworld.practice.slug}/unlink/{link_id}",
                        data={"csrf_token": token}).status_code == 404
    for forged in (kworld.proposed.id, kworld.deprecated.id, kworld.withdrawn.id, 2**31 - 1, -1):
        response = adopter.post(f"/kpi/practice/{kworld.practice.slug}/link", data={
            "csrf_token": token, "definition": str(forged), "evidence": "Migliorato."})
        assert response.status_code == 422, forged
    for url in (f"/kpi/adoptions/{kworld.adoption.id}/values/{peer_value}/edit",
                f"/kpi/adoptions/{kworld.adoption.id}/values/{peer_value}/delete"):
        assert adopter.post(url, data={"csrf_token": token, "period": "2023", "value": "1", "status": "final",
                                       "confirmed": "1"}).status_code == 404, url
    assert _snapshot(app) == before
