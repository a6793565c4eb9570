"""The board's export (issue 13, point 10): CSV and ODS with one row per candidacy, the right content types and file
names, parsed back here; CSV cells a spreadsheet would run as formulas are neutralised; no reviewer's name."""
from __future__ import annotations

import csv
import io
import zipfile

from app.extensions import db
from tests.conftest import login
from tests.functional.test_evaluation_board import board_world

HEADER = ["Candidatura", "Ente", "Categoria", "Valutazioni inviate", "Media dei totali", "Mediana", "Minimo",
          "Massimo", "Deviazione standard", "Disaccordo", "Posizione nella categoria"]


def export(app, client, eworld, fmt):
    login(client, eworld.chair)
    return client.get(f"/evaluation/calls/{eworld.call.slug}/export.{fmt}")


def test_csv_export_content_parsed_back(app, client, eworld):
    board_world(app, eworld)
    response = export(app, client, eworld, "csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="{eworld.call.slug}-valutazioni.csv"'
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:11] == HEADER
    assert header[11:] == ["Media: Innovazione", "Media: Impatto e risultati",
                           "Media: Coinvolgimento dei portatori di interesse", "Media: Rilevanza",
                           "Media: Sostenibilità", "Media: Trasferibilità"]
    by_title = {row[0]: dict(zip(header, row)) for row in body}
    assert len(body) == 3
    a = by_title["Sportello unico digitale"]
    assert (a["Ente"], a["Categoria"], a["Valutazioni inviate"]) == ("Comune di Chieri", "Trasformazione digitale",
                                                                       "2")
    assert (a["Media dei totali"], a["Mediana"], a["Minimo"], a["Massimo"], a["Deviazione standard"]) == (
        "4.0", "4.0", "3.0", "5.0", "1.0")
    assert a["Disaccordo"] == "sì" and a["Posizione nella categoria"] == "2"
    c = by_title["Protocollo informatico"]
    assert c["Media dei totali"] == "4.25" and c["Posizione nella categoria"] == "1" and c["Disaccordo"] == "no"
    b = by_title["Mensa scolastica in rete"]
    assert b["Valutazioni inviate"] == "1" and b["Deviazione standard"] == "0.0"
    # per-criterion means: A's innovation scores were 5 and 5, its transferability 1 and 5
    assert a[header[11]] == "5.0" and a[header[16]] == "3.0"
    # no reviewer's name leaves with the file
    text = response.data.decode("utf-8-sig")
    assert eworld.reviewer.name not in text and eworld.deputy.name not in text


def test_csv_cells_starting_like_a_formula_are_neutralised(app, client, eworld):
    ids = board_world(app, eworld)
    with app.app_context():
        from app.models import Candidacy, Organization

        candidacy = db.session.get(Candidacy, ids["a"])
        candidacy.snapshot = {**candidacy.snapshot, "title": '=HYPERLINK("http://example.com","clic")'}
        db.session.get(Candidacy, ids["c"]).snapshot = {"title": "+39 pratiche"}
        db.session.get(Organization, eworld.bari.id).name = "@Comune di Bari"
        db.session.commit()
    response = export(app, client, eworld, "csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]
    titles = {row[0] for row in rows}
    assert "'=HYPERLINK(\"http://example.com\",\"clic\")" in titles and "'+39 pratiche" in titles
    assert "'@Comune di Bari" in {row[1] for row in rows}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_neutralising_rule_itself():
    from app.evaluation.exports import safe_cell

    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-2") == "'-2" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx" and safe_cell("Comune") == "Comune"
    assert safe_cell(None) == "" and safe_cell(4.25) == "4.25" and safe_cell(3) == "3"


def test_ods_export_content_parsed_back(app, client, eworld):
    board_world(app, eworld)
    response = export(app, client, eworld, "ods")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="{eworld.call.slug}-valutazioni.ods"'
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = load(io.BytesIO(response.data))
    table = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for line in table.getElementsByType(TableRow):
        values = []
        for cell in line.getElementsByType(TableCell):
            kind = cell.getAttribute("valuetype")
            if kind == "float":
                values.append(float(cell.getAttribute("value")))
            else:
                values.append("".join(str(p) for p in cell.getElementsByType(P)) or None)
        rows.append(values)
    assert rows[0][:11] == HEADER
    by_title = {row[0]: row for row in rows[1:]}
    assert len(by_title) == 3
    a = by_title["Sportello unico digitale"]
    assert a[1:4] == ["Comune di Chieri", "Trasformazione digitale", 2.0]
    assert a[4:9] == [4.0, 4.0, 3.0, 5.0, 1.0] and a[9] == "sì" and a[10] == 2.0
    assert by_title["Protocollo informatico"][4] == 4.25
    assert eworld.reviewer.name.encode() not in archive.read("content.xml")


def test_an_unknown_format_is_a_404(app, client, eworld):
    board_world(app, eworld)
    assert export(app, client, eworld, "xls").status_code == 404


def test_an_empty_board_exports_only_the_header(app, client, eworld):
    response = export(app, client, eworld, "csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0][:11] == HEADER
    assert export(app, client, eworld, "ods").status_code == 200
    login(client, eworld.chair)
    assert "Nessuna candidatura da mostrare." in client.get(
        f"/evaluation/calls/{eworld.call.slug}/board").get_data(as_text=True)
