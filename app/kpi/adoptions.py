"""Adoptions of a KPI by an administration (issue 16): adopt the current version for a plan (PIAO, DUP, DEFR) of a
year with baseline, three targets and the responsible office; edit; withdraw (the values stay). Each service is one
transaction, keeps the definition's adoption count and rolls back on a refusal (ValueRefused, field and msgid)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.calls.core import lock
from app.extensions import db
from app.kpi import access, core
from app.kpi.values import ValueRefused, checked_number
from app.kpi.workflow import DefinitionStatus, KpiWorkflowError, PlanKind
from app.models import KpiAdoption, KpiDefinition
from app.models.base import utcnow


def N_(message: str) -> str:
    return message


FIRST_PLAN_YEAR = 2020
FIRST_BASELINE_YEAR = 1990
OFFICE_MAX = 300
NOTES_MAX = 5000
CANNOT_ADOPT = N_("Adottano gli indicatori pubblicati le persone di una pubblica amministrazione attiva.")
DEPRECATED = N_("Questo indicatore è stato dismesso: non si adotta più.")
CANNOT_MANAGE = N_("Gestiscono l'adozione le persone dell'ente che l'ha adottata.")
WITHDRAWN = N_("L'adozione è stata ritirata: per riprenderla adottate di nuovo l'indicatore.")
ALREADY_WITHDRAWN = N_("L'adozione è già ritirata.")
PLAN_KIND_INVALID = N_("Scegliete il piano: PIAO, DUP o DEFR.")
PLAN_YEAR_INVALID = N_("Indicate il primo anno del triennio, tra %(first)s e %(last)s.")
BASELINE_YEAR_INVALID = N_("L'anno della base di partenza non può essere successivo al primo anno del piano.")
BASELINE_YEAR_EARLY = N_("Indicate un anno di quattro cifre, dal %(first)s in poi.")
BASELINE_YEAR_FUTURE = N_("Il valore di partenza è un valore già misurato: il suo anno non può essere nel futuro.")
BASELINE_YEAR_MISSING = N_("Indicate l'anno a cui si riferisce il valore di partenza.")
OFFICE_REQUIRED = N_("Indicate l'ufficio responsabile.")
TOO_LONG = N_("Testo troppo lungo.")
DUPLICATE = N_("Il vostro ente ha già adottato questo indicatore per questo piano e questo anno.")
VALUES_DO_NOT_FIT = N_("I valori già registrati non si leggono con la versione attuale della definizione (cambiano "
                       "unità di misura, frequenza o valori ammessi): adottatela per un altro anno del piano.")


@dataclass
class AdoptionData:
    """What the adoption form says (numbers may still be texts: the service checks them)."""

    plan_kind: str
    plan_year: int | None
    baseline_value: object = None
    baseline_year: int | None = None
    target_1: object = None
    target_2: object = None
    target_3: object = None
    responsible_office: str = ""
    notes: str = ""
    open_data: bool = False


def last_plan_year() -> int:
    return date.today().year + 3


def _checked(version, data: AdoptionData) -> dict:
    """The columns to write, or ValueRefused at the first wrong field (the form has told already)."""
    if data.plan_kind not in set(PlanKind):
        raise ValueRefused(PLAN_KIND_INVALID, "plan_kind")
    if data.plan_year is None or not FIRST_PLAN_YEAR <= data.plan_year <= last_plan_year():
        raise ValueRefused(PLAN_YEAR_INVALID, "plan_year", first=FIRST_PLAN_YEAR, last=last_plan_year())
    columns = dict(plan_kind=str(data.plan_kind), plan_year=data.plan_year)
    for name in ("baseline_value", "target_1", "target_2", "target_3"):
        raw = getattr(data, name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            columns[name] = None
            continue
        columns[name] = checked_number(version, raw, field=name)[0]
    if data.baseline_year is not None and data.baseline_year < FIRST_BASELINE_YEAR:
        raise ValueRefused(BASELINE_YEAR_EARLY, "baseline_year", first=FIRST_BASELINE_YEAR)
    if data.baseline_year is not None and data.baseline_year > data.plan_year:
        raise ValueRefused(BASELINE_YEAR_INVALID, "baseline_year")
    if data.baseline_year is not None and data.baseline_year > date.today().year:
        raise ValueRefused(BASELINE_YEAR_FUTURE, "baseline_year")
    if columns["baseline_value"] is not None and data.baseline_year is None:
        raise ValueRefused(BASELINE_YEAR_MISSING, "baseline_year")
    office, notes = (data.responsible_office or "").strip(), (data.notes or "").strip()
    if not office:
        raise ValueRefused(OFFICE_REQUIRED, "responsible_office")
    if len(office) > OFFICE_MAX:
        raise ValueRefused(TOO_LONG, "responsible_office")
    if len(notes) > NOTES_MAX:
        raise ValueRefused(TOO_LONG, "notes")
    columns.update(baseline_year=data.baseline_year, responsible_office=office, notes=notes,
                   open_data=bool(data.open_data))
    return columns


def _same_plan(definition_id: int, organization_id: int, plan_kind: str, plan_year: int) -> KpiAdoption | None:
    return db.session.scalar(select(KpiAdoption).where(
        KpiAdoption.definition_id == definition_id, KpiAdoption.organization_id == organization_id,
        KpiAdoption.plan_kind == plan_kind, KpiAdoption.plan_year == plan_year))


def _check_values_fit(adoption: KpiAdoption, version, field: str) -> None:
    """An adoption moved to another version keeps its values: they must still read the same (unit, periods, range)."""
    if version.id == adoption.version_id or not adoption.values:
        return
    if version.unit != adoption.version.unit or version.frequency != adoption.version.frequency:
        raise ValueRefused(VALUES_DO_NOT_FIT, field)
    for row in adoption.values:
        try:
            checked_number(version, row.value)
        except ValueRefused:
            raise ValueRefused(VALUES_DO_NOT_FIT, field) from None


def _commit(definition: KpiDefinition) -> None:
    """Keep the count, then commit; the unique constraint met by a concurrent twin is a field error."""
    try:
        db.session.flush()
        core.refresh_adoption_count(definition)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValueRefused(DUPLICATE, "plan_year") from None


def adopt(definition: KpiDefinition, actor, data: AdoptionData) -> KpiAdoption:
    """Adopt the definition's current version for the actor's organisation (a withdrawn twin comes back)."""
    try:
        # Adoptions of one KPI one at a time: each counts the adopters (two at once would each miss the other) and
        # sees a deprecation made meanwhile.
        lock(definition)
        if definition.status == DefinitionStatus.DEPRECATED:
            raise ValueRefused(DEPRECATED)
        if not access.can_adopt(actor, definition):
            raise ValueRefused(CANNOT_ADOPT)
        version = definition.current_version
        columns = _checked(version, data)
        existing = _same_plan(definition.id, actor.organization_id, columns["plan_kind"], columns["plan_year"])
        if existing is not None and existing.active:
            raise ValueRefused(DUPLICATE, "plan_year")
        if existing is not None:
            _check_values_fit(existing, version, "plan_year")
    except KpiWorkflowError:
        db.session.rollback()
        raise
    now = utcnow()
    if existing is not None:  # re-activated: the current version, the new figures, its old values kept
        adoption = existing
        for name, value in columns.items():
            setattr(adoption, name, value)
        adoption.version_id, adoption.active, adoption.withdrawn_at = version.id, True, None
        adoption.adopted_by_id, adoption.adopted_at, adoption.updated_at = actor.id, now, now
    else:
        adoption = KpiAdoption(definition_id=definition.id, version_id=version.id,
                               organization_id=actor.organization_id, adopted_by_id=actor.id, adopted_at=now,
                               updated_at=now, active=True, **columns)
        db.session.add(adoption)
    _commit(definition)
    return adoption


def edit(adoption: KpiAdoption, actor, data: AdoptionData, upgrade_version: bool = False) -> KpiAdoption:
    """Change plan, baseline, targets, office, notes, open data; optionally move to the current version."""
    definition = adoption.definition
    try:
        lock(definition)  # the adopters' count (see adopt)
        if not access.can_manage_adoption(actor, adoption):
            raise ValueRefused(CANNOT_MANAGE)
        if not adoption.active:
            raise ValueRefused(WITHDRAWN)
        version = definition.current_version if upgrade_version and definition.current_version else adoption.version
        columns = _checked(version, data)
        twin = _same_plan(definition.id, adoption.organization_id, columns["plan_kind"], columns["plan_year"])
        if twin is not None and twin.id != adoption.id:
            raise ValueRefused(DUPLICATE, "plan_year")
        _check_values_fit(adoption, version, "upgrade_version")
    except KpiWorkflowError:
        db.session.rollback()
        raise
    for name, value in columns.items():
        setattr(adoption, name, value)
    adoption.version_id, adoption.updated_at = version.id, utcnow()
    _commit(definition)
    return adoption


def withdraw(adoption: KpiAdoption, actor) -> KpiAdoption:
    """The administration stops following the KPI: the adoption and its values stay, inactive."""
    try:
        lock(adoption.definition)  # the adopters' count (see adopt)
        db.session.refresh(adoption)  # withdrawn meanwhile?
        if not access.can_manage_adoption(actor, adoption):
            raise ValueRefused(CANNOT_MANAGE)
        if not adoption.active:
            raise ValueRefused(ALREADY_WITHDRAWN)
    except KpiWorkflowError:
        db.session.rollback()
        raise
    adoption.active, adoption.withdrawn_at, adoption.updated_at = False, utcnow(), utcnow()
    _commit(adoption.definition)
    return adoption
