"""The forms of the commission's discussion and of decisions (issue 13, point 8). Limits come from the models; the
services check them again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import FlaskForm
from app.models.evaluation import MOTIVATION_MAX, OUTCOME_LABELS, TEXT_MAX


def outcome_choices(empty: str):
    return [("", empty)] + [(str(code), label) for code, label in OUTCOME_LABELS.items()]


class DiscussionPostForm(FlaskForm):
    """A post in the commission's discussion, or a reply (`parent`: the post answered)."""

    body = TextAreaField(_l("Messaggio"), validators=[
        DataRequired(message=_l("Scrivi il messaggio.")),
        Length(max=TEXT_MAX, message=_l("Il messaggio può avere al massimo %(max)d caratteri.", max=TEXT_MAX))],
        description=_l("Visibile solo a chi presiede e a chi valuta questa candidatura. Si può usare Markdown."))
    parent = HiddenField()

    @property
    def parent_id(self) -> int | None:
        raw = (self.parent.data or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31 else None


class DecisionForm(FlaskForm):
    """The chair's synthesis, proposed outcome, and final outcome with its motivation."""

    synthesis = TextAreaField(_l("Sintesi della commissione"), validators=[
        Optional(), Length(max=TEXT_MAX, message=_l("La sintesi può avere al massimo %(max)d caratteri.",
                                                    max=TEXT_MAX))],
        description=_l("Per la commissione: i punti di forza e di debolezza emersi. Non arriva all'ente candidato."))
    proposed_outcome = SelectField(_l("Esito proposto"), choices=lambda: outcome_choices(_l("Nessuna proposta")),
                                   validators=[Optional()], validate_choice=False)
    outcome = SelectField(_l("Esito finale"), choices=lambda: outcome_choices(_l("Non ancora deciso")),
                          validators=[Optional()], validate_choice=False,
                          description=_l("Resta riservato finché gli esiti dell'avviso non sono pubblicati tutti "
                                         "insieme."))
    motivation = TextAreaField(_l("Motivazione dell'esito"), validators=[
        Optional(), Length(max=MOTIVATION_MAX, message=_l("La motivazione può avere al massimo %(max)d caratteri.",
                                                          max=MOTIVATION_MAX))],
        description=_l("Obbligatoria con l'esito finale: l'ente candidato la legge nel resoconto e, se la pratica è "
                       "riconosciuta, è pubblica nei risultati."))
