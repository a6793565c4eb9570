"""The library of public-value KPIs (issue 16): reference taxonomies, definitions with versions, adoptions by
administrations with baseline and targets, reported values, the practices that improve a KPI.

Reference terms (budget missions of local authorities and of the State, PIAO sections and sub-sections, BES domains,
SDGs, programmes within missions) are read-only rows loaded by `flask kpi load-reference`, versioned by their
`edition` and validity dates. A definition is the stable identity a KPI keeps across versions; what it says (name,
formula, unit, tags …) lives in its versions, of which the latest is the current one.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.kpi.workflow import DefinitionStatus, FormulaKind, Frequency, Level, Polarity, Typology, ValueStatus
from app.models.base import utcnow
from app.models.community import Community
from app.models.organization import Organization
from app.models.practice import Practice
from app.models.programme import Programme
from app.models.user import User

NAME_MAX = 200
TEXT_MAX = 20_000


class ReferenceScheme:
    MISSION_LOCAL = "mission_local"  # D.Lgs. 118/2011 all. 14: Regions and local authorities (23)
    MISSION_STATE = "mission_state"  # State budget (34)
    PROGRAMME_LOCAL = "programme_local"  # programmes within the local missions (MMPP), loadable from a file
    PIAO_SECTION = "piao_section"
    PIAO_SUBSECTION = "piao_subsection"
    BES_DOMAIN = "bes_domain"
    SDG = "sdg"


class ReferenceTerm(db.Model):
    """One entry of a reference taxonomy, valid from one date to another (None: still valid)."""

    __tablename__ = "kpi_reference_term"
    __table_args__ = (UniqueConstraint("scheme", "code", "valid_from"),
                      Index("ix_kpi_reference_scheme_position", "scheme", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(16))
    label_it: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")
    technical: Mapped[bool] = mapped_column(Boolean, default=False)  # missions 20, 50, 60, 99: no policy KPIs
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_reference_term.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    edition: Mapped[str] = mapped_column(String(120), default="")  # the source and its version
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[ReferenceTerm | None] = relationship(remote_side=[id])

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to >= date.today()


kpi_version_term = Table(
    "kpi_version_term", db.metadata,
    Column("version_id", ForeignKey("kpi_version.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("kpi_reference_term.id"), primary_key=True, index=True),
)


class KpiDefinition(db.Model):
    """A KPI of the library: its identity, status, where it was proposed and by whom; its text is in versions."""

    __tablename__ = "kpi_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # "KPI-0001", given at creation
    status: Mapped[str] = mapped_column(String(16), default=DefinitionStatus.PROPOSED, index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    author_organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("kpi_version.id", use_alter=True, name="fk_kpi_definition_current_version"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_definition.id"))
    review_note: Mapped[str] = mapped_column(Text, default="")  # the reviewers' last note to the proposer
    deprecation_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    deprecated_at: Mapped[datetime | None] = mapped_column(DateTime)
    adoption_count: Mapped[int] = mapped_column(Integer, default=0)  # active adoptions, kept by the services

    community: Mapped[Community | None] = relationship()
    programme: Mapped[Programme | None] = relationship()
    author_organization: Mapped[Organization | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    current_version: Mapped[KpiVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)
    replaced_by: Mapped[KpiDefinition | None] = relationship(remote_side=[id])
    versions: Mapped[list[KpiVersion]] = relationship(
        back_populates="definition", foreign_keys="KpiVersion.definition_id", order_by="KpiVersion.number")

    @property
    def name(self) -> str:
        return self.current_version.name if self.current_version else self.code


class KpiVersion(db.Model):
    """What a KPI says at one version: the record of DPCM 18/9/2012 art. 3 with our taxonomies."""

    __tablename__ = "kpi_version"
    __table_args__ = (UniqueConstraint("definition_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("kpi_definition.id"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    short_name: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # the technical definition, Markdown
    typology: Mapped[str] = mapped_column(String(16), default=Typology.OUTCOME)
    formula_kind: Mapped[str] = mapped_column(String(16), default=FormulaKind.RATIO)
    numerator: Mapped[str] = mapped_column(String(500), default="")
    denominator: Mapped[str] = mapped_column(String(500), default="")
    formula: Mapped[str] = mapped_column(Text, default="")  # the calculation in words (always for "description")
    unit: Mapped[str] = mapped_column(String(16))
    polarity: Mapped[str] = mapped_column(String(16), default=Polarity.HIGHER)
    range_low: Mapped[float | None] = mapped_column(Float)  # the target band, polarity "range"
    range_high: Mapped[float | None] = mapped_column(Float)
    value_min: Mapped[float | None] = mapped_column(Float)  # the admitted values, narrowing the unit's own
    value_max: Mapped[float | None] = mapped_column(Float)
    frequency: Mapped[str] = mapped_column(String(16), default=Frequency.ANNUAL)
    data_source: Mapped[str] = mapped_column(String(500), default="")
    level: Mapped[str] = mapped_column(String(24), default=Level.ANY, index=True)
    piao_subsection_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_reference_term.id"))
    bes_domain_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_reference_term.id"))
    external_code: Mapped[str] = mapped_column(String(40), default="")  # ISTAT BES DATA_TYPE, BDAP code …
    tags: Mapped[list] = mapped_column(JSON, default=list)  # lower-case words, at most 10
    caveat: Mapped[str] = mapped_column(Text, default="")  # what limits comparability
    change_note: Mapped[str] = mapped_column(Text, default="")  # from version 2 on
    breaks_series: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    definition: Mapped[KpiDefinition] = relationship(back_populates="versions", foreign_keys=[definition_id])
    terms: Mapped[list[ReferenceTerm]] = relationship(secondary=kpi_version_term, order_by="ReferenceTerm.position")
    piao_subsection: Mapped[ReferenceTerm | None] = relationship(foreign_keys=[piao_subsection_id])
    bes_domain: Mapped[ReferenceTerm | None] = relationship(foreign_keys=[bes_domain_id])
    created_by: Mapped[User | None] = relationship()

    @property
    def missions(self) -> list[ReferenceTerm]:
        return [t for t in self.terms if t.scheme in ("mission_local", "mission_state", "programme_local")]

    @property
    def sdgs(self) -> list[ReferenceTerm]:
        return [t for t in self.terms if t.scheme == "sdg"]


class KpiChange(db.Model):
    """One step of a definition's life (proposed, taken into review, returned, published, new version …)."""

    __tablename__ = "kpi_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("kpi_definition.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))  # a DefinitionAction, "propose", "edit" or "new_version"
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    version_number: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class KpiComment(db.Model):
    """A message of a definition's discussion thread (Markdown)."""

    __tablename__ = "kpi_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("kpi_definition.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)  # hidden by a reviewer

    author: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()


