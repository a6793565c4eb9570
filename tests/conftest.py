"""Test harness: the whole suite runs on SQLite and again on PostgreSQL when one is reachable."""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db, limiter, mail
from app.models import AffiliationStatus, Organization, OrganizationKind, OrganizationStatus, User
from app.models.base import utcnow
from config import TestConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "Una frase lunga e sicura 2026"


def postgres_unreachable_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure means: no PostgreSQL here
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({type(error).__name__}): the PostgreSQL run is skipped"
    return None


def pytest_sessionstart(session) -> None:
    """Build the translation catalogues if `make test` was bypassed (plain `pytest`)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # the controlling process compiled them before it started the workers
    for po_path in (PROJECT_ROOT / "app" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


def own_database_url(worker: str | None) -> str:
    """A new PostgreSQL database for this test process alone (xdist workers, and runs side by side, never share)."""
    name = f"ocpa_test_{re.sub(r'[^a-z0-9]', '', (worker or 'solo').lower())}_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    """The database URL of this run of the suite (each process has its own SQLite file and PostgreSQL database)."""
    if request.param == "postgresql":
        if reason := postgres_unreachable_reason():
            pytest.skip(reason)
        url = own_database_url(os.environ.get("PYTEST_XDIST_WORKER"))
        yield url
        drop_database(url)
        return
    yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(backend, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=backend, IPA_CODES_FILE=str(instance / "none.txt"),
                             UPLOAD_FOLDER=str(instance / "uploads"), SEARCH_DIR=str(instance / "search"))
    application.instance_path = str(instance)
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test starts from empty tables and a fresh rate limiter.

    No application context stays pushed during a test: each test-client request gets its own, as in
    production (a shared one would carry `g`, the signed-in user and the database session across requests).
    """
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        limiter.reset()
    yield
    with application.app_context():
        db.session.remove()
        empty_all_tables()
    shutil.rmtree(application.config["UPLOAD_FOLDER"], ignore_errors=True)
    reset_search_index(application)


def reset_search_index(application) -> None:
    """Forget the index: close this process's searcher and remove the directory."""
    application.extensions["search_index"]._close_searcher()
    shutil.rmtree(application.config["SEARCH_DIR"], ignore_errors=True)


def index_now(application) -> int | None:
    """Apply the queued index work now, as the writer thread would (tests run with SEARCH_WRITER = "off")."""
    from app.search.writer import process_once

    with application.app_context():
        return process_once(application)


_EMPTYING: dict = {}


def _emptying_plan() -> dict:
    """The tables children first, the foreign keys in a cycle and the statements, worked out once per process
    (sorting ~90 tables costs more than emptying them)."""
    if not _EMPTYING:
        from sqlalchemy.schema import sort_tables_and_constraints

        ordered = list(reversed(db.metadata.sorted_tables))
        _EMPTYING["ordered"] = ordered
        _EMPTYING["cyclic"] = [constraint for table, cyclic in sort_tables_and_constraints(db.metadata.tables.values())
                               if table is None for constraint in cyclic]
        _EMPTYING["probe"] = "SELECT " + ", ".join(f'(SELECT 1 FROM "{t.name}" LIMIT 1)' for t in ordered)
        resets = [f"setval(pg_get_serial_sequence('\"{table.name}\"', '{table.autoincrement_column.name}'), 1, false)"
                  for table in ordered if table.autoincrement_column is not None]
        _EMPTYING["resets"] = "SELECT " + ", ".join(resets)
    return _EMPTYING


def empty_all_tables() -> None:
    """Delete every row, children first, and start the ids at 1 again.

    DELETE, not TRUNCATE, on PostgreSQL too: TRUNCATE of every table costs a quarter of a second per test (it
    replaces each table's files), DELETE of the few rows a test wrote a few milliseconds. One probe tells which
    tables hold rows, so only those are emptied; on PostgreSQL the statements travel together in one round trip.
    """
    plan = _emptying_plan()
    with db.engine.begin() as connection:
        filled = {table.name for table, flag in zip(plan["ordered"], connection.exec_driver_sql(plan["probe"]).one())
                  if flag}
        statements = []
        # Foreign keys in a cycle (an organisation reviewed by a person of an organisation) are emptied first.
        for constraint in plan["cyclic"]:
            if constraint.table.name in filled:
                columns = ", ".join(f'"{column.name}" = NULL' for column in constraint.columns)
                statements.append(f'UPDATE "{constraint.table.name}" SET {columns}')
        statements += [f'DELETE FROM "{table.name}"' for table in plan["ordered"] if table.name in filled]
        if connection.dialect.name == "postgresql":
            # Sequences move on even when a test's insert was rolled back: always start them at 1 again.
            connection.exec_driver_sql("; ".join(statements + [plan["resets"]]))
        else:
            for statement in statements:
                connection.exec_driver_sql(statement)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    with mail.record_messages() as messages:
        yield messages


