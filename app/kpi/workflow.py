"""The rules of the KPI library (issue 16). No Flask import.

- A definition: proposed → in review → published → deprecated (with its replacement, when there is one). The
  reviewers (the facilitators of the community it was proposed in, the staff of the programme it was proposed in,
  administrators) take a proposal into review, send it back to the proposer with a note, publish it; a published
  definition is deprecated by its reviewers. The proposer may withdraw a proposal that is not published yet.
- Editing: while proposed or in review, the proposer's organisation and the reviewers edit the one version in
  place; once published, an edit (by the reviewers) creates a new version with a change note and a "breaks the
  series" flag; old versions stay readable and adoptions keep the version they adopted.
- Values: `check_value` tells whether a reported value fits the unit's and the version's range.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


class KpiWorkflowError(Exception):
    """A move the rules refuse; the message (an Italian msgid) says why."""


class DefinitionStatus(StrEnum):
    PROPOSED = "proposed"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    DEPRECATED = "deprecated"
    WITHDRAWN = "withdrawn"  # the proposer gave it up before publication: kept for the record, out of the library


class DefinitionAction(StrEnum):
    START_REVIEW = "start_review"  # proposed → in review
    RETURN = "return"  # in review → proposed (with a note to the proposer)
    PUBLISH = "publish"  # in review → published
    DEPRECATE = "deprecate"  # published → deprecated (with a note and, when there is one, the replacement)
    WITHDRAW = "withdraw"  # proposed | in review → withdrawn (the proposer's organisation)


class KpiRole(StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"  # facilitator of the proposing community / staff of the proposing programme
    PROPOSER = "proposer"  # a person of the author organisation


_REVIEWERS = frozenset({KpiRole.ADMIN, KpiRole.REVIEWER})

TRANSITIONS: dict[tuple[DefinitionStatus, DefinitionAction], tuple[DefinitionStatus, frozenset[KpiRole]]] = {
    (DefinitionStatus.PROPOSED, DefinitionAction.START_REVIEW): (DefinitionStatus.IN_REVIEW, _REVIEWERS),
    (DefinitionStatus.IN_REVIEW, DefinitionAction.RETURN): (DefinitionStatus.PROPOSED, _REVIEWERS),
    (DefinitionStatus.IN_REVIEW, DefinitionAction.PUBLISH): (DefinitionStatus.PUBLISHED, _REVIEWERS),
    (DefinitionStatus.PUBLISHED, DefinitionAction.DEPRECATE): (DefinitionStatus.DEPRECATED, _REVIEWERS),
    (DefinitionStatus.PROPOSED, DefinitionAction.WITHDRAW): (DefinitionStatus.WITHDRAWN,
                                                             frozenset({KpiRole.PROPOSER, KpiRole.ADMIN})),
    (DefinitionStatus.IN_REVIEW, DefinitionAction.WITHDRAW): (DefinitionStatus.WITHDRAWN,
                                                              frozenset({KpiRole.PROPOSER, KpiRole.ADMIN})),
}

REFUSED = {
    DefinitionAction.START_REVIEW: N_("Si prende in esame solo un indicatore proposto."),
    DefinitionAction.RETURN: N_("Si rimanda al proponente solo un indicatore in esame."),
    DefinitionAction.PUBLISH: N_("Si pubblica solo un indicatore in esame."),
    DefinitionAction.DEPRECATE: N_("Si dismette solo un indicatore pubblicato."),
    DefinitionAction.WITHDRAW: N_("Si ritira solo un indicatore non ancora pubblicato."),
}
DENIED = {
    DefinitionAction.WITHDRAW: N_("Ritira la proposta l'ente che l'ha presentata."),
}
DENIED_REVIEW = N_("Esaminano e pubblicano gli indicatori gli animatori della comunità o lo staff del programma "
                   "in cui sono stati proposti, o chi amministra la piattaforma.")
NOTE_REQUIRED = N_("Scrivete al proponente che cosa cambiare.")
DEPRECATION_NOTE_REQUIRED = N_("Spiegate perché l'indicatore è dismesso.")
REPLACEMENT_NOT_PUBLISHED = N_("L'indicatore che lo sostituisce deve essere pubblicato e diverso da questo.")
CHANGE_NOTE_REQUIRED = N_("Descrivete che cosa cambia in questa versione.")
NOT_EDITABLE = N_("Un indicatore dismesso o ritirato non si modifica più.")


@dataclass(frozen=True)
class TransitionFacts:
    """What a step looks at besides status and role."""

    note: str = ""
    replacement_id: int | None = None
    replacement_published: bool = False
    definition_id: int | None = None


def transition(status: str, action: str, role: str, facts: TransitionFacts = TransitionFacts()) -> DefinitionStatus:
    """The status after `action`, or KpiWorkflowError (nothing applied)."""
    try:
        status, action = DefinitionStatus(status), DefinitionAction(action)
    except ValueError:
        raise KpiWorkflowError(N_("Operazione sconosciuta.")) from None
    rule = TRANSITIONS.get((status, action))
    if rule is None:
        raise KpiWorkflowError(REFUSED[action])
    target, roles = rule
    if role not in roles:
        raise KpiWorkflowError(DENIED.get(action, DENIED_REVIEW))
    if action == DefinitionAction.RETURN and not facts.note.strip():
        raise KpiWorkflowError(NOTE_REQUIRED)
    if action == DefinitionAction.DEPRECATE:
        if not facts.note.strip():
            raise KpiWorkflowError(DEPRECATION_NOTE_REQUIRED)
        if facts.replacement_id is not None and (not facts.replacement_published
                                                 or facts.replacement_id == facts.definition_id):
            raise KpiWorkflowError(REPLACEMENT_NOT_PUBLISHED)
    return target


def allowed_actions(status: str, roles: set[str]) -> list[DefinitionAction]:
    """The actions the reader's roles may take from this status, in table order."""
    return [action for (source, action), (_target, allowed) in TRANSITIONS.items()
            if source == status and allowed & set(roles)]


