"""Demo KPI library (issue 16, point 9), after `flask demo load`: the reference taxonomies, about thirty published
KPIs across missions 01, 04, 08, 09, 10, 12 and 14 with complete records, a deprecated KPI and its replacement, a KPI
with a second version that breaks the series, two proposals with their discussion; adoptions by administrations of
the three levels with baseline, targets and three years of values that pass the application's checks; practices
that improve KPIs; loading again changes nothing; the proposals are seen by whom may see them."""
from __future__ import annotations

import re
from collections import Counter
from statistics import mean

from sqlalchemy import func, select

from app.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.kpi import access
from app.kpi.labels import LEVEL_PA_KINDS
from app.kpi.reference import _rows as reference_rows
from app.kpi.workflow import FormulaKind, Frequency, Level, Polarity, Typology, Unit, check_value, periods_of
from app.models import (KpiAdoption, KpiChange, KpiComment, KpiDefinition, KpiPracticeLink, KpiValue, KpiVersion,
                        Membership, Notification, ProgrammeParticipant, ReferenceTerm, User)
from app.models.base import utcnow
from tests.conftest import login

MODELS = (ReferenceTerm, KpiDefinition, KpiVersion, KpiChange, KpiComment, KpiAdoption, KpiValue, KpiPracticeLink,
          Notification)
MISSIONS = {"01", "04", "08", "09", "10", "12", "14"}
# The only ISTAT BES codes the demo gives, with the domain they belong to.
BES_CODES = {"10AMB017": "BES_10", "12SER008": "BES_12"}


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def loaded(app) -> tuple[dict[str, int], str]:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return counts(app), result.output


