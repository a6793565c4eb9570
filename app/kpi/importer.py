"""Values from a CSV file (issue 16, point 5): read, checked row by row, saved all together or not at all.

The file: UTF-8 (with or without BOM) or, when it is not UTF-8, ISO-8859-1 / Windows-1252; `;` or `,` separated
(the header line tells which); at most 2 MB and 5,000 rows; a header line naming the columns (case and accents do not
matter, Italian names are accepted):

    kpi          the KPI's code (KPI-0001) or slug — required (alias: indicatore, codice)
    plan_year    which adoption, when the organisation adopted the KPI in several plans (anno_piano); default the
                 latest active one
    period       "2025", "2025-S1", "2025-Q3", "2025-07" by the adopted version's frequency — required (periodo)
    value        the value; Italian decimal comma accepted ("31,5") (valore)
    numerator, denominator   instead of (or besides) the value (numeratore, denominatore)
    unit         optional; when given, the adopted version's unit code or its Italian name (unita, unità di misura)
    status       provvisorio/definitivo or provisional/final; default provisional (stato)
    source_note, source_url  (fonte, nota_fonte; link_fonte, url_fonte)

Other columns are ignored (the report names them). Every row is checked against the reader's organisation's active
adoptions (unknown KPI, KPI not adopted, period, number, unit, range, status, source, the same period twice in the
file, a period that already has a value — an update only when asked); the report has one line per row. If any row is
wrong nothing is written; otherwise every row is written in one transaction (new values through
`values.store_value`, the same checks as the form's).
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import permissions
from app.extensions import db
from app.kpi import access, values
from app.kpi.importer_file import ImportReport, ImportRow, column_key, decode, parse
from app.kpi.labels import UNIT_LABELS, UNIT_SUFFIXES
from app.kpi.workflow import KpiWorkflowError, ValueStatus
from app.models import KpiAdoption, KpiDefinition, KpiValue, Organization
from app.models.base import utcnow


def N_(message: str) -> str:
    return message


STATUS_WORDS = {
    "provvisorio": ValueStatus.PROVISIONAL, "provvisoria": ValueStatus.PROVISIONAL,
    "provisional": ValueStatus.PROVISIONAL, "definitivo": ValueStatus.FINAL, "definitiva": ValueStatus.FINAL,
    "final": ValueStatus.FINAL, "finale": ValueStatus.FINAL,
}

KPI_MISSING = N_("manca il codice dell'indicatore.")
KPI_UNKNOWN = N_("indicatore sconosciuto: «%(kpi)s».")
KPI_NOT_ADOPTED = N_("il vostro ente non ha un'adozione attiva di %(kpi)s.")
PLAN_YEAR_INVALID = N_("l'anno del piano non è un anno.")
PLAN_YEAR_NOT_ADOPTED = N_("il vostro ente non ha adottato %(kpi)s nel piano %(year)s.")
WRONG_UNIT = N_("unità di misura errata: «%(given)s»; l'indicatore si misura in %(unit)s.")
STATUS_UNKNOWN = N_("stato sconosciuto «%(given)s»: scrivete provvisorio o definitivo.")
DUPLICATE_IN_FILE = N_("periodo %(period)s già presente nel file alla riga %(line)s.")
VALUE_EXISTS = N_("c'è già un valore per %(period)s: spuntate «Aggiorna i valori esistenti» per sostituirlo.")
CHANGED_MEANWHILE = N_("Nel frattempo qualcuno ha registrato valori per gli stessi periodi: non è stato salvato "
                       "nulla, ricaricate il file.")
REFUSED_AT_SAVING = N_("La riga %(line)s è stata rifiutata al salvataggio: non è stato salvato nulla.")


# ---- checking the rows --------------------------------------------------------------------------------------

def importing_organization(user) -> Organization | None:
    """The reader's organisation when it has at least one active adoption (who may import), else None."""
    if not permissions.is_member(user) or user.organization_id is None:
        return None
    organization = user.organization
    if organization is None or not organization.is_active:
        return None
    found = db.session.scalar(select(KpiAdoption.id).where(
        KpiAdoption.organization_id == organization.id, KpiAdoption.active.is_(True)).limit(1))
    return organization if found is not None else None


