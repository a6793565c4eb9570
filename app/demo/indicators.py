"""Demo indicator history (issue 14, point 6): eight quarters of backdated activity, so every chart moves.

Each profiled community gets, quarter after quarter, the activity of the stage its profile names (0 "In avvio",
1 Comunità, 2 Hub di conoscenza, 3 Centro di competenza): «Servizio Europa associato» grows to a Competence centre,
«Stazione unica appaltante» grows to a Knowledge hub and falls back, «Valore pubblico e PIAO» becomes a hub, the
others stay "In avvio" with a little life. Rows are written directly, backdated, keeping what the services keep
(answer_count, first_answer_at, the accepted answer and its stamps, revision 1 of every post, follows, activity
records, request stamps and events, adoption events); then the quarters are computed oldest first and today's daily
snapshot last. Seeded random and moments anchored to the calendar's quarters: two loads on a day are identical.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.demo.indicator_data import (ACTIVE, ANGLES, ANSWER_LINES, COMMENTS, FIRST_NAMES, HISTORY, JOBS,  # noqa: F401
                                     NEW_ORGANIZATIONS, PROFILES, PROMPT, QUESTIONS, REQUESTS, SECTIONS, SEED,
                                     SURNAMES, TOPICS)  # (NEW_ORGANIZATIONS is read by the demo tests through here)
from app.extensions import db
from app.models import (Activity, Adoption, AdoptionEvent, Community, Conversion, Deployment, KitSection, KitVersion,
                        MaintenanceEntry, Membership, MembershipEvent, Organization, OrganizationKind,
                        OrganizationStatus, Practice, PracticeTag, SupportEvent, SupportMessage, SupportRequest, User)
from app.models.base import utcnow
from app.models.indicators import CommunityGovernance
from app.models.qa import Answer, Comment, Follow, Question, QuestionTag, Revision
from app.workdays import working_deadline


def load_indicator_history() -> dict[str, int]:
    """Add the backdated history once (a second load adds nothing), then compute the quarters and today's snapshot."""
    from app.indicators import compute
    from app.indicators.context import last_ended_quarter, previous_quarter

    now = utcnow()
    periods = [last_ended_quarter(now)]
    for _ in range(HISTORY - 1):
        periods.insert(0, previous_quarter(periods[0]))
    added = {"people": 0, "questions": 0, "answers": 0, "requests": 0, "adoptions": 0, "practices": 0, "quarters": 0}
    first_title = PROFILES["servizio-europa"]["practices"][0][0]
    if db.session.execute(select(Practice.id).where(Practice.title == first_title)).first() is None:
        starts = [_quarter_start(p) for p in periods] + [_quarter_start(previous_quarter(periods[-1]), 2)]
        history = _History(starts, _midnight(now))
        for index, (slug, profile) in enumerate(PROFILES.items()):
            community = db.session.execute(select(Community).where(Community.slug == slug)).scalar_one_or_none()
            if community is not None:
                history.community(community, profile, random.Random(SEED + index), added)
        db.session.commit()
        for period in periods:
            compute.run(period=period)
        added["quarters"] = len(periods)
    elif (missing := compute.missing_quarter(now)) is not None:  # loaded again after a quarter ended
        compute.run(period=missing)
        added["quarters"] = 1
    compute.run(now)
    return added


def asker_of(question: Question, people: list[User]) -> User:
    """The person who asked `question`, among this quarter's people."""
    return next(p for p in people if p.id == question.author_id)


