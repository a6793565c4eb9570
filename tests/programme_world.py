"""A programme with its staff, a published call with quotas, participants, a public and a restricted event, and a
person in every role the issue 15 matrix names (tests of app/calls/ and app/events/)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (AgendaItem, AgendaSpeaker, CallQuota, Event, EventOrganizer, EventPractice, InterestCall,
                        InterestCandidacy, Programme, ProgrammeParticipant, ProgrammeStaff, Registration)
from app.models.base import utcnow
from tests.conftest import Ref, make_community, make_org, make_practice, make_user, ref


def make_programme(name: str, promoter, staff=(), communities=(), **fields) -> Programme:
    from slugify import slugify

    programme = Programme(name=name, slug=slugify(name), promoter_id=promoter.id if promoter else None,
                          summary=fields.pop("summary", f"Il programma {name}"), **fields)
    programme.communities = list(communities)
    db.session.add(programme)
    db.session.flush()
    for person in staff:
        db.session.add(ProgrammeStaff(programme_id=programme.id, user_id=person.id))
    db.session.flush()
    return programme


def make_call(programme, title: str, quotas: dict[str, int], phase: str = "published", opens_in_days: int = -5,
              closes_in_days: int = 20, fields: list | None = None) -> InterestCall:
    from slugify import slugify

    now = utcnow()
    call = InterestCall(programme_id=programme.id, slug=slugify(title), title=title, phase=phase,
                        description=f"Avviso {title}", opens_at=now + timedelta(days=opens_in_days),
                        closes_at=now + timedelta(days=closes_in_days), fields=fields or [],
                        published_at=now if phase != "draft" else None)
    db.session.add(call)
    db.session.flush()
    for pa_kind, seats in quotas.items():
        db.session.add(CallQuota(call_id=call.id, pa_kind=pa_kind, seats=seats))
    db.session.flush()
    return call


def make_event(title: str, programme=None, status: str = "published", restricted: bool = False, starts_in_days=10,
               organizers=(), communities=(), **fields) -> Event:
    from slugify import slugify

    starts = utcnow().replace(microsecond=0) + timedelta(days=starts_in_days)
    values = dict(kind="round_table", format="online", online_url="https://meet.example.org/tavolo",
                  registration_enabled=True, seats=None)
    values.update(fields)
    event = Event(slug=slugify(title), title=title, status=status, restricted=restricted,
                  programme_id=programme.id if programme else None, starts_at=starts,
                  ends_at=starts + timedelta(hours=3), published_at=utcnow() if status != "draft" else None,
                  **values)
    event.communities = list(communities)
    db.session.add(event)
    db.session.flush()
    for person in organizers:
        db.session.add(EventOrganizer(event_id=event.id, user_id=person.id))
    db.session.flush()
    return event


def make_registration(event, person, status: str = "registered", **fields) -> Registration:
    import secrets

    from app.models import Organization

    organization = db.session.get(Organization, person.organization_id) if person.organization_id else None
    registration = Registration(event_id=event.id, user_id=person.id, organization_id=person.organization_id,
                                pa_kind=organization.pa_kind if organization else None, status=status,
                                code=secrets.token_hex(4).upper(), registered_at=utcnow() if status == "registered"
                                else None, waiting_since=utcnow() if status == "waiting" else None, **fields)
    db.session.add(registration)
    db.session.flush()
    return registration


@dataclass
class ProgrammeWorld:
    programme: Ref
    community: Ref
    call: Ref  # published, window open, quotas: region 1, metropolitan_city 1
    public_event: Ref  # published, public, 10 days ahead, registrations on
    restricted_event: Ref  # published, programme participants only
    draft_event: Ref
    practice: Ref  # presented at the public event
    promoter: Ref  # the promoter organisation (Formez PA)
    region: Ref  # Regione Piemonte: a participant of the programme (selected in an earlier call)
    metro: Ref  # Città metropolitana di Torino: not a participant, eligible to the call
    municipality: Ref  # Comune di Chieri: not eligible to the call (no municipality quota)
    admin: Ref
    staff: Ref  # the programme's staff (of the promoter)
    organizer: Ref  # organiser of the public event only (a facilitator of the community)
    member: Ref  # a member of Chieri, nothing else
    region_referent: Ref
    region_member: Ref
    metro_referent: Ref
    speaker: Ref  # speaker of the restricted event (an outside expert of a supplier)
    attendee: Ref  # registered to the public event (of Chieri)


@pytest.fixture
def progworld(app) -> ProgrammeWorld:
    with app.app_context():
        promoter = make_org("Formez PA", pa_kind="agency", ipa_code="formez", region_code="12", province_code="RM")
        region = make_org("Regione Piemonte", pa_kind="region", ipa_code="r_piemon")
        metro = make_org("Città metropolitana di Torino", pa_kind="metropolitan_city", ipa_code="cmto")
        municipality = make_org("Comune di Chieri", ipa_code="c_c627")
        supplier = make_org("Studio Esperti S.r.l.", kind="supplier", pa_kind=None, ipa_code=None)
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            staff=make_user("staff@formez.example.it", promoter, full_name="Stella Staff"),
            organizer=make_user("organizza@chieri.example.it", municipality, full_name="Olga Organizza"),
            member=make_user("membro@chieri.example.it", municipality, full_name="Mario Membro"),
            region_referent=make_user("referente@regione.example.it", region, is_referent=True,
                                      full_name="Renata Referente"),
            region_member=make_user("membro@regione.example.it", region, full_name="Remo Regione"),
            metro_referent=make_user("referente@cmto.example.it", metro, is_referent=True,
                                     full_name="Marta Metropolitana"),
            speaker=make_user("relatore@esperti.example.it", supplier, full_name="Sergio Relatore"),
            attendee=make_user("iscritta@chieri.example.it", municipality, full_name="Irene Iscritta"),
        )
        community = make_community("Valore pubblico", "open", facilitators=[people["organizer"]],
                                   members=[people["member"], people["region_member"]])
        programme = make_programme("Ask Public Value", promoter, staff=[people["staff"]], communities=[community])
        earlier = make_call(programme, "Primo avviso", {"region": 20}, phase="results", opens_in_days=-90,
                            closes_in_days=-60)
        selected = InterestCandidacy(call_id=earlier.id, organization_id=region.id, pa_kind="region",
                                     status="selected", submitted_at=utcnow(), decided_at=utcnow(),
                                     protocol_number="PROT-1", answers={})
        db.session.add(selected)
        db.session.flush()
        db.session.add(ProgrammeParticipant(programme_id=programme.id, organization_id=region.id,
                                            candidacy_id=selected.id))
        call = make_call(programme, "Avviso Innovation Lab 2027", {"region": 1, "metropolitan_city": 1})
        practice = make_practice("Cruscotto del valore pubblico", community, region)
        public_event = make_event("Tavolo di confronto sul valore pubblico", programme=programme,
                                  organizers=[people["organizer"]], communities=[community], seats=2)
        db.session.add(EventPractice(event_id=public_event.id, practice_id=practice.id))
        restricted_event = make_event("Innovation Lab missione 01", programme=programme, restricted=True,
                                      kind="innovation_lab", starts_in_days=20)
        item = AgendaItem(event_id=restricted_event.id, position=1, title="Apertura dei lavori")
        db.session.add(item)
        db.session.flush()
        db.session.add(AgendaSpeaker(item_id=item.id, user_id=people["speaker"].id))
        draft_event = make_event("Plenaria in preparazione", programme=programme, status="draft", kind="plenary")
        make_registration(public_event, people["attendee"])
        db.session.commit()
        return ProgrammeWorld(programme=ref(programme), community=ref(community), call=ref(call),
                              public_event=ref(public_event), restricted_event=ref(restricted_event),
                              draft_event=ref(draft_event), practice=ref(practice), promoter=ref(promoter),
                              region=ref(region), metro=ref(metro), municipality=ref(municipality),
                              **{k: ref(v) for k, v in people.items()})