def links_in(message, path_part: str) -> list[str]:
    return re.findall(r"https?://\S*" + re.escape(path_part) + r"\S*", message.body)


@dataclass(frozen=True)
class Ref:
    """What a test needs of a row, readable outside any application context."""

    id: int
    name: str = ""
    email: str = ""
    slug: str = ""


def ref(row) -> Ref:
    if isinstance(row, User):
        return Ref(id=row.id, name=row.full_name, email=row.email)
    return Ref(id=row.id, name=getattr(row, "name", None) or getattr(row, "title", ""), slug=row.slug)


@dataclass
class World:
    """A small set of organisations and people in each role, for permission and flow tests."""

    org: Ref
    other_org: Ref
    admin: Ref
    referent: Ref
    member: Ref
    pending: Ref
    other_referent: Ref


def make_org(name: str, **fields) -> Organization:
    from slugify import slugify

    values = dict(kind=OrganizationKind.PUBLIC_ADMINISTRATION, pa_kind="municipality", region_code="01",
                  province_code="TO", status=OrganizationStatus.ACTIVE)
    values.update(fields)
    organization = Organization(name=name, slug=slugify(name), **values)
    db.session.add(organization)
    db.session.flush()
    return organization


_PASSWORD_HASHES: dict = {}


def password_hash_for_tests() -> str:
    """One Argon2 hash of PASSWORD per process and cost setting: the people of a fixture share it (hashing for
    each of them cost a few milliseconds per person, over tens of thousands of people)."""
    from flask import current_app

    from app.auth.passwords import hash_password

    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _PASSWORD_HASHES:
        _PASSWORD_HASHES[key] = hash_password(PASSWORD)
    return _PASSWORD_HASHES[key]


def make_user(email: str, organization: Organization | None, **fields) -> User:
    values = dict(full_name=email.split("@")[0].replace(".", " ").title(), affiliation_status=AffiliationStatus.ACTIVE,
                  email_confirmed_at=utcnow())
    values.update(fields)
    user = User(email=email, organization=organization, password_hash=password_hash_for_tests(), **values)
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        org = make_org("Comune di Chieri", ipa_code="c_c627")
        other = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        rows = dict(
            org=org, other_org=other,
            admin=make_user("admin@example.it", None, is_admin=True),
            referent=make_user("referente@chieri.example.it", org, is_referent=True),
            member=make_user("membro@chieri.example.it", org),
            pending=make_user("attesa@chieri.example.it", org, affiliation_status=AffiliationStatus.PENDING),
            other_referent=make_user("referente@asti.example.it", other, is_referent=True),
        )
        db.session.commit()
        return World(**{key: ref(row) for key, row in rows.items()})


def login(client, user_or_email, password: str = PASSWORD, remember: bool = False):
    """Sign in through the real form (CSRF included)."""
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token,
                                             **({"remember_me": "y"} if remember else {})})


def csrf_token(client, url: str) -> str:
    page = client.get(url, follow_redirects=True).get_data(as_text=True)  # "/" sends people signed in on
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'"X-CSRFToken": "([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def as_user(client):
    """Sign a user in and return the client."""
    def sign_in(user):
        response = login(client, user)
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return client
    return sign_in


def post(client, url: str, data: dict | None = None, page: str | None = None, htmx: bool = False, **kwargs):
    """POST with the CSRF token taken from `page` (default: the privacy page, the cheapest of all)."""
    token = csrf_token(client, page or "/privacy")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={**(data or {}), "csrf_token": token}, headers=headers, **kwargs)


@pytest.fixture
def fetch(app):
    """Read a row again from the database, in its own application context."""
    def get(model, row_id):
        with app.app_context():
            row = db.session.get(model, row_id)
            if row is not None:
                db.session.expunge(row)
            return row
    return get