def active_adoptions(organization: Organization) -> list[KpiAdoption]:
    """The organisation's active adoptions with their definition and version (one query each)."""
    return list(db.session.scalars(
        select(KpiAdoption).where(KpiAdoption.organization_id == organization.id, KpiAdoption.active.is_(True))
        .options(selectinload(KpiAdoption.definition), selectinload(KpiAdoption.version))
        .order_by(KpiAdoption.plan_year.desc(), KpiAdoption.id.desc())))


def unit_names(unit: str) -> set[str]:
    """What a file may write for a unit: its code, its Italian name (with or without the bracket), its symbol."""
    names = {unit}
    label = UNIT_LABELS.get(unit)
    if label is not None:
        with force_locale("it"):
            italian = str(label)
        names |= {italian, italian.split(" (")[0]}
        names.add(str(label))
    suffix = UNIT_SUFFIXES.get(unit)
    if suffix is not None and str(suffix):
        names.add(str(suffix))
    return {column_key(name) or name for name in names}


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def check(organization: Organization, actor, rows: list[ImportRow], update_existing: bool) -> None:
    """Check every row in place (errors, the adoption, the checked numbers): a bounded number of queries."""
    adoptions = active_adoptions(organization)
    by_code: dict[str, list[KpiAdoption]] = {}
    by_slug: dict[str, list[KpiAdoption]] = {}
    for adoption in adoptions:
        by_code.setdefault(adoption.definition.code.upper(), []).append(adoption)
        by_slug.setdefault(adoption.definition.slug.lower(), []).append(adoption)
    existing = {(each.adoption_id, each.period): each for each in db.session.scalars(
        select(KpiValue).where(KpiValue.adoption_id.in_([a.id for a in adoptions])))} if adoptions else {}
    known = _known_elsewhere(actor, {row.cells["kpi"] for row in rows if row.cells["kpi"]}, by_code, by_slug)
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        _check_row(row, by_code, by_slug, known)
        if row.adoption is None or not row.period:
            continue
        key = (row.adoption.id, row.period)
        if key in seen:
            row.errors.append(_(DUPLICATE_IN_FILE, period=row.period, line=seen[key]))
            continue
        seen[key] = row.line
        if key in existing:
            if update_existing:
                row.existing = existing[key]
            else:
                row.errors.append(_(VALUE_EXISTS, period=row.period))


def _known_elsewhere(actor, keys: set[str], by_code, by_slug) -> set[str]:
    """Of the KPIs the file names and the organisation did not adopt, those the reader may see (upper-cased)."""
    others = {key[:120] for key in keys if key.upper() not in by_code and key.lower() not in by_slug}
    if not others:
        return set()
    found = db.session.execute(select(KpiDefinition.code, KpiDefinition.slug).where(
        or_(func.upper(KpiDefinition.code).in_({key.upper() for key in others}),
            KpiDefinition.slug.in_({key.lower() for key in others})),
        access.visible_definitions_clause(actor))).all()
    return {code.upper() for code, _slug in found} | {slug.upper() for _code, slug in found}


def _check_row(row: ImportRow, by_code, by_slug, known: set[str]) -> None:
    """Errors in the order of the columns: KPI and plan, period, unit, numbers, status, source."""
    adoption = _find_adoption(row, by_code, by_slug, known)
    if adoption is not None:
        row.adoption, row.kpi_code, row.kpi_name = adoption, adoption.definition.code, adoption.definition.name
        _check_against_version(row, adoption)
    row.status = _status(row.cells["status"], row)
    row.source_note, row.source_url = _source(row.cells["source_note"], row.cells["source_url"], row)


def _find_adoption(row: ImportRow, by_code, by_slug, known: set[str]) -> KpiAdoption | None:
    key = row.cells["kpi"]
    if not key:
        row.errors.append(_(KPI_MISSING))
        return None
    candidates = by_code.get(key.upper()) or by_slug.get(key.lower())
    if not candidates:
        row.errors.append(_(KPI_NOT_ADOPTED if key.upper() in known else KPI_UNKNOWN, kpi=row.shown("kpi")))
        return None
    return _adoption_for(candidates, row.cells["plan_year"], row)


