"""The review form (issue 13, point 2): per criterion a score (radio buttons over its anchored scale) and a
motivation, a confidence, an overall comment. Built for the call's criteria; the scale and the required motivations
are checked by app/evaluation/reviews.py (check_entries) so the service and the form say the same."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.evaluation.reviews import motivation_field, score_field
from app.forms import FlaskForm
from app.models.evaluation import MOTIVATION_MAX, TEXT_MAX

CONFIDENCE_LABELS = {1: _l("Bassa"), 2: _l("Intermedia"), 3: _l("Alta")}  # "Media" is the average


class ReviewBaseForm(FlaskForm):
    """The fields every review has; the criteria's fields are added by review_form_class."""

    confidence = RadioField(_l("Sicurezza del giudizio"), choices=[(str(k), v) for k, v in CONFIDENCE_LABELS.items()],
                            validate_choice=False, validators=[Optional()],
                            description=_l("Quanto conosci l'ambito della pratica e quanto è solido il tuo giudizio."))
    comment = TextAreaField(_l("Commento complessivo"), validators=[Optional(), Length(max=TEXT_MAX, message=_l(
        "Il commento può avere al massimo %(max)d caratteri.", max=TEXT_MAX))],
        description=_l("Per la commissione: punti di forza, debolezze, cosa discutere insieme."))

    criteria: list = []

    def score_of(self, criterion):
        return self[score_field(criterion)]

    def motivation_of(self, criterion):
        return self[motivation_field(criterion)]

    def entries(self) -> dict:
        """criterion id → (typed score, motivation), as reviews.save takes them."""
        return {c.id: (self.score_of(c).data, self.motivation_of(c).data or "") for c in self.criteria}

    def confidence_value(self) -> int | None | str:
        raw = (self.confidence.data or "").strip() if isinstance(self.confidence.data, str) else self.confidence.data
        if raw in (None, ""):
            return None
        return int(raw) if str(raw) in ("1", "2", "3") else "bad"

    def add_error(self, name: str, message: str) -> None:
        field = self[name] if name in self else None
        if field is None:
            self.form_errors.append(message)
            return
        field.errors = [*field.errors, message]


def review_form_class(criteria):
    """A form class with a score and a motivation field per criterion of the call."""
    attrs = {"criteria": list(criteria)}
    for criterion in criteria:
        attrs[score_field(criterion)] = StringField(criterion.title_it, validators=[Optional()])
        attrs[motivation_field(criterion)] = TextAreaField(
            _l("Motivazione: %(criterion)s", criterion=criterion.title_it),
            validators=[Optional(), Length(max=MOTIVATION_MAX, message=_l(
                "La motivazione può avere al massimo %(max)d caratteri.", max=MOTIVATION_MAX))])
    return type("ReviewForm", (ReviewBaseForm,), attrs)


def initial_data(review) -> dict:
    """What a saved review puts back into the form."""
    if review is None:
        return {}
    data = {"confidence": str(review.confidence) if review.confidence else None, "comment": review.comment}
    for row in review.scores:
        data[f"score_{row.criterion_id}"] = "" if row.score is None else str(row.score)
        data[f"motivation_{row.criterion_id}"] = row.motivation
    return data


def build_review_form(criteria, review=None, formdata=True):
    """The bound form: from the request (POST), or from the saved review (GET)."""
    form_class = review_form_class(criteria)
    if formdata:
        return form_class()
    return form_class(formdata=None, data=initial_data(review))
