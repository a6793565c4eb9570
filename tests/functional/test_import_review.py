"""Issue 11, points 5, 19 and 23: repeated values, one repository in two files, javascript: addresses, and web
imports over practices the importer may not see."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import KitVersion, Membership, Practice, PracticeTag, practice_co_donor
from app.practices.publiccode import parse_publiccode, practice_fields
from tests.conftest import csrf_token, make_user, post, ref
from tests.functional.test_practices import practice_form

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
MINIMAL_URL = "https://example.org/comune-esempio/prenota-sportello.git"


def web_import(client, community_id, text: str):
    data = {"csrf_token": csrf_token(client, "/practices/import"), "community": str(community_id),
            "file": (io.BytesIO(text.encode()), "publiccode.yml")}
    return client.post("/practices/import", data=data, content_type="multipart/form-data")


def cli_import(app, folder, community_slug, *extra):
    return app.test_cli_runner().invoke(args=["practices", "import-publiccode", str(folder), "--community",
                                              community_slug, "--donor", "c_c627", *extra])


def software(app) -> list[Practice]:
    with app.app_context():
        return list(db.session.execute(select(Practice).where(Practice.kind == "software")
                                       .order_by(Practice.id)).scalars())


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


# ---- point 5: repeated values are merged ----------------------------------------------------------------------

def test_every_repeated_list_value_is_merged_on_a_web_import_and_again_on_a_re_import(app, client, pworld, as_user):
    as_user(pworld.donor)
    text = fixture("repeated_values.yml")
    first = web_import(client, pworld.open_community.id, text)
    assert first.status_code == 303, first.get_data(as_text=True)[:2000]
    again = web_import(client, pworld.open_community.id, text)
    assert again.status_code == 303
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.kind == "software")).scalar_one()
        assert sorted(t.name for t in practice.tags) == ["document-management", "procurement"]
        fields = practice.publiccode
        assert fields["platforms"] == ["web", "linux"]
        assert fields["used_by"] == ["Comune di Chieri", "Comune di Asti"]
        assert fields["features"] == ["Registro di protocollo", "Fascicolazione"]
        assert fields["available_languages"] == ["it"] and fields["scopes"] == ["government"]
        technical = db.session.execute(select(KitVersion).where(KitVersion.practice_id == practice.id)
                                       ).scalar_one().section_bodies()["technical"]
        assert "Piattaforme: web, linux\n" in technical + "\n"
        assert technical.count("Registro di protocollo") == 1
        slug = practice.slug
    # The exported file names each value once, and is valid.
    exported = client.get(f"/practices/{slug}/publiccode.yml")
    reparsed = parse_publiccode(exported.data)
    assert reparsed.ok, reparsed.errors
    assert exported.get_data(as_text=True).count("- document-management") == 1
    assert practice_fields(reparsed)["platforms"] == ["web", "linux"]


def test_the_cli_merges_repeated_categories_even_in_other_case_when_lenient(app, pworld, tmp_path):
    text = fixture("repeated_values.yml").replace("  - procurement\n", "  - procurement\n  - Procurement\n")
    (tmp_path / "mixed_case.yml").write_text(text)
    result = cli_import(app, tmp_path, pworld.open_community.slug, "--lenient")
    assert "mixed_case.yml: imported" in result.output, result.output
    with app.app_context():
        names = db.session.execute(select(PracticeTag.name).order_by(PracticeTag.name).where(
            PracticeTag.practice_id == software(app)[0].id)).scalars().all()
    assert names == ["document-management", "procurement"]


def test_a_repeated_co_donor_code_names_the_organisation_once(app, client, pworld, as_user):
    from app.models import CoDonorInvitation, User

    with app.app_context():
        db.session.get(User, pworld.donor.id).is_referent = True  # a referent names co-donors
        db.session.commit()
    as_user(pworld.donor)
    form = practice_form(pworld.open_community.id, co_donors="c_a479, C_A479,c_a479 ")
    response = post(client, "/practices/new", form, page="/practices/new")
    assert response.status_code == 303
    with app.app_context():
        practice = db.session.execute(select(Practice).where(Practice.title.like("Sportello unico%"))).scalar_one()
        invited = db.session.execute(select(CoDonorInvitation.organization_id).where(
            CoDonorInvitation.practice_id == practice.id)).scalars().all()
        links = db.session.execute(select(func.count()).select_from(practice_co_donor).where(
            practice_co_donor.c.practice_id == practice.id)).scalar()
    assert len(invited) == 1 and links == 0  # one invitation, and no co-donor until Asti's referent accepts


def test_two_files_of_a_batch_declaring_one_repository_give_a_warning_naming_both(app, pworld, tmp_path):
    minimal = fixture("minimal.yml")
    (tmp_path / "a_first.yml").write_text(minimal)
    # The same repository, written another way (no ".git", other case, trailing slash), under another name.
    (tmp_path / "b_second.yml").write_text(minimal.replace("name: Prenota Sportello", "name: Sportello Altro").replace(
        MINIMAL_URL, "https://Example.org/comune-esempio/prenota-sportello/"))
    result = cli_import(app, tmp_path, pworld.open_community.slug)
    assert result.exit_code == 0, result.output
    second = next(line for line in result.output.splitlines() if "b_second.yml:" in line)
    assert "skipped" in second and "a_first.yml" in second
    assert "a_first.yml: imported" in result.output and "1 skipped" in result.output
    assert [p.title for p in software(app)] == ["Prenota Sportello"]  # the first file's practice, untouched
    # Run again: the first file updates its practice, the second is still reported, never applied.
    again = cli_import(app, tmp_path, pworld.open_community.slug)
    assert "a_first.yml: updated" in again.output and "b_second.yml: skipped" in again.output
    assert [p.title for p in software(app)] == ["Prenota Sportello"]


# ---- point 19: only http(s) addresses ---------------------------------------------------------------------------

@pytest.mark.parametrize("key, value", [("url", "javascript:alert(1)//"), ("url", "data:text/html,x"),
                                        ("landingURL", "javascript:alert(document.domain)")])
def test_a_javascript_address_is_refused_by_the_web_import(app, client, pworld, as_user, key, value):
    text = fixture("minimal.yml")
    text = text.replace(MINIMAL_URL, value) if key == "url" else text.replace(
        "\nplatforms:", f'\nlandingURL: "{value}"\n\nplatforms:')
    as_user(pworld.donor)
    response = web_import(client, pworld.open_community.id, text)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f"<code>{key}</code>" in body  # the parser or the importer says why
    assert "http:// o https://" in body or "HTTP(S)" in body
    assert software(app) == []


def test_a_javascript_address_is_refused_by_the_cli_even_when_lenient(app, pworld, tmp_path):
    (tmp_path / "xss.yml").write_text(fixture("minimal.yml").replace(MINIMAL_URL, "javascript:alert(1)//"))
    for extra in ((), ("--lenient",)):
        result = cli_import(app, tmp_path, pworld.open_community.slug, *extra)
        assert "xss.yml: rejected: url" in result.output, result.output
    assert software(app) == []


def test_forms_refuse_non_web_addresses(app, client, pworld, as_user):
    as_user(pworld.donor)
    for field in ("website", "repository_url"):
        response = post(client, "/practices/new", practice_form(pworld.open_community.id, co_donors="",
                                                                **{field: "javascript:alert(1)//"}),
                        page="/practices/new")
        assert response.status_code == 422 and "indirizzo web completo" in response.get_data(as_text=True)


def test_the_models_never_store_a_non_web_address(app, pworld):
    with app.app_context():
        practice = db.session.get(Practice, pworld.published.id)
        for value in ("javascript:alert(1)//", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example",
                      "java\nscript:alert(1)"):
            with pytest.raises(ValueError):
                practice.repository_url = value
            with pytest.raises(ValueError):
                practice.donor.website = value
        practice.repository_url = "https://example.org/x"
        practice.website = None
        db.session.rollback()


def test_a_stored_non_web_address_is_never_a_link(app, client, pworld):
    from sqlalchemy import update

    with app.app_context():  # written past the model's check, as an old row would be
        db.session.execute(update(Practice).where(Practice.id == pworld.published.id).values(
            repository_url="javascript:alert(1)//", website="https://comune.example.it"))
        db.session.commit()
    body = client.get(f"/practices/{pworld.published.slug}").get_data(as_text=True)
    assert "javascript:alert(1)//" in body  # shown as text
    assert 'href="javascript:' not in body.replace("JAVASCRIPT", "javascript")
    assert 'href="https://comune.example.it"' in body


def test_safe_href_filter():
    from app.links import safe_href

    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_href(" http://example.org ") == "http://example.org"
    for bad in ("javascript:alert(1)//", "vbscript:x", "data:text/html,x", "/relative", "https://", "", None,
                "https://exa mple.org", "mailto:a@example.org"):
        assert safe_href(bad) == ""


# ---- point 23: a web import never touches a practice its importer may not see ----------------------------------

def _private_software_of_chieri(app, pworld):
    """Chieri's practice in the private table declares the minimal file's repository; a Chieri referent who is not
    in that table (but in the open community) imports the file."""
    with app.app_context():
        practice = db.session.get(Practice, pworld.private_published.id)
        practice.repository_url = MINIMAL_URL
        practice.kind = "software"
        chieri = practice.donor
        referent = make_user("referente@chieri.example.it", chieri, is_referent=True, full_name="Rosa Referente")
        db.session.flush()
        db.session.add(Membership(community_id=pworld.open_community.id, user_id=referent.id, status="active",
                                  role="member"))
        db.session.commit()
        versions = db.session.execute(select(func.count()).select_from(KitVersion).where(
            KitVersion.practice_id == practice.id)).scalar()
        return ref(referent), versions


def test_a_web_import_refuses_a_practice_its_importer_may_not_see_without_revealing_it(app, client, pworld,
                                                                                         as_user):
    referent, versions = _private_software_of_chieri(app, pworld)
    as_user(referent)
    assert client.get(f"/practices/{pworld.private_published.slug}").status_code == 404
    response = web_import(client, pworld.open_community.id, fixture("minimal.yml"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Non puoi importare un publiccode.yml con questo repository" in body
    assert pworld.private_published.name not in body and pworld.private_published.slug not in body
    assert "Tavolo riservato" not in body
    with app.app_context():
        practice = db.session.get(Practice, pworld.private_published.id)
        assert practice.title == "Pratica del tavolo riservato"
        assert db.session.execute(select(func.count()).select_from(KitVersion).where(
            KitVersion.practice_id == practice.id)).scalar() == versions
    assert software(app) == [] or all(p.id == pworld.private_published.id for p in software(app))


def test_the_refusal_is_the_same_as_for_a_practice_one_may_see_but_not_edit(app, client, pworld, as_user):
    referent, _ = _private_software_of_chieri(app, pworld)
    as_user(referent)
    hidden = web_import(client, pworld.open_community.id, fixture("minimal.yml")).get_data(as_text=True)
    other = app.test_client()
    with app.app_context():  # Bari's person, in the open community, and Chieri's open practice with that repository
        db.session.get(Practice, pworld.private_published.id).repository_url = None
        db.session.get(Practice, pworld.published.id).repository_url = MINIMAL_URL
        db.session.add(Membership(community_id=pworld.open_community.id, user_id=pworld.outsider.id,
                                  status="active", role="member"))
        db.session.commit()
    from tests.conftest import login

    login(other, pworld.outsider)
    visible = web_import(other, pworld.open_community.id, fixture("minimal.yml")).get_data(as_text=True)

    def error_table(body: str) -> str:
        start = body.index("<table")
        return body[start:body.index("</table>", start)]

    assert error_table(hidden) == error_table(visible)