def _check_against_version(row: ImportRow, adoption: KpiAdoption) -> None:
    """Period by the adopted version's frequency, unit, value in its range (values.py's own checks)."""
    cells, unit = row.cells, adoption.version.unit
    try:
        row.period, row.year = values.checked_period(adoption, cells["period"])
    except KpiWorkflowError as refused:
        row.errors.append(values.error_text(refused))
    given_unit = cells["unit"]
    if given_unit and column_key(given_unit) not in unit_names(unit) and given_unit not in unit_names(unit):
        row.errors.append(_(WRONG_UNIT, given=row.shown("unit"), unit=unit_label(unit)))
    try:
        row.value, row.numerator, row.denominator = values.checked_number(
            adoption.version, cells["value"], cells["numerator"], cells["denominator"])
    except KpiWorkflowError as refused:
        row.errors.append(values.error_text(refused))


def _adoption_for(candidates: list[KpiAdoption], plan_year: str, row: ImportRow) -> KpiAdoption | None:
    """The adoption of the plan year asked for, else the latest active one (candidates come latest first)."""
    if not plan_year:
        return candidates[0]
    if not (plan_year.isascii() and plan_year.isdigit() and len(plan_year) == 4):
        row.errors.append(_(PLAN_YEAR_INVALID))
        return None
    chosen = [each for each in candidates if each.plan_year == int(plan_year)]
    if not chosen:
        row.errors.append(_(PLAN_YEAR_NOT_ADOPTED, kpi=candidates[0].definition.code, year=plan_year))
        return None
    return chosen[0]


def _status(text: str, row: ImportRow) -> str:
    if not text:
        return ValueStatus.PROVISIONAL
    status = STATUS_WORDS.get(column_key(text))
    if status is None:
        row.errors.append(_(STATUS_UNKNOWN, given=row.shown("status")))
        return ValueStatus.PROVISIONAL
    return status


SOURCE_COLUMNS = {"source_note": N_("Fonte: %(message)s"), "source_url": N_("Link alla fonte: %(message)s")}


def _source(note: str, url: str, row: ImportRow) -> tuple[str, str]:
    """The same limits as the value form (values.checked_source), the column named in the message."""
    try:
        return values.checked_source(note, url)
    except KpiWorkflowError as refused:
        where = SOURCE_COLUMNS.get(getattr(refused, "field", None) or "", "%(message)s")
        row.errors.append(_(where, message=values.error_text(refused)))
        return "", ""


# ---- saving -------------------------------------------------------------------------------------------------

def apply(report: ImportReport, actor) -> None:
    """Write every row in one transaction (new values through values.store_value); roll back on any refusal."""
    added = updated = 0
    try:
        for row in report.rows:
            if row.existing is not None:
                stored = row.existing
                stored.value, stored.numerator, stored.denominator = row.value, row.numerator, row.denominator
                # An empty cell keeps what is stored: a file of corrected numbers must not turn final values back
                # into provisional ones (out of public pages and open data) nor drop their sources.
                stored.status = row.status if row.cells["status"] else stored.status
                stored.source_note = row.source_note if row.cells["source_note"] else stored.source_note
                stored.source_url = row.source_url if row.cells["source_url"] else stored.source_url
                stored.updated_at = utcnow()
                updated += 1
            else:
                try:
                    values.store_value(row.adoption, row.period, row.value, row.numerator, row.denominator,
                                       row.status, row.source_note, row.source_url, actor)
                except KpiWorkflowError as refused:
                    db.session.rollback()
                    row.errors.append(values.error_text(refused))
                    report.failure = _(REFUSED_AT_SAVING, line=row.line)
                    return
                added += 1
        db.session.commit()
    except (IntegrityError, StaleDataError):  # two imports (or the form) wrote, or deleted, the same period at once
        db.session.rollback()
        report.failure = _(CHANGED_MEANWHILE)
        return
    report.saved, report.added, report.updated = True, added, updated


def import_values(organization: Organization, actor, raw: bytes, update_existing: bool = False) -> ImportReport:
    """Read, check and (when every row is right) save a CSV of values: all or nothing; importer_file.ImportFileError
    if the file itself cannot be read."""
    text, encoding = decode(raw)
    rows, ignored, delimiter = parse(text)
    report = ImportReport(rows=rows, delimiter=delimiter, encoding=encoding, ignored_columns=ignored)
    check(organization, actor, rows, update_existing)
    if report.ready:
        apply(report, actor)
    return report