def make_community(name: str, visibility: str = "open", facilitators=(), members=(), pending=(), **fields):
    """A community with memberships, written directly (the workflow itself is tested elsewhere)."""
    from slugify import slugify

    from app.models import Community, Membership

    community = Community(name=name, slug=slugify(name), theme=fields.pop("theme", "procurement"),
                          visibility=visibility, scope=fields.pop("scope", "national"), **fields)
    db.session.add(community)
    db.session.flush()
    for people, status, role in ((facilitators, "active", "facilitator"), (members, "active", "member"),
                                 (pending, "pending", "member")):
        for person in people:
            db.session.add(Membership(community_id=community.id, user_id=person.id, status=status, role=role,
                                      joined_at=utcnow() if status == "active" else None))
    db.session.flush()
    return community


@dataclass
class CommunityWorld:
    """Three communities (open, moderated, private) and a person in each role towards all of them."""

    open: Ref
    moderated: Ref
    private: Ref
    admin: Ref
    facilitator: Ref
    member: Ref
    pending: Ref
    outsider: Ref
    other_facilitator: Ref


@pytest.fixture
def cworld(app) -> CommunityWorld:
    with app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        supplier = make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None, region_code="03",
                            province_code=None)
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            facilitator=make_user("animatrice@chieri.example.it", chieri, full_name="Fabia Animatrice"),
            member=make_user("membro@bari.example.it", bari, full_name="Mario Membro"),
            pending=make_user("attesa@bari.example.it", bari, full_name="Paola Attesa"),
            outsider=make_user("esterno@fornitore.example.it", supplier, full_name="Ettore Esterno"),
            other_facilitator=make_user("vice@chieri.example.it", chieri, full_name="Vera Vice"),
        )
        communities = {}
        for visibility in ("open", "moderated", "private"):
            communities[visibility] = make_community(
                f"Comunità {visibility}", visibility, facilitators=[people["facilitator"], people["other_facilitator"]],
                members=[people["member"]], pending=[people["pending"]])
        db.session.commit()
        return CommunityWorld(**{k: ref(v) for k, v in communities.items()}, **{k: ref(v) for k, v in people.items()})


def make_practice(title: str, community, donor, status: str = "published", kit: dict | None = None, **fields):
    """A practice with one published kit version (unless kit is empty), written directly."""
    from slugify import slugify

    from app.models import KitSection, KitVersion, Practice

    values = dict(summary=f"Sintesi di {title}", theme="procurement", kit_completeness=0)
    values.update(fields)
    practice = Practice(title=title, slug=slugify(title), status=status, community_id=community.id,
                        donor_id=donor.id, published_at=utcnow() if status != "draft" else None, **values)
    db.session.add(practice)
    db.session.flush()
    kit = {"context": "Contesto iniziale."} if kit is None else kit
    if kit:
        db.session.add(KitVersion(practice_id=practice.id, label="1.0", status="published", published_at=utcnow(),
                                  changelog="Prima versione", sections=[KitSection(key=k, body=v) for k, v in kit.items()]))
        practice.kit_completeness, practice.kit_updated_at = round(100 * len(kit) / 9), utcnow()
    db.session.flush()
    return practice


@dataclass
class PracticeWorld:
    """Practices in an open and a private community, with a donor team, a facilitator and outsiders."""

    open_community: Ref
    private_community: Ref
    published: Ref
    draft: Ref
    archived: Ref
    private_published: Ref
    admin: Ref
    donor: Ref
    facilitator: Ref
    outsider: Ref
    private_member: Ref


