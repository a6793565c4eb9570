"""The forms of Q&A (issue 12): ask, answer, comment, edit, close, hide a revision, follow level.

Limits come from app.models.qa; the services check them again (a form is only the first line). `tag_list` turns the
comma-separated tags field into the list the services take.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import FlaskForm
from app.models.qa import BODY_MAX, CLOSE_REASON_LABELS, COMMENT_MAX, TAG_MAX, TAGS_PER_QUESTION, TITLE_MAX
from app.models.qa import FollowLevel

TAGS_FIELD_MAX = (TAG_MAX + 2) * TAGS_PER_QUESTION + 50


def tag_list(value: str | None) -> list[str]:
    """'a, b ,, c' → ['a', 'b', 'c'] (order kept, duplicates dropped, case-insensitively)."""
    seen: set[str] = set()
    tags: list[str] = []
    for raw in (value or "").split(","):
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            tags.append(name)
    return tags


class AskForm(FlaskForm):
    """A new question (also the question's edit form)."""

    title = StringField(_l("Titolo della domanda"), validators=[
        DataRequired(message=_l("Scrivi la domanda in una riga.")),
        Length(max=TITLE_MAX, message=_l("Il titolo può avere al massimo %(max)d caratteri.", max=TITLE_MAX))],
        description=_l("Una domanda chiara e specifica, come la cercheresti."))
    body = TextAreaField(_l("Dettagli"), validators=[
        DataRequired(message=_l("Descrivi il contesto: cosa hai provato, cosa ti serve.")),
        Length(max=BODY_MAX, message=_l("Il testo può avere al massimo %(max)d caratteri.", max=BODY_MAX))],
        description=_l("Puoi usare Markdown."))
    tags = StringField(_l("Etichette"), validators=[Optional(), Length(max=TAGS_FIELD_MAX, message=_l(
        "Al massimo %(num)d etichette.", num=TAGS_PER_QUESTION))],
                       description=_l("Separate da virgole, al massimo %(num)d.", num=TAGS_PER_QUESTION))
    # The same question sent twice (a double click, a retried request) is published once (app/submissions.py).
    submission = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.submission.data:
            from app.practices.forms import new_submission_token

            self.submission.data = new_submission_token()

    def validate_tags(self, field) -> None:
        from wtforms.validators import ValidationError

        tags = tag_list(field.data)
        if len(tags) > TAGS_PER_QUESTION:
            raise ValidationError(_l("Al massimo %(num)d etichette.", num=TAGS_PER_QUESTION))
        if any(len(tag) > TAG_MAX for tag in tags):
            raise ValidationError(_l("Ogni etichetta può avere al massimo %(max)d caratteri.", max=TAG_MAX))

    @property
    def tag_list(self) -> list[str]:
        return tag_list(self.tags.data)


class EditQuestionForm(AskForm):
    """Editing a question: the same fields as asking."""


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("La tua risposta"), validators=[
        DataRequired(message=_l("Scrivi la risposta.")),
        Length(max=BODY_MAX, message=_l("La risposta può avere al massimo %(max)d caratteri.", max=BODY_MAX))],
        description=_l("Puoi usare Markdown; scrivi @ e il nome per menzionare una persona iscritta."))


class EditAnswerForm(AnswerForm):
    pass


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Commento"), validators=[
        DataRequired(message=_l("Scrivi il commento.")),
        Length(max=COMMENT_MAX, message=_l("Un commento può avere al massimo %(max)d caratteri.", max=COMMENT_MAX))],
        description=_l("Breve: per chiedere un chiarimento o aggiungere un dettaglio (al massimo %(max)d caratteri).",
                       max=COMMENT_MAX))


class EditCommentForm(FlaskForm):
    body = CommentForm.body


class CloseForm(FlaskForm):
    """Closing a question: the reason, and for a duplicate the original question (its number or its address)."""

    reason = SelectField(_l("Motivo della chiusura"), validators=[
        DataRequired(message=_l("Scegli il motivo della chiusura."))],
        choices=[("", _l("— Scegli —"))] + [(str(key), label) for key, label in CLOSE_REASON_LABELS.items()])
    duplicate_of = StringField(_l("Domanda originale"), validators=[Optional(), Length(max=300, message=_l(
        "Indica il numero della domanda originale o il suo indirizzo."))],
                               description=_l("Solo per un duplicato: il numero della domanda originale o il suo "
                                              "indirizzo (per esempio https://…/questions/42)."))
    note = TextAreaField(_l("Nota (facoltativa)"), validators=[Optional(), Length(max=COMMENT_MAX, message=_l(
        "La nota può avere al massimo %(max)d caratteri.", max=COMMENT_MAX))])

    def validate_duplicate_of(self, field) -> None:
        from wtforms.validators import ValidationError

        if field.data and self.duplicate_of_id is None:
            raise ValidationError(_l("Indica il numero della domanda originale o il suo indirizzo."))

    @property
    def duplicate_of_id(self) -> int | None:
        """42 from "42", "#42", "/questions/42" or "https://host/questions/42-titolo?x#y"; None otherwise."""
        value = (self.duplicate_of.data or "").strip()
        match = re.fullmatch(r"#?(\d{1,10})", value) or re.search(r"/questions/(\d{1,10})(?:[-/?#]|$)", value)
        if match and 0 < int(match.group(1)) < 2**31:
            return int(match.group(1))
        return None


class HideRevisionForm(FlaskForm):
    reason = StringField(_l("Motivo"), validators=[
        DataRequired(message=_l("Indica perché nascondi questa versione.")),
        Length(max=300, message=_l("Il motivo può avere al massimo 300 caratteri."))],
        description=_l("Per esempio: dati personali. Il motivo resta visibile a tutti."))


FOLLOW_LEVEL_LABELS = {
    FollowLevel.WATCHING: _l("Seguo"),
    FollowLevel.NORMAL: _l("Normale"),
    FollowLevel.MUTED: _l("Silenziata"),
}


class FollowForm(FlaskForm):
    level = SelectField(_l("Notifiche di questa domanda"), validators=[DataRequired(message=_l(
        "Scegli come seguire la domanda."))],
                        choices=[(k, v) for k, v in FOLLOW_LEVEL_LABELS.items()])


class FollowListForm(FlaskForm):
    """Following a community's or a practice's questions: on or off."""

    level = SelectField(validators=[DataRequired()],
                        choices=[(FollowLevel.WATCHING, _l("Segui")), (FollowLevel.NORMAL, _l("Non seguire"))])
