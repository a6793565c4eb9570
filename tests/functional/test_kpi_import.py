"""The CSV import of KPI values (issue 16, point 5): good files saved in full, bad files with a per-row report and
NOTHING saved (the number of KpiValue rows before and after), file-level refusals at the field, updates only when
asked. Chieri (the `adopter`) has adopted KPI-0001 (days, annual; values 2023, 2024 final, 2025 provisional) and, in
these tests, KPI-0002 (percent, annual, no values)."""
from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KpiAdoption, KpiDefinition, KpiValue, Organization
from tests.conftest import csrf_token, login
from tests.kpi_world import make_adoption

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "kpi"
URL = "/kpi/import"


@pytest.fixture
def chieri_percent(app, kworld):
    """Chieri adopts KPI-0002 (percent) too; its id."""
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.unadopted.id)
        adoption = make_adoption(definition, db.session.get(Organization, kworld.chieri.id), plan_year=2024)
        db.session.commit()
        return adoption.id


def value_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(KpiValue.id)))


def values_of(app, adoption_id: int) -> dict[str, KpiValue]:
    with app.app_context():
        found = db.session.scalars(select(KpiValue).where(KpiValue.adoption_id == adoption_id)).all()
        for each in found:
            db.session.expunge(each)
        return {each.period: each for each in found}


def upload(client, content: bytes | str, name: str = "valori.csv", update: bool = False, htmx: bool = False):
    """POST the import form with a file (a fixture's name, or bytes) and the CSRF token of the import page."""
    if isinstance(content, str):
        content = (FIXTURES / content).read_bytes()
    data = {"csrf_token": csrf_token(client, URL), "file": (io.BytesIO(content), name)}
    if update:
        data["update_existing"] = "y"
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(URL, data=data, headers=headers, content_type="multipart/form-data")


def page_of(response) -> str:
    """The page's text with entities decoded (apostrophes are escaped by Jinja)."""
    return html.unescape(response.get_data(as_text=True))


def signed_in(client, kworld, role: str = "adopter"):
    assert login(client, getattr(kworld, role)).status_code == 303
    return client


def test_good_file_is_saved_in_full(app, client, kworld, chieri_percent):
    before = value_count(app)
    response = upload(signed_in(client, kworld), "import_good.csv")
    page = page_of(response)
    assert response.status_code == 200, page[:500]
    assert "Importazione completata." in page and "3 valori aggiunti" in page and "0 valori aggiornati" in page
    assert page.count("salvato: valore nuovo") == 3
    assert value_count(app) == before + 3
    days = values_of(app, kworld.adoption.id)["2022"]
    assert (days.value, days.status, days.source_note, days.source_url) == (
        45.0, "final", "Controllo di gestione", "https://www.example.it/fonte")
    assert days.reported_by_id == kworld.adopter.id
    percent = values_of(app, chieri_percent)
    assert (percent["2024"].value, percent["2024"].status) == (62.5, "provisional")  # decimal comma, Italian status
    assert (percent["2025"].value, percent["2025"].numerator, percent["2025"].denominator,
            percent["2025"].status) == (75.0, 150.0, 200.0, "final")  # from numerator / denominator, by slug


def test_semicolons_bom_and_italian_column_names(app, client, kworld, chieri_percent):
    before = value_count(app)
    response = upload(signed_in(client, kworld), "import_good_semicolon_bom.csv")
    page = page_of(response)
    assert response.status_code == 200, page[:500]
    assert "separatore «;»" in page and "UTF-8" in page
    assert value_count(app) == before + 2
    assert values_of(app, kworld.adoption.id)["2022"].value == 44.5
    assert values_of(app, chieri_percent)["2024"].value == 61.2


def test_iso_8859_1_file(app, client, kworld):
    response = upload(signed_in(client, kworld), "import_latin1.csv")
    assert response.status_code == 200, page_of(response)[:500]
    assert "File letto come ISO-8859-1" in page_of(response)
    stored = values_of(app, kworld.adoption.id)["2022"]
    assert (stored.value, stored.source_note) == (39.5, "Ragioneria della città")


BAD_FILES = [
    ("import_bad_unit.csv", 3, "unità di misura errata: «percent»; l'indicatore si misura in Giorni"),
    ("import_bad_range.csv", 3, "Il valore è sopra il massimo ammesso per questo indicatore (100)"),
    ("import_bad_unknown_kpi.csv", 3, "indicatore sconosciuto: «KPI-9999»"),
    ("import_bad_duplicate.csv", 3, "periodo 2022 già presente nel file alla riga 2"),
    ("import_bad_period.csv", 3, "Periodo non valido per la frequenza dell'indicatore (per esempio 2025)"),
    ("import_bad_not_adopted.csv", 3, "il vostro ente non ha un'adozione attiva di KPI-0005"),
]


