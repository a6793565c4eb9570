"""One logical action, one outcome (issue 11, points 28 and 29): simultaneous and repeated submissions, run in real
threads, each through its own test client, on SQLite and PostgreSQL. None may answer 500."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (Activity, CoDonorInvitation, KitVersion, MaintenanceEntry, Notification, Practice,
                        SupportRequest, User)
from tests.conftest import csrf_token, login


def at_once(app, user, url: str, datas: list[dict], page: str = "/") -> list:
    """POST each of `datas` to `url` at the same moment, each from its own client: signed in as `user`, or
    anonymous when `user` is None (the CSRF token then comes from `url` itself)."""
    clients = []
    for _data in datas:
        client = app.test_client()
        if user is not None:
            assert login(client, user).status_code == 303
        clients.append((client, csrf_token(client, page if user is not None else url)))
    barrier, responses = threading.Barrier(len(datas)), [None] * len(datas)

    def send(i):
        client, token = clients[i]
        barrier.wait()
        responses[i] = client.post(url, data={**datas[i], "csrf_token": token})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(datas))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


@pytest.fixture
def donor(app, pworld):
    """pworld's donor as Chieri's referent: the one who publishes."""
    with app.app_context():
        db.session.get(User, pworld.donor.id).is_referent = True
        db.session.commit()
    return pworld.donor


def form(pworld, **overrides) -> dict:
    return {"title": "Sportello associato", "summary": "Sintesi.", "kind": "organisational",
            "community": str(pworld.open_community.id), "theme": "procurement", **overrides}


def test_four_simultaneous_kit_publications_publish_once(app, pworld, donor):
    slug = pworld.published.slug
    client = app.test_client()
    login(client, donor)
    assert client.post(f"/practices/{slug}/kit/edit", data={"section_context": "Nuovo contesto.",
                                                            "csrf_token": csrf_token(client, "/privacy")}).status_code == 303
    responses = at_once(app, donor, f"/practices/{slug}/kit/publish",
                        [{"label": "1.1", "changelog": "Contesto riscritto."}] * 4)
    assert [r.status_code for r in responses] == [303] * 4
    assert count(app, KitVersion, KitVersion.practice_id == pworld.published.id, KitVersion.label == "1.1") == 1
    assert count(app, MaintenanceEntry, MaintenanceEntry.practice_id == pworld.published.id) == 1
    assert count(app, Activity, Activity.verb == "kit.published") == 1


def test_a_double_clicked_new_practice_creates_one(app, pworld, donor):
    client = app.test_client()
    login(client, donor)
    page = client.get("/practices/new").get_data(as_text=True)
    token = page.split('name="submission" type="hidden" value="')[1].split('"')[0]
    responses = at_once(app, donor, "/practices/new", [form(pworld, submission=token)] * 2)
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    assert count(app, Practice, Practice.title == "Sportello associato") == 1
    # Sent once more later (the browser's back button and resubmit), it still leads to the same practice.
    again = client.post("/practices/new", data={**form(pworld, submission=token),
                                                "csrf_token": csrf_token(client, "/privacy")})
    assert again.headers["Location"] == responses[0].headers["Location"]
    assert count(app, Practice, Practice.title == "Sportello associato") == 1


def test_somebody_elses_token_creates_a_practice_of_ones_own(app, pworld, donor):
    """A form token copied from another person's form never leads to what that person created, nor to a 500."""
    first = app.test_client()
    login(first, donor)
    assert first.post("/practices/new", data={**form(pworld, submission="c" * 32),
                                              "csrf_token": csrf_token(first, "/")}).status_code == 303
    other = app.test_client()
    login(other, pworld.admin)
    response = other.post("/practices/new", data={**form(pworld, submission="c" * 32), "donor": "c_c627",
                                                  "csrf_token": csrf_token(other, "/")})
    assert response.status_code == 303
    assert count(app, Practice, Practice.title == "Sportello associato") == 2


def test_two_practices_with_the_same_title_created_at_once_both_succeed(app, pworld, donor):
    responses = at_once(app, donor, "/practices/new", [form(pworld, submission="a" * 32),
                                                       form(pworld, submission="b" * 32)])
    assert [r.status_code for r in responses] == [303, 303]
    with app.app_context():
        slugs = sorted(db.session.execute(select(Practice.slug).where(Practice.title == "Sportello associato"))
                       .scalars())
    assert slugs == ["sportello-associato", "sportello-associato-2"]


def test_a_double_clicked_support_request_opens_one(app, rworld):
    slug = rworld.practice.slug
    client = app.test_client()
    login(client, rworld.reuser)
    page = client.get(f"/practices/{slug}/support/new").get_data(as_text=True)
    token = page.split('name="submission" type="hidden" value="')[1].split('"')[0]
    data = {"kind": "technical", "subject": "Installazione", "description": "Come si installa?", "submission": token}
    responses = at_once(app, rworld.reuser, f"/practices/{slug}/support/new", [data] * 2)
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    assert count(app, SupportRequest) == 1
    assert count(app, Notification, Notification.verb == "support.opened") == 1  # the donor, once


def test_two_simultaneous_edits_naming_the_same_co_donor_invite_it_once(app, pworld, donor):
    data = {"title": "Centrale unica di committenza", "summary": "Sintesi.", "kind": "organisational",
            "community": str(pworld.open_community.id), "theme": "procurement", "co_donors": "c_a479"}
    responses = at_once(app, donor, f"/practices/{pworld.published.slug}/edit", [data] * 3)
    assert [r.status_code for r in responses] == [303] * 3
    assert count(app, CoDonorInvitation) == 1
    assert count(app, Notification, Notification.verb == "codonor.asked") == 0  # Asti has no referent to ask


