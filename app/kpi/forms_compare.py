"""The comparison's filters (GET, so no CSRF): which peers, the chosen organisations, the focus year, the order.

The form only draws the controls: comparison.parse_filters reads the query string, so that nothing a reader types
in the URL (NUL bytes, a hundred org parameters, a year that is not a number) can break the page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import FlaskForm  # cleans every text field (see app/forms.py)

PEER_LABELS = {
    "level": _l("Enti dello stesso livello"),
    "all": _l("Tutti gli enti che lo hanno adottato"),
    "chosen": _l("Gli enti che scelgo"),
}
SORT_LABELS = {
    "name": _l("Ordine alfabetico"),
    "value": _l("Ordina per valore (dal migliore secondo la polarità)"),
}


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompareForm(FlaskForm):
    """The comparison's filters, filled from the parsed filters and the adopters."""

    class Meta:
        csrf = False

    peers = RadioField(_l("Con chi confrontare"), choices=list(PEER_LABELS.items()), validate_choice=False)
    org = CheckboxListField(_l("Enti da confrontare (al massimo 12)"), choices=[], validate_choice=False)
    year = SelectField(_l("Anno degli obiettivi"), choices=[], validate_choice=False)
    sort = SelectField(_l("Ordine della tabella"), choices=list(SORT_LABELS.items()), validate_choice=False)


def compare_form(view) -> CompareForm:
    """The form showing the filters of `view` (a comparison.Comparison)."""
    filters = view.filters
    form = CompareForm(formdata=None, data={
        "peers": filters.peers, "org": list(filters.chosen),
        "year": str(view.focus_year) if view.focus_year is not None else "", "sort": filters.sort})
    form.org.choices = [(row.organization.slug, row.organization.name) for row in view.adopters]
    form.year.choices = ([(str(year), str(year)) for year in reversed(view.all_years)]
                         or [("", _l("Nessun valore ancora"))])
    return form
