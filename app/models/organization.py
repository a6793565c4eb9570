"""Organisations (public administrations, suppliers, others) and the national IPA registry."""
from __future__ import annotations

import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text, false, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app import geo
from app.extensions import db
from app.links import http_url_or_error
from app.models.base import utcnow

if TYPE_CHECKING:
    from app.models.user import User


def collation_key(text: str | None) -> str:
    """A sort key following Italian dictionary order at its first level: "AgID" < "ANCI" < "Ànzola" < "azienda"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS_APART))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()[:200]


# Letters that Unicode does not decompose but dictionaries sort as their base letters (Œ as "oe", Ø as "o").
_LETTERS_APART = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l",
                                "Đ": "D", "đ": "d"})


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
    # The name as Italian readers sort it (case and accents ignored), kept by set_sort_name: one indexed column
    # gives the same order on SQLite and PostgreSQL, whatever the database's collation.
    sort_name: Mapped[str] = mapped_column(String(200), index=True)
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    pa_kind: Mapped[str | None] = mapped_column(String(32), index=True)
    ipa_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    region_code: Mapped[str | None] = mapped_column(String(2), index=True)
    province_code: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))  # where the seat is: registration searches by it
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

    @validates("name")
    def set_sort_name(self, _key: str, value: str) -> str:
        self.sort_name = collation_key(value)
        return value

    @validates("website")
    def check_website(self, key: str, value: str | None) -> str | None:
        return http_url_or_error(key, value)

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


# The directory and archive filter by kind with one list of PA kinds and non-PA kinds; "other" is in both enums,
# so the PA one takes a value of its own in the list (two options with one value cannot both be chosen).
OTHER_PA_FILTER = "other_administration"


def kind_filter_choices() -> list[tuple[str, str]]:
    """PA kinds, then the non-PA kinds: one option per value."""
    pa = [(OTHER_PA_FILTER if k == PaKind.OTHER else k.value, label) for k, label in PA_KIND_LABELS.items()]
    others = [(k.value, label) for k, label in KIND_LABELS.items() if k != OrganizationKind.PUBLIC_ADMINISTRATION]
    return pa + others


def kind_filter_clause(value: str):
    """The WHERE clause for a value of kind_filter_choices(); an unknown value matches nothing."""
    if value == OTHER_PA_FILTER:
        return (Organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION) & (Organization.pa_kind == PaKind.OTHER)
    if value in {k.value for k in OrganizationKind}:
        return Organization.kind == value
    if value in {k.value for k in PaKind}:
        return (Organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION) & (Organization.pa_kind == value)
    return false()


class IpaRegistryEntry(db.Model):
    """One code of the national IPA list, loaded by `flask organizations load-ipa-codes`."""

    __tablename__ = "ipa_registry_entry"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    code_lower: Mapped[str] = mapped_column(String(16), unique=True)
    # Filled when the loaded list is the IPA open-data table (not a bare list of codes): registration prefills
    # a new organisation's request from them.
    name: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region_code: Mapped[str | None] = mapped_column(String(2))
    province_code: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(300))

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