class KpiAdoption(db.Model):
    """An administration adopts one version of a KPI in a plan (PIAO, DUP, DEFR) of a year."""

    __tablename__ = "kpi_adoption"
    __table_args__ = (UniqueConstraint("definition_id", "organization_id", "plan_kind", "plan_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("kpi_definition.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("kpi_version.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    plan_kind: Mapped[str] = mapped_column(String(8))
    plan_year: Mapped[int] = mapped_column(Integer)  # the first year of the triennium
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_1: Mapped[float | None] = mapped_column(Float)  # plan_year
    target_2: Mapped[float | None] = mapped_column(Float)  # plan_year + 1
    target_3: Mapped[float | None] = mapped_column(Float)  # plan_year + 2
    responsible_office: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    open_data: Mapped[bool] = mapped_column(Boolean, default=False)  # final values in the open-data export
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once withdrawn
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    adopted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    definition: Mapped[KpiDefinition] = relationship()
    version: Mapped[KpiVersion] = relationship()
    organization: Mapped[Organization] = relationship()
    adopted_by: Mapped[User | None] = relationship()
    values: Mapped[list[KpiValue]] = relationship(back_populates="adoption", order_by="KpiValue.period")

    def target_for(self, year: int) -> float | None:
        offset = year - self.plan_year
        return {0: self.target_1, 1: self.target_2, 2: self.target_3}.get(offset)


class KpiValue(db.Model):
    """A value an administration reports for one period of an adopted KPI."""

    __tablename__ = "kpi_value"
    __table_args__ = (UniqueConstraint("adoption_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("kpi_adoption.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))  # "2025", "2025-S1", "2025-Q3", "2025-07"
    year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default=ValueStatus.PROVISIONAL)
    source_note: Mapped[str] = mapped_column(String(500), default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    adoption: Mapped[KpiAdoption] = relationship(back_populates="values")
    reported_by: Mapped[User | None] = relationship()


class KpiPracticeLink(db.Model):
    """A practice declares that it improves a KPI, with its evidence."""

    __tablename__ = "kpi_practice_link"
    __table_args__ = (UniqueConstraint("practice_id", "definition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("kpi_definition.id"), index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")  # Markdown: what changed, measured how
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    practice: Mapped[Practice] = relationship()
    definition: Mapped[KpiDefinition] = relationship()
    declared_by: Mapped[User | None] = relationship()
