"""Adoptions through the routes: declare, start, complete with a deployment record, confirm; conversions, offers,
the practice page and the organisation profile, the publiccode.yml usedBy; refused input changes nothing."""
from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from app.extensions import db
from app.models import (Adoption, AdoptionEvent, Conversion, Deployment, Notification, Practice, SupplierOffer,
                        practice_co_donor)
from tests.conftest import login, post


@pytest.fixture
def rworld(rworld, app):
    """The flows of this file: the reuser is its organisation's referent, who declares a reuse (issue 11, §13)."""
    from app.models import User

    with app.app_context():
        db.session.get(User, rworld.reuser.id).is_referent = True
        db.session.commit()
    return rworld


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def declare(client, slug, notes="Ci interessa per la nostra unione di comuni.", htmx=False):
    return post(client, f"/practices/{slug}/adopt", {"notes": notes}, htmx=htmx)


def adoption_id(app, organization_id) -> int:
    with app.app_context():
        return db.session.execute(select(Adoption.id).where(Adoption.organization_id == organization_id)
                                  .order_by(Adoption.id.desc())).scalars().first()


DEPLOYMENT = {"deployed_on": "2026-10-01", "size": "m", "territory": "Città di Bari e 3 comuni vicini",
              "adaptations": "Moduli tradotti nel nostro gestionale.", "effort": "2 persone per 4 mesi",
              "cost_eur": "12000", "outcome": "In esercizio da ottobre, tempi dimezzati.",
              "lessons": "Coinvolgere subito la ragioneria.", "contact": "suap@bari.example.it"}