def edit_makes_new_version(status: str) -> bool:
    """A published definition is changed by a new version; a proposal is edited in place."""
    if status in (DefinitionStatus.DEPRECATED, DefinitionStatus.WITHDRAWN):
        raise KpiWorkflowError(NOT_EDITABLE)
    return status == DefinitionStatus.PUBLISHED


def may_edit(status: str, roles: set[str]) -> bool:
    """Proposals: the proposer's organisation and the reviewers; published definitions: the reviewers only."""
    if status in (DefinitionStatus.PROPOSED, DefinitionStatus.IN_REVIEW):
        return bool(roles & {KpiRole.PROPOSER, KpiRole.REVIEWER, KpiRole.ADMIN})
    if status == DefinitionStatus.PUBLISHED:
        return bool(roles & _REVIEWERS)
    return False


# ---- the record's vocabularies ------------------------------------------------------------------------------

class Polarity(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better
    RANGE = "range"  # within a target range (range_low … range_high)


class Frequency(StrEnum):
    ANNUAL = "annual"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


class Level(StrEnum):
    REGION = "region"
    METROPOLITAN_CITY = "metropolitan_city"
    MUNICIPALITY = "municipality"
    ANY = "any"


class Typology(StrEnum):
    """DPCM 18 settembre 2012 art. 6."""

    PHYSICAL = "physical"  # realizzazione fisica
    OUTPUT = "output"  # risultato
    OUTCOME = "outcome"  # impatto
    FINANCIAL = "financial"  # realizzazione finanziaria
    OTHER = "other"


class FormulaKind(StrEnum):
    RATIO = "ratio"  # numerator / denominator (× the unit's multiplier)
    DESCRIPTION = "description"  # a plain description of the calculation


class PlanKind(StrEnum):
    PIAO = "piao"
    DUP = "dup"
    DEFR = "defr"


class ValueStatus(StrEnum):
    PROVISIONAL = "provisional"
    FINAL = "final"


class Unit(StrEnum):
    """Units a value is checked against; `bounds` gives each one's natural range."""

    PERCENT = "percent"  # 0–100
    RATIO = "ratio"  # 0–1
    NUMBER = "number"  # a count, ≥ 0
    EUROS = "euros"
    DAYS = "days"  # ≥ 0
    HOURS = "hours"  # ≥ 0
    PER_100 = "per_100"  # per 100 inhabitants/children …, ≥ 0
    PER_1000 = "per_1000"  # ≥ 0
    SCORE = "score"  # a score on a scale given by the version's range
    INDEX = "index"  # any real number


UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    Unit.PERCENT: (0.0, 100.0), Unit.RATIO: (0.0, 1.0), Unit.NUMBER: (0.0, None), Unit.EUROS: (None, None),
    Unit.DAYS: (0.0, None), Unit.HOURS: (0.0, None), Unit.PER_100: (0.0, None), Unit.PER_1000: (0.0, None),
    Unit.SCORE: (None, None), Unit.INDEX: (None, None),
}
UNIT_MULTIPLIER = {Unit.PERCENT: 100.0, Unit.PER_100: 100.0, Unit.PER_1000: 1000.0}