def test_bad_files_report_each_row_and_save_nothing(app, client, kworld, chieri_percent):
    """One kworld for all the bad files (each alone would cost a world): page for all, htmx for the first."""
    signed_in(client, kworld)
    before = value_count(app)
    for number, (fixture, line, message) in enumerate(BAD_FILES):
        for htmx in (False, True) if number == 0 else (False,):
            response = upload(client, fixture, htmx=htmx)
            page = page_of(response)
            assert response.status_code == 422, (fixture, page[:500])
            assert ("<html" in page) != htmx, fixture
            assert "Non è stato salvato nessun valore." in page and "1 riga ha errori" in page, fixture
            assert message in page, fixture
            rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
            assert len(rows) == 2, fixture  # one report line per data row
            assert '<th scope="row">2</th>' in rows[0] and "pronto" in rows[0] and "errore:" not in rows[0], fixture
            assert f'<th scope="row">{line}</th>' in rows[1] and "errore:" in rows[1], fixture
            assert value_count(app) == before, fixture
    assert "2022" not in values_of(app, kworld.adoption.id)


def test_every_error_at_once_and_still_nothing_saved(app, client, kworld, chieri_percent):
    content = ("kpi;period;value;unit;status;source_url\n"
               "KPI-0001;2022;40;days;definitivo;\n"  # fine
               "KPI-0001;2021;abc;;;\n"  # not a number
               "KPI-0001;2020;-3;;;\n"  # below the unit's minimum
               "KPI-0001;2019;10;;boh;\n"  # unknown status
               "KPI-0001;2018;10;;;javascript:alert(1)\n"  # not an http(s) link
               "KPI-0001;2023;33;;;\n"  # a period with a value, no update asked
               ";2024;1;;;\n"  # no KPI
               "KPI-0001;2017;;;;\n"  # no value
               "KPI-0001;2016;1;;;;extra\n").encode()  # more cells than the header
    before = value_count(app)
    response = upload(signed_in(client, kworld), content)
    page = page_of(response)
    assert response.status_code == 422
    for text in ("Il valore non è un numero.", "Il valore è sotto il minimo ammesso per questo indicatore (0)",
                 "stato sconosciuto «boh»", "Indicate un indirizzo che inizia con http:// o https://.",
                 "c'è già un valore per 2023", "manca il codice dell'indicatore.",
                 "Indicate il valore, oppure numeratore e denominatore.",
                 "la riga ha più campi dell'intestazione"):
        assert text in page, text
    assert "8 righe hanno errori" in page and "su 9." in page
    assert value_count(app) == before


def test_existing_value_is_updated_only_when_asked(app, client, kworld):
    content = b"kpi,period,value,status\nKPI-0001,2023,33,definitivo\nKPI-0001,2022,40,definitivo\n"
    before = value_count(app)
    signed_in(client, kworld)
    refused = upload(client, content)
    assert refused.status_code == 422 and "Aggiorna i valori esistenti" in page_of(refused)
    assert values_of(app, kworld.adoption.id)["2023"].value == 38.0 and value_count(app) == before
    response = upload(client, content, update=True)
    page = page_of(response)
    assert response.status_code == 200, page[:500]
    assert "1 valore aggiunto" in page and "1 valore aggiornato" in page and "salvato: valore aggiornato" in page
    stored = values_of(app, kworld.adoption.id)
    assert stored["2023"].value == 33.0 and stored["2023"].reported_by_id == kworld.adopter.id
    assert value_count(app) == before + 1


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FILE_ERRORS = [
    ("binary", PNG, "Il file non è un CSV di testo"),
    ("nul", b"kpi,period,value\nKPI-0001,2022,4\x000\n", "Il file non è un CSV di testo"),
    ("control", b"kpi,period,value\nKPI-0001,2022,\x0140\n", "Il file non è un CSV di testo"),
    ("empty", b"", "Il file è vuoto."),
    ("blank", b"  \r\n\r\n", "Il file è vuoto."),
    ("no_header", "import_no_header.csv", "Manca la riga di intestazione"),
    ("columns", b"kpi,value\nKPI-0001,40\n", "Mancano colonne obbligatorie nell'intestazione: period."),
    ("twice", b"kpi,periodo,period,value\nKPI-0001,2022,2022,40\n", "compare due volte"),
    ("header_only", b"kpi,period,value\n", "Il file non contiene righe di valori"),
    ("too_large", b"kpi,period,value\n" + b"KPI-0001,2022,40\n" * 124_000, "Il file supera i 2 MB"),
    ("huge_cell", b"kpi,period,value\nKPI-0001,2022,\"" + b"9" * 140_000 + b"\"\n", "Il file non si legge come CSV"),
    ("too_many_rows", b"kpi,period,value\n" + b"KPI-0001,2022,40\n" * 5001, "Il file ha più di 5000 righe"),
]


