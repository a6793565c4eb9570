"""Issue 11, points 21 and 31: line breaks, NUL and invisible characters typed into forms, and e-mails that
never break on them (nor stop the others)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, SupportRequest, User
from app.models.base import utcnow
from tests.conftest import csrf_token, login

PAGE = "/organizations/"  # any page with a CSRF token for a signed-in person


def save_profile(client, full_name, htmx=False, job_title=""):
    data = {"csrf_token": csrf_token(client, "/users/me"), "full_name": full_name, "job_title": job_title,
            "locale": "it", "notification_email": "immediate"}
    return client.post("/users/me", data=data, headers={"HX-Request": "true"} if htmx else {})


def name_of(app, user_id) -> str:
    with app.app_context():
        return db.session.get(User, user_id).full_name


def test_a_name_with_a_line_break_and_nul_is_saved_on_one_line(app, client, world):
    login(client, world.member)
    response = save_profile(client, "Maria\r\nRossi\x00", job_title="Ufficio\ttecnico\x07")
    assert response.status_code == 303
    assert name_of(app, world.member.id) == "Maria Rossi"
    with app.app_context():
        assert db.session.get(User, world.member.id).job_title == "Ufficio tecnico"


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("invisible", ["\u200b\u200b", "\u202e\u2066\u200d", "\x00", "\u3164 \u2800"])
def test_a_name_of_invisible_characters_is_refused_at_its_field(app, client, world, invisible, htmx):
    login(client, world.member)
    before = name_of(app, world.member.id)
    response = save_profile(client, invisible, htmx=htmx, job_title="Ufficio tecnico")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Indica nome e cognome." in page and ("<html" in page) is not htmx
    assert 'value="Ufficio tecnico"' in page  # the rest of the form is kept
    assert name_of(app, world.member.id) == before


def test_a_deceptive_name_loses_its_direction_override(app, client, world):
    login(client, world.member)
    assert save_profile(client, "Mario \u202eissoR\u202c").status_code == 303
    assert name_of(app, world.member.id) == "Mario issoR"


def open_support_request(client, slug, subject, description):
    data = {"csrf_token": csrf_token(client, PAGE), "kind": "technical", "subject": subject,
            "description": description}
    return client.post(f"/practices/{slug}/support/new", data=data, content_type="multipart/form-data")


def test_a_subject_with_a_line_break_is_saved_and_e_mailed_on_one_line(app, rworld, outbox):
    reuser = app.test_client()
    login(reuser, rworld.reuser)
    response = open_support_request(reuser, rworld.practice.slug, "Modulo\r\ngare\x00",
                                    "Prima riga\r\n\r\nSeconda\x00 riga")
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.execute(select(SupportRequest)).scalar_one()
        assert saved.subject == "Modulo gare"
        assert saved.description == "Prima riga\n\nSeconda riga"  # a body keeps its lines
        unsent = db.session.execute(select(Notification).where(Notification.emailed_at.is_(None))).scalars().all()
    sent = [m for m in outbox if "Modulo gare" in m.subject]
    assert sent and all("\n" not in m.subject and "\r" not in m.subject for m in sent)
    assert unsent == []


def stored_notification(user_id, actor="", **params) -> None:
    db.session.add(Notification(user_id=user_id, verb="support.message", params={"actor": actor, **params},
                                link="/", created_at=utcnow() - timedelta(hours=1)))


def test_send_digests_retries_every_failed_e_mail_even_after_a_bad_one(app, world, outbox):
    with app.app_context():
        # Saved before the fix: a name with a line break, and an address no mail server accepts.
        stored_notification(world.member.id, actor="Mario\nRossi", subject="Gare")
        broken = db.session.get(User, world.other_referent.id)
        broken.email = "rotto@asti.example.it\nBcc: tutti@example.it"
        stored_notification(broken.id, actor="Anna", subject="Gare")
        stored_notification(world.referent.id, actor="Anna", subject="Bandi")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "Failed immediate e-mails sent again: 2" in result.output
    assert sorted(m.recipients[0] for m in outbox) == sorted([world.member.email, world.referent.email])
    assert any(m.subject.startswith("Mario Rossi ha scritto") for m in outbox)
    with app.app_context():
        unsent = db.session.execute(select(Notification.user_id).where(Notification.emailed_at.is_(None))).all()
    assert [row.user_id for row in unsent] == [world.other_referent.id]  # kept for the next run
    # The next run does not fail either.
    assert app.test_cli_runner().invoke(args=["notifications", "send-digests"]).exit_code == 0