def _quarter_start(period: str, ahead: int = 0) -> datetime:
    """The first moment of a quarter ("2026-Q3"), or of the one `ahead` quarters later."""
    year, quarter = int(period[:4]), int(period[-1]) - 1 + ahead
    return datetime(year + quarter // 4, quarter % 4 * 3 + 1, 1)


def _midnight(moment: datetime) -> datetime:
    """The start of the moment's day."""
    return datetime.combine(moment.date(), datetime.min.time())


def _office(moment: datetime) -> datetime:
    """The same day's office hours, to the minute: people do not answer at three in the morning. (A prompt answer
    stays within its deadline: prompt delays leave half a day to spare.)"""
    moment = moment.replace(second=0, microsecond=0)
    if moment.hour < 8:
        return moment.replace(hour=8 + moment.minute % 2)
    return moment.replace(hour=18) if moment.hour >= 19 else moment


class _History:
    """Writes one community's quarters; `starts` are the quarters' first days (the running one last)."""

    def __init__(self, starts: list[datetime], cutoff: datetime):
        self.starts, self.cutoff = starts, cutoff  # nothing happens from today's midnight on
        self.h0 = starts[0]
        self.organizations = {o.name: o for o in db.session.execute(select(Organization)).scalars()}
        self.users = list(db.session.execute(select(User).order_by(User.id)).scalars())
        self.locals = {u.email.split("@")[0] for u in self.users}
        self.password_hash = next((u.password_hash for u in self.users), "!")
        self.admin = next((u for u in self.users if u.is_admin), None)
        self.pending: list[tuple] = []  # revisions, follows and records, written once the posts have their ids

    def end(self, q: int) -> datetime:
        """Where quarter q stops (the running one: today's midnight)."""
        return self.starts[q + 1] if q + 1 < len(self.starts) else self.cutoff

    def community(self, community, profile: dict, rnd: random.Random, added: dict) -> None:
        """One community's people, practices, reuse and quarters of questions and support requests."""
        self.never = 0  # questions left without any answer (the no-answer backlog, Q4), a few per community
        rnd_names = random.Random(rnd.random())
        self._backdate(community)
        members = [m.user for m in db.session.execute(select(Membership).where(
            Membership.community_id == community.id, Membership.status == "active").order_by(Membership.id)).scalars()]
        orgs = iter(profile["orgs"])
        joined: list[tuple[int, User]] = [(0, user) for user in members]
        for q, count in enumerate(profile["joins"]):
            for _ in range(count):
                person = self._person(self._organization(next(orgs)), rnd_names)
                added["people"] += 1
                when = self.starts[q] + timedelta(days=rnd.randint(0, 8), hours=9)
                self._join(community, person, when)
                joined.append((q, person))
        practices = self._practices(community, profile, rnd, added)
        self._reuse(community, profile, practices, rnd, added)
        days = profile.get("governance")
        if days is not None and db.session.get(CommunityGovernance, community.id) is None:
            facilitator = members[0] if members else None
            db.session.add(CommunityGovernance(
                community_id=community.id, url=f"https://governance.{community.slug}.example/regole",
                recorded_by_id=facilitator.id if facilitator else None, recorded_at=self.h0 + timedelta(days=days)))
        for q, level in enumerate(profile["levels"]):
            people = self._active([p for j, p in joined if j <= q], ACTIVE[level], rnd)
            published = [p for p in practices if p.published_at < self.starts[q]]
            self._questions(community, profile, q, level, people, published, rnd, added)
            self._requests(q, level, people, published, rnd, added)
        db.session.flush()
        for kind, post, author, when, extra in self.pending:
            if kind == "follow":
                db.session.add(Follow(user_id=author.id, target_type="question", target_id=post.id,
                                      level="watching", created_at=when, updated_at=when))
            elif kind == "activity":
                db.session.add(Activity(verb=extra, actor_id=author.id, community_id=community.id,
                                        object_type="question", object_id=post.id, object_label=post.title,
                                        created_at=when))
            else:
                db.session.add(Revision(target_type=kind, target_id=post.id, number=1, body=post.body,
                                        title=extra, tags=None if extra is None else ",".join(
                                            t.name for t in post.tags), editor_id=author.id, created_at=when))
        self.pending = []

    # ---- people --------------------------------------------------------------------------------------------

    def _backdate(self, community) -> None:
        """The loader's founders joined "today": the history needs the community, and them, from before it."""
        founded = self.h0 - timedelta(days=90)
        community.created_at = min(community.created_at, founded)
        rows = db.session.execute(select(Membership).where(Membership.community_id == community.id)).scalars()
        for membership in rows:
            if membership.joined_at is not None and membership.joined_at > founded:
                membership.joined_at = membership.requested_at = founded + timedelta(days=1)
                for event in db.session.execute(select(MembershipEvent).where(
                        MembershipEvent.membership_id == membership.id)).scalars():
                    event.created_at = membership.joined_at
        for verb, when in (("community.created", founded), ("member.joined", founded + timedelta(days=1))):
            db.session.execute(update(Activity).where(Activity.community_id == community.id, Activity.verb == verb,
                                                      Activity.created_at > when).values(created_at=when))

    def _organization(self, name: str) -> Organization:
        """A demo organisation by name, creating the Piedmont municipalities of the history when missing."""
        if name not in self.organizations:
            from app.organizations.services import unique_slug

            _n, code, province, website = next(row for row in NEW_ORGANIZATIONS if row[0] == name)
            organization = Organization(name=name, slug=unique_slug(name), kind=OrganizationKind.PUBLIC_ADMINISTRATION,
                                        pa_kind="municipality", ipa_code=code, region_code="01",
                                        province_code=province, website=website, status=OrganizationStatus.ACTIVE,
                                        description="Comune piemontese della centrale di committenza.")
            db.session.add(organization)
            db.session.flush()
            self.organizations[name] = organization
        return self.organizations[name]

    def _person(self, organization: Organization, rnd: random.Random) -> User:
        """A new active person of the organisation (its first one is its referent), with the demo password."""
        from app.demo.data import DEMO_EMAIL_DOMAIN

        while True:
            first, last = rnd.choice(FIRST_NAMES), rnd.choice(SURNAMES)
            local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
            if local not in self.locals:
                break
        self.locals.add(local)
        referent = not any(u.organization_id == organization.id and u.is_referent for u in self.users)
        when = self.h0 - timedelta(days=120)
        person = User(email=f"{local}@{DEMO_EMAIL_DOMAIN}", full_name=f"{first} {last}", job_title=rnd.choice(JOBS),
                      password_hash=self.password_hash, organization=organization, affiliation_status="active",
                      is_referent=referent, email_confirmed_at=when, approved_at=when, created_at=when)
        db.session.add(person)
        db.session.flush()
        self.users.append(person)
        return person

    def _join(self, community, person: User, when: datetime) -> None:
        """An active membership from `when`, with its event and its activity record."""
        membership = Membership(community_id=community.id, user_id=person.id, status="active", role="member",
                                requested_at=when, joined_at=when, updated_at=when)
        db.session.add(membership)
        db.session.flush()
        db.session.add(MembershipEvent(membership_id=membership.id, action="demo", from_status="none",
                                       to_status="active", role="member", created_at=when,
                                       actor_id=self.admin.id if self.admin else None))
        db.session.add(Activity(verb="member.joined", actor_id=person.id, community_id=community.id, created_at=when))

    def _active(self, members: list[User], wanted: int, rnd: random.Random) -> list[User]:
        """Who contributes this quarter: one person per administration first, so activity spreads."""
        by_org: dict[int, list[User]] = {}
        for person in rnd.sample(members, len(members)):
            by_org.setdefault(person.organization_id or 0, []).append(person)
        ordered = []
        while len(ordered) < len(members):
            ordered.extend(people.pop(0) for people in by_org.values() if people)
        return ordered[:wanted]

    def _people_of(self, organization_id: int) -> list[User]:
        """The active people of an organisation."""
        return [u for u in self.users if u.organization_id == organization_id and u.affiliation_status == "active"]

    def _referent(self, organization_id: int) -> User | None:
        """A referent of the organisation, who declares and confirms adoptions for it."""
        return next((u for u in self._people_of(organization_id) if u.is_referent), None)

    # ---- practices and reuse -------------------------------------------------------------------------------

    def _practices(self, community, profile: dict, rnd: random.Random, added: dict) -> list[Practice]:
        """The profile's published practices, each with its kit versions and maintenance entries."""
        from app.practices.services import unique_slug

        practices = []
        for title, donor_name, days, filled in profile.get("practices", []):
            donor = self.organizations[donor_name]
            author = self._referent(donor.id)
            published = self.h0 + timedelta(days=days, hours=10)
            practice = Practice(title=title, slug=unique_slug(title), status="published", community_id=community.id,
                                summary=f"{title}: modello organizzativo, atti e strumenti condivisi da "
                                        f"{donor.name} con gli enti che vogliono riusarli.",
                                description=f"Pratica pubblicata da {donor.name} e riusata da altri enti.",
                                donor_id=donor.id, theme=profile["theme"], mission=profile["mission"],
                                region_code=donor.region_code, start_year=published.year - 2, licence="CC-BY-4.0",
                                tags=[PracticeTag(name=profile["theme"].replace("_", " "))],
                                created_by_id=author.id if author else None, created_at=published,
                                updated_at=published, published_at=published)
            db.session.add(practice)
            db.session.flush()
            # A new version or a reconfirmation every 4–7 months while the community looks after its kits.
            until = self.end(profile.get("maintained_until", len(self.starts) - 1))
            moment, number = published, 0
            while moment < min(until, self.cutoff):
                label = f"1.{number}"
                sections = [KitSection(key=key, body=f"Sezione «{key}» del KIT, versione {label}.")
                            for key in SECTIONS[:filled]]
                db.session.add(KitVersion(practice_id=practice.id, label=label, status="published",
                                          changelog="Prima versione del KIT." if number == 0 else
                                          "Aggiornati gli atti e le istruzioni.",
                                          author_id=author.id if author else None,
                                          created_at=moment, published_at=moment, sections=sections))
                db.session.add(MaintenanceEntry(practice_id=practice.id, author_id=author.id if author else None,
                                                created_at=moment, note=f"Pubblicata la versione {label} del KIT."))
                practice.kit_updated_at, number = moment, number + 1
                moment += timedelta(days=rnd.randint(120, 210))
            practice.kit_completeness = round(100 * filled / len(SECTIONS))
            practices.append(practice)
            added["practices"] += 1
        return practices

    def _reuse(self, community, profile: dict, practices: list[Practice], rnd: random.Random, added: dict) -> None:
        """Each reuser's adoption: declared, started, often completed and confirmed; two become donors."""
        when = self.h0 + timedelta(days=profile.get("first_reuse", 0))
        for number, name in enumerate(profile.get("reusers", [])):
            organization = self.organizations[name]
            choices = [p for p in practices if p.published_at < when and p.donor_id != organization.id]
            referent = self._referent(organization.id)
            if not choices or referent is None or when >= self.cutoff:
                break
            practice = choices[number % len(choices)]
            donor = self._referent(practice.donor_id)
            adoption = Adoption(practice_id=practice.id, organization_id=organization.id, status="interested",
                                declared_by_id=referent.id, notes="Valutiamo il riuso nel nostro ente.",
                                created_at=when, updated_at=when)
            adoption.events.append(AdoptionEvent(action="declare", from_status=None, to_status="interested",
                                                 actor_id=referent.id, note=adoption.notes, created_at=when))
            steps = [("start", "in_progress", when + timedelta(days=rnd.randint(10, 30)))]
            if number % 3 != 2:
                steps.append(("complete", "completed", steps[0][2] + timedelta(days=rnd.randint(60, 120))))
            for action, status, moment in steps:
                if moment < self.cutoff:
                    adoption.events.append(AdoptionEvent(action=action, from_status=adoption.status, to_status=status,
                                                         actor_id=referent.id, note="", created_at=moment))
                    adoption.status, adoption.updated_at = status, moment
                    setattr(adoption, "started_at" if action == "start" else "ended_at", moment)
            confirmed = adoption.ended_at + timedelta(days=7) if adoption.status == "completed" else None
            if confirmed is not None and donor is not None and confirmed < self.cutoff:
                adoption.confirmed_at, adoption.confirmed_by_id, adoption.updated_at = confirmed, donor.id, confirmed
                adoption.events.append(AdoptionEvent(action="confirm", from_status="completed", to_status="completed",
                                                     actor_id=donor.id, note="", created_at=adoption.confirmed_at))
            db.session.add(adoption)
            db.session.flush()
            if adoption.status == "completed" and number in (1, 4):
                self._deployment(adoption, referent)
            added["adoptions"] += 1
            when += timedelta(days=profile.get("reuse_every", 50) + rnd.randint(-8, 8))

    def _deployment(self, adoption: Adoption, author: User) -> None:
        """The deployment record of a completed adoption: the reuser becomes a donor (a conversion)."""
        when = adoption.ended_at + timedelta(days=3)
        if when >= self.cutoff:
            return
        db.session.add(Deployment(adoption_id=adoption.id, practice_id=adoption.practice_id,
                                  organization_id=adoption.organization_id, created_by_id=author.id, created_at=when,
                                  updated_at=when, deployed_on=adoption.ended_at.date(), size="m",
                                  territory="Territorio comunale", outcome="Servizio avviato e in esercizio.",
                                  adaptations="Modelli adattati al regolamento dell'ente."))
        db.session.add(MaintenanceEntry(practice_id=adoption.practice_id, author_id=author.id, created_at=when,
                                        adoption_id=adoption.id, note="Dispiegamento registrato dal riusatore."))
        db.session.add(Conversion(adoption_id=adoption.id, organization_id=adoption.organization_id,
                                  reason="deployment", created_at=when))

    # ---- questions and support -----------------------------------------------------------------------------

    def _moment(self, q: int, rnd: random.Random, first: int = 10, last: int = 6) -> datetime | None:
        """A working-day moment inside quarter q, `first` days after its start and `last` days before its end."""
        low, high = self.starts[q] + timedelta(days=first), self.end(q) - timedelta(days=last)
        if high <= low:
            return None
        moment = low + timedelta(seconds=rnd.randint(0, int((high - low).total_seconds())))
        while moment.weekday() >= 5:
            moment -= timedelta(days=1)
        return moment.replace(hour=rnd.randint(8, 16), minute=rnd.choice((0, 10, 20, 30, 40, 50)), second=0,
                              microsecond=0)

    def _questions(self, community, profile, q, level, people, practices, rnd, added) -> None:
        """Quarter q's questions, asked by its active people, some about the practices."""
        theme = profile["theme"]
        titles = [f"{topic[0].upper()}{topic[1:]}: {angle}" for topic in TOPICS[theme] for angle in ANGLES]
        used = set(db.session.execute(select(Question.title).where(Question.community_id == community.id)).scalars())
        titles = [t for t in titles if t not in used]
        count = QUESTIONS[level] if len(people) >= 3 else min(QUESTIONS[level], 1 + q % 3)
        for _ in range(count if len(people) >= 2 else 0):
            created = self._moment(q, rnd, last=1 if q == len(self.starts) - 1 else 6)  # asked until yesterday
            if created is None or not titles:
                return
            asker = rnd.choice(people)
            title = titles.pop(rnd.randrange(len(titles)))
            practice = rnd.choice(practices) if practices and rnd.random() < 0.3 else None
            question = Question(community_id=community.id, practice_id=practice.id if practice else None, title=title,
                                body=f"Nel nostro ente stiamo affrontando {title.split(':')[0].lower()}. "
                                     "Vorremmo sapere come vi siete organizzati e quali documenti avete usato.",
                                author_id=asker.id, organization_id=asker.organization_id, created_at=created,
                                updated_at=created, last_activity_at=created, answer_count=0)
            question.tags = [QuestionTag(name=theme.replace("_", "-"))]
            db.session.add(question)
            self.pending += [("question", question, asker, created, title), ("follow", question, asker, created, None),
                             ("activity", question, asker, created, "question.asked")]
            added["questions"] += 1
            self._answers(community, question, level, people, practice, rnd, added)

    def _answers(self, community, question: Question, level, people, practice, rnd, added) -> None:
        """Answers (prompt, late or none), a comment, the acceptance; counters kept as the services keep them."""
        others = [p for p in people if p.id != question.author_id]
        if not others:
            return
        delay = rnd.uniform(0.1, 1.5) if rnd.random() < PROMPT[level] else rnd.uniform(2.5, 9.0)
        if rnd.random() < (0.25 if level == 0 else 0.08):  # forgotten: answered weeks later, or never
            if self.never < 3 and rnd.random() < 0.5:
                self.never += 1
                return
            delay = rnd.uniform(15, 50)
        moment = _office(working_deadline(question.created_at, delay))
        answers = []
        for author in rnd.sample(others, min(len(others), rnd.choice((1, 2, 2, 3)))):
            if moment >= self.cutoff:
                break
            body = " ".join(rnd.sample(ANSWER_LINES, 2))
            official = practice is not None and author.organization_id in practice.donor_ids
            answer = Answer(question=question, author_id=author.id, organization_id=author.organization_id,
                            body=body, official=official, created_at=moment, updated_at=moment)
            db.session.add(answer)
            self.pending += [("answer", answer, author, moment, None), ("follow", question, author, moment, None),
                             ("activity", question, author, moment, "question.answered")]
            question.first_answer_at = question.first_answer_at or moment
            question.answer_count += 1
            question.last_activity_at = moment
            answers.append(answer)
            added["answers"] += 1
            moment = max(_office(moment + timedelta(hours=rnd.randint(3, 60))), moment + timedelta(minutes=20))
        if answers and rnd.random() < 0.4 and moment < self.cutoff:
            comment = Comment(question=question, answer=answers[0], author_id=question.author_id,
                              organization_id=question.organization_id, body=rnd.choice(COMMENTS), created_at=moment,
                              updated_at=moment)
            db.session.add(comment)
            self.pending.append(("comment", comment, asker_of(question, people), moment, None))
            question.last_activity_at = moment
        accepted = question.last_activity_at + timedelta(days=rnd.randint(1, 5))
        if answers and rnd.random() < (0.35 if level < 2 else 0.8) and accepted < self.cutoff:
            question.status, question.accepted_answer = "solved", answers[0]
            question.accepted_by_id, question.accepted_at = question.author_id, accepted
            question.last_activity_at = accepted
            self.pending.append(("activity", question, asker_of(question, people), accepted, "question.solved"))

    def _requests(self, q, level, people, practices, rnd, added) -> None:
        """Support requests to the donors, answered and resolved faster the more the community has grown."""
        late = 0
        for _ in range(REQUESTS[level] if practices else 0):
            created = self._moment(q, rnd, last=20)
            practice = rnd.choice(practices)
            askers = [p for p in people if p.organization_id not in practice.donor_ids
                      and p.organization.kind == OrganizationKind.PUBLIC_ADMINISTRATION]  # suppliers do not reuse
            donors = [u for org_id in sorted(practice.donor_ids) for u in self._people_of(org_id)]
            if created is None or not askers or not donors:
                return
            asker, helper = rnd.choice(askers), rnd.choice(donors)
            request = SupportRequest(practice_id=practice.id, organization_id=asker.organization_id,
                                     requester_id=asker.id, kind=rnd.choice(("consultancy", "training", "technical")),
                                     subject=f"Riuso di «{practice.title}»: indicazioni per l'avvio"[:200],
                                     description="Stiamo avviando il riuso e ci servirebbe un confronto sugli atti "
                                                 "e sull'organizzazione.", status="open", created_at=created,
                                     updated_at=created)
            request.events.append(SupportEvent(action="open", from_status=None, to_status="open", actor_id=asker.id,
                                               created_at=created))
            prompt = rnd.random() < 0.6 or (level >= 3 and late >= 1)  # a centre is late once a quarter at most
            late += not prompt
            answered = _office(working_deadline(created, rnd.uniform(0.2, 3.5) if prompt else rnd.uniform(6, 12)))
            resolved = answered + timedelta(days=rnd.randint(3, 14) if level >= 2 else rnd.randint(10, 45))
            if level == 2 and rnd.random() < 0.3:  # a hard one, still open a month later
                resolved += timedelta(days=rnd.randint(30, 60))
            steps = [(answered, "accept", "accepted", helper), (resolved, "resolve", "resolved", helper),
                     (resolved + timedelta(days=2), "close", "closed", asker)]
            for moment, action, status, actor in steps:
                if moment >= self.cutoff:
                    break
                if action == "accept":
                    request.first_response_at = moment
                    request.messages.append(SupportMessage(author_id=actor.id, from_donor=True, created_at=moment,
                                                           body="Buongiorno, ce ne occupiamo noi: vi mandiamo gli "
                                                                "atti e fissiamo una videochiamata."))
                request.events.append(SupportEvent(action=action, from_status=request.status, to_status=status,
                                                   actor_id=actor.id, created_at=moment))
                setattr(request, {"accept": "accepted_at", "resolve": "resolved_at", "close": "closed_at"}[action],
                        moment)
                request.status, request.updated_at = status, moment
            db.session.add(request)
            added["requests"] += 1
