"""Administrators' pages of the maturity stages: the conditions with an edit form each, and the change log. An edit
takes effect at the next computation; snapshots already stored keep the checklist they were computed with."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.indicators import bp, thresholds
from app.indicators.definitions import INDICATORS, STAGE_ORDER, STAGES
from app.indicators.forms_admin import OPERATOR_WORDS, UNIT_HELP, ConditionForm, shown_threshold
from app.indicators.thresholds import ConditionError
from app.models import StageCondition
from app.permissions import admin_required
from app.web import redirect_to, render_page, wants_fragment

CHANGES_PER_PAGE = 50


def unit_of(code: str) -> str:
    indicator = INDICATORS.get(code)
    return indicator.unit if indicator else "count"


def condition_row(condition: StageCondition, last_change=None, form: ConditionForm | None = None,
                  saved: bool = False) -> dict:
    """What the page shows of one condition, with its form (the submitted one after a refusal)."""
    unit = unit_of(condition.code)
    indicator = INDICATORS.get(condition.code)
    return {"condition": condition, "label": indicator.label if indicator else condition.code, "unit": unit,
            "operator": OPERATOR_WORDS.get(condition.operator, condition.operator),
            "shown": shown_threshold(unit, condition.threshold), "help": UNIT_HELP.get(unit),
            "last_change": last_change, "saved": saved,
            "counted": indicator is None or indicator.min_items is not None,  # a count has no items to ask for
            "form": form or ConditionForm.for_condition(condition, unit)}


def stage_groups(replaced: dict | None = None) -> list[tuple[str, str, list[dict]]]:
    """The conditions by stage, lowest stage first, in the checklist's order; `replaced` = {id: row} to show."""
    thresholds.ensure_conditions_saved()
    rows = db.session.execute(select(StageCondition).order_by(StageCondition.position,
                                                              StageCondition.id)).scalars().all()
    last = thresholds.last_changes()
    groups = []
    for stage in STAGE_ORDER:
        of_stage = [(replaced or {}).get(c.id) or condition_row(c, last.get((c.stage, c.code)))
                    for c in rows if c.stage == stage]
        if of_stage:
            groups.append((stage, STAGES[stage], of_stage))
    return groups


def render_conditions(status: int = 200, replaced: dict | None = None):
    return render_page("indicators/conditions.html", status=status, groups=stage_groups(replaced))


def render_one(row: dict, status: int):
    """One condition's item: the htmx fragment, or the whole page with it in place."""
    if wants_fragment():
        return render_page("indicators/conditions.html", block="condition", status=status, row=row)
    return render_conditions(status, {row["condition"].id: row})


@bp.route("/admin/indicators/conditions")
@admin_required
def conditions():
    """Every stage's conditions, each with its edit form and its latest change."""
    return render_conditions()


@bp.route("/admin/indicators/conditions/<int:condition_id>", methods=["POST"])
@admin_required
def edit_condition(condition_id: int):
    """Change one condition's threshold and minimum, with a reason; logged, in force at the next computation."""
    condition = db.get_or_404(StageCondition, condition_id)
    unit = unit_of(condition.code)
    form = ConditionForm()
    if form.validate_on_submit():
        try:
            thresholds.update_condition(condition_id, form.threshold_value(unit), form.min_n_value(),
                                        form.note.data, current_user)
        except LookupError:
            abort(404)  # removed since it was read above
        except ConditionError as error:
            condition = db.get_or_404(StageCondition, condition_id)  # the refusal rolled the session back
            target = form[error.field] if error.field in form else form.threshold
            target.errors = list(target.errors or []) + [_(error.message, **error.params)]
        else:
            condition = db.session.get(StageCondition, condition_id)
            if wants_fragment():
                return render_one(condition_row(condition, thresholds.last_changes().get(
                    (condition.stage, condition.code)), saved=True), 200)
            flash(_("Condizione aggiornata: vale dal prossimo calcolo degli indicatori."), "success")
            return redirect_to(url_for("indicators.conditions", _anchor=f"condition-{condition_id}"))
    elif "csrf_token" in form.errors:
        abort(400)
    last = thresholds.last_changes().get((condition.stage, condition.code))
    return render_one(condition_row(condition, last, form), 422)


@bp.route("/admin/indicators/changes")
@admin_required
def condition_changes():
    """The log of every change to the conditions, newest first."""
    page = thresholds.changes_page(int(request.args.get("page", 1)), CHANGES_PER_PAGE)
    units = {change.id: unit_of(change.code) for change in page.items}
    return render_page("indicators/condition_changes.html", block="changes", page=page, units=units,
                       shown=shown_threshold, indicators=INDICATORS, stages=STAGES)
