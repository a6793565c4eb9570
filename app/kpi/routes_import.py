"""The CSV import of KPI values (issue 16, point 5): the upload form with its per-row report, and the template file.
Thin routes: who may import → app/kpi/importer.py (checks, all-or-nothing saving) → page."""
from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.kpi import bp, exports, importer
from app.kpi import slots_import  # noqa: F401  (registers the slot)
from app.kpi.forms_import import ImportValuesForm
from app.kpi.importer_file import COLUMN_ALIASES, MAX_ROWS, ImportFileError, read_limited
from app.kpi.workflow import period_example
from app.web import render_page

def N_(message: str) -> str:
    return message


IMPORT_REFUSED = N_("Importano valori le persone di un ente che ha adottato almeno un indicatore della libreria "
                  "(e non l'ha ritirato).")


def _organization_or_403():
    organization = importer.importing_organization(current_user)
    permissions.require(organization is not None, _(IMPORT_REFUSED))
    return organization


def _import_page(organization, form, report=None, status: int = 200):
    return render_page("kpi/import.html", block="import_area", status=status, organization=organization,
                       form=form, report=report, adoptions=importer.active_adoptions(organization),
                       aliases=COLUMN_ALIASES, max_rows=MAX_ROWS, period_example=period_example)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_values():
    """Upload a CSV of values: a per-row report; saved only when every row is right (one transaction)."""
    organization = _organization_or_403()
    form = ImportValuesForm()
    if request.method == "GET":
        return _import_page(organization, form)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _import_page(organization, form, status=422)
    raw = read_limited(form.file.data)
    try:
        report = importer.import_values(organization, current_user, raw, bool(form.update_existing.data))
    except ImportFileError as error:
        form.file.errors = [*form.file.errors, str(error)]
        return _import_page(organization, form, status=422)
    return _import_page(organization, form, report=report, status=200 if report.saved else 422)


@bp.get("/import/template.csv")
@login_required
def import_template():
    """A CSV to fill in: the header and an example row for each of the organisation's active adoptions."""
    organization = _organization_or_403()
    response = Response(exports.import_template_csv(importer.active_adoptions(organization)),
                        content_type=exports.CSV_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name("modello-valori", organization.slug)}"')
    return response