def run_adoption_to_completion(app, client, rworld) -> int:
    login(client, rworld.reuser)
    assert declare(client, rworld.practice.slug).status_code == 303
    aid = adoption_id(app, rworld.reuser_org.id)
    assert post(client, f"/adoptions/{aid}/step/start", {"note": "Delibera approvata."}).status_code == 303
    response = post(client, f"/adoptions/{aid}/step/complete", {"note": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/adoptions/{aid}/deployment")
    return aid


def test_the_whole_adoption_is_stamped_and_ends_in_the_kit(app, client, rworld):
    aid = run_adoption_to_completion(app, client, rworld)
    page = client.get(f"/adoptions/{aid}/deployment")
    assert page.status_code == 200 and "Esito" in page.get_data(as_text=True)
    saved = post(client, f"/adoptions/{aid}/deployment", DEPLOYMENT)
    assert saved.status_code == 303 and saved.headers["Location"].endswith("?tab=deployments")
    with app.app_context():
        adoption = db.session.get(Adoption, aid)
        assert adoption.status == "completed" and adoption.started_at and adoption.ended_at
        assert adoption.declared_by_id == rworld.reuser.id and not adoption.is_confirmed
        events = [(e.action, e.from_status, e.to_status, e.actor_id) for e in adoption.events]
        assert events == [("declare", None, "interested", rworld.reuser.id),
                          ("start", "interested", "in_progress", rworld.reuser.id),
                          ("complete", "in_progress", "completed", rworld.reuser.id)]
        assert adoption.events[1].note == "Delibera approvata."
        record = adoption.deployment
        assert record.cost_eur == 12000 and record.territory.startswith("Città di Bari")
        # A deployment record makes the reuser a donor.
        conversion = db.session.execute(select(Conversion)).scalar_one()
        assert conversion.organization_id == rworld.reuser_org.id and conversion.reason == "deployment"
    # The reuser sees its record in the tab, marked as not yet confirmed; the public does not.
    tab = client.get(f"/practices/{rworld.practice.slug}?tab=deployments").get_data(as_text=True)
    assert "Città di Bari e 3 comuni vicini" in tab and "non ancora confermato" in tab
    anonymous = app.test_client()
    assert "Città di Bari" not in anonymous.get(f"/practices/{rworld.practice.slug}?tab=deployments").get_data(
        as_text=True)
    # The donor confirms: now it counts, publicly.
    donor = app.test_client()
    login(donor, rworld.donor)
    assert post(donor, f"/adoptions/{aid}/confirm").status_code == 303
    with app.app_context():
        adoption = db.session.get(Adoption, aid)
        assert adoption.confirmed_by_id == rworld.donor.id and adoption.confirmed_at is not None
    public = anonymous.get(f"/practices/{rworld.practice.slug}?tab=deployments").get_data(as_text=True)
    assert "Città di Bari e 3 comuni vicini" in public and "12.000 €" in public
    overview = anonymous.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    assert "Comune di Bari" in overview
    profile = anonymous.get("/organizations/comune-di-bari").get_data(as_text=True)
    assert "Centrale unica di committenza" in profile and "Da riusatore a cedente" in profile


def test_the_donor_hears_of_each_step_and_the_reuser_of_the_confirmation(app, client, rworld):
    aid = run_adoption_to_completion(app, client, rworld)
    with app.app_context():
        verbs = db.session.execute(select(Notification.verb).where(Notification.user_id == rworld.donor.id)
                                   .order_by(Notification.id)).scalars().all()
        assert verbs == ["adoption.declared", "adoption.start", "adoption.complete"]
    donor = app.test_client()
    login(donor, rworld.donor)
    post(donor, f"/adoptions/{aid}/confirm")
    with app.app_context():
        assert db.session.execute(select(Notification.verb).where(Notification.user_id == rworld.reuser.id)).scalars(
        ).all() == ["adoption.confirmed"]


def test_an_htmx_declaration_redirects_with_hx_redirect(app, client, rworld):
    login(client, rworld.reuser)
    response = declare(client, rworld.practice.slug, htmx=True)
    assert response.status_code == 204 and "/adoptions/" in response.headers["HX-Redirect"]


def test_a_second_active_adoption_is_refused_and_nothing_is_saved(app, client, rworld):
    login(client, rworld.reuser)
    declare(client, rworld.practice.slug)
    for htmx in (False, True):
        response = declare(client, rworld.practice.slug, notes="Ancora", htmx=htmx)
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "già un riuso in corso" in body
        assert "Ancora</textarea>" in body  # the form keeps what was typed
        assert ("<html" in body) is not htmx
    assert count(app, Adoption) == 1 and count(app, AdoptionEvent) == 1


def test_draft_archived_and_own_practices_cannot_be_adopted(app, client, rworld):
    login(client, rworld.reuser)
    assert declare(client, rworld.archived.slug).status_code == 422
    assert "archiviata" in declare(client, rworld.archived.slug).get_data(as_text=True)
    assert declare(client, rworld.draft.slug).status_code == 404  # a draft does not exist for others
    donor = app.test_client()
    login(donor, rworld.donor)
    own = declare(donor, rworld.practice.slug)
    assert own.status_code == 422 and "Il tuo ente è tra i cedenti" in own.get_data(as_text=True)
    opened = donor.get(f"/practices/{rworld.practice.slug}/adopt")
    assert opened.status_code == 403 and "Il tuo ente è tra i cedenti" in opened.get_data(as_text=True)
    assert count(app, Adoption) == 0


def test_refused_steps_change_nothing(app, client, rworld):
    login(client, rworld.reuser)
    declare(client, rworld.practice.slug)
    aid = adoption_id(app, rworld.reuser_org.id)
    response = post(client, f"/adoptions/{aid}/step/complete", {"note": ""})
    assert response.status_code == 303
    assert "Si può completare solo un riuso in corso" in client.get(response.headers["Location"]).get_data(as_text=True)
    donor = app.test_client()
    login(donor, rworld.donor)
    confirm = post(donor, f"/adoptions/{aid}/confirm")  # an interest is not yet a reuse
    assert "Si conferma un riuso avviato" in donor.get(confirm.headers["Location"]).get_data(as_text=True)
    assert post(client, f"/adoptions/{aid}/deployment", DEPLOYMENT).status_code == 422
    with app.app_context():
        adoption = db.session.get(Adoption, aid)
        assert adoption.status == "interested" and adoption.confirmed_at is None and len(adoption.events) == 1
    assert count(app, Deployment) == 0


def test_a_deployment_record_with_errors_is_shown_at_the_fields(app, client, rworld):
    aid = run_adoption_to_completion(app, client, rworld)
    bad = {**DEPLOYMENT, "deployed_on": "2999-01-01", "territory": "", "cost_eur": "tanti"}
    for htmx in (False, True):
        response = post(client, f"/adoptions/{aid}/deployment", bad, htmx=htmx)
        body = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="deployed_on-error"' in body and "nel futuro" in body
        assert 'id="territory-error"' in body and 'id="cost_eur-error"' in body
        assert "Coinvolgere subito la ragioneria." in body  # the rest of the form is kept
    assert count(app, Deployment) == 0 and count(app, Conversion) == 0


def test_a_completed_adoption_is_not_declared_twice(app, client, rworld):
    run_adoption_to_completion(app, client, rworld)
    again = declare(client, rworld.practice.slug)
    assert again.status_code == 422 and "già completato il riuso" in again.get_data(as_text=True)
    assert count(app, Adoption) == 1


def test_the_notes_for_the_donors_stay_between_the_two_organisations(app, client, rworld):
    login(client, rworld.reuser)
    declare(client, rworld.practice.slug, notes="Budget riservato di 40.000 euro.")
    aid = adoption_id(app, rworld.reuser_org.id)
    post(client, f"/adoptions/{aid}/step/start", {"note": "Delibera di giunta n. 12 in bozza."})
    donor = app.test_client()
    login(donor, rworld.donor)
    post(donor, f"/adoptions/{aid}/confirm")
    for reader, sees in ((client, True), (donor, True), (app.test_client(), False)):
        body = reader.get(f"/adoptions/{aid}").get_data(as_text=True)
        assert ("Budget riservato" in body) is sees and ("Delibera di giunta" in body) is sees


def test_the_donor_profile_counts_only_the_practices_the_reader_may_see(app, client, rworld):
    from app.models import Community, SupportRequest
    from tests.conftest import make_community, make_practice

    with app.app_context():
        private = make_community("Tavolo riservato", "private")
        hidden = make_practice("Pratica riservata", private, db.session.get(Practice, rworld.practice.id).donor)
        db.session.add(Adoption(practice_id=hidden.id, organization_id=rworld.reuser_org.id, status="completed",
                                confirmed_at=hidden.created_at))
        db.session.add(SupportRequest(practice_id=hidden.id, organization_id=rworld.reuser_org.id,
                                      kind="technical", subject="Riservata", description="D"))
        db.session.commit()
        assert db.session.get(Community, private.id).is_private
    profile = client.get("/organizations/comune-di-chieri").get_data(as_text=True)
    assert "Pratica riservata" not in profile
    figures = profile.split('id="service-figures-heading"')[1].split("</section>")[0]
    assert "Riusi confermati</dt><dd class=\"col-4 mb-1\">0" in figures
    assert "Richieste di supporto aperte</dt><dd class=\"col-4 mb-1\">0" in figures
    login(client, rworld.admin)
    admin_view = client.get("/organizations/comune-di-chieri").get_data(as_text=True)
    assert "Riusi confermati</dt><dd class=\"col-4 mb-1\">1" in admin_view


def test_an_abandoned_adoption_allows_a_new_declaration(app, client, rworld):
    login(client, rworld.reuser)
    declare(client, rworld.practice.slug)
    aid = adoption_id(app, rworld.reuser_org.id)
    abandoned = post(client, f"/adoptions/{aid}/step/abandon", {"note": "Cambio di priorità.", "confirmed": "1"})
    assert abandoned.status_code == 303
    assert declare(client, rworld.practice.slug).status_code == 303
    assert count(app, Adoption) == 2


def test_the_donor_invites_a_reuser_as_co_donor_and_its_kit_version_converts_it(app, client, rworld):
    login(client, rworld.reuser)
    declare(client, rworld.practice.slug)
    aid = adoption_id(app, rworld.reuser_org.id)
    post(client, f"/adoptions/{aid}/step/start", {"note": ""})
    donor = app.test_client()
    login(donor, rworld.donor)
    assert post(donor, f"/adoptions/{aid}/invite").status_code == 303

    def co_donors():
        with app.app_context():
            return db.session.execute(select(practice_co_donor.c.organization_id).where(
                practice_co_donor.c.practice_id == rworld.practice.id)).scalars().all()

    # Invited is not yet co-donor: the reusing organisation's referent accepts first (issue 11, point 30).
    from app.models import CoDonorInvitation

    assert co_donors() == []
    with app.app_context():
        invitation = db.session.execute(select(CoDonorInvitation.id)).scalar_one()
    assert post(client, f"/practices/co-donor-invitations/{invitation}", {"decision": "accept"}).status_code == 303
    assert co_donors() == [rworld.reuser_org.id]
    assert count(app, Conversion) == 0  # invited is not yet converted
    # As co-donor, the reuser publishes a new kit version: that converts it.
    saved = post(client, f"/practices/{rworld.practice.slug}/kit/edit",
                 {"section_context": "Contesto aggiornato da Bari.", "section_costs": "Costi a Bari."})
    assert saved.status_code == 303
    published = post(client, f"/practices/{rworld.practice.slug}/kit/publish", {"label": "1.1", "changelog": "Bari"})
    assert published.status_code == 303
    with app.app_context():
        conversion = db.session.execute(select(Conversion)).scalar_one()
        assert conversion.reason == "kit_version" and conversion.adoption_id == aid


def test_publishing_an_own_practice_in_the_same_community_converts_the_reuser(app, client, rworld):
    from app.models import KitSection, KitVersion

    login(client, rworld.reuser)
    declare(client, rworld.practice.slug)
    aid = adoption_id(app, rworld.reuser_org.id)
    post(client, f"/adoptions/{aid}/step/start", {"note": ""})
    with app.app_context():
        own = Practice(title="Ufficio gare di Bari", slug="ufficio-gare-di-bari", summary="S", status="draft",
                       community_id=rworld.community.id, donor_id=rworld.reuser_org.id, theme="procurement")
        db.session.add(own)
        db.session.flush()
        db.session.add(KitVersion(practice_id=own.id, label="1.0", status="published", sections=[
            KitSection(key="context", body="C")]))
        db.session.commit()
    assert post(client, "/practices/ufficio-gare-di-bari/status/publish").status_code == 303
    with app.app_context():
        conversion = db.session.execute(select(Conversion)).scalar_one()
        assert conversion.reason == "own_practice" and conversion.organization_id == rworld.reuser_org.id


def test_publiccode_export_lists_confirmed_adopters_only(app, client, rworld):
    def used_by():
        response = app.test_client().get(f"/practices/{rworld.software.slug}/publiccode.yml")
        assert response.status_code == 200
        return yaml.safe_load(response.get_data(as_text=True)).get("usedBy")

    assert used_by() is None  # the file's own unverified list is not repeated
    login(client, rworld.reuser)
    declare(client, rworld.software.slug)
    aid = adoption_id(app, rworld.reuser_org.id)
    post(client, f"/adoptions/{aid}/step/start", {"note": ""})
    assert used_by() is None  # declared and started, not yet confirmed
    donor = app.test_client()
    login(donor, rworld.donor)
    post(donor, f"/adoptions/{aid}/confirm")
    assert used_by() == ["Comune di Bari"]


def test_a_supplier_offers_services_and_the_donor_hides_the_offer(app, client, rworld):
    login(client, rworld.supplier)
    url = f"/practices/{rworld.practice.slug}/offer"
    refused = post(client, url, {"description": "Assistenza."})
    assert refused.status_code == 422 and "Scegli almeno un servizio" in refused.get_data(as_text=True)
    assert post(client, url, {"services": ["deployment", "training"], "description": "Dispiegamento chiavi in mano."}
                ).status_code == 303
    anonymous = app.test_client()
    page = anonymous.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    assert "Software Solidale S.r.l." in page and "Dispiegamento, Formazione" in page
    with app.app_context():
        offer_id = db.session.execute(select(SupplierOffer.id)).scalar_one()
    donor = app.test_client()
    login(donor, rworld.donor)
    assert post(donor, f"/practices/{rworld.practice.slug}/offers/{offer_id}/hide").status_code == 303
    assert "Software Solidale" not in anonymous.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    assert "Nascosta dai cedenti" in donor.get(f"/practices/{rworld.practice.slug}").get_data(as_text=True)
    # Suppliers never reuse.
    refused = declare(client, rworld.practice.slug)
    assert refused.status_code == 422 and "Un fornitore non riusa" in refused.get_data(as_text=True)
    assert count(app, Adoption) == 0


def add_confirmed_reuses(app, rworld, numbers) -> None:
    """Confirmed adoptions with a deployment record and a supplier offer each, written directly."""
    from datetime import date

    from tests.conftest import make_org

    with app.app_context():
        for number in numbers:
            org = make_org(f"Comune numero {number}", ipa_code=f"c_x{number:03d}")
            adoption = Adoption(practice_id=rworld.practice.id, organization_id=org.id, status="completed")
            db.session.add(adoption)
            db.session.flush()
            adoption.confirmed_at = adoption.created_at
            db.session.add(Deployment(adoption_id=adoption.id, practice_id=rworld.practice.id,
                                      organization_id=org.id, deployed_on=date(2026, 1, number + 1), size="s",
                                      territory="T", outcome="Bene"))
            db.session.add(SupplierOffer(practice_id=rworld.practice.id, organization_id=org.id,
                                         services=["training"]))
        db.session.commit()


def test_the_practice_page_issues_a_bounded_number_of_queries(app, client, rworld):
    from tests.conftest import count_queries

    login(client, rworld.donor)
    add_confirmed_reuses(app, rworld, [0])
    urls = [f"/practices/{rworld.practice.slug}?tab=deployments", f"/practices/{rworld.practice.slug}",
            "/organizations/comune-di-chieri"]
    few = [count_queries(app, client, url) for url in urls]
    add_confirmed_reuses(app, rworld, range(1, 8))
    assert [count_queries(app, client, url) for url in urls] == few


def test_a_catalogue_import_published_at_once_converts_its_donor(app, rworld):
    from pathlib import Path

    from app.models import Community, Organization
    from app.practices.importer import import_publiccode

    client = app.test_client()
    login(client, rworld.reuser)
    declare(client, rworld.practice.slug)
    aid = adoption_id(app, rworld.reuser_org.id)
    post(client, f"/adoptions/{aid}/step/start", {"note": ""})
    text = (Path(__file__).resolve().parent.parent / "fixtures" / "publiccode" / "minimal.yml").read_text()
    with app.app_context():
        outcome = import_publiccode(text, db.session.get(Community, rworld.community.id),
                                    donor=db.session.get(Organization, rworld.reuser_org.id), author_id=None,
                                    publish=True)
        assert outcome.status == "imported"
        conversion = db.session.execute(select(Conversion)).scalar_one()
        assert conversion.reason == "own_practice" and conversion.evidence_practice_id == outcome.practice.id
