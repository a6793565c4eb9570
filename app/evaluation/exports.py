"""The board as a spreadsheet (issue 13, point 10): one row per candidacy — title, organisation, category, number
of reviews, mean, median, min, max, standard deviation, disagreement flag, rank, then each criterion's mean — as CSV
(the csv module; cells that a spreadsheet would read as a formula are prefixed with a quote) and as ODS (odfpy).
No reviewer's name: the export leaves the commission's room more easily than the page."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from app.spreadsheet import safe_cell

CSV_TYPE = "text/csv; charset=utf-8"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def headers(board) -> list[str]:
    return [_("Candidatura"), _("Ente"), _("Categoria"), _("Valutazioni inviate"), _("Media dei totali"), _("Mediana"),
            _("Minimo"), _("Massimo"), _("Deviazione standard"), _("Disaccordo"), _("Posizione nella categoria"),
            *[_("Media: %(criterion)s", criterion=c.title_it) for c in board.criteria]]


def _number(value) -> float | None:
    return None if value is None else round(float(value), 2)


def rows(board) -> list[list]:
    """The table as Python values: strings, ints, floats, None for an empty cell."""
    table = []
    for row in board.rows:
        stats = row.stats
        table.append([
            row.title, row.organisation, row.category_label, row.submitted,
            _number(stats.mean) if stats else None, _number(stats.median) if stats else None,
            _number(stats.minimum) if stats else None, _number(stats.maximum) if stats else None,
            _number(stats.stddev) if stats else None, _("sì") if row.disagreement else _("no"), row.rank,
            *[_number(row.criterion_stats[c.id].mean) if row.criterion_stats.get(c.id) else None
              for c in board.criteria]])
    return table


def to_csv(board) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheets then read accents right), comma-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(each) for each in headers(board)])
    for line in rows(board):
        writer.writerow([safe_cell(each) for each in line])
    return buffer.getvalue().encode("utf-8-sig")


def to_ods(board) -> bytes:
    """An OpenDocument spreadsheet with one sheet; numbers are numeric cells (no formula is ever written)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name=_("Valutazioni")[:31])

    def add_row(values) -> None:
        line = TableRow()
        for value in values:
            if value is None:
                cell = TableCell()
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            line.addElement(cell)
        sheet.addElement(line)

    add_row(headers(board))
    for line in rows(board):
        add_row(line)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def file_name(call, extension: str) -> str:
    return f"{call.slug}-valutazioni.{extension}"
