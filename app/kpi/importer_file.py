"""Reading a CSV file of KPI values (issue 16, point 5): size, encoding, separator, header; the rows as written.

See app/kpi/importer.py for the columns and what is checked; nothing here touches the database.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from text_unidecode import unidecode

from app.forms import clean_line
from app.kpi.workflow import ValueStatus
from app.models import KpiAdoption, KpiValue


def N_(message: str) -> str:
    return message


MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
SHOWN_MAX = 80  # characters of a cell repeated in the report

# Column -> accepted header names (already normalised by `column_key`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kpi": ("kpi", "indicatore", "codice", "codice_kpi", "codice_indicatore", "kpi_code", "code", "slug"),
    "plan_year": ("plan_year", "anno_piano", "anno_del_piano", "anno_pianificazione", "anno_adozione"),
    "period": ("period", "periodo"),
    "value": ("value", "valore"),
    "numerator": ("numerator", "numeratore"),
    "denominator": ("denominator", "denominatore"),
    "unit": ("unit", "unita", "unita_di_misura", "unita_misura"),
    "status": ("status", "stato"),
    "source_note": ("source_note", "fonte", "nota_fonte", "note_fonte", "nota", "note", "source"),
    "source_url": ("source_url", "link_fonte", "url_fonte", "url", "link", "indirizzo_fonte"),
}
COLUMNS = tuple(COLUMN_ALIASES)
_ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
# Signatures of files that are surely not text, even before a NUL byte shows it.
BINARY_STARTS = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x1f\x8b",
                 b"\xff\xfe", b"\xfe\xff", b"7z\xbc\xaf", b"Rar!", b"MZ")

C1_BYTES = re.compile(b"[\x80-\x9f]")
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

FILE_EMPTY = N_("Il file è vuoto.")
FILE_TOO_LARGE = N_("Il file supera i 2 MB: dividetelo in più file.")
FILE_NOT_TEXT = N_("Il file non è un CSV di testo: salvatelo dal foglio di calcolo come «CSV (UTF-8)».")
FILE_NOT_CSV = N_("Il file non si legge come CSV (riga %(line)s): controllate virgolette e separatori.")
HEADER_MISSING = N_("Manca la riga di intestazione: la prima riga deve nominare le colonne, per esempio "
                    "kpi, period, value.")
COLUMNS_MISSING = N_("Mancano colonne obbligatorie nell'intestazione: %(missing)s.")
COLUMN_TWICE = N_("La colonna «%(name)s» compare due volte nell'intestazione.")
NO_ROWS = N_("Il file non contiene righe di valori dopo l'intestazione.")
TOO_MANY_ROWS = N_("Il file ha più di %(max)s righe: dividetelo in più file.")
TOO_MANY_CELLS = N_("la riga ha più campi dell'intestazione: controllate separatori e virgolette.")


class ImportFileError(Exception):
    """The file as a whole cannot be read (nothing checked, nothing saved); the text is translated."""


@dataclass
class ImportRow:
    """One data row of the file, as written and as checked."""

    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    adoption: KpiAdoption | None = None
    existing: KpiValue | None = None
    kpi_code: str = ""  # the adopted KPI, once found (plain strings: the report outlives the session's objects)
    kpi_name: str = ""
    period: str = ""  # the canonical label once checked
    year: int | None = None
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    status: str = ValueStatus.PROVISIONAL
    source_note: str = ""
    source_url: str = ""

    def shown(self, column: str) -> str:
        text = self.cells.get(column, "")
        return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 1] + "…"

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def updates(self) -> bool:
        return self.existing is not None


@dataclass
class ImportReport:
    """The per-row report: what would be (or was) saved, what is wrong."""

    rows: list[ImportRow]
    delimiter: str = ","
    encoding: str = "UTF-8"
    ignored_columns: list[str] = field(default_factory=list)
    saved: bool = False
    added: int = 0
    updated: int = 0
    failure: str = ""  # a reason the whole file failed at saving time

    @property
    def wrong(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.wrong and not self.failure


# ---- reading the file ---------------------------------------------------------------------------------------

def read_limited(upload) -> bytes:
    """The uploaded bytes, reading at most one byte past the limit."""
    stream = getattr(upload, "stream", upload)
    return stream.read(MAX_BYTES + 1) if stream is not None else b""


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the name of its encoding, or ImportFileError (empty, too large, binary)."""
    if not raw or not raw.strip():
        raise ImportFileError(_(FILE_EMPTY))
    if len(raw) > MAX_BYTES:
        raise ImportFileError(_(FILE_TOO_LARGE))
    if b"\x00" in raw or raw.startswith(BINARY_STARTS):
        raise ImportFileError(_(FILE_NOT_TEXT))
    try:
        text, encoding = raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            # ISO-8859-1's letters, and € ‘ ’ as Excel writes them (bytes 0x80-0x9f, controls in ISO-8859-1)
            text = raw.decode("cp1252")
            encoding = "Windows-1252" if C1_BYTES.search(raw) else "ISO-8859-1"
        except UnicodeDecodeError:
            text, encoding = raw.decode("iso-8859-1"), "ISO-8859-1"
    # Control characters other than tab and line breaks do not occur in a text CSV; in a binary file they abound.
    if CONTROL_CHARACTERS.search(text):
        raise ImportFileError(_(FILE_NOT_TEXT))
    if not text.strip():
        raise ImportFileError(_(FILE_EMPTY))
    return text, encoding


