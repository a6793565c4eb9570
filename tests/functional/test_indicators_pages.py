"""The community's "Indicatori" tab, its drill-downs, CSV, governance box and the practice trend (issue 14).

The pages read snapshots only: the fixtures write IndicatorSnapshot / PracticeSnapshot rows directly, so these tests
do not depend on the group computations.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest

from app.extensions import db
from app.indicators.definitions import INDICATORS
from app.models import CommunityGovernance, IndicatorSnapshot, PracticeSnapshot, SupportRequest
from tests.conftest import count_queries, login, post
from tests.qa_world import make_question

AS_OF = date(2026, 11, 30)
PERIODS = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def base_figures(**overrides) -> dict:
    """Every indicator with a plausible stored value; `overrides` replace some."""
    figures = {}
    for code, indicator in INDICATORS.items():
        if indicator.unit == "share":
            figures[code] = {"value": 0.5, "num": 5, "den": 10, "insufficient": False}
        elif indicator.unit in ("working_hours", "working_days", "days"):
            figures[code] = {"value": 3.0, "num": None, "den": 8, "insufficient": False}
        elif indicator.unit == "ratio":
            figures[code] = {"value": 0.85, "num": 17, "den": 20, "insufficient": False}
        elif indicator.unit == "factor":
            figures[code] = {"value": 2.0, "num": 2, "den": 30, "insufficient": False}
        else:
            figures[code] = {"value": 4.0, "num": 4, "den": None, "insufficient": False}
    figures.update(overrides)
    return figures


def checklist_rows(figures: dict) -> list[dict]:
    return [{"stage": "community", "code": "M1P", "operator": ">=", "threshold": 10, "min_n": None,
             "value": figures["M1P"]["value"], "den": None, "met": False},
            {"stage": "community", "code": "M2", "operator": ">=", "threshold": 0.25, "min_n": None,
             "value": figures["M2"]["value"], "den": figures["M2"]["den"], "met": True},
            {"stage": "hub", "code": "Q1", "operator": ">=", "threshold": 0.7, "min_n": 10,
             "value": figures["Q1"]["value"], "den": figures["Q1"]["den"], "met": False}]


def write_daily(community_id: int, items: dict | None = None, **overrides) -> None:
    figures = base_figures(**overrides)
    db.session.add(IndicatorSnapshot(community_id=community_id, kind="daily", as_of=AS_OF, figures=figures,
                                     items=items or {}, qualified_stage="community", stage="community",
                                     checklist=checklist_rows(figures)))
    db.session.commit()


def write_quarters(community_id: int, periods: list[str]) -> None:
    for index, period in enumerate(periods):
        year, quarter = int(period[:4]), int(period[-1])
        figures = base_figures(M1P={"value": float(10 + index), "num": 10 + index, "den": None,
                                    "insufficient": False})
        db.session.add(IndicatorSnapshot(community_id=community_id, kind="quarter",
                                         as_of=date(year, quarter * 3, 28), period=period, figures=figures,
                                         items={}, qualified_stage="hub" if index % 2 else "community",
                                         stage="community", checklist=checklist_rows(figures)))
    db.session.commit()


@pytest.fixture
def tab(app, qworld):
    """The open community with a daily snapshot (items included) and three quarters; a support request of Bari."""
    with app.app_context():
        questions = [make_question(qworld.open.id, qworld.member.id, title=f"Domanda numero {n}").id
                     for n in range(3)]
        req = SupportRequest(practice_id=qworld.open_practice.id, organization_id=qworld.bari.id,
                             requester_id=qworld.member.id, kind="technical", subject="Installazione del modulo",
                             description="Ci serve aiuto.")
        db.session.add(req)
        db.session.commit()
        items = {"Q1": {"kind": "question", "ids": questions, "hits": questions[:1]},
                 "S1": {"kind": "request", "ids": [req.id], "hits": []},
                 "M1P": {"kind": "user", "ids": [qworld.member.id, qworld.other_member.id], "hits": []},
                 "M1A": {"kind": "organization", "ids": [qworld.bari.id, qworld.lecce.id], "hits": []},
                 "K1": {"kind": "practice", "ids": [qworld.open_practice.id], "hits": [qworld.open_practice.id]}}
        write_daily(qworld.open.id, items,
                    Q1={"value": None, "num": 1, "den": 3, "insufficient": True},
                    M2={"value": 13 / 21, "num": 13, "den": 21, "insufficient": False},
                    Q2={"value": 5.5, "num": None, "den": 7, "insufficient": False})
        write_quarters(qworld.open.id, PERIODS[-3:])
        return {"questions": questions, "request": req.id}


def url(slug: str, suffix: str = "") -> str:
    return f"/communities/{slug}/indicators{suffix}"


def test_full_page_shows_stage_checklist_history_and_figures(client, qworld, tab):
    page = client.get(url(qworld.open.slug))
    assert page.status_code == 200
    assert "HX-Request" in page.headers["Vary"]
    html = page.get_data(as_text=True)
    assert "<h1>Comunità open</h1>" in html and 'aria-current="page"' in html  # the tab in the community's nav
    assert "Stadio di maturità" in html and "soddisfatta" in html and "non soddisfatta" in html
    assert "≥ 25 %" in html and "≥ 70 %, su almeno 10 domande" in html and "≥ 10" in html  # thresholds by unit
    assert "Storia dello stadio" in html and "2026-Q3" in html and "Hub di conoscenza" in html
    assert "62 %" in html and "13 su 21" in html  # a share with its numerator and denominator
    assert "5,5 ore lavorative" in html and "mediana su 7 domande" in html
    assert "dati insufficienti" in html  # Q1: 3 questions counted
    assert "Domande e risposte" in html and "Kit di riuso" in html
    assert 'class="chart-sparkline"' in html and "<caption>«Persone iscritte» a fine trimestre</caption>" in html
    assert f'hx-get="/communities/{qworld.open.slug}/indicators/Q1"' in html and "Vedi gli elementi" in html
    assert "css/indicators.css" in html


def test_insufficient_share_never_reads_zero_or_hundred(client, app, qworld):
    with app.app_context():
        write_daily(qworld.open.id, M2={"value": None, "num": 0, "den": 2, "insufficient": True},
                    Q1={"value": None, "num": 2, "den": 2, "insufficient": True},
                    Q3={"value": None, "num": 0, "den": 0, "insufficient": True},
                    M1R={"value": None, "num": 4, "den": 4, "insufficient": True},
                    M5R={"value": None, "num": 1, "den": 1, "insufficient": True},
                    K1={"value": None, "num": 0, "den": 3, "insufficient": True},
                    K2={"value": None, "num": 3, "den": 3, "insufficient": True},
                    R2={"value": None, "num": 1, "den": 1, "insufficient": True},
                    R3C={"value": None, "num": 0, "den": 1, "insufficient": True},
                    R3D={"value": None, "num": 0, "den": 1, "insufficient": True},
                    S1={"value": None, "num": 0, "den": 1, "insufficient": True},
                    RH={"value": None, "num": 2, "den": 2, "insufficient": True})
    html = client.get(url(qworld.open.slug)).get_data(as_text=True)
    assert html.count("dati insufficienti") >= 12
    assert not re.search(r"(?<![\d,.])(0|100) %", html)  # no share reads 0 % or 100 %


def test_htmx_gets_the_tab_alone(client, qworld, tab):
    fragment = client.get(url(qworld.open.slug), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "<h1>" not in html
    assert "Stadio di maturità" in html and "62 %" in html and 'id="governance"' in html


def test_not_computed_yet_says_when_the_next_run_is(client, qworld):
    html = client.get(url(qworld.open.slug)).get_data(as_text=True)
    assert "Indicatori non ancora calcolati" in html
    assert "Il prossimo calcolo notturno è previsto il" in html and "02:15" in html
    assert "Vedi gli elementi" not in html


def test_nav_tab_and_home_stage_box(client, qworld, tab):
    home = client.get(f"/communities/{qworld.open.slug}").get_data(as_text=True)
    assert f'href="/communities/{qworld.open.slug}/indicators">Indicatori</a>' in home
    assert "Stadio di maturità" in home and "Comunità</span>" in home
    questions = client.get(f"/communities/{qworld.open.slug}/questions").get_data(as_text=True)
    assert f'href="/communities/{qworld.open.slug}/indicators">Indicatori</a>' in questions


def test_drilldown_fragment_and_full_page(client, qworld, tab):
    login(client, qworld.member)
    fragment = client.get(url(qworld.open.slug, "/Q1"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "<h1>" not in html
    for number in range(3):
        assert f"Domanda numero {number}" in html
    assert f'href="/questions/{tab["questions"][0]}"' in html
    assert html.count("non conta nel numeratore") == 2 and "1 conta nel numeratore" in html
    page = client.get(url(qworld.open.slug, "/Q1"))
    assert page.status_code == 200
    full = page.get_data(as_text=True)
    assert "<h1>Comunità open</h1>" in full and "Torna agli indicatori" in full and "Domanda numero 2" in full
    organizations = client.get(url(qworld.open.slug, "/M1A"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Comune di Bari" in organizations and "/organizations/comune-di-bari" in organizations
    practices = client.get(url(qworld.open.slug, "/K1"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"/practices/{qworld.open_practice.slug}" in practices and "conta nel numeratore" in practices


def test_drilldown_of_unknown_or_itemless_code_is_404(client, qworld, tab):
    assert client.get(url(qworld.open.slug, "/XX")).status_code == 404
    assert client.get(url(qworld.open.slug, "/QV")).status_code == 404  # a figure without items
    assert client.get(url(qworld.moderated.slug, "/Q1")).status_code == 404  # no snapshot yet


def test_csv_of_the_figures(client, qworld, tab):
    response = client.get(url(qworld.open.slug, ".csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="indicatori-{qworld.open.slug}-2026-11-30.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["code", "label", "value", "numerator", "denominator", "window", "insufficient"]
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == set(INDICATORS)
    assert by_code["M2"][2:5] == [str(round(13 / 21, 4)), "13", "21"] and by_code["M2"][6] == "no"
    assert by_code["Q1"][2] == "" and by_code["Q1"][6] == "sì"
    assert by_code["Q1"][5] == "domande poste tra 90 giorni fa e 2 giorni lavorativi fa"


def test_governance_bad_url_message_at_the_field(client, app, qworld, tab):
    login(client, qworld.facilitator)
    response = post(client, url(qworld.open.slug, "/governance"), {"action": "save", "url": "javascript:alert(1)"},
                    htmx=True)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="governance"' in html
    assert 'id="url-error"' in html and "Inserisci un indirizzo web completo (https://…)." in html
    assert 'aria-invalid="true"' in html
    empty = post(client, url(qworld.open.slug, "/governance"), {"action": "save", "url": "  "})
    assert empty.status_code == 422 and "Indica l'indirizzo della pagina di governance." in empty.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.get(CommunityGovernance, qworld.open.id) is None


def test_governance_htmx_record_then_clear(client, app, qworld, tab):
    login(client, qworld.facilitator)
    saved = post(client, url(qworld.open.slug, "/governance"),
                 {"action": "save", "url": "https://www.example.it/governance"}, htmx=True)
    assert saved.status_code == 200
    html = saved.get_data(as_text=True)
    assert "Pagina di governance registrata" in html and 'href="https://www.example.it/governance"' in html
    cleared = post(client, url(qworld.open.slug, "/governance"), {"action": "clear"}, htmx=True)
    assert cleared.status_code == 200 and "Nessuna pagina di governance registrata." in cleared.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CommunityGovernance, qworld.open.id) is None


def test_governance_post_without_csrf_is_refused(client, app, qworld, tab):
    login(client, qworld.facilitator)
    response = client.post(url(qworld.open.slug, "/governance"),
                           data={"action": "save", "url": "https://www.example.it/g"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(CommunityGovernance, qworld.open.id) is None


def test_practice_page_shows_its_trend(client, app, qworld):
    with app.app_context():
        for index, period in enumerate(PERIODS[-4:]):
            year, quarter = int(period[:4]), int(period[-1])
            db.session.add(PracticeSnapshot(
                practice_id=qworld.open_practice.id, period=period, as_of=date(year, quarter * 3, 28),
                figures={"confirmed_adoptions": index + 1, "deployments": 0, "open_requests": 0,
                         "median_first_response_wd": 2.5 if index else None, "median_resolution_days": 12.0,
                         "answered": 5, "resolved": 5}))
        db.session.commit()
    html = client.get(f"/practices/{qworld.open_practice.slug}").get_data(as_text=True)
    assert "Andamento per trimestre" in html and 'class="chart-sparkline"' in html
    assert "2026-Q3" in html and "2,5 giorni lavorativi" in html and "12 giorni" in html and "n.d." in html
    assert html.index("Riuso e supporto") < html.index("Andamento per trimestre")


def test_practice_page_without_snapshots_has_no_trend(client, qworld):
    html = client.get(f"/practices/{qworld.open_practice.slug}").get_data(as_text=True)
    assert "Andamento per trimestre" not in html


def test_page_queries_do_not_grow_with_the_history(client, app, qworld):
    with app.app_context():
        write_daily(qworld.open.id)
        write_quarters(qworld.open.id, PERIODS[:1])
    login(client, qworld.member)
    one = count_queries(app, client, url(qworld.open.slug))
    with app.app_context():
        write_quarters(qworld.open.id, PERIODS[1:])
        assert db.session.query(IndicatorSnapshot).filter_by(kind="quarter").count() == 8
    eight = count_queries(app, client, url(qworld.open.slug))
    assert one == eight
    assert eight <= 15


def test_drilldown_queries_are_bounded(client, app, qworld, tab):
    login(client, qworld.member)
    few = count_queries(app, client, url(qworld.open.slug, "/Q1"))
    with app.app_context():
        more = [make_question(qworld.open.id, qworld.other_member.id, title=f"Altra domanda {n}").id
                for n in range(6)]
        snapshot = db.session.query(IndicatorSnapshot).filter_by(kind="daily").one()
        snapshot.items = {**snapshot.items, "Q1": {"kind": "question", "ids": tab["questions"] + more, "hits": []}}
        db.session.commit()
    assert count_queries(app, client, url(qworld.open.slug, "/Q1")) == few


def test_next_nightly_is_tonight_or_tomorrow(app):
    from app.indicators.routes_community import next_nightly

    with app.test_request_context():
        before = next_nightly(datetime(2026, 12, 3, 0, 30))  # 01:30 in Rome: tonight's run is still to come
        after = next_nightly(datetime(2026, 12, 3, 10, 0))
    assert (before.day, before.hour, before.minute) == (3, 2, 15)
    assert (after.day, after.hour, after.minute) == (4, 2, 15)


def test_drilldown_pages_through_many_items(client, app, qworld):
    from tests.conftest import make_org

    with app.app_context():
        ids = [make_org(f"Comune numero {n:02d}", ipa_code=f"c_x{n:03d}").id for n in range(55)]
        db.session.commit()
        write_daily(qworld.open.id, {"M1A": {"kind": "organization", "ids": ids, "hits": []}})
    first = client.get(url(qworld.open.slug, "/M1A"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert first.count('class="list-group-item px-0"') == 50 and "Pagina 1 di 2" in first
    assert f'hx-get="/communities/{qworld.open.slug}/indicators/M1A?page=2"' in first
    assert "conta nel numeratore" not in first  # a count: no numerator to mark
    second = client.get(url(qworld.open.slug, "/M1A?page=2"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert second.count('class="list-group-item px-0"') == 5 and "Comune numero 54" in second
    assert client.get(url(qworld.open.slug, "/M1A?page=9")).status_code == 200  # past the end: the last page
