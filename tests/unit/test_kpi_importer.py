"""The CSV importer's pieces (issue 16): decoding, separator, header aliases, line numbers, the row checks against
the reader's organisation's adoptions (no leak of what the reader may not see), and the all-or-nothing saving when
the database changed between the check and the save."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.kpi import importer
from app.kpi.importer_file import ImportFileError, column_key, decode, detect_delimiter, parse
from app.models import KpiDefinition, KpiValue, Organization, User
from tests.kpi_world import make_adoption


@pytest.fixture
def context(app):
    with app.test_request_context():
        yield


def test_decode_encodings():
    assert decode("\ufeffkpi;periodo\n".encode("utf-8")) == ("kpi;periodo\n", "UTF-8")
    assert decode("città".encode("iso-8859-1")) == ("città", "ISO-8859-1")
    assert decode(b"costo \x80 10") == ("costo € 10", "Windows-1252")  # Excel's euro sign
    for binary in (b"%PDF-1.4\nkpi", b"PK\x03\x04kpi", b"kpi\x00", b"abc \x81 def", b"\xff\xfek\x00p\x00",
                   b"kpi\x1b[31m"):
        with pytest.raises(ImportFileError, match="non è un CSV di testo"):
            decode(binary)
    for empty in (b"", b" \n\t\r\n"):
        with pytest.raises(ImportFileError, match="vuoto"):
            decode(empty)
    with pytest.raises(ImportFileError, match="2 MB"):
        decode(b"a" * (2 * 1024 * 1024 + 1))
    assert decode(b"a" * (2 * 1024 * 1024))[0].startswith("a")  # exactly the limit is fine


def test_separator_and_column_names():
    assert detect_delimiter("\n\nkpi;period;value\n1,5;2,5;3,5\n") == ";"
    assert detect_delimiter("kpi,period,value\n") == ","
    assert column_key(" Unità di Misura ") == "unita_di_misura" and column_key("Anno-Piano") == "anno_piano"
    rows, ignored, delimiter = parse("\ufeffINDICATORE;Periodo;VALORE;Unità;Nome;Stato\nKPI-0001;2024;31,5;gg;x;\n")
    assert delimiter == ";" and ignored == ["Nome"]
    assert rows[0].cells["kpi"] == "KPI-0001" and rows[0].cells["value"] == "31,5" and rows[0].cells["unit"] == "gg"
    with pytest.raises(ImportFileError, match="Mancano colonne obbligatorie nell'intestazione: value"):
        parse("kpi,period,numerator\nKPI-0001,2024,3\n")
    rows, _ignored, _delimiter = parse("kpi,period,numeratore,denominatore\nKPI-0001,2024,3,4\n")
    assert (rows[0].cells["numerator"], rows[0].cells["denominator"]) == ("3", "4")


def test_line_numbers_follow_the_file():
    text = ('kpi,period,value,source_note\n\nKPI-0001,2022,1,"una nota\nsu due righe"\n'
            "\n,,,\nKPI-0001,2021,2,\u00a0spazi\u2003 strani \n")
    rows, _ignored, _delimiter = parse(text)
    assert [row.line for row in rows] == [3, 7]
    assert rows[0].cells["source_note"] == "una nota su due righe"  # one line of text, as a form field
    assert rows[1].cells["source_note"] == "spazi strani"


def people(kworld):
    return db.session.get(User, kworld.adopter.id), db.session.get(Organization, kworld.chieri.id)


def checked(kworld, text: str, update: bool = False):
    actor, organization = people(kworld)
    rows, _ignored, _delimiter = parse(text)
    importer.check(organization, actor, rows, update)
    return rows


def test_checks_do_not_reveal_what_the_reader_may_not_see(app, kworld, context):
    rows = checked(kworld, "kpi,period,value\nKPI-0004,2024,1\nKPI-0003,2024,1\nKPI-0005,2024,1\n"
                           f"{kworld.in_review.slug},2024,1\nkpi-0001,2022,1\n")
    assert rows[0].errors == ["indicatore sconosciuto: «KPI-0004»."]  # in review in a programme Chieri is not in
    assert rows[1].errors == ["il vostro ente non ha un'adozione attiva di KPI-0003."]  # its own proposal
    assert rows[2].errors == ["il vostro ente non ha un'adozione attiva di KPI-0005."]  # public, not adopted
    assert rows[3].errors[0].startswith("indicatore sconosciuto")
    assert rows[4].errors == [] and rows[4].kpi_code == "KPI-0001"  # codes in any case


def test_row_checks(app, kworld, context):
    with app.app_context():
        make_adoption(db.session.get(KpiDefinition, kworld.unadopted.id), db.session.get(Organization,
                                                                                          kworld.chieri.id))
        db.session.commit()
    rows = checked(kworld, "kpi,plan_year,period,value,numerator,denominator,unit,status,source_url\n"
                           "KPI-0002,20x4,2024,1,,,,,\n"  # plan year not a year
                           "KPI-0002,,2024,50,1,4,,,\n"  # value and ratio disagree
                           "KPI-0002,,2025,,1,0,,,\n"  # denominator zero
                           "KPI-0002,,2023,,1,,,,\n"  # numerator alone
                           "KPI-0002,,2022,25,1,4,Percentuale (0–100),Definitiva,https://x.example.it/a\n"
                           "KPI-0002,,2021,1e400,,,%,FINAL,\n"  # overflow is not a number
                           "KPI-0002,,2020,nan,,,ratio,,\n"
                           "KPI-0001,,2019,12,,,GIORNI,provvisoria,ftp://x.example.it\n")
    assert rows[0].errors == ["l'anno del piano non è un anno."]
    assert rows[1].errors == ["Il valore non corrisponde a numeratore diviso denominatore."]
    assert rows[2].errors == ["Il denominatore non può essere zero."]
    assert rows[3].errors == ["Indicate sia il numeratore sia il denominatore, o nessuno dei due."]
    assert rows[4].errors == [] and (rows[4].value, rows[4].status, rows[4].source_url) == (
        25.0, "final", "https://x.example.it/a")
    assert rows[5].errors == ["Il valore non è un numero."] and rows[5].status == "final"
    assert rows[6].errors == ["unità di misura errata: «ratio»; l'indicatore si misura in Percentuale (0–100).",
                              "Il valore non è un numero."]
    assert rows[7].errors == ["Link alla fonte: Indicate un indirizzo che inizia con http:// o https://."]
    assert rows[7].status == "provisional"


def test_unit_names():
    assert {"percent", "percentuale", "percentuale_0_100", "%"} <= importer.unit_names("percent")
    assert "giorni" in importer.unit_names("days") and "gg" in importer.unit_names("days")


def test_saving_is_all_or_nothing_when_the_database_changed_meanwhile(app, kworld, context):
    actor, organization = people(kworld)
    rows, ignored, delimiter = parse("kpi,period,value\nKPI-0001,2021,30\nKPI-0001,2022,31\n")
    report = importer.ImportReport(rows=rows, ignored_columns=ignored, delimiter=delimiter)
    importer.check(organization, actor, rows, False)
    assert report.ready
    # Somebody records 2022 through the form between the check and the save.
    db.session.add(KpiValue(adoption_id=kworld.adoption.id, period="2022", year=2022, value=99.0))
    db.session.commit()
    before = db.session.scalar(select(func.count(KpiValue.id)))
    importer.apply(report, actor)
    assert not report.saved and "La riga 3 è stata rifiutata al salvataggio" in report.failure
    assert "Esiste già un valore per 2022" in rows[1].errors[0]
    assert db.session.scalar(select(func.count(KpiValue.id))) == before  # 2021 (checked first) not saved either
    assert db.session.scalar(select(KpiValue.value).where(
        KpiValue.adoption_id == kworld.adoption.id, KpiValue.period == "2022")) == 99.0
