"""The KPI library in a real browser (issue 16, "End-to-end in Chromium"): a member of a community proposes a KPI
from the community's page, and while the name is typed the form suggests the similar KPI already in the library; the
community's facilitator takes the proposal into review from the reviewers' queue and publishes it; a person of
another administration adopts it with a baseline and three targets, imports its values from a CSV file (a wrong file
first: the per-row report, nothing saved; then the right one: saved, and on the adoption's page), and compares it
with the other municipalities that adopted it: the chart, its data table with the values, and the caveat about
comparability; "all adopters" swaps the comparison in place (htmx) and adds the Region.

The rows before the journey are written directly (reference taxonomies, the organisations and people, the community,
one published KPI, indexed for the suggestions); the peers' adoptions are written once the KPI is published.
Everything the people do goes through the pages."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import index_now, make_community, make_org, make_user, ref, reset_search_index
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
COMMUNITY = "valore-pubblico"
EXISTING = "Tempo medio di pagamento delle fatture"
NAME = "Tempo medio di rilascio dei permessi di costruire"
SLUG = "tempo-medio-di-rilascio-dei-permessi-di-costruire"
CAVEAT = "Alcuni enti contano anche le pratiche in sanatoria."


def build_world(live_app) -> dict:
    """Reference data; Chieri (the proposer's municipality), Moncalieri (the adopter's), Collegno (a peer), the
    Region (an adopter of another level), Asti (the facilitator's); an open community with its facilitator and
    members; a published KPI with a name like the one that will be proposed, in the search index."""
    from app.kpi.reference import load_reference
    from tests.kpi_world import make_kpi, term

    reset_search_index(live_app)  # the tables were emptied after the last test: the index must follow
    with live_app.app_context():
        load_reference()
        chieri = make_org("Comune di Chieri", pa_kind="municipality", ipa_code="c_c627")
        moncalieri = make_org("Comune di Moncalieri", pa_kind="municipality", ipa_code="c_f335")
        make_org("Comune di Collegno", pa_kind="municipality", ipa_code="c_c860")
        make_org("Regione Piemonte", pa_kind="region", ipa_code="r_piemon")
        asti = make_org("Comune di Asti", pa_kind="municipality", ipa_code="c_a479")
        people = dict(
            member=make_user("membro@chieri.example.it", chieri, full_name="Mario Membro"),
            facilitator=make_user("animatrice@asti.example.it", asti, full_name="Fabia Animatrice"),
            adopter=make_user("referente@moncalieri.example.it", moncalieri, is_referent=True,
                              full_name="Paolo Moncalieri"),
        )
        community = make_community("Valore pubblico", "open", facilitators=[people["facilitator"]],
                                   members=[people["member"], people["adopter"]])
        make_kpi(EXISTING, author=chieri, proposer=people["member"], community=community, unit="days",
                 polarity="lower", tags=["pagamenti", "fatture"])
        db.session.commit()
        assert community.slug == COMMUNITY
        world = {name: ref(person) for name, person in people.items()}
        world["mission"] = str(term("mission_local", "08").id)
        db.session.remove()
    index_now(live_app)
    return world


def add_peers(live_app) -> None:
    """Collegno and Chieri (municipalities, as the adopter) and the Region adopt the published KPI, with values."""
    from app.models import KpiDefinition, Organization
    from tests.kpi_world import make_adoption

    with live_app.app_context():
        definition = db.session.scalar(db.select(KpiDefinition).filter_by(slug=SLUG))
        assert definition is not None and definition.status == "published"

        def organization(slug):
            return db.session.scalar(db.select(Organization).filter_by(slug=slug))

        make_adoption(definition, organization("comune-di-collegno"), {"2023": 70.0, "2024": 64.0, "2025": 58.0},
                      baseline_value=75.0, target_1=65.0, target_2=60.0, target_3=55.0)
        make_adoption(definition, organization("comune-di-chieri"), {"2023": 110.0, "2024": 101.0},
                      baseline_value=120.0, target_1=100.0, target_2=90.0, target_3=80.0)
        make_adoption(definition, organization("regione-piemonte"), {"2024": 45.0}, baseline_value=50.0)
        db.session.commit()
        db.session.remove()


def new_person(browser, base: str, email: str):
    """A person in a browser context of their own, signed in; console errors recorded."""
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    person = context.new_page()
    person.set_default_timeout(10_000)
    person.console_errors = []
    person.on("console", lambda m: person.console_errors.append(m.text)
              if m.type == "error" and "status of 422" not in m.text else None)
    sign_in(person, base, email)
    return person


def closed(*people) -> None:
    for person in people:
        assert person.console_errors == [], person.console_errors
        person.context.close()


# ---- the stages -----------------------------------------------------------------------------------------------

def member_proposes(browser, base: str, world: dict):
    page = new_person(browser, base, world["member"].email)
    page.goto(f"{base}/communities/{COMMUNITY}")
    box = page.locator(".kpi-community-box")
    expect(box).to_contain_text(EXISTING)
    box.get_by_role("link", name="Proponi un indicatore").click()
    expect(page).to_have_url(re.compile(rf"/kpi/new\?community={COMMUNITY}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Proponi un indicatore")
    # While the name is typed, the library's similar KPI appears under the field (htmx, from the search index).
    name = page.locator("#name")
    with page.expect_response(lambda r: "/kpi/similar" in r.url and r.ok):
        name.press_sequentially("Tempo medio di")
    similar = page.locator("#kpi-similar")
    expect(similar.get_by_role("link", name=EXISTING)).to_be_visible()
    expect(similar).to_contain_text("Indicatori simili già presenti")
    expect(similar).to_contain_text("non ancora adottato")
    # Not the same thing: the member writes their own.
    name.fill(NAME)
    page.locator("#description").fill("Giorni tra la presentazione completa della domanda e il rilascio del "
                                      "permesso di costruire.")
    page.locator("#formula_kind").select_option("description")
    page.locator("#formula").fill("Media dei giorni di tutte le pratiche concluse nell'anno.")
    page.locator("#unit").select_option("days")
    page.locator("#polarity").select_option("lower")
    page.locator("#level").select_option("municipality")
    page.locator("#data_source").fill("Sportello unico per l'edilizia")
    page.locator("#missions").select_option(world["mission"])
    page.locator("#caveat").fill(CAVEAT)
    page.locator("#tags").fill("edilizia, permessi")
    page.get_by_role("button", name="Proponi l'indicatore").click()
    page.wait_for_url(re.compile(rf"/kpi/{SLUG}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator("main")).to_contain_text("Proposta in attesa di esame")
    return page


def facilitator_publishes(browser, base: str, world: dict):
    page = new_person(browser, base, world["facilitator"].email)
    page.goto(f"{base}/kpi/review")
    queue = page.locator("#kpi-review-queue")
    expect(queue.locator("table.kpi-queue-proposed")).to_contain_text("Comune di Chieri")
    queue.get_by_role("link", name=NAME).click()
    expect(page).to_have_url(re.compile(rf"/kpi/{SLUG}$"))
    page.get_by_role("button", name="Prendi in esame").click()
    expect(page.locator("main")).to_contain_text("Proposta in esame da parte di chi anima la comunità")
    expect(page.get_by_text("Indicatore preso in esame")).to_be_visible()
    page.get_by_role("button", name="Pubblica nella libreria").click()
    expect(page.get_by_text("Indicatore pubblicato nella libreria.")).to_be_visible()
    expect(page.get_by_role("button", name="Pubblica nella libreria")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Proposta in esame")
    return page


def adopter_adopts(browser, base: str, world: dict):
    page = new_person(browser, base, world["adopter"].email)
    page.goto(f"{base}/kpi/{SLUG}")
    page.get_by_role("link", name="Adotta l'indicatore").click()
    expect(page).to_have_url(re.compile(rf"/kpi/{SLUG}/adopt$"))
    expect(page.locator("#adopt-version")).to_be_visible()
    form = page.locator("#adopt-form")
    form.locator("#plan_kind").select_option("piao")
    form.locator("#plan_year").fill("2024")
    form.locator("#baseline_value").fill("95")
    form.locator("#baseline_year").fill("2023")
    form.locator("#target_1").fill("90")
    form.locator("#target_2").fill("80")
    form.locator("#target_3").fill("70,5")
    form.locator("#responsible_office").fill("Sportello unico per l'edilizia")
    form.get_by_role("button", name="Adotta l'indicatore").click()
    page.wait_for_url(re.compile(r"/kpi/adoptions/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Comune di Moncalieri adotta «{NAME}»")
    expect(page.get_by_text("Indicatore adottato")).to_be_visible()
    plan = page.locator("section[aria-labelledby='adoption-plan']")
    expect(plan).to_contain_text("PIAO 2024–2026")
    expect(plan).to_contain_text("95 gg (2023)")
    targets = plan.locator("table", has=page.locator("caption", has_text="Obiettivi per anno"))
    expect(targets.locator("tbody tr")).to_have_count(3)
    expect(targets.locator("tbody tr").nth(0)).to_contain_text("2024")
    expect(targets.locator("tbody tr").nth(0)).to_contain_text("90 gg")
    expect(targets.locator("tbody tr").nth(2)).to_contain_text("70,5 gg")
    expect(page.locator("#values")).to_contain_text("Nessun valore registrato finora.")
    return page


def adopter_imports(page, base: str, tmp_path) -> None:
    adoption_url = page.url
    page.locator("section[aria-labelledby='values-title']").get_by_role("link", name="Importa valori da CSV").click()
    expect(page).to_have_url(re.compile(r"/kpi/import$"))
    adoptions = page.locator("section[aria-labelledby='import-adoptions-title']")
    expect(adoptions.get_by_role("link", name=NAME)).to_be_visible()
    code = adoptions.locator("tbody tr", has=page.get_by_role("link", name=NAME)).locator("th").inner_text().strip()
    assert re.fullmatch(r"KPI-\d{4}", code), code
    # A wrong file: one row in the wrong unit. The report says which, and nothing is saved.
    wrong = tmp_path / "valori-sbagliati.csv"
    wrong.write_text(f"kpi;period;value;unit;status\n{code};2024;88;%;definitivo\n{code};2025;79;gg;provvisorio\n",
                     encoding="utf-8")
    page.locator("#import-form input[type=file]").set_input_files(str(wrong))
    with page.expect_response(lambda r: r.url.endswith("/kpi/import") and r.request.method == "POST"):
        page.get_by_role("button", name="Controlla e importa").click()
    report = page.locator("#import-report")
    expect(report.get_by_role("alert")).to_contain_text("Non è stato salvato nessun valore.")
    expect(report.locator("tbody tr.table-danger")).to_have_count(1)
    expect(report.locator("tbody tr.table-danger")).to_contain_text("unità di misura errata")
    # The right file (Italian decimal comma, a source note): both rows saved.
    right = tmp_path / "valori.csv"
    right.write_text(f"kpi;period;value;status;source_note\n{code};2024;88;definitivo;Sportello edilizia\n"
                     f"{code};2025;79,5;provvisorio;Sportello edilizia\n", encoding="utf-8")
    page.locator("#import-form input[type=file]").set_input_files(str(right))
    with page.expect_response(lambda r: r.url.endswith("/kpi/import") and r.request.method == "POST"):
        page.get_by_role("button", name="Controlla e importa").click()
    report = page.locator("#import-report")
    expect(report.get_by_role("status")).to_contain_text("Importazione completata.")
    expect(report.get_by_role("status")).to_contain_text("2 valori aggiunti")
    expect(report.locator("tbody tr")).to_have_count(2)
    expect(report.locator("tbody tr.table-danger")).to_have_count(0)
    expect(report.locator("tbody tr").first).to_contain_text("salvato: valore nuovo")
    # Saved: the adoption's page has them, against the targets.
    page.goto(adoption_url)
    values = page.locator("#values table tbody tr")
    expect(values).to_have_count(2)
    expect(values.nth(0)).to_contain_text("2024")
    expect(values.nth(0)).to_contain_text("88 gg")
    expect(values.nth(0)).to_contain_text("Sì, raggiunto")  # 88 days, target 90, lower is better
    expect(values.nth(1)).to_contain_text("79,5 gg")
    expect(values.nth(1)).to_contain_text("Provvisorio")


def adopter_compares(page, base: str) -> None:
    page.goto(f"{base}/kpi/{SLUG}")
    box = page.locator(".kpi-comparison-box")
    expect(box).to_contain_text("Prima di confrontare")
    box.get_by_role("link", name=re.compile("^Confronta")).click()
    expect(page).to_have_url(re.compile(rf"/kpi/{SLUG}/compare$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    comparison = page.locator("#kpi-comparison")
    # The caveat, always: the general one and the definition's own.
    caveat = comparison.get_by_role("note").filter(has_text="Prima di confrontare")
    expect(caveat).to_contain_text("il confronto non è una classifica")
    expect(caveat).to_contain_text(CAVEAT)
    expect(comparison).to_contain_text("Più basso è meglio")
    # Peers of the same level: the three municipalities, in alphabetical order (not a ranking), with their values.
    table = comparison.locator("#kpi-comparison-table")
    expect(table.locator("caption")).to_contain_text("In ordine alfabetico")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator("th")).to_have_text([re.compile("Comune di Chieri"), re.compile("Comune di Collegno"),
                                             re.compile("Comune di Moncalieri")])
    headers = table.locator("thead th")
    expect(headers.filter(has_text=re.compile(r"^2024$"))).to_have_count(1)
    expect(headers.filter(has_text=re.compile(r"^2025$"))).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("101 gg")
    expect(rows.nth(1)).to_contain_text("64 gg")
    expect(rows.nth(1)).to_contain_text("58 gg")
    own = rows.nth(2)
    expect(own).to_contain_text("il tuo ente")
    expect(own).to_contain_text("88 gg")
    expect(own).to_contain_text("79,5 gg")
    expect(own.locator(".badge")).to_have_text("provvisorio")  # its own provisional value, marked
    # The chart beside the table: an image with its title, one line per organisation.
    chart = comparison.locator("figure svg[role='img']")
    expect(chart).to_be_visible()
    assert (chart.locator("title").text_content() or "").strip()  # SVG nodes: text_content, not inner_text
    expect(comparison.locator("figcaption")).to_contain_text("i valori della tabella")
    expect(comparison).not_to_contain_text("Regione Piemonte")
    # All adopters: the comparison is swapped in place by htmx, the address follows, the Region joins.
    with page.expect_response(lambda r: f"/kpi/{SLUG}/compare" in r.url and r.ok):
        # Bootstrap Italia draws the radio on its label, which takes the click.
        page.locator("label.form-check-label", has_text="Tutti gli enti che lo hanno adottato").click()
    expect(comparison.get_by_role("heading", level=2)).to_have_text("Tutti gli enti che lo hanno adottato")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table).to_contain_text("Regione Piemonte")
    expect(page).to_have_url(re.compile(r"peers=all"))
    expect(page.get_by_label("Tutti gli enti che lo hanno adottato")).to_be_checked()
    expect(page.locator("h1")).to_have_count(1)
    expect(comparison.get_by_role("note").filter(has_text="Prima di confrontare")).to_contain_text(CAVEAT)
    expect(comparison.locator("figure svg[role='img']")).to_be_visible()


# ---- the journey ----------------------------------------------------------------------------------------------

def test_kpi_proposed_published_adopted_imported_and_compared(browser, live_server, live_app, page, tmp_path):
    """`page` (unused but for its teardown) empties the database afterwards."""
    world = build_world(live_app)
    member = member_proposes(browser, live_server, world)
    facilitator = facilitator_publishes(browser, live_server, world)
    adopter = adopter_adopts(browser, live_server, world)
    adopter_imports(adopter, live_server, tmp_path)
    add_peers(live_app)
    adopter_compares(adopter, live_server)
    closed(member, facilitator, adopter)