def person(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{local}@{DEMO_EMAIL_DOMAIN}"))


def test_demo_kpi_library_once_and_who_sees_the_proposals(app, client):
    """One load for the whole module (the demo is large): the data, then the pages."""
    from app.demo.loader import load_demo

    first, output = loaded(app)
    announced = re.search(r"(\d+) KPI definitions, discussion messages, adoptions, values and practice links added",
                          output)
    assert announced and int(announced.group(1)) == sum(first[name] for name in (
        "KpiDefinition", "KpiComment", "KpiAdoption", "KpiValue", "KpiPracticeLink"))
    with app.app_context():
        assert load_demo()["kpis"] == 0
    assert counts(app) == first
    assert first["ReferenceTerm"] == len(reference_rows())

    with app.app_context():
        definitions = db.session.scalars(select(KpiDefinition)).all()
        assert Counter(d.status for d in definitions) == {"published": len(definitions) - 3, "proposed": 1,
                                                          "in_review": 1, "deprecated": 1}
        published = [d for d in definitions if d.status == "published"]
        assert len(published) >= 28
        by_mission = Counter(m.code for d in published for m in d.current_version.missions)
        assert MISSIONS <= set(by_mission) and all(by_mission[code] >= 3 for code in MISSIONS)
        for definition in definitions:
            check_record(definition)
        versions = [d.current_version for d in published]
        assert {v.level for v in versions} == {"region", "metropolitan_city", "municipality", "any"}
        assert sum(v.frequency == Frequency.QUARTERLY for v in versions) >= 2
        banded = [v for v in versions if v.polarity == Polarity.RANGE]
        assert banded and all(v.range_low < v.range_high for v in banded)
        assert any(v.unit == Unit.SCORE and (v.value_min, v.value_max) == (1, 10) for v in versions)
        assert {v.external_code for v in versions if v.external_code} == set(BES_CODES)

        deprecated = next(d for d in definitions if d.status == "deprecated")
        assert deprecated.replaced_by.status == "published" and deprecated.deprecation_note
        assert deprecated.published_at < deprecated.replaced_by.published_at < deprecated.deprecated_at

        versioned = [d for d in definitions if len(d.versions) > 1]
        assert len(versioned) == 1 and [v.number for v in versioned[0].versions] == [1, 2]
        old, new = versioned[0].versions
        assert new.breaks_series and new.change_note and new.description != old.description
        assert versioned[0].current_version_id == new.id and new.created_at > old.created_at
        adopted_versions = {a.version.number for a in db.session.scalars(select(KpiAdoption).where(
            KpiAdoption.definition_id == versioned[0].id))}
        assert adopted_versions == {1, 2}  # adoptions keep the version they adopted

        check_proposals(definitions)
        check_adoptions(definitions)
        check_practice_links()
    check_who_sees_the_proposals(app, client)


def check_record(definition: KpiDefinition) -> None:
    """A complete record in the application's vocabularies, with a story in order."""
    version = definition.current_version
    for vocabulary, word in ((Typology, version.typology), (FormulaKind, version.formula_kind), (Unit, version.unit),
                             (Polarity, version.polarity), (Frequency, version.frequency), (Level, version.level)):
        vocabulary(word)  # ValueError for a word the application does not know
    assert version.name and version.short_name and version.description and version.data_source
    if version.formula_kind == FormulaKind.RATIO:
        assert version.numerator and version.denominator
    else:
        assert version.formula
    assert version.missions and version.sdgs and version.piao_subsection.scheme == "piao_subsection"
    assert version.tags and all(tag == tag.lower() for tag in version.tags) and len(version.tags) <= 10
    if version.external_code:
        assert version.bes_domain.code == BES_CODES[version.external_code]
    assert (definition.community_id is None) != (definition.programme_id is None)
    assert definition.author_organization.kind == "public_administration"
    assert definition.author_organization_id == definition.proposed_by.organization_id
    history = sorted(definition_changes(definition), key=lambda c: c.id)
    assert history[0].action == "propose" and history[-1].to_status == definition.status
    assert [c.created_at for c in history] == sorted(c.created_at for c in history)
    assert all(c.created_at < utcnow() for c in history)


def definition_changes(definition: KpiDefinition) -> list[KpiChange]:
    return db.session.scalars(select(KpiChange).where(KpiChange.definition_id == definition.id)).all()


def check_proposals(definitions: list[KpiDefinition]) -> None:
    """Two proposals, each with a discussion of people who may write in it; one taken into review."""
    for definition in (d for d in definitions if d.status in ("proposed", "in_review")):
        comments = db.session.scalars(select(KpiComment).where(KpiComment.definition_id == definition.id)
                                      .order_by(KpiComment.created_at)).all()
        assert len(comments) >= 2 and len({c.author_id for c in comments}) >= 2
        assert all(access.can_comment(c.author, definition) and c.organization_id == c.author.organization_id
                   and definition.created_at <= c.created_at < utcnow() for c in comments)
        assert definition.published_at is None
        told = db.session.scalars(select(Notification).where(
            Notification.verb == "kpi.proposed", Notification.link == f"/kpi/{definition.slug}")).all()
        assert told and all(access.is_reviewer(db.session.get(User, n.user_id), definition)
                            and n.created_at == definition.created_at
                            for n in told)  # the reviewers were told, on the day it was proposed
        if definition.status == "in_review":
            change = next(c for c in definition_changes(definition) if c.action == "start_review")
            assert access.is_reviewer(change.actor, definition)


def check_adoptions(definitions: list[KpiDefinition]) -> None:
    """Several administrations of the three levels, targets that follow the polarity, every value checked."""
    adoptions = db.session.scalars(select(KpiAdoption)).all()
    organizations = {a.organization for a in adoptions}
    assert len(organizations) >= 6
    assert {"region", "metropolitan_city", "municipality"} <= {o.pa_kind for o in organizations}
    assert any(a.open_data for a in adoptions) and not all(a.open_data for a in adoptions)
    for definition in definitions:
        adopters = {a.organization_id for a in adoptions if a.definition_id == definition.id and a.active}
        assert definition.adoption_count == len(adopters)
    statuses = Counter()
    for adoption in adoptions:
        version, definition = adoption.version, adoption.definition
        assert definition.status == "published" and version.definition_id == definition.id
        assert (adoption.plan_kind, adoption.plan_year, adoption.baseline_year) == ("piao", 2024, 2023)
        assert adoption.responsible_office and adoption.active and adoption.adopted_by.organization_id == \
            adoption.organization_id
        kinds = LEVEL_PA_KINDS.get(version.level)
        assert kinds is None or adoption.organization.pa_kind in kinds
        assert version.created_at <= adoption.adopted_at < utcnow()
        targets = [adoption.target_for(year) for year in (2024, 2025, 2026)]
        for figure in (adoption.baseline_value, *targets):
            check_value(figure, version.unit, version.value_min, version.value_max)
        if version.polarity == Polarity.HIGHER:
            assert targets == sorted(targets)
        elif version.polarity == Polarity.LOWER:
            assert targets == sorted(targets, reverse=True)
        else:
            assert all(version.range_low <= t <= version.range_high for t in targets)
        values = {v.period: v for v in adoption.values}
        assert set(values) == {p for year in (2023, 2024, 2025) for p in periods_of(version.frequency, year)}
        for value in values.values():
            assert check_value(value.value, version.unit, version.value_min, version.value_max, value.numerator,
                               value.denominator) == value.value
            assert value.year == int(value.period[:4]) and value.source_note
            assert value.reported_by.organization_id == adoption.organization_id
            assert adoption.adopted_at <= value.reported_at < utcnow() and value.updated_at == value.reported_at
            assert value.status == "final" or value.year == 2025
            statuses[value.status] += 1
        baseline = mean(v.value for v in values.values() if v.year == 2023)
        assert abs(baseline - adoption.baseline_value) < 0.01
    assert statuses["final"] > statuses["provisional"] > 0
    assert any(v.numerator is not None for a in adoptions for v in a.values)


def check_practice_links() -> None:
    links = db.session.scalars(select(KpiPracticeLink)).all()
    assert len(links) >= 3 and len({link.definition_id for link in links}) >= 3
    for link in links:
        assert link.practice.status == "published" and link.definition.status == "published" and link.evidence
        assert access.can_link_practice(link.declared_by, link.practice)
        assert link.definition.published_at < link.created_at < utcnow()


def check_who_sees_the_proposals(app, client) -> None:
    """Anonymous readers and outsiders do not know the proposals exist; the administrator, the proposers see them."""
    with app.app_context():
        found = db.session.scalars(select(KpiDefinition).where(
            KpiDefinition.status.in_(("proposed", "in_review")))).all()
        proposals = {d.status: d.slug for d in found}
        names = {d.status: d.name for d in found}
        public = db.session.scalar(select(KpiDefinition.slug).where(KpiDefinition.status == "published"))
        total = db.session.scalar(select(func.count(KpiDefinition.id)))
        admin = person("admin")
        assert db.session.scalar(select(func.count(KpiDefinition.id)).where(
            access.visible_definitions_clause(admin))) == total
        outsider = person("referente.sabauda")  # a supplier: no community of the proposals, not a participant
        outsider_email = outsider.email
        in_review = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == proposals["in_review"]))
        proposed = db.session.scalar(select(KpiDefinition).where(KpiDefinition.slug == proposals["proposed"]))
        assert db.session.scalar(select(Membership.id).where(Membership.user_id == outsider.id,
                                                             Membership.community_id == proposed.community_id)) is None
        assert db.session.scalar(select(ProgrammeParticipant.id).where(
            ProgrammeParticipant.organization_id == outsider.organization_id,
            ProgrammeParticipant.programme_id == in_review.programme_id)) is None
        proposers = {status: d.proposed_by.email for status, d in (("in_review", in_review), ("proposed", proposed))}
    assert set(proposals) == {"proposed", "in_review"}
    assert client.get(f"/kpi/{public}").status_code == 200
    assert [client.get(f"/kpi/{slug}").status_code for slug in proposals.values()] == [404, 404]  # anonymous
    for email, seen in ((outsider_email, set()), ("admin@" + DEMO_EMAIL_DOMAIN, {"proposed", "in_review"}),
                        (proposers["proposed"], {"proposed"}), (proposers["in_review"], {"in_review"})):
        reader = app.test_client()
        assert login(reader, email, DEMO_PASSWORD).status_code == 303  # signed in, sent on
        for status in seen:
            page = reader.get(f"/kpi/{proposals[status]}")
            assert page.status_code == 200 and names[status] in page.get_data(as_text=True), (email, status)
        if not seen:
            assert [reader.get(f"/kpi/{slug}").status_code for slug in proposals.values()] == [404, 404]