def column_key(name: str) -> str:
    """A header cell as compared with the aliases: lower case, no accents, words joined by "_"."""
    return re.sub(r"[^a-z0-9]+", "_", unidecode(name or "").lower()).strip("_")


def detect_delimiter(text: str) -> str:
    """`;` when the header line has more semicolons than commas, else `,`."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def parse(text: str) -> tuple[list[ImportRow], list[str], str]:
    """The data rows (line numbers as in the file), the ignored header names and the delimiter."""
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str | None] | None = None
    ignored: list[str] = []
    rows: list[ImportRow] = []
    previous_end = 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            cleaned = [clean_line(cell) for cell in cells]
            if not any(cleaned):
                continue
            if header is None:
                header, ignored = _header(cleaned)
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(_(TOO_MANY_ROWS, max=MAX_ROWS))
            row = ImportRow(line=start, cells={column: "" for column in COLUMNS})
            for position, cell in enumerate(cleaned):
                if position >= len(header):
                    if cell:
                        row.errors.append(_(TOO_MANY_CELLS))
                    break
                if header[position]:
                    row.cells[header[position]] = cell
            rows.append(row)
    except csv.Error:
        raise ImportFileError(_(FILE_NOT_CSV, line=reader.line_num)) from None
    if header is None:
        raise ImportFileError(_(HEADER_MISSING))
    if not rows:
        raise ImportFileError(_(NO_ROWS))
    return rows, ignored, delimiter


def _header(cells: list[str]) -> tuple[list[str | None], list[str]]:
    """Each position's column (None: ignored) and the ignored names; ImportFileError if it is no header."""
    columns: list[str | None] = []
    ignored: list[str] = []
    for cell in cells:
        column = _ALIAS_TO_COLUMN.get(column_key(cell))
        if column is not None and column in columns:
            raise ImportFileError(_(COLUMN_TWICE, name=cell[:40]))
        columns.append(column)
        if column is None and cell:
            ignored.append(cell[:40])
    if not any(columns):
        raise ImportFileError(_(HEADER_MISSING))
    missing = [name for name in ("kpi", "period") if name not in columns]
    if "value" not in columns and not {"numerator", "denominator"} <= set(columns):
        missing.append("value")
    if missing:
        raise ImportFileError(_(COLUMNS_MISSING, missing=", ".join(missing)))
    return columns, ignored
