"""The call's rules that calls, candidacies and their pages share: who may candidate, and whether the closing moment
is past. No Flask."""
from __future__ import annotations

from app.models import OrganizationKind
from app.models.base import utcnow


def organization_eligible(call, organization) -> bool:
    """A public administration of one of the call's kinds (no kind listed: every public administration)."""
    return (organization is not None and organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION
            and organization.is_active
            and (not call.eligible_pa_kinds or organization.pa_kind in call.eligible_pa_kinds))


def deadline_passed(call) -> bool:
    """The closing moment (UTC) is past, whatever the phase."""
    return call.closes_at is not None and utcnow() >= call.closes_at
