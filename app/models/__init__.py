"""Every model, imported here so that Alembic sees them all."""
from app.models.organization import (  # noqa: F401
    KIND_LABELS,
    PA_KIND_LABELS,
    IpaRegistryEntry,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    PaKind,
    ipa_code_taken,
)
from app.models.user import AffiliationStatus, User  # noqa: F401
