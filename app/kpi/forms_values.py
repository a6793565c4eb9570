"""The value form (add and edit): period per the version's frequency, value or numerator + denominator, status,
source note and link. Each check of app/kpi/values.py runs at its field, so every mistake is told at once; the
service checks them all again and adds the duplicate-period check."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from app.forms import FlaskForm
from app.kpi.forms_adoption import refuse_at, typed_number  # noqa: F401  (refuse_at: the routes use it from here)
from app.kpi.labels import VALUE_STATUS_LABELS
from app.kpi.values import (SOURCE_MAX, ValueRefused, checked_source, checked_status, checked_number,
                            checked_period, error_text)
from app.kpi.workflow import ValueStatus


class ValueForm(FlaskForm):
    """One reported value of an adoption."""

    period = StringField(_l("Periodo"), validators=[Length(max=20)])
    value = StringField(_l("Valore"), validators=[Optional(), Length(max=40)],
                        description=_l("Oppure indicate numeratore e denominatore: il valore si calcola."))
    numerator = StringField(_l("Numeratore"), validators=[Optional(), Length(max=40)])
    denominator = StringField(_l("Denominatore"), validators=[Optional(), Length(max=40)])
    status = SelectField(_l("Stato del valore"),
                         choices=lambda: [(str(k), str(v)) for k, v in VALUE_STATUS_LABELS.items()],
                         default=str(ValueStatus.PROVISIONAL), validate_choice=False,
                         description=_l("I valori provvisori li vedono solo le persone del vostro ente."))
    source_note = StringField(_l("Fonte"), validators=[Optional(), Length(max=SOURCE_MAX, message=_l(
        "Al massimo %(max)d caratteri.", max=SOURCE_MAX))])
    source_url = StringField(_l("Collegamento alla fonte"), validators=[Optional(), Length(max=SOURCE_MAX, message=_l(
        "Al massimo %(max)d caratteri.", max=SOURCE_MAX))], description=_l("Un indirizzo http o https."))

    def __init__(self, *args, adoption=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.adoption = adoption

    def _check(self, name: str, check) -> bool:
        try:
            check()
        except ValueRefused as refused:
            field = self[refused.field] if refused.field in self else self[name]
            if not field.errors:
                field.errors = [*field.errors, error_text(refused)]
            return False
        return True

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.adoption is None or "csrf_token" in self.errors:
            return valid
        version = self.adoption.version
        checks = [
            ("period", lambda: checked_period(self.adoption, self.period.data)),
            ("status", lambda: checked_status(self.status.data)),
            ("source_url", lambda: checked_source("", self.source_url.data)),
        ]
        if not any(self[name].errors for name in ("value", "numerator", "denominator")):
            checks.append(("value", lambda: checked_number(version, self.value.data, self.numerator.data,
                                                           self.denominator.data)))
        for name, check in checks:
            if not self[name].errors:
                valid = self._check(name, check) and valid
        return valid

    def fill_from(self, row) -> None:
        """Pre-fill the edit form with a stored value."""
        self.period.data, self.status.data = row.period, row.status
        self.value.data = typed_number(row.value)
        self.numerator.data, self.denominator.data = typed_number(row.numerator), typed_number(row.denominator)
        self.source_note.data, self.source_url.data = row.source_note, row.source_url

