"""Recognition everywhere (issue 13, point 9): once a call's decisions are published, a recognised practice shows
the badge on its page and on archive cards, the archive and search filter on it (index field "recognised", a
facet), the home page lists it, its organisation's profile and the publiccode.yml export carry it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from app.extensions import db
from app.models import Decision, Practice
from tests.conftest import csrf_token, index_now, login
from tests.evaluation_world import assign, make_candidacy, make_review, set_phase

BADGE = "Buona pratica riconosciuta · Premio buone pratiche 2026"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"


def titles(html: str) -> list[str]:
    return re.findall(r'<h[23] class="h5 card-title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def published(app, eworld):
    """Chieri's `practice` recognised, Bari's `other_practice` not, published by the chair through the call's
    phase change; returns the two candidacy ids."""
    with app.app_context():
        a = make_candidacy(eworld.call.id, eworld.practice.id, eworld.candidate_referent.id)
        b = make_candidacy(eworld.call.id, eworld.other_practice.id, eworld.other_referent.id)
        make_review(assign(a.id, eworld.reviewer.id).id, {"innovation": 5, "impact": 5, "engagement": 4,
                                                           "relevance": 4, "sustainability": 4, "transferability": 5})
        db.session.add_all([Decision(candidacy_id=a.id, outcome="recognised", motivation="Esemplare."),
                            Decision(candidacy_id=b.id, outcome="not_recognised", motivation="Da completare.")])
        db.session.commit()
        ids = (a.id, b.id)
    set_phase(app, eworld.call.id, "consensus")
    client = app.test_client()
    assert login(client, eworld.chair).status_code == 303
    response = client.post("/evaluation/calls/premio-buone-pratiche-2026/phase/publish_decisions",
                           data={"csrf_token": csrf_token(client, "/privacy")})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return ids


def test_no_badge_before_publication(app, client, eworld):
    html = client.get(f"/practices/{eworld.practice.slug}").get_data(as_text=True)
    assert "Buona pratica riconosciuta" not in html
    assert "Pratiche riconosciute" not in client.get("/").get_data(as_text=True)


def test_the_badge_on_the_practice_page_and_on_archive_cards(app, client, eworld, published):
    page = client.get(f"/practices/{eworld.practice.slug}").get_data(as_text=True)
    assert BADGE in page
    assert "Buona pratica riconosciuta" not in client.get(f"/practices/{eworld.other_practice.slug}").get_data(
        as_text=True)
    archive = client.get("/practices/").get_data(as_text=True)
    assert set(titles(archive)) >= {"Sportello unico digitale", "Mensa scolastica in rete"}
    assert archive.count(BADGE) == 1


def test_a_special_mention_has_its_own_badge(app, client, eworld):
    from app.evaluation import recognition
    from app.models import EvaluationCall

    with app.app_context():
        practice = db.session.get(Practice, eworld.other_practice.id)
        recognition.add(practice, db.session.get(EvaluationCall, eworld.call.id), "special_mention")
        recognition.add(practice, db.session.get(EvaluationCall, eworld.call.id), "special_mention")  # once
        db.session.commit()
        assert len(practice.recognitions) == 1 and practice.recognised
    html = client.get(f"/practices/{eworld.other_practice.slug}").get_data(as_text=True)
    assert "Menzione speciale · Premio buone pratiche 2026" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_the_archive_filters_recognised_practices(app, client, eworld, published, htmx):
    response = client.get("/practices/?recognised=1", headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert titles(html) == ["Sportello unico digitale"]
    assert ("<html" in html) != htmx
    full = client.get("/practices/").get_data(as_text=True)
    assert 'name="recognised"' in full and "Buone pratiche riconosciute" in full
    # Anything else than "1" is no filter (the archive's selects tolerate unknown values).
    assert len(titles(client.get("/practices/?recognised=maybe").get_data(as_text=True))) >= 2


def test_search_has_a_recognised_facet_and_filter(app, client, eworld, published):
    index_now(app)
    everything = client.get("/search").get_data(as_text=True)
    assert "Riconoscimento" in everything and "Buone pratiche riconosciute" in everything
    assert re.search(r'recognised=yes', everything)
    response = client.get("/search", query_string={"recognised": "yes"})
    assert response.status_code == 200
    assert titles(response.get_data(as_text=True)) == ["Sportello unico digitale"]
    htmx = client.get("/search", query_string={"recognised": "yes"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and titles(htmx.get_data(as_text=True)) == ["Sportello unico digitale"]
    bad = client.get("/search", query_string={"recognised": "no"})
    assert bad.status_code == 400 and "Il filtro «no» non esiste" in bad.get_data(as_text=True)


def test_the_index_document_says_recognised(app, eworld, published):
    from app.search.documents import documents_for

    with app.app_context():
        found = dict(documents_for([eworld.practice.id, eworld.other_practice.id]))
        assert found[eworld.practice.id]["recognised"] == "yes"
        assert found[eworld.other_practice.id]["recognised"] == "no"
        # Publication queued the reindexing of the recognised practice.
        from sqlalchemy import select

        from app.models import SearchPending

        queued = set(db.session.execute(select(SearchPending.practice_id)).scalars())
        assert eworld.practice.id in queued


def test_the_home_page_lists_recognised_practices(app, client, eworld, published):
    html = client.get("/").get_data(as_text=True)
    assert "Pratiche riconosciute" in html
    section = html[html.index("recognised-title"):]
    assert "Sportello unico digitale" in section.split("</section>")[0]
    assert "Mensa scolastica in rete" not in section.split("</section>")[0]


def test_the_organisation_profile_lists_its_recognised_practices(app, client, eworld, published):
    html = client.get(f"/organizations/{eworld.chieri.slug}").get_data(as_text=True)
    assert "Buone pratiche riconosciute" in html and "Sportello unico digitale" in html
    assert "Buone pratiche riconosciute" not in client.get(f"/organizations/{eworld.bari.slug}").get_data(
        as_text=True)


def test_the_dashboard_links_the_feedback_report(app, eworld, published):
    a, _b = published
    client = app.test_client()
    assert login(client, eworld.candidate_member).status_code == 303
    html = client.get("/dashboard").get_data(as_text=True)
    assert f"/evaluation/candidacies/{a}/feedback" in html


def test_the_publiccode_export_lists_the_recognition_among_the_awards(app, client, eworld, published):
    from app.practices.publiccode import parse_publiccode, practice_fields

    fields = practice_fields(parse_publiccode((FIXTURES / "full_v0_4.yml").read_bytes()))
    with app.app_context():
        practice = db.session.get(Practice, eworld.practice.id)
        practice.kind, practice.publiccode = "software", fields
        practice.description, practice.licence = fields["long_description"], fields["licence"]
        practice.repository_url = fields["url"]
        db.session.commit()
    exported = client.get(f"/practices/{eworld.practice.slug}/publiccode.yml")
    assert exported.status_code == 200
    reparsed = parse_publiccode(exported.data)
    assert reparsed.ok, reparsed.errors
    document = yaml.safe_load(exported.data)
    (description,) = document["description"].values()
    assert description["awards"] == [BADGE]


def test_a_call_without_its_year_in_the_title_gets_the_year_on_the_badge(app, client, eworld, published):
    from app.evaluation import recognition
    from app.practices.importer import recognition_awards
    from tests.evaluation_world import make_call

    with app.app_context():
        other = make_call("Premio qualità dei servizi", year=2027, phase="decided")
        practice = db.session.get(Practice, eworld.practice.id)
        recognition.add(practice, other, "special_mention")
        db.session.commit()
        # Newest first; each call once.
        assert recognition_awards(practice) == ["Menzione speciale · Premio qualità dei servizi 2027", BADGE]
    html = client.get(f"/practices/{eworld.practice.slug}").get_data(as_text=True)
    assert "Menzione speciale · Premio qualità dei servizi 2027" in html and BADGE in html
