"""Good practices, their co-donors and tags, and the versioned reuse kit with its maintenance log."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.links import http_url_or_error
from app.models.base import utcnow
from app.models.community import Community
from app.models.organization import Organization
from app.models.user import User
from app.practices.workflow import PracticeStatus

if TYPE_CHECKING:
    from app.models.reuse import Adoption  # app.models.reuse imports this module

# Missions of the harmonised public budget classification (D.Lgs. 118/2011, annex 14).
BUDGET_MISSIONS = {
    "01": _l("Servizi istituzionali, generali e di gestione"),
    "02": _l("Giustizia"),
    "03": _l("Ordine pubblico e sicurezza"),
    "04": _l("Istruzione e diritto allo studio"),
    "05": _l("Tutela e valorizzazione dei beni e delle attività culturali"),
    "06": _l("Politiche giovanili, sport e tempo libero"),
    "07": _l("Turismo"),
    "08": _l("Assetto del territorio ed edilizia abitativa"),
    "09": _l("Sviluppo sostenibile e tutela del territorio e dell'ambiente"),
    "10": _l("Trasporti e diritto alla mobilità"),
    "11": _l("Soccorso civile"),
    "12": _l("Diritti sociali, politiche sociali e famiglia"),
    "13": _l("Tutela della salute"),
    "14": _l("Sviluppo economico e competitività"),
    "15": _l("Politiche per il lavoro e la formazione professionale"),
    "16": _l("Agricoltura, politiche agroalimentari e pesca"),
    "17": _l("Energia e diversificazione delle fonti energetiche"),
    "18": _l("Relazioni con le altre autonomie territoriali e locali"),
    "19": _l("Relazioni internazionali"),
    "20": _l("Fondi e accantonamenti"),
    "50": _l("Debito pubblico"),
    "60": _l("Anticipazioni finanziarie"),
    "99": _l("Servizi per conto terzi"),
}

PRACTICE_KINDS = {"organisational": _l("Organizzativa o procedurale"), "software": _l("Software")}

# The sections of a reuse kit, in the order a reuser reads them.
KIT_SECTIONS = {
    "context": _l("Contesto e obiettivi"),
    "organisation": _l("Modello organizzativo"),
    "acts": _l("Atti amministrativi (delibere, convenzioni, modelli)"),
    "technical": _l("Documentazione tecnica"),
    "training": _l("Materiali di formazione"),
    "deployment_plan": _l("Piano di dispiegamento"),
    "costs": _l("Costi e risorse"),
    "licence": _l("Licenza e condizioni di riuso"),
    "maintenance": _l("Manutenzione (chi, come, fino a quando)"),
}

practice_co_donor = Table(
    "practice_co_donor", db.metadata,
    Column("practice_id", ForeignKey("practice.id"), primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), primary_key=True),
)


class Practice(db.Model):
    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="organisational")
    status: Mapped[str] = mapped_column(String(16), default=PracticeStatus.DRAFT, index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    theme: Mapped[str] = mapped_column(String(32), index=True)
    mission: Mapped[str | None] = mapped_column(String(2), index=True)
    region_code: Mapped[str | None] = mapped_column(String(2), index=True)
    start_year: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    repository_url: Mapped[str | None] = mapped_column(String(300))
    licence: Mapped[str | None] = mapped_column(String(100), index=True)
    publiccode: Mapped[dict | None] = mapped_column(JSON)  # software metadata, as kept from publiccode.yml
    # Kept from the latest published kit version, so that listings filter and sort without joins.
    kit_completeness: Mapped[int] = mapped_column(Integer, default=0, index=True)
    # Written by the evaluation area when a call's decisions are published (issue 13): the badge's data, read by
    # the archive, search and the publiccode.yml export without importing that area.
    # [{"call": "<slug>", "title": "<call title>", "year": 2026, "outcome": "recognised" | "special_mention"}]
    recognitions: Mapped[list] = mapped_column(JSON, default=list)
    recognised: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    kit_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    community: Mapped[Community] = relationship()
    donor: Mapped[Organization] = relationship(foreign_keys=[donor_id])
    co_donors: Mapped[list[Organization]] = relationship(secondary=practice_co_donor, order_by=Organization.sort_name)
    tags: Mapped[list[PracticeTag]] = relationship(back_populates="practice", cascade="all, delete-orphan",
                                                   order_by="PracticeTag.name")

    @validates("website", "repository_url")
    def check_address(self, key: str, value: str | None) -> str | None:
        return http_url_or_error(key, value)

    @property
    def donor_ids(self) -> set[int]:
        return {self.donor_id} | {o.id for o in self.co_donors}

    @property
    def mission_label(self) -> str:
        return str(BUDGET_MISSIONS.get(self.mission, "")) if self.mission else ""

    def __repr__(self) -> str:
        return f"<Practice {self.slug}>"


class PracticeTag(db.Model):
    __tablename__ = "practice_tag"
    __table_args__ = (UniqueConstraint("practice_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    name: Mapped[str] = mapped_column(String(50), index=True)

    practice: Mapped[Practice] = relationship(back_populates="tags")


class KitVersion(db.Model):
    """One version of a practice's reuse kit. At most one is a draft (the donors' working copy); published ones
    never change, so what a reuser relied on stays readable."""

    __tablename__ = "kit_version"
    __table_args__ = (UniqueConstraint("practice_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    label: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    changelog: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    author: Mapped[User | None] = relationship()
    sections: Mapped[list[KitSection]] = relationship(back_populates="version", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                         order_by="Attachment.id")

    def attachments_by_section(self) -> dict[str, list[Attachment]]:
        grouped: dict[str, list[Attachment]] = {key: [] for key in KIT_SECTIONS}
        for attachment in self.attachments:
            grouped.setdefault(attachment.section, []).append(attachment)
        return grouped

    def section_bodies(self) -> dict[str, str]:
        bodies = {key: "" for key in KIT_SECTIONS}
        bodies.update({s.key: s.body for s in self.sections})
        return bodies

    @property
    def completeness(self) -> int:
        # A section counts as filled when it has text or at least one document.
        with_files = {a.section for a in self.attachments}
        filled = sum(1 for key, body in self.section_bodies().items() if body.strip() or key in with_files)
        return round(100 * filled / len(KIT_SECTIONS))


class KitSection(db.Model):
    __tablename__ = "kit_section"
    __table_args__ = (UniqueConstraint("kit_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_version_id: Mapped[int] = mapped_column(ForeignKey("kit_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[KitVersion] = relationship(back_populates="sections")


class MaintenanceEntry(db.Model):
    """The maintenance log of a kit: who updated what, when."""

    __tablename__ = "kit_maintenance_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text)
    # The adoption an entry announces (a deployment record): shown only to those who may see that adoption.
    adoption_id: Mapped[int | None] = mapped_column(ForeignKey("adoption.id"), index=True)

    author: Mapped[User | None] = relationship()
    adoption: Mapped[Adoption | None] = relationship()


class Attachment(db.Model):
    """A file of a kit section. The bytes live outside static/ under a random name; a draft made from a published
    version shares its files, so deleting from the draft never removes what a published version points to."""

    __tablename__ = "kit_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_version_id: Mapped[int] = mapped_column(ForeignKey("kit_version.id"), index=True)
    section: Mapped[str] = mapped_column(String(30))
    storage_key: Mapped[str] = mapped_column(String(80), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    version: Mapped[KitVersion] = relationship(back_populates="attachments")
