"""A KPI's page and its older versions (issue 16): the record, notices, history, the role × state matrix, bounded
queries."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import KpiChange, KpiDefinition, KpiVersion
from tests.conftest import count_queries, login, make_org
from tests.kpi_world import make_adoption, term

ROLES = ("anonymous", "member", "adopter", "outsider", "facilitator", "staff", "admin")
# Who sees what (access.can_view_definition): published and deprecated are public; a proposal is seen by the
# proposer's organisation, its reviewers and the people of its place; a withdrawn one by the proposer's and reviewers.
VISIBLE = {
    "published": set(ROLES),
    "deprecated": set(ROLES),
    "proposed": {"member", "adopter", "facilitator", "admin"},  # community proposal by Chieri
    "in_review": {"staff", "admin"},  # programme proposal by the region
    "withdrawn": {"member", "adopter", "facilitator", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_definition_and_version_matrix(client, kworld, role):
    """Each role over every state: the page and its first version, full and htmx (one sign-in per role)."""
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    for state, allowed in VISIBLE.items():
        kpi = getattr(kworld, state)
        for url in (f"/kpi/{kpi.slug}", f"/kpi/{kpi.slug}/versions/1"):
            for htmx in (False, True):
                response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
                where = (role, state, url, htmx)
                if role not in allowed:
                    assert response.status_code == 404, where
                    continue
                assert response.status_code == 200, where
                html = response.get_data(as_text=True)
                assert kpi.name in html and ("<html" in html) is not htmx, where
                if "/versions/" in url:
                    assert "Questa è la versione in vigore." in html, where
                else:
                    assert "Storia dell'indicatore" in html and "Scheda dell'indicatore" in html, where


def test_unknown_slug_and_version(client, kworld):
    assert client.get("/kpi/nessun-indicatore").status_code == 404
    assert client.get(f"/kpi/{kworld.published.slug}/versions/2").status_code == 404
    assert client.get(f"/kpi/{kworld.published.slug}/versions/0").status_code == 404
    assert client.get(f"/kpi/{kworld.published.slug}/versions/99999999999999999999").status_code == 404
    assert client.get("/kpi/a%00b").status_code == 404
    assert client.get("/kpi/" + "x" * 500).status_code == 404


def test_record_of_the_published_kpi(app, client, kworld):
    with app.app_context():
        version = db.session.get(KpiDefinition, kworld.published.id).current_version
        version.bes_domain_id = term("bes_domain", "BES_12").id
        version.external_code = "BES_12_07"
        version.caveat = "Dipende dal **volume** delle fatture."
        db.session.commit()
    html = client.get(f"/kpi/{kworld.published.slug}").get_data(as_text=True)
    record = re.search(r'<dl class="row kpi-record">.*?</dl>\s*\n', html, re.S).group(0)
    for text in ("Definizione tecnica di Tempo medio di pagamento", "Media ponderata dei giorni",
                 "Descrizione del calcolo", "Giorni", "Più basso è meglio", "Annuale", "Impatto (outcome)",
                 "Comune", "Sistema informativo dell&#39;ente", "01 · Servizi istituzionali, generali e di gestione",
                 "2.1 · Valore pubblico", "BES_12 · Qualità dei servizi", "BES_12_07",
                 "16 · Pace, giustizia e istituzioni solide", "pagamenti", "fatture", "<strong>volume</strong>",
                 "Valore pubblico", "Comune di Chieri"):
        assert text in record, text
    assert 'href="/communities/valore-pubblico"' in record
    # Header: code, status (as text, not only colour), level, polarity, unit.
    header = re.search(r'<header class="mb-4">.*?</header>', html, re.S).group(0)
    assert "KPI-0001" in header and "Pubblicato" in header and "Stato:" in header
    # The history, with its labels.
    history = html[html.index("Storia dell'indicatore"):]
    assert "Proposto" in history and "versione 1" in history


def test_ratio_formula_shows_numerator_and_denominator(client, kworld):
    html = client.get(f"/kpi/{kworld.unadopted.slug}").get_data(as_text=True)
    assert "Numeratore" in html and "Numero di casi favorevoli" in html
    assert "Denominatore" in html and "Numero totale di casi" in html


def test_slots_in_contract_order(app, client, kworld):
    from app import hooks

    names = ["kpi.definition.actions", "kpi.definition.comparison", "kpi.definition.adopters",
             "kpi.definition.practices", "kpi.definition.discussion"]
    added = []
    for name in names:
        def marker(definition, version, _name=name, **_):
            assert definition.id == kworld.published.id and version.id == definition.current_version_id
            return f"<p>SLOT[{_name}]</p>"
        marker.__qualname__ = f"marker_{name}"  # contribute() registers a function once by its name
        hooks.contribute(name)(marker)
        added.append((name, marker))
    try:
        html = client.get(f"/kpi/{kworld.published.slug}").get_data(as_text=True)
    finally:
        for name, marker in added:
            hooks._SLOTS[name].remove(marker)
    positions = [html.index(f"SLOT[{name}]") for name in names]
    assert positions == sorted(positions)
    assert html.index("SLOT[kpi.definition.actions]") < html.index("Scheda dell'indicatore")
    assert html.index("Scheda dell'indicatore") < positions[1]
    assert positions[-1] < html.index("Storia dell'indicatore")


def test_deprecated_notice_links_the_replacement(client, kworld):
    html = client.get(f"/kpi/{kworld.deprecated.slug}").get_data(as_text=True)
    notice = re.search(r'<div class="alert alert-warning" role="status">.*?</div>', html, re.S).group(0)
    assert "dismesso" in notice and f'href="/kpi/{kworld.published.slug}"' in notice
    assert kworld.published.name in notice and "Sostituito dalla media ponderata." in html


def test_proposal_shows_status_and_review_note(app, client, kworld):
    with app.app_context():
        db.session.get(KpiDefinition, kworld.proposed.id).review_note = "Precisate la fascia d'età."
        db.session.commit()
    login(client, kworld.member)
    html = client.get(f"/kpi/{kworld.proposed.slug}").get_data(as_text=True)
    assert "Proposta in attesa di esame" in html and "Precisate la fascia d" in html
    assert "Ultima nota di chi esamina" in html
    assert app.test_client().get(f"/kpi/{kworld.proposed.slug}").status_code == 404


def _second_version(app, kworld, breaks=True):
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        old = definition.current_version
        new = KpiVersion(definition_id=definition.id, number=2, name="Tempo medio ponderato di pagamento",
                         unit="days", polarity="lower", level="municipality", change_note="Media **ponderata**.",
                         breaks_series=breaks, description="Nuova definizione.", formula_kind="description",
                         formula="Media ponderata per importo")
        new.terms = list(old.terms)
        db.session.add(new)
        db.session.flush()
        definition.current_version = new
        db.session.add(KpiChange(definition_id=definition.id, action="new_version", from_status="published",
                                 to_status="published", version_number=2, note="Media ponderata."))
        db.session.commit()


def test_new_version_keeps_the_old_one_readable(app, client, kworld):
    _second_version(app, kworld)
    page = client.get(f"/kpi/{kworld.published.slug}").get_data(as_text=True)
    assert "Tempo medio ponderato di pagamento" in page
    assert f'href="/kpi/{kworld.published.slug}/versions/1"' in page
    assert "interrompe la serie storica" in page and "Nuova versione" in page
    old = client.get(f"/kpi/{kworld.published.slug}/versions/1").get_data(as_text=True)
    assert "Tempo medio di pagamento delle fatture" in old and "versione precedente" in old
    assert "Definizione tecnica di Tempo medio di pagamento" in old
    assert f'href="/kpi/{kworld.published.slug}"' in old and "versione 2" in old
    current = client.get(f"/kpi/{kworld.published.slug}/versions/2").get_data(as_text=True)
    assert "<strong>ponderata</strong>" in current and "Interrompe la serie storica" in current
    assert "Questa è la versione in vigore." in current


def test_version_without_break(app, client, kworld):
    _second_version(app, kworld, breaks=False)
    html = client.get(f"/kpi/{kworld.published.slug}/versions/2").get_data(as_text=True)
    assert "Non interrompe la serie storica." in html


def _add_adoptions(app, kworld, first: int, last: int) -> None:
    """Adoptions by new municipalities (with a value each) and history steps, numbered first … last - 1."""
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        for number in range(first, last):
            make_adoption(definition, make_org(f"Comune numero {number}", pa_kind="municipality",
                                               ipa_code=f"c_x{number:03d}"), {"2024": 30.0 + number})
            db.session.add(KpiChange(definition_id=definition.id, action="edit", note=f"Modifica {number}"))
        db.session.commit()


@pytest.mark.parametrize("page", ["definition", "version"])
def test_page_queries_bounded(app, client, kworld, page):
    url = f"/kpi/{kworld.published.slug}" + ("/versions/1" if page == "version" else "")
    _add_adoptions(app, kworld, 0, 1)
    one = count_queries(app, client, url)
    _add_adoptions(app, kworld, 1, 15)
    fifteen = count_queries(app, client, url)
    assert fifteen == one, (one, fifteen)
