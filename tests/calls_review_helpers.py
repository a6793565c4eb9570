"""Candidacies written directly for the tests of the staff's examination and of the calls' permission matrix
(issue 15): a candidacy in any status, with its signed document stored, its protocol and a working-group contact."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

from flask import current_app

from app.extensions import db
from app.models import (CandidacyChange, CandidacyContact, CandidacyDocument, InterestCandidacy,
                        ProgrammeParticipant)
from app.models.base import utcnow
from app.uploads import store
from tests.conftest import make_org, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_candidacy(call_id: int, organization, status: str = "submitted", minutes_ago: int = 60, **fields):
    """A candidacy of `organization` to the call in `status`, its signed PDF stored under UPLOAD_FOLDER."""
    moment = utcnow() - timedelta(minutes=minutes_ago)
    values = dict(protocol_number=f"PROT-{organization.id}-2027", protocol_date=date.today() - timedelta(days=3),
                  answers={}, submitted_at=None if status == "draft" else moment,
                  waiting_since=moment if status == "waiting" else None,
                  decided_at=moment if status in ("admissible", "inadmissible", "selected", "waiting",
                                                  "not_selected") else None)
    values.update(fields)
    candidacy = InterestCandidacy(call_id=call_id, organization_id=organization.id, pa_kind=organization.pa_kind,
                                  status=status, created_at=moment, **values)
    db.session.add(candidacy)
    db.session.flush()
    key = store(PDF, Path(current_app.config["UPLOAD_FOLDER"]))
    db.session.add(CandidacyDocument(candidacy_id=candidacy.id, role="signed", storage_key=key,
                                     original_name=f"candidatura-{organization.slug}.pdf",
                                     mimetype="application/pdf", size=len(PDF),
                                     sha256=hashlib.sha256(PDF).hexdigest()))
    db.session.add(CandidacyContact(candidacy_id=candidacy.id, position=0, full_name=f"Gruppo {organization.name}",
                                    role="Referente tecnico", email=f"gruppo@{organization.slug}.example.it"))
    if status != "draft":
        db.session.add(CandidacyChange(candidacy_id=candidacy.id, action="submit", from_status="draft",
                                       to_status="submitted", note="", created_at=moment))
    if status == "selected":
        from app.models import InterestCall

        call = db.session.get(InterestCall, call_id)
        db.session.add(ProgrammeParticipant(programme_id=call.programme_id, organization_id=organization.id,
                                            candidacy_id=candidacy.id))
    db.session.flush()
    return candidacy


def another_region(name: str = "Regione Lombardia", code: str = "r_lombar", email: str = "referente@lombardia.it"):
    """A second region with its referent (the call's region quota has one seat)."""
    region = make_org(name, pa_kind="region", ipa_code=code)
    referent = make_user(email, region, is_referent=True, full_name=f"Referente {name}")
    return region, referent
