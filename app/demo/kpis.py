"""Demo KPI library (issue 16, point 9): the reference taxonomies, about thirty published KPIs across missions 01, 04,
08, 09, 10, 12 and 14 proposed in the demo communities and in the Ask Public Value programme, a deprecated KPI and
its replacement, a KPI with a second version that breaks the series, two proposals (one proposed, one in review)
with their discussion; adoptions in the PIAO 2024 by administrations of the three levels with baseline, targets and
the values of 2023–2025; the practices that declare they improve a KPI.

Definitions go through app/kpi/core.py (propose, move, write_version: the history and notifications the application
writes), then their moments are backdated; adoptions, values and links are rows written directly, every figure
checked by app/kpi/workflow.check_value and every target by the polarity, every actor by app/kpi/access.py, so the
demo never shows what the application would refuse. Everything is found again by natural keys (a definition by its
first version's name, an adoption by KPI, organisation and plan, a value by period, a link by practice and KPI):
loading again adds nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.demo import kpi_data as data
from app.demo.data import DEMO_EMAIL_DOMAIN
from app.extensions import db
from app.kpi import access, core
from app.kpi.labels import LEVEL_PA_KINDS
from app.kpi.reference import load_reference
from app.kpi.workflow import (DefinitionStatus, FormulaKind, Frequency, Level, PlanKind, Polarity, Typology, Unit,
                              ValueStatus, check_value, parse_period, periods_of, ratio_value)
from app.models import (Community, KpiAdoption, KpiChange, KpiComment, KpiDefinition, KpiPracticeLink, KpiValue,
                        KpiVersion, Membership, Notification, Organization, Practice, Programme, ProgrammeStaff,
                        ReferenceTerm, User)
from app.models.base import utcnow

RECORD_DEFAULTS = {"typology": Typology.OUTCOME, "formula_kind": FormulaKind.RATIO, "frequency": Frequency.ANNUAL,
                   "level": Level.ANY, "piao": "2.1"}
RECORD_KEYS = ("name", "short_name", "description", "typology", "formula_kind", "numerator", "denominator", "formula",
               "unit", "polarity", "range_low", "range_high", "value_min", "value_max", "frequency", "data_source",
               "level", "external_code", "tags", "caveat")


def load_kpis() -> int:
    """Load the reference taxonomies (their own commit), then add what is missing of the demo library in one
    transaction; how many definitions, discussion messages, adoptions, values and practice links were added."""
    load_reference()
    if has_request_context():
        return _load()
    # core.propose and core.move link their notifications with url_for: a request on the configured address.
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        return _load()


def _load() -> int:
    demo = _Demo()
    try:
        for item in data.DEFINITIONS:
            demo.definition(item)
        with db.session.no_autoflush:  # rows are found by the loader's own maps: flushing before each read is waste
            for key, rows in data.ADOPTIONS.items():
                demo.adoptions(key, rows)
            for item in data.PRACTICE_LINKS:
                demo.link(*item)
        for definition in demo.by_key.values():
            core.refresh_adoption_count(definition)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return demo.added


class _Demo:
    """What the loader looks things up in, and the moment its "days ago" count from."""

    def __init__(self) -> None:
        self.now = utcnow().replace(microsecond=0)
        self.people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))
                       if u.email.endswith("@" + DEMO_EMAIL_DOMAIN)}
        self.organizations = {o.name: o for o in db.session.scalars(select(Organization))}
        self.communities = {c.slug: c for c in db.session.scalars(select(Community))}
        self.programmes = {p.slug: p for p in db.session.scalars(select(Programme))}
        self.practices = {p.title: p for p in db.session.scalars(select(Practice))}
        self.terms = {(t.scheme, t.code): t for t in db.session.scalars(
            select(ReferenceTerm).where(ReferenceTerm.valid_to.is_(None)))}
        first_versions = db.session.execute(select(KpiVersion.name, KpiVersion.definition_id).where(
            KpiVersion.number == 1)).all()
        self.existing = {name: definition_id for name, definition_id in first_versions}
        self.items = {item["key"]: item for item in data.DEFINITIONS}
        self.by_key: dict[str, KpiDefinition] = {}
        self.adopted = {(a.definition_id, a.organization_id): a for a in db.session.scalars(
            select(KpiAdoption).where(KpiAdoption.plan_kind == PlanKind.PIAO, KpiAdoption.plan_year == data.PLAN_YEAR)
            .options(selectinload(KpiAdoption.values)))}
        self.reviewers: dict[tuple, str] = {}
        self.added = 0  # definitions, comments, adoptions, values and practice links

    def at(self, days: float, minute: int = 0) -> datetime:
        """A moment in office hours, `days` days before now."""
        moment = (self.now - timedelta(days=days)).replace(hour=10, minute=0, second=0)
        return min(moment + timedelta(minutes=minute), self.now - timedelta(hours=1))

    def person(self, local: str) -> User:
        if local not in self.people:
            raise ValueError(f"demo data: no demo person {local}")
        return self.people[local]

    def organization(self, name: str) -> Organization:
        if name not in self.organizations:
            raise ValueError(f"demo data: no organisation named {name}")
        return self.organizations[name]

    def speaker_for(self, organization: Organization) -> User:
        """The organisation's referent (or, failing one, its first active person): who adopts and reports."""
        people = sorted((p for p in self.people.values() if p.organization_id == organization.id
                         and p.affiliation_status == "active"), key=lambda p: (not p.is_referent, p.id))
        if not people:
            raise ValueError(f"demo data: nobody of {organization.name} can act for it")
        return people[0]

    def term(self, scheme: str, code: str) -> ReferenceTerm:
        if (scheme, code) not in self.terms:
            raise ValueError(f"demo data: no reference term {scheme} {code}")
        return self.terms[(scheme, code)]

    # ---- definitions --------------------------------------------------------------------------------------------

    def definition(self, item: dict) -> None:
        """A definition with its story: published (or proposed, in review, deprecated), a second version, a
        discussion; backdated. Left alone when its first version's name is already there."""
        if item["key"] in self.by_key:
            return
        if item["name"] in self.existing:
            self.by_key[item["key"]] = db.session.get(KpiDefinition, self.existing[item["name"]])
            return
        kind, slug = item["place"]
        community = self.communities.get(slug) if kind == "community" else None
        programme = self.programmes.get(slug) if kind == "programme" else None
        if community is None and programme is None:
            raise ValueError(f"demo data: no {kind} {slug} for «{item['name']}»")
        proposer = self.person(item["proposer"])
        membership = db.session.scalar(select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == proposer.id)) if community else None
        if not access.can_propose(proposer, community=community, programme=programme, membership=membership):
            raise ValueError(f"demo data: {proposer.email} may not propose «{item['name']}» in {slug}")
        status = item.get("status", DefinitionStatus.PUBLISHED)
        first = (DefinitionStatus.PROPOSED if status in (DefinitionStatus.PROPOSED, DefinitionStatus.IN_REVIEW)
                 else DefinitionStatus.PUBLISHED)
        record = self.record(item)
        definition = core.propose(proposer, core.VersionData(record, self.term_ids(item)), community=community,
                                  programme=programme, status=first)
        created = self.at(item["days"])  # proposed, or (in the demo) published straight away
        definition.created_at = definition.updated_at = definition.current_version.created_at = created
        definition.published_at = created if first == DefinitionStatus.PUBLISHED else None
        self.stamp_news(created)
        moments = [created]
        reviewer = self.reviewer(definition)
        if status == DefinitionStatus.IN_REVIEW:
            core.move(definition, "start_review", self.person(item.get("reviewer", reviewer)))
            definition.updated_at = self.at(item["review_days"])
            self.stamp_news(definition.updated_at)
            moments.append(definition.updated_at)
        if second := item.get("version_2"):
            changes = {k: v for k, v in second.items() if k not in ("days", "change_note", "breaks_series")}
            version = core.write_version(definition, core.VersionData({**record, **changes}, self.term_ids(item)),
                                         self.person(reviewer), change_note=second["change_note"],
                                         breaks_series=second["breaks_series"])
            version.created_at = definition.updated_at = self.at(second["days"])
            moments.append(version.created_at)
        self.by_key[item["key"]] = definition
        self.added += 1 + self.discussion(definition, item.get("comments", []))
        if status == DefinitionStatus.DEPRECATED:
            self.definition(self.items[item["replaced_by"]])  # a replacement listed later: created ahead of its turn
            replacement = self.by_key[item["replaced_by"]]
            core.move(definition, "deprecate", self.person(reviewer), note=item["deprecation_note"],
                      replacement=replacement)
            definition.deprecated_at = definition.updated_at = self.at(item["deprecated_days"])
            self.stamp_news(definition.deprecated_at)
            moments.append(definition.deprecated_at)
        self.backdate_history(definition, moments)

    @staticmethod
    def stamp_news(moment: datetime) -> None:
        """The notifications the last step of core added (not flushed yet) carry that step's moment."""
        for row in db.session.new:
            if isinstance(row, Notification):
                row.created_at = moment

    def record(self, item: dict) -> dict:
        """The version's fields from a data item, its vocabularies checked."""
        values = {**RECORD_DEFAULTS, **item}
        record = {key: values.get(key, "" if key not in ("range_low", "range_high", "value_min", "value_max")
                                  else None) for key in RECORD_KEYS}
        record["tags"] = list(item.get("tags", []))
        for vocabulary, name in ((Typology, "typology"), (FormulaKind, "formula_kind"), (Frequency, "frequency"),
                                 (Level, "level"), (Unit, "unit"), (Polarity, "polarity")):
            vocabulary(record[name])  # ValueError for a word the application does not know
        described = record["formula"] if record["formula_kind"] == FormulaKind.DESCRIPTION else (
            record["numerator"] and record["denominator"])
        banded = record["polarity"] != Polarity.RANGE or None not in (record["range_low"], record["range_high"])
        if not described or not banded or len(record["tags"]) > 10 or any(t != t.lower() for t in record["tags"]):
            raise ValueError(f"demo data: incomplete record for «{item['name']}»")
        record["piao_subsection_id"] = self.term("piao_subsection", values["piao"]).id
        record["bes_domain_id"] = self.term("bes_domain", item["bes"]).id if item.get("bes") else None
        return record

    def term_ids(self, item: dict) -> list[int]:
        return ([self.term("mission_local", code).id for code in item["missions"]]
                + [self.term("sdg", str(number)).id for number in item.get("sdgs", [])])

    def reviewer(self, definition: KpiDefinition) -> str:
        """The first facilitator of its community or the first staff member of its programme (a local part)."""
        place = (definition.community_id, definition.programme_id)
        if place not in self.reviewers:
            self.reviewers[place] = self._first_reviewer(definition)
        return self.reviewers[place]

    @staticmethod
    def _first_reviewer(definition: KpiDefinition) -> str:
        if definition.community_id:
            person = db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
                Membership.community_id == definition.community_id, Membership.status == "active",
                Membership.role == "facilitator").order_by(Membership.id))
        else:
            person = db.session.scalar(select(User).join(ProgrammeStaff, ProgrammeStaff.user_id == User.id).where(
                ProgrammeStaff.programme_id == definition.programme_id).order_by(ProgrammeStaff.id))
        if person is None:
            raise ValueError(f"demo data: nobody reviews «{definition.name}»")
        return person.email.split("@")[0]

    def discussion(self, definition: KpiDefinition, comments: list[tuple]) -> int:
        """The messages of a proposal's thread, from people who may write in it."""
        for index, (local, days, body) in enumerate(comments):
            author = self.person(local)
            if not access.can_comment(author, definition):
                raise ValueError(f"demo data: {author.email} may not write about «{definition.name}»")
            db.session.add(KpiComment(definition_id=definition.id, author_id=author.id,
                                      organization_id=author.organization_id, body=body,
                                      created_at=self.at(days, minute=15 * index)))
        return len(comments)

    def backdate_history(self, definition: KpiDefinition, moments: list[datetime]) -> None:
        """Give the definition's history rows the moments of its story, in order."""
        db.session.flush()
        changes = db.session.scalars(select(KpiChange).where(KpiChange.definition_id == definition.id)
                                     .order_by(KpiChange.id)).all()
        if len(changes) != len(moments) or moments != sorted(moments):
            raise ValueError(f"demo data: the story of «{definition.name}» is not in order")
        for change, moment in zip(changes, moments):
            change.created_at = moment

    # ---- adoptions and values -------------------------------------------------------------------------------------

    def adoptions(self, key: str, rows: list[tuple]) -> None:
        """The adoptions of one KPI with their values; what is already there is left alone."""
        definition, item = self.by_key[key], self.items[key]
        for index, (name, office, targets, values, options) in enumerate(rows):
            organization = self.organization(name)
            adopter = self.speaker_for(organization)
            kinds = LEVEL_PA_KINDS.get(definition.current_version.level)
            if not access.can_adopt(adopter, definition) or (kinds and organization.pa_kind not in kinds):
                raise ValueError(f"demo data: {name} may not adopt «{definition.name}»")
            adoption = self.adopted.get((definition.id, organization.id))
            if adoption is None:
                default_days = item["days"] - 20 - 6 * index  # recorded some weeks after publication
                adoption = self.adoption(definition, organization, adopter, office, targets, values, options,
                                         self.at(options.get("days", default_days), minute=index))
                self.added += 1
            self.values(adoption, item, adopter, values, options)

    def adoption(self, definition, organization, adopter, office, targets, values, options, when) -> KpiAdoption:
        """One adoption of the version current when it was recorded, baseline the 2023 value."""
        version = max((v for v in definition.versions if v.created_at <= when), key=lambda v: v.number)
        for figure in (*targets, *values):
            check_value(figure, version.unit, version.value_min, version.value_max)
        self.check_targets(version, targets, organization.name)
        adoption = KpiAdoption(
            definition_id=definition.id, version_id=version.id, organization_id=organization.id,
            plan_kind=PlanKind.PIAO, plan_year=data.PLAN_YEAR,
            baseline_value=self.figure(version, values[0], (options.get("bases") or [None])[0])[0],
            baseline_year=data.VALUE_YEARS[0], target_1=float(targets[0]), target_2=float(targets[1]),
            target_3=float(targets[2]), responsible_office=office, notes=options.get("notes", ""),
            open_data=options.get("open_data", False), active=True, adopted_by_id=adopter.id, adopted_at=when,
            updated_at=when, version=version, values=[])
        db.session.add(adoption)
        self.adopted[(definition.id, organization.id)] = adoption
        return adoption

    @staticmethod
    def check_targets(version: KpiVersion, targets: tuple, name: str) -> None:
        """Targets that move the way the polarity says (and, for a band, inside it)."""
        steps = list(zip(targets, targets[1:]))
        if version.polarity == Polarity.HIGHER:
            fine = all(a <= b for a, b in steps)
        elif version.polarity == Polarity.LOWER:
            fine = all(a >= b for a, b in steps)
        else:
            fine = all(version.range_low <= t <= version.range_high for t in targets)
        if not fine:
            raise ValueError(f"demo data: the targets of {name} go against «{version.name}»")

    def values(self, adoption: KpiAdoption, item: dict, reporter: User, values: tuple, options: dict) -> None:
        """The values of 2023–2025 (each quarter's for a quarterly KPI), checked; the missing ones are added."""
        version = adoption.version
        known = {value.period for value in adoption.values}
        bases = options.get("bases")
        for position, (year, figure) in enumerate(zip(data.VALUE_YEARS, values)):
            periods = periods_of(version.frequency, year)
            offsets = item.get("quarters", (0.0,) * len(periods)) if len(periods) > 1 else (0.0,)
            for number, (period, offset) in enumerate(zip(periods, offsets)):
                if parse_period(period, version.frequency)[0] in known:
                    continue
                base = bases[position] if bases and len(periods) == 1 else None
                value, numerator, denominator = self.figure(version, figure + offset, base)
                provisional = options.get("provisional") and year == data.VALUE_YEARS[-1]
                when = self.reported_at(year, number, len(periods), adoption.adopted_at)
                adoption.values.append(KpiValue(
                    period=period, year=year, value=value, numerator=numerator,
                    denominator=denominator, status=ValueStatus.PROVISIONAL if provisional else ValueStatus.FINAL,
                    source_note=item.get("value_source", version.data_source)[:500] + (
                        " (dato provvisorio)" if provisional else ""), source_url=item.get("source_url", ""),
                    reported_by_id=reporter.id, reported_at=when, updated_at=when))
                self.added += 1

    @staticmethod
    def figure(version: KpiVersion, figure: float, base: float | None) -> tuple[float, float | None, float | None]:
        """The value to store, checked, with its numerator and denominator when the data gives the base."""
        numerator = denominator = None
        value = round(figure, 2)
        if base is not None:
            denominator = float(base)
            numerator = round(figure * denominator / ratio_value(version.unit, 1, 1), 1)
            value = round(ratio_value(version.unit, numerator, denominator), 2)
        return check_value(value, version.unit, version.value_min, version.value_max, numerator, denominator), \
            numerator, denominator

    def reported_at(self, year: int, number: int, count: int, adopted: datetime) -> datetime:
        """Some weeks after the period ended, never before the adoption was recorded nor after now."""
        month = 12 // count * (number + 1)  # the period's last month
        ended = datetime(year + month // 12, month % 12 + 1, 1)
        return min(max(ended + timedelta(days=40, hours=10), adopted + timedelta(minutes=5 + number)),
                   self.now - timedelta(hours=1))

    # ---- practices ----------------------------------------------------------------------------------------------

    def link(self, title: str, key: str, evidence: str) -> None:
        """A practice declares it improves a KPI, by its donor's referent (skipped when the practice is absent)."""
        practice, definition = self.practices.get(title), self.by_key[key]
        if practice is None or db.session.scalar(select(KpiPracticeLink.id).where(
                KpiPracticeLink.practice_id == practice.id, KpiPracticeLink.definition_id == definition.id)):
            return
        declarer = self.speaker_for(practice.donor)
        if not access.can_link_practice(declarer, practice) or definition.status != DefinitionStatus.PUBLISHED:
            raise ValueError(f"demo data: «{title}» cannot declare it improves «{definition.name}»")
        db.session.add(KpiPracticeLink(practice_id=practice.id, definition_id=definition.id, evidence=evidence,
                                       declared_by_id=declarer.id,
                                       created_at=max(self.at(90), definition.published_at + timedelta(days=3))))
        self.added += 1
