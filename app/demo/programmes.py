"""Demo programmes, calls and events (issue 15, point 7): Ask Public Value, PerForma PA and Province & Comuni with a
call in each state (draft; published with the window open; published with the window closed and candidacies in
every status; results published), the selected administrations within the quotas and a waiting list, the
programmes' participants, two past round tables held with report, recording, materials and attendance, an upcoming
restricted Innovation Lab with its seats full and a waiting list, and a public webinar.

Rows are written with the models directly (services would notify people and stamp "now"), backdated from today, and
every candidacy's moves are replayed through app/calls/workflow.py and every registration through the seat
arithmetic of app/events/workflow.py, so the demo never shows a state the application would refuse. A programme,
call or event already there (by its slug) is left alone: loading again changes nothing.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from slugify import slugify
from sqlalchemy import select

from app.activity.services import record
from app.calls.workflow import (CallPhase, CandidacyAction, CandidacyFacts, CandidacyRole, CandidacyStatus,
                                candidacy_transition, window_state)
from app.demo import programme_data as data
from app.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from app.demo.indicator_data import FIRST_NAMES, SURNAMES
from app.events.workflow import RegistrationStatus, Seats, fits
from app.extensions import db
from app.models import (AgendaItem, AgendaSpeaker, CallQuota, CandidacyChange, CandidacyContact, CandidacyDocument,
                        Community, Event, EventDocument, EventOrganizer, EventPractice, InterestCall,
                        InterestCandidacy, Organization, OrganizationStatus, Practice, Programme,
                        ProgrammeParticipant, ProgrammeStaff, Registration, SeatReservation, User)
from app.organizations.services import unique_slug
from app.uploads import delete_stored, store

ROME = ZoneInfo("Europe/Rome")
A, S = CandidacyAction, CandidacyStatus
# The moves that lead a candidacy from draft to its final status.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [A.SUBMIT],
    S.ADMISSIBLE: [A.SUBMIT, A.ADMIT],
    S.INADMISSIBLE: [A.SUBMIT, A.REJECT],
    S.SELECTED: [A.SUBMIT, A.ADMIT, A.SELECT],
    S.WAITING: [A.SUBMIT, A.ADMIT, A.WAIT_LIST],
    S.NOT_SELECTED: [A.SUBMIT, A.ADMIT, A.NOT_SELECT],
    S.WITHDRAWN: [A.SUBMIT, A.WITHDRAW],
}
FIELDS = {"apv": data.APV_FIELDS, "performa": data.PERFORMA_FIELDS}


def load_programmes() -> int:
    """Add what is missing of the demo programmes, calls and events in one transaction; how many were added."""
    demo = _Demo()
    stored: list[str] = []
    try:
        added = sum(demo.programme(item) for item in data.PROGRAMMES)
        added += sum(demo.call(item, stored) for item in data.CALLS)
        added += sum(demo.event(item, stored) for item in data.EVENTS)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key in stored:  # files of rows that were never committed
            delete_stored(demo.root, key)
        raise
    return added


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid PDF of one A4 page with a title and a few lines of text (Helvetica, Latin-1)."""
    def text(value: str) -> str:
        return value.encode("latin-1", "replace").decode("latin-1").replace("\\", "\\\\").replace(
            "(", "\\(").replace(")", "\\)")

    rows = [f"BT /F1 18 Tf 56 780 Td ({text(title)}) Tj ET"]
    rows += [f"BT /F1 11 Tf 56 {748 - 18 * n} Td ({text(line)}) Tj ET" for n, line in enumerate(lines)]
    stream = "\n".join(rows).encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class _Demo:
    """What the loader looks things up in, and today's date in Rome that its "days from today" count from."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.today = datetime.now(ROME).date()
        self.root = Path(current_app.config["UPLOAD_FOLDER"])
        self.organizations = {o.name: o for o in db.session.scalars(select(Organization))}
        self.people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))
                       if u.email.endswith("@" + DEMO_EMAIL_DOMAIN)}
        self.communities = {c.slug: c for c in db.session.scalars(select(Community))}
        self.practices = {p.title: p for p in db.session.scalars(select(Practice))}
        self.programmes = {p.slug: p for p in db.session.scalars(select(Programme))}
        self.contacts = 0
        self._organizations()
        self._people()

    def at(self, days: int, clock: str = "10:00") -> datetime:
        """The naive UTC moment of `clock` in Rome, `days` days from today."""
        hour, minute = (int(part) for part in clock.split(":"))
        local = datetime.combine(self.today + timedelta(days=days), time(hour, minute), tzinfo=ROME)
        return local.astimezone(UTC).replace(tzinfo=None)

    def organization(self, name: str) -> Organization:
        if name not in self.organizations:
            raise ValueError(f"demo data: no organisation named {name}")
        return self.organizations[name]

    def person(self, local: str) -> User:
        if local not in self.people:
            raise ValueError(f"demo data: no demo person {local}")
        return self.people[local]

    def _organizations(self) -> None:
        """The promoters the directory does not have yet."""
        for name, kind, pa_kind, code, region, province, website, description in data.NEW_ORGANIZATIONS:
            if name in self.organizations:
                continue
            organization = Organization(name=name, slug=unique_slug(name), kind=kind, pa_kind=pa_kind, ipa_code=code,
                                        region_code=region, province_code=province, website=website,
                                        description=description, status=OrganizationStatus.ACTIVE)
            db.session.add(organization)
            db.session.flush()
            self.organizations[name] = organization

    def _people(self) -> None:
        """The promoters' staff, active with the demo password."""
        password_hash = next((u.password_hash for u in self.people.values() if u.password_hash), None)
        when = self.at(-480)
        for local, full_name, organization, job in data.NEW_PEOPLE:
            if local in self.people:
                continue
            if password_hash is None:
                from app.auth.passwords import hash_password

                password_hash = hash_password(DEMO_PASSWORD)
            person = User(email=f"{local}@{DEMO_EMAIL_DOMAIN}", full_name=full_name, job_title=job,
                          password_hash=password_hash, organization=self.organization(organization),
                          affiliation_status="active", is_referent=True, email_confirmed_at=when, approved_at=when,
                          created_at=when)
            db.session.add(person)
            db.session.flush()
            self.people[local] = person

    # ---- programmes -------------------------------------------------------------------------------------------

    def programme(self, item: dict) -> int:
        """A programme with its communities and staff."""
        if item["slug"] in self.programmes:
            return 0
        created = self.at(item["starts"] - 30, "09:00")
        programme = Programme(slug=item["slug"], name=item["name"], summary=item["summary"],
                              description=item["description"], promoter_id=self.organization(item["promoter"]).id,
                              starts_on=self.today + timedelta(days=item["starts"]),
                              ends_on=self.today + timedelta(days=item["ends"]), website=item["website"],
                              created_by_id=self._admin_id(), created_at=created, updated_at=created)
        programme.communities = [self.communities[slug] for slug in item["communities"] if slug in self.communities]
        db.session.add(programme)
        db.session.flush()
        for local in item["staff"]:
            db.session.add(ProgrammeStaff(programme_id=programme.id, user_id=self.person(local).id,
                                          added_by_id=self._admin_id(), added_at=created))
        self.programmes[programme.slug] = programme
        return 1

    def _admin_id(self) -> int | None:
        admin = self.people.get("admin")
        return admin.id if admin else None

    def staff(self, programme: Programme) -> User:
        first = db.session.scalar(select(ProgrammeStaff).where(ProgrammeStaff.programme_id == programme.id)
                                  .order_by(ProgrammeStaff.id))
        return first.user

    # ---- calls and candidacies -----------------------------------------------------------------------------------

    def call(self, item: dict, stored: list[str]) -> int:
        """A call with its quotas and its candidacies, each moved through the workflow to its final status."""
        if db.session.scalar(select(InterestCall.id).where(InterestCall.slug == item["slug"])) is not None:
            return 0
        programme = self.programmes[item["programme"]]
        staff = self.staff(programme)
        opens, closes = self.at(item["opens"], "09:00"), self.at(item["closes"], "18:00")
        created = self.at(item["opens"] - 15, "11:00")
        call = InterestCall(programme_id=programme.id, slug=item["slug"], title=item["title"],
                            description=item["description"], phase=CallPhase.PUBLISHED, opens_at=opens,
                            closes_at=closes, fields=FIELDS[item["fields"]], created_by_id=staff.id,
                            created_at=created, updated_at=created,
                            published_at=self.at(item["opens"] - 5, "12:00") if item["phase"] != "draft" else None)
        call.quotas = [CallQuota(pa_kind=kind, seats=seats) for kind, seats in item["quotas"].items()]
        db.session.add(call)
        db.session.flush()
        selected: dict[str, int] = {}
        for index, (name, status, note) in enumerate(item["candidacies"]):
            self._candidacy(call, item, index, self.organization(name), status, note, staff, selected, stored)
        call.phase = item["phase"]
        if item["phase"] == CallPhase.RESULTS:
            call.results_published_at = self.at(item["results"], "12:00")
            call.updated_at = call.results_published_at
        return 1

    def _candidacy(self, call, item, index, organization, status, note, staff, selected, stored) -> None:
        people = sorted((p for p in self.people.values() if p.organization_id == organization.id
                         and p.affiliation_status == "active"), key=lambda p: (not p.is_referent, p.id))
        referent = next((p for p in people if p.is_referent), None)
        span = max(1, min(item["closes"], 0) - item["opens"] - 1)
        submit_day = min(item["opens"] + 1 + index % span, -1)
        started = self.at(submit_day - 3, "09:30")
        candidacy = InterestCandidacy(
            call_id=call.id, organization_id=organization.id, pa_kind=organization.pa_kind, status=S.DRAFT,
            answers=self._answers(call, organization), created_by_id=referent.id if referent else None,
            created_at=started, updated_at=started)
        db.session.add(candidacy)
        db.session.flush()
        self._working_group(candidacy, organization, people)
        quota = call.quota_for(organization.pa_kind)
        decided = {A.ADMIT: item["closes"] + 2, A.REJECT: item["closes"] + 2}
        for action in PATHS[S(status)]:
            if action == A.SUBMIT:
                when = self.at(submit_day, "11:%02d" % (index % 60))
                self._signed(candidacy, organization, referent, when, stored)
            elif action == A.WITHDRAW:
                when = self.at(submit_day + 1, "16:00")
            else:
                when = self.at(decided.get(action, item["closes"] + 5), "10:%02d" % (index % 60))
            role = CandidacyRole.CANDIDATE if action in (A.SUBMIT, A.WITHDRAW) else CandidacyRole.STAFF
            free = (quota.seats - selected.get(organization.pa_kind, 0)) if quota else 0
            facts = CandidacyFacts(call_phase=CallPhase.PUBLISHED, window=window_state(call.opens_at, call.closes_at,
                                                                                       when),
                                   eligible=quota is not None, seats_free=free, reason=note)
            target = candidacy_transition(candidacy.status, action, role, facts)  # raises if the rules refuse
            actor = referent if role == CandidacyRole.CANDIDATE else staff
            db.session.add(CandidacyChange(candidacy_id=candidacy.id, action=action, from_status=candidacy.status,
                                           to_status=target, actor_id=actor.id if actor else None,
                                           note=note if role == CandidacyRole.STAFF else "", created_at=when))
            candidacy.status, candidacy.updated_at = target, when
            if action == A.SUBMIT:
                candidacy.submitted_at, candidacy.submitted_by_id = when, referent.id if referent else None
            elif action == A.WITHDRAW:
                candidacy.withdrawn_at = when
            else:
                candidacy.decided_at, candidacy.decided_by_id = when, staff.id
                candidacy.reason = note
            candidacy.waiting_since = when if target == S.WAITING else None
            if target == S.SELECTED:
                selected[organization.pa_kind] = selected.get(organization.pa_kind, 0) + 1
                db.session.add(ProgrammeParticipant(programme_id=call.programme_id, organization_id=organization.id,
                                                    candidacy_id=candidacy.id, joined_at=when, added_by_id=staff.id))

    def _answers(self, call, organization) -> dict:
        answers = {}
        for field in call.fields:
            if field["kind"] == "choice":
                answers[field["key"]] = field["choices"][0]
            elif field["kind"] == "number":
                answers[field["key"]] = 3
            elif field["kind"] == "checkbox":
                answers[field["key"]] = True
            elif field["key"] == "practice":
                answers[field["key"]] = next((p.title for p in self.practices.values()
                                              if p.donor_id == organization.id), f"Il PIAO di {organization.name}")
            else:
                answers[field["key"]] = (f"{organization.name} collega gli obiettivi del PIAO a indicatori di impatto "
                                         "misurati ogni anno e vuole confrontarli con le altre amministrazioni.")
        return answers

    def _working_group(self, candidacy, organization, people) -> None:
        """Two contacts: the organisation's own people when it has some, otherwise names without an account."""
        for position in range(2):
            role = data.CONTACT_ROLES[(self.contacts + position) % len(data.CONTACT_ROLES)]
            if position < len(people):
                person = people[position]
                contact = CandidacyContact(full_name=person.full_name, role=person.job_title or role,
                                           email=person.email, user_id=person.id)
            else:
                self.contacts += 1
                first = FIRST_NAMES[(self.contacts * 7) % len(FIRST_NAMES)]
                last = SURNAMES[(self.contacts * 11) % len(SURNAMES)]
                contact = CandidacyContact(full_name=f"{first} {last}", role=role)
            contact.candidacy_id, contact.position = candidacy.id, position
            db.session.add(contact)

    def _signed(self, candidacy, organization, referent, when, stored) -> None:
        """The signed, protocolled candidacy form."""
        day = when.replace(tzinfo=UTC).astimezone(ROME).date()
        candidacy.protocol_number = f"{day.year}/{(candidacy.id * 7919) % 100000:05d}"
        candidacy.protocol_date = day
        content = minimal_pdf("Modulo di candidatura", [
            candidacy.call.title if candidacy.call else "", organization.name,
            f"Protocollo n. {candidacy.protocol_number} del {day.strftime('%d/%m/%Y')}",
            "Firmato digitalmente dal vertice amministrativo."])
        db.session.add(CandidacyDocument(
            candidacy_id=candidacy.id, role="signed", storage_key=self._store(content, stored),
            original_name=f"candidatura-{slugify(organization.name)}-firmata.pdf"[:200], mimetype="application/pdf",
            size=len(content), sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by_id=referent.id if referent else None, created_at=when))

    def _store(self, content: bytes, stored: list[str]) -> str:
        key = store(content, self.root)
        stored.append(key)
        return key

    # ---- events -------------------------------------------------------------------------------------------------

    def event(self, item: dict, stored: list[str]) -> int:
        """An event with its communities, agenda, practices, seats, registrations and, once held, its outcome."""
        if db.session.scalar(select(Event.id).where(Event.slug == item["slug"])) is not None:
            return 0
        programme = self.programmes[item["programme"]]
        organizers = [self.person(local) for local in item["organizers"]]
        day = item["day"]
        published = self.at(day - 30, "12:00")
        starts, ends = self.at(day, item["start"]), self.at(day, item["end"])
        event = Event(slug=item["slug"], title=item["title"], summary=item["summary"], description=item["description"],
                      kind=item["kind"], format=item["format"], place=item["place"], online_url=item["online_url"],
                      starts_at=starts, ends_at=ends, status="published", restricted=item["restricted"],
                      programme_id=programme.id, organizer_organization_id=programme.promoter_id,
                      missions=list(item["missions"]), registration_enabled=True, seats=item["seats"],
                      terms=item.get("terms", ""), published_at=published, created_by_id=organizers[0].id,
                      created_at=published - timedelta(days=3), updated_at=published)
        event.communities = [self.communities[slug] for slug in item["communities"] if slug in self.communities]
        db.session.add(event)
        db.session.flush()
        for person in organizers:
            db.session.add(EventOrganizer(event_id=event.id, user_id=person.id))
        reserved = item.get("reserved", {})
        for kind, seats in reserved.items():
            db.session.add(SeatReservation(event_id=event.id, pa_kind=kind, seats=seats))
        for position, (clock, title, speakers) in enumerate(item["agenda"], start=1):
            agenda = AgendaItem(event_id=event.id, position=position, starts_at=self.at(day, clock), title=title)
            agenda.speakers = [AgendaSpeaker(user_id=self.person(local).id) for local in speakers]
            db.session.add(agenda)
        for title in item["practices"]:
            if title in self.practices:
                db.session.add(EventPractice(event_id=event.id, practice_id=self.practices[title].id))
        self._registrations(event, item, Seats(item["seats"], reserved), published)
        if not item["restricted"]:  # restricted events never make activity records
            for community in event.communities:
                record("event.published", actor=organizers[0], community=community, object_type="event",
                       object_id=event.id, object_label=event.title).created_at = published
        if item["status"] == "held":
            self._held(event, item, organizers[0], stored)
        return 1

    def _registrations(self, event, item, seats: Seats, published: datetime) -> None:
        """In the order people registered: a seat while one fits them, else the waiting list; then cancellations
        (of people on the waiting list: no seat is freed)."""
        counts: dict[str | None, int] = {}
        last = min(item["day"], 0)
        for index, local in enumerate(item["registrations"]):
            person = self.person(local)
            kind = person.organization.pa_kind if person.organization else None
            when = min(published + timedelta(days=1 + index // 2, hours=index % 5), self.at(last - 1, "18:00"))
            seated = fits(seats, counts, kind)
            if seated:
                counts[kind] = counts.get(kind, 0) + 1
            registration = Registration(
                event_id=event.id, user_id=person.id, organization_id=person.organization_id, pa_kind=kind,
                status=RegistrationStatus.REGISTERED if seated else RegistrationStatus.WAITING,
                code=hashlib.sha256(f"{event.slug}/{local}".encode()).hexdigest()[:8].upper(),
                public_attendance=local in item.get("public_attendance", ()),
                accepted_terms_at=when if event.terms else None, registered_at=when if seated else None,
                waiting_since=None if seated else when, created_at=when, updated_at=when)
            if local in item.get("cancelled", ()):
                if seated:
                    raise ValueError(f"demo data: {local} would free a seat of {event.slug}")
                registration.status, registration.waiting_since = RegistrationStatus.CANCELLED, None
                registration.cancelled_at = registration.updated_at = when + timedelta(days=2)
            db.session.add(registration)
        db.session.flush()

    def _held(self, event, item, organizer: User, stored: list[str]) -> None:
        """Closed the day after with the report, the recording, the materials and the attendance."""
        closed = event.ends_at + timedelta(days=1)
        attended = set(item["attended"])
        count = 0
        for registration in db.session.scalars(select(Registration).where(Registration.event_id == event.id)):
            local = registration.user.email.split("@")[0]
            if local in attended:
                if registration.status != RegistrationStatus.REGISTERED:
                    raise ValueError(f"demo data: {local} attended {event.slug} without a seat")
                registration.attended, registration.attendance_by_id = True, organizer.id
                registration.attended_at = event.starts_at + timedelta(minutes=10)
                count += 1
        event.status, event.report, event.recording_url = "held", item["report"], item["recording"]
        event.attendees_count, event.closed_at, event.closed_by_id = count, closed, organizer.id
        event.updated_at = closed
        for role, title, name in item["documents"]:
            content = minimal_pdf(title, [event.title, self._rome(event.starts_at), "Materiali del tavolo di "
                                          "confronto, pubblicati dopo l'incontro."])
            db.session.add(EventDocument(event_id=event.id, role=role, title=title,
                                         storage_key=self._store(content, stored), original_name=name,
                                         mimetype="application/pdf", size=len(content),
                                         sha256=hashlib.sha256(content).hexdigest(), uploaded_by_id=organizer.id,
                                         created_at=closed))
        for community in event.communities:
            record("event.held", actor=organizer, community=community, object_type="event", object_id=event.id,
                   object_label=event.title).created_at = closed

    @staticmethod
    def _rome(moment: datetime) -> str:
        return moment.replace(tzinfo=UTC).astimezone(ROME).strftime("%d/%m/%Y, %H:%M")