def test_two_referents_answering_at_once_decide_once(app, pworld, donor):
    from app.models import Organization
    from tests.conftest import make_user

    client = app.test_client()
    login(client, donor)
    data = {"title": "Centrale unica di committenza", "summary": "Sintesi.", "kind": "organisational",
            "community": str(pworld.open_community.id), "theme": "procurement", "co_donors": "c_a479"}
    assert client.post(f"/practices/{pworld.published.slug}/edit",
                       data={**data, "csrf_token": csrf_token(client, "/privacy")}).status_code == 303
    with app.app_context():
        asti = db.session.execute(select(Organization).where(Organization.ipa_code == "c_a479")).scalar_one()
        referent = make_user("referente@asti.example.it", asti, is_referent=True)
        db.session.commit()
        referent_email = referent.email
        invitation = db.session.execute(select(CoDonorInvitation.id)).scalar_one()
    responses = at_once(app, referent_email, f"/practices/co-donor-invitations/{invitation}",
                        [{"decision": "accept"}] * 3)
    assert [r.status_code for r in responses] == [303] * 3
    assert count(app, MaintenanceEntry, MaintenanceEntry.note.like("%co-cedente%")) == 1
    with app.app_context():
        assert [o.ipa_code for o in db.session.get(Practice, pworld.published.id).co_donors] == ["c_a479"]


def new_organisation(email: str, **overrides) -> dict:
    from tests.conftest import PASSWORD

    return {"full_name": "Giulia Ferraris", "email": email, "job_title": "Funzionaria", "password": PASSWORD,
            "password_confirm": PASSWORD, "accept_terms": "y", "organization": "new", "name": "Comune di Pinerolo",
            "kind": "public_administration", "pa_kind": "municipality", "ipa_code": "c_g674", "region": "01",
            "province": "TO", **overrides}


def test_the_same_new_organisation_asked_for_twice_at_once_registers_both_and_creates_it_once(app, world):
    # Point 27: the organisation is created at confirmation; its IPA code is not reserved before.
    from app.models import Organization
    from tests.functional.test_registration_side_channel import confirm_at_once

    emails = ["uno@pinerolo.example.it", "due@pinerolo.example.it"]
    responses = at_once(app, None, "/auth/register", [new_organisation(email) for email in emails])
    assert [r.status_code for r in responses] == [303, 303]
    assert count(app, User, User.email.in_(emails)) == 2
    assert count(app, Organization, Organization.ipa_code == "c_g674") == 0
    assert [r.status_code for r in confirm_at_once(app, [confirmation_link(app, email) for email in emails])] \
        == [200, 200]
    assert count(app, Organization, Organization.ipa_code == "c_g674") == 1


def confirmation_link(app, email: str) -> str:
    from app.auth.services import CONFIRM
    from app.auth.tokens import make_token

    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        return f"/auth/confirm/{make_token(CONFIRM, {'uid': user.id, 'email': user.email})}"


def test_two_new_organisations_with_the_same_name_at_once_both_register(app, world):
    from app.models import Organization
    from tests.functional.test_registration_side_channel import confirm_at_once

    responses = at_once(app, None, "/auth/register", [
        new_organisation("uno@pinerolo.example.it"),
        new_organisation("due@pinerolo.example.it", ipa_code="c_g675")])
    assert [r.status_code for r in responses] == [303, 303]
    links = [confirmation_link(app, email) for email in ("uno@pinerolo.example.it", "due@pinerolo.example.it")]
    assert [r.status_code for r in confirm_at_once(app, links)] == [200, 200]
    with app.app_context():
        assert sorted(db.session.execute(select(Organization.slug).where(
            Organization.name == "Comune di Pinerolo")).scalars()) == ["comune-di-pinerolo", "comune-di-pinerolo-2"]


def test_two_versions_published_at_once_under_different_labels_publish_one(app, pworld, donor):
    slug = pworld.published.slug
    client = app.test_client()
    login(client, donor)
    client.post(f"/practices/{slug}/kit/edit", data={"section_context": "Nuovo contesto.",
                                                     "csrf_token": csrf_token(client, "/privacy")})
    responses = at_once(app, donor, f"/practices/{slug}/kit/publish",
                        [{"label": "1.1", "changelog": "Uno."}, {"label": "2.0", "changelog": "Due."}])
    assert sorted(r.status_code for r in responses) == [303, 422]
    refused = next(r for r in responses if r.status_code == 422).get_data(as_text=True)
    assert "è appena stata pubblicata" in refused
    assert count(app, KitVersion, KitVersion.practice_id == pworld.published.id,
                 KitVersion.status == "published") == 2  # 1.0 and one of the two
    assert count(app, MaintenanceEntry, MaintenanceEntry.practice_id == pworld.published.id) == 1


def test_the_same_question_sent_twice_at_once_is_published_once(app, qworld):
    """Issue 12: the ask form's token is stored in the question's own transaction, so even simultaneous twins
    publish one question, and both requests land on it."""
    from app.models import Question

    url = f"/communities/{qworld.open.slug}/questions/new"
    client = app.test_client()
    login(client, qworld.member)
    page = client.get(url).get_data(as_text=True)
    token = page.split('name="submission" type="hidden" value="')[1].split('"')[0]
    data = {"title": "Come avete scritto il PIAO 2026?", "body": "Ci serve un esempio.", "tags": "piao",
            "submission": token}
    responses = at_once(app, qworld.member, url, [data] * 2)
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    assert count(app, Question) == 1
    assert count(app, Activity, Activity.verb == "question.asked") == 1
