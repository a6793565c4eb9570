"""Organisations (public administrations, suppliers, others) and the national IPA registry."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import geo
from app.extensions import db
from app.models.base import utcnow

if TYPE_CHECKING:
    from app.models.user import User


class OrganizationKind(StrEnum):
    PUBLIC_ADMINISTRATION = "public_administration"
    SUPPLIER = "supplier"
    OTHER = "other"


class PaKind(StrEnum):
    REGION = "region"
    PROVINCE = "province"
    METROPOLITAN_CITY = "metropolitan_city"
    MUNICIPALITY = "municipality"
    UNION_OF_MUNICIPALITIES = "union_of_municipalities"
    HEALTH_AUTHORITY = "health_authority"
    UNIVERSITY = "university"
    AGENCY = "agency"
    CENTRAL_ADMINISTRATION = "central_administration"
    OTHER = "other"


class OrganizationStatus(StrEnum):
    PENDING = "pending"  # asked for at registration, waiting for an administrator
    ACTIVE = "active"
    REJECTED = "rejected"


KIND_LABELS = {
    OrganizationKind.PUBLIC_ADMINISTRATION: _l("Pubblica amministrazione"),
    OrganizationKind.SUPPLIER: _l("Fornitore"),
    OrganizationKind.OTHER: _l("Altro soggetto"),
}

PA_KIND_LABELS = {
    PaKind.REGION: _l("Regione"),
    PaKind.PROVINCE: _l("Provincia"),
    PaKind.METROPOLITAN_CITY: _l("Città metropolitana"),
    PaKind.MUNICIPALITY: _l("Comune"),
    PaKind.UNION_OF_MUNICIPALITIES: _l("Unione di comuni"),
    PaKind.HEALTH_AUTHORITY: _l("Azienda sanitaria"),
    PaKind.UNIVERSITY: _l("Università"),
    PaKind.AGENCY: _l("Agenzia"),
    PaKind.CENTRAL_ADMINISTRATION: _l("Amministrazione centrale"),
    PaKind.OTHER: _l("Altra amministrazione"),
}


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    pa_kind: Mapped[str | None] = mapped_column(String(32), index=True)
    ipa_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    region_code: Mapped[str | None] = mapped_column(String(2), index=True)
    province_code: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=OrganizationStatus.ACTIVE, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", use_alter=True))

    people: Mapped[list[User]] = relationship(
        back_populates="organization", foreign_keys="User.organization_id", lazy="select"
    )

    @property
    def is_public_administration(self) -> bool:
        return self.kind == OrganizationKind.PUBLIC_ADMINISTRATION

    @property
    def is_active(self) -> bool:
        return self.status == OrganizationStatus.ACTIVE

    @property
    def kind_label(self) -> str:
        if self.is_public_administration and self.pa_kind:
            return str(PA_KIND_LABELS.get(self.pa_kind, self.pa_kind))
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def region_name(self) -> str | None:
        return geo.region_name(self.region_code) if self.region_code else None

    @property
    def province_name(self) -> str | None:
        return geo.province_name(self.province_code) if self.province_code else None

    def __repr__(self) -> str:
        return f"<Organization {self.slug}>"


class IpaRegistryEntry(db.Model):
    """One code of the national IPA list, loaded by `flask organizations load-ipa-codes`."""

    __tablename__ = "ipa_registry_entry"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    code_lower: Mapped[str] = mapped_column(String(16), unique=True)

    @staticmethod
    def registry_loaded() -> bool:
        return db.session.execute(select(IpaRegistryEntry.code).limit(1)).first() is not None

    @staticmethod
    def canonical(code: str) -> str | None:
        """The code as the registry spells it, or None when it is not in the registry."""
        return db.session.execute(
            select(IpaRegistryEntry.code).where(IpaRegistryEntry.code_lower == code.strip().lower())
        ).scalar_one_or_none()


def ipa_code_taken(code: str, exclude_id: int | None = None) -> bool:
    """True when another organisation already holds this IPA code (compared without case)."""
    query = select(Organization.id).where(func.lower(Organization.ipa_code) == code.strip().lower())
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    return db.session.execute(query.limit(1)).first() is not None
