"""The form of a KPI's discussion (issue 16): one message, in Markdown."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import FlaskForm

COMMENT_MAX = 5000


class CommentForm(FlaskForm):
    """A message in the discussion of a KPI."""

    body = TextAreaField(_l("Il vostro messaggio"), validators=[
        DataRequired(message=_l("Scrivete il messaggio.")),
        Length(max=COMMENT_MAX, message=_l("Al massimo %(max)d caratteri.", max=COMMENT_MAX))],
        description=_l("Domande, osservazioni, proposte di modifica. Potete usare Markdown."))