def test_file_level_refusals_at_the_field(app, client, kworld):
    signed_in(client, kworld)
    before = value_count(app)
    for name, content, message in FILE_ERRORS:
        response = upload(client, content)
        page = page_of(response)
        assert response.status_code == 422, (name, page[:300])
        assert message in page, name
        assert 'id="file-error"' in page and 'aria-invalid="true"' in page, name
        assert "Esito dell'importazione" not in page, name
    response = upload(client, PNG, htmx=True)
    assert response.status_code == 422 and "<html" not in page_of(response)
    assert "Il file non è un CSV di testo" in page_of(response)
    assert value_count(app) == before


def test_no_file_chosen_and_missing_csrf(app, client, kworld):
    signed_in(client, kworld)
    response = client.post(URL, data={"csrf_token": csrf_token(client, URL)}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Scegliete il file CSV da importare." in page_of(response)
    response = client.post(URL, data={"file": (io.BytesIO(b"kpi,period,value\nKPI-0001,2022,40\n"), "v.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "2022" not in values_of(app, kworld.adoption.id)


def test_plan_year_chooses_the_adoption(app, client, kworld):
    with app.app_context():
        definition = db.session.get(KpiDefinition, kworld.published.id)
        newer = make_adoption(definition, db.session.get(Organization, kworld.chieri.id), plan_year=2025,
                              plan_kind="dup").id
        db.session.commit()
    content = b"kpi,plan_year,period,value\nKPI-0001,2024,2022,40\nKPI-0001,,2022,41\nKPI-0001,2030,2022,1\n"
    signed_in(client, kworld)
    page = page_of(upload(client, content))
    assert "il vostro ente non ha adottato KPI-0001 nel piano 2030." in page
    response = upload(client, content.rsplit(b"KPI-0001,2030", 1)[0])
    assert response.status_code == 200, page_of(response)[:500]
    assert values_of(app, kworld.adoption.id)["2022"].value == 40.0  # plan 2024 as asked
    assert values_of(app, newer)["2022"].value == 41.0  # no plan year: the latest adoption


def test_withdrawn_adoption_is_not_importable(app, client, kworld):
    with app.app_context():
        db.session.get(KpiAdoption, kworld.adoption.id).active = False
        db.session.commit()
    response = signed_in(client, kworld).get(URL)
    assert response.status_code == 403


def test_template_has_a_row_per_adoption(app, client, kworld, chieri_percent):
    response = signed_in(client, kworld).get("/kpi/import/template.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="modello-valori-comune-di-chieri.csv"'
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "kpi,plan_year,period,value,numerator,denominator,unit,status,source_note,source_url,kpi_name"
    assert len(lines) == 3
    assert lines[1].startswith("KPI-0001,2024,") and ",days,provvisorio," in lines[1]
    assert lines[2].startswith("KPI-0002,2024,") and ",percent,provvisorio," in lines[2]
    # The template uploaded as it is: every row says its value is missing; kpi_name is named as not used.
    before = value_count(app)
    page = page_of(upload(client, body))
    assert page.count("Indicate il valore, oppure numeratore e denominatore.") == 2
    assert "Colonne non usate dall'importazione: kpi_name." in page
    assert value_count(app) == before


def test_page_lists_the_adoptions_and_the_columns(app, client, kworld):
    page = page_of(signed_in(client, kworld).get(URL))
    assert "<h1>Importa valori da CSV</h1>" in page
    assert "KPI-0001" in page and "Tempo medio di pagamento delle fatture" in page
    assert "<code>plan_year</code>" in page and "anno_piano" in page
    assert 'for="file"' in page and 'for="update_existing"' in page
    assert "/kpi/organizations/comune-di-chieri/open-data.ttl" in page