@pytest.fixture
def pworld(app) -> PracticeWorld:
    with app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            donor=make_user("cedente@chieri.example.it", chieri, full_name="Carla Cedente"),
            facilitator=make_user("animatrice@asti.example.it", asti, full_name="Fabia Animatrice"),
            outsider=make_user("esterno@bari.example.it", bari, full_name="Ettore Esterno"),
            private_member=make_user("riservato@asti.example.it", asti, full_name="Rita Riservata"),
        )
        open_community = make_community("Comunità aperta", "open", facilitators=[people["facilitator"]],
                                        members=[people["donor"]])
        private = make_community("Tavolo riservato", "private", facilitators=[people["facilitator"]],
                                 members=[people["donor"], people["private_member"]])
        practices = dict(
            published=make_practice("Centrale unica di committenza", open_community, chieri, licence="EUPL-1.2",
                                    mission="01", region_code="01"),
            draft=make_practice("Bozza segreta del Comune", open_community, chieri, status="draft", kit={}),
            archived=make_practice("Vecchio sportello unico", open_community, chieri, status="archived"),
            private_published=make_practice("Pratica del tavolo riservato", private, chieri),
        )
        db.session.commit()
        return PracticeWorld(open_community=ref(open_community), private_community=ref(private),
                             **{k: ref(v) for k, v in practices.items()}, **{k: ref(v) for k, v in people.items()})


def count_queries(app, client, url: str) -> int:
    """How many SQL statements one GET of `url` issues (the page must answer 200)."""
    from sqlalchemy import event

    statements: list[str] = []

    def listener(*args):
        statements.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def statements_issued(action) -> int:
    """How many SQL statements `action()` issues (inside the caller's application context)."""
    from sqlalchemy import event

    seen: list[str] = []

    def listener(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def request_as(client, world, role: str, method: str, url: str, htmx: bool = False):
    """One request by `role` (an attribute of `world`, or "anonymous"), signed in through the real form."""
    if role != "anonymous":
        assert login(client, getattr(world, role)).status_code == 303
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, data={"csrf_token": csrf_token(client, "/privacy")}, headers=headers)


@dataclass
class ReuseWorld:
    """A published practice of Chieri (donor) in an open community, with a reusing administration (Bari), an
    outsider administration (Asti), a supplier and an administrator."""

    community: Ref
    practice: Ref
    draft: Ref
    archived: Ref
    software: Ref
    donor_org: Ref
    reuser_org: Ref
    admin: Ref
    donor: Ref
    donor_colleague: Ref
    reuser: Ref
    reuser_referent: Ref
    outsider: Ref
    supplier: Ref


@pytest.fixture
def rworld(app) -> ReuseWorld:
    with app.app_context():
        chieri = make_org("Comune di Chieri", ipa_code="c_c627")
        bari = make_org("Comune di Bari", ipa_code="c_a662", region_code="16", province_code="BA")
        asti = make_org("Comune di Asti", ipa_code="c_a479", province_code="AT")
        vendor = make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None, ipa_code=None)
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            donor=make_user("cedente@chieri.example.it", chieri, is_referent=True, full_name="Carla Cedente"),
            donor_colleague=make_user("collega@chieri.example.it", chieri, full_name="Cesare Collega"),
            reuser=make_user("riuso@bari.example.it", bari, full_name="Rino Riuso"),
            reuser_referent=make_user("referente@bari.example.it", bari, is_referent=True, full_name="Rosa Referente"),
            outsider=make_user("esterno@asti.example.it", asti, full_name="Ettore Esterno"),
            supplier=make_user("fornitore@solidale.example.it", vendor, full_name="Franco Fornitore"),
        )
        community = make_community("Comunità del riuso", "open", facilitators=[people["donor"]],
                                   members=[people["reuser"], people["outsider"]])
        practices = dict(
            practice=make_practice("Centrale unica di committenza", community, chieri,
                                   created_by_id=people["donor"].id),
            draft=make_practice("Bozza di Chieri", community, chieri, status="draft", kit={}),
            archived=make_practice("Sportello archiviato", community, chieri, status="archived"),
            software=make_practice("Protocollo aperto", community, chieri, kind="software", licence="EUPL-1.2",
                                   repository_url="https://example.org/protocollo.git",
                                   publiccode={"used_by": ["Comune dichiarato nel file"]}),
        )
        db.session.commit()
        return ReuseWorld(community=ref(community), donor_org=ref(chieri), reuser_org=ref(bari),
                          **{k: ref(v) for k, v in practices.items()}, **{k: ref(v) for k, v in people.items()})


from tests.qa_world import qworld  # noqa: E402,F401  (the Q&A fixtures, issue 12)
from tests.evaluation_world import eworld  # noqa: E402,F401  (the evaluation fixtures, issue 13)
from tests.programme_world import progworld  # noqa: E402,F401  (programmes, calls and events, issue 15)
from tests.kpi_world import kworld  # noqa: E402,F401  (the KPI library, issue 16)