VALUE_NOT_A_NUMBER = N_("Il valore non è un numero.")
VALUE_BELOW = N_("Il valore è sotto il minimo ammesso per questo indicatore ({low}).")
VALUE_ABOVE = N_("Il valore è sopra il massimo ammesso per questo indicatore ({high}).")
DENOMINATOR_ZERO = N_("Il denominatore non può essere zero.")
RATIO_MISMATCH = N_("Il valore non corrisponde a numeratore diviso denominatore.")


def value_bounds(unit: str, low: float | None, high: float | None) -> tuple[float | None, float | None]:
    """The range a value must fit: the unit's natural one, narrowed by the version's own."""
    natural_low, natural_high = UNIT_BOUNDS.get(unit, (None, None))
    bottom = max(x for x in (natural_low, low) if x is not None) if (natural_low, low) != (None, None) else None
    top = min(x for x in (natural_high, high) if x is not None) if (natural_high, high) != (None, None) else None
    return bottom, top


def ratio_value(unit: str, numerator: float, denominator: float) -> float:
    """numerator / denominator scaled to the unit (× 100 for a percentage)."""
    if denominator == 0:
        raise KpiWorkflowError(DENOMINATOR_ZERO)
    return numerator / denominator * UNIT_MULTIPLIER.get(unit, 1.0)


def check_value(value: float | None, unit: str, low: float | None = None, high: float | None = None,
                numerator: float | None = None, denominator: float | None = None) -> float:
    """The value to store, or KpiWorkflowError (an Italian msgid, formatted with low/high) when it does not fit.

    Given numerator and denominator without a value, the value is computed; given all three, they must agree
    (to 0.5% of the value, for rounding)."""
    if any(isinstance(each, bool) or not isinstance(each, (int, float, type(None)))
           for each in (value, numerator, denominator)):  # bool is an int: True would be stored as 1.0
        raise KpiWorkflowError(VALUE_NOT_A_NUMBER)
    if value is None and numerator is not None and denominator is not None:
        value = ratio_value(unit, numerator, denominator)
    elif value is not None and numerator is not None and denominator is not None:
        computed = ratio_value(unit, numerator, denominator)
        if abs(computed - value) > max(abs(computed) * 0.005, 0.01):
            raise KpiWorkflowError(RATIO_MISMATCH)
    if value is None or not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value):
        raise KpiWorkflowError(VALUE_NOT_A_NUMBER)
    bottom, top = value_bounds(unit, low, high)
    if bottom is not None and value < bottom:
        raise KpiWorkflowError(VALUE_BELOW)
    if top is not None and value > top:
        raise KpiWorkflowError(VALUE_ABOVE)
    return float(value)


def periods_of(frequency: str, year: int) -> list[str]:
    """The period labels of a year: "2025"; "2025-S1", "2025-S2"; "2025-Q1"…; "2025-01"…"""
    if frequency == Frequency.HALF_YEARLY:
        return [f"{year}-S{n}" for n in (1, 2)]
    if frequency == Frequency.QUARTERLY:
        return [f"{year}-Q{n}" for n in (1, 2, 3, 4)]
    if frequency == Frequency.MONTHLY:
        return [f"{year}-{n:02d}" for n in range(1, 13)]
    return [str(year)]


PERIOD_INVALID = N_("Periodo non valido per la frequenza dell'indicatore (per esempio {example}).")


def parse_period(text: str, frequency: str) -> tuple[str, int]:
    """The canonical period label and its year, or KpiWorkflowError."""
    cleaned = (text or "").strip().upper()
    year_part = cleaned[:4]
    if len(cleaned) >= 4 and year_part.isdigit() and 1900 <= int(year_part) <= 2100:
        year = int(year_part)
        candidates = {label.upper(): label for label in periods_of(frequency, year)}
        if cleaned in candidates:
            return candidates[cleaned], year
    raise KpiWorkflowError(PERIOD_INVALID)


def period_example(frequency: str) -> str:
    return periods_of(frequency, 2025)[-1]


def target_met(polarity: str, value: float, target: float | None, range_low: float | None = None,
               range_high: float | None = None) -> bool | None:
    """Whether a value reaches its target (None when there is nothing to compare with)."""
    if polarity == Polarity.RANGE:
        if range_low is None and range_high is None:
            return None
        return (range_low is None or value >= range_low) and (range_high is None or value <= range_high)
    if target is None:
        return None
    return value >= target if polarity == Polarity.HIGHER else value <= target
