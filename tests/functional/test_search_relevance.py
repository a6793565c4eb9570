"""Italian relevance on the real catalogue: every term of SEARCH_EXPECTATIONS.tsv finds at least its expected files."""
from __future__ import annotations

import csv
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organization, OrganizationKind, OrganizationStatus
from tests.conftest import SHARED_DIR, index_now, make_community, make_org

REAL = SHARED_DIR / "corpus" / "publiccode" / "real"
EXPECTATIONS = REAL / "SEARCH_EXPECTATIONS.tsv"


def expectations() -> list[tuple[str, int, list[str]]]:
    if not EXPECTATIONS.exists():
        return []
    with EXPECTATIONS.open(encoding="utf-8") as handle:
        return [(row["term"], int(row["min_results"]), row["must_include"].split())
                for row in csv.DictReader(handle, delimiter="\t")]


@pytest.fixture
def catalogue(app):
    """Every real publiccode.yml imported and published; file name -> practice slug."""
    if not EXPECTATIONS.exists():
        pytest.skip(f"{EXPECTATIONS} is missing: the shared corpus (../shared) is not beside the project")
    from app.practices.importer import import_publiccode, tolerated
    from app.practices.publiccode import parse_publiccode, practice_fields

    slugs = {}
    with app.app_context():
        fallback = make_org("Ente del catalogo nazionale", ipa_code=None)
        community = make_community("Catalogo del riuso", "open", theme="digital_agenda")
        for path in sorted(REAL.glob("*.yml")):
            result = parse_publiccode(path.read_bytes())
            if result.data is None:
                continue
            try:  # the file's own IPA code, even when the file has errors the lenient import tolerates
                code = practice_fields(tolerated(result)).get("ipa_code")
            except ValueError:
                code = None
            donor = db.session.execute(select(Organization).where(
                func.lower(Organization.ipa_code) == code.lower())).scalar_one_or_none() if code else None
            if code and donor is None:
                donor = make_org(code, ipa_code=code,
                                 kind=OrganizationKind.PUBLIC_ADMINISTRATION, status=OrganizationStatus.ACTIVE)
            outcome = import_publiccode(path.read_bytes(), community, donor=donor or fallback, author_id=None,
                                        publish=True, lenient=True)
            if outcome.practice is not None:
                slugs[path.name] = outcome.practice.slug
        db.session.commit()
    index_now(app)
    return slugs


def test_every_expected_file_is_found(app, client, catalogue, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_PER_PAGE", 500)
    failures = []
    for term, min_results, must_include in expectations():
        body = client.get("/search", query_string={"q": term}).get_data(as_text=True)
        found = set(re.findall(r'<h2 class="h5 card-title"><a href="/practices/([^"]+)">', body))
        missing = [name for name in must_include if catalogue.get(name) not in found]
        if missing or len(found) < min_results:
            failures.append(f"{term!r}: {len(found)} found (at least {min_results} expected), missing {missing}")
    assert not failures, "\n".join(failures)
    assert len(expectations()) >= 20
