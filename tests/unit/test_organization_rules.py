"""Cross-field rules of an organisation and the password strength rule."""
from __future__ import annotations

import pytest

from app.auth.passwords import password_problem
from app.organizations.validation import IPA_CODE_FORMAT, organization_problems


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_ipa_code_format():
    for good in ("c_h501", "r_lazio", "p_AN", "00L7M4KW", "cmto"):
        assert IPA_CODE_FORMAT.match(good)
    for bad in ("c h501", "c-h501", "x", "a" * 17, "c_h501;"):
        assert not IPA_CODE_FORMAT.match(bad)


def test_public_administration_needs_kind_code_and_region(ctx):
    problems = organization_problems(kind="public_administration", pa_kind=None, ipa_code="", region=None,
                                     province=None)
    assert set(problems) == {"pa_kind", "ipa_code", "region"}
    national = organization_problems(kind="public_administration", pa_kind="central_administration",
                                     ipa_code="PCM", region=None, province=None)
    assert national == {}


def test_province_must_belong_to_the_region(ctx):
    assert organization_problems(kind="supplier", pa_kind=None, ipa_code=None, region="01", province="TO") == {}
    assert "province" in organization_problems(kind="supplier", pa_kind=None, ipa_code=None, region="03",
                                               province="TO")
    assert "region" in organization_problems(kind="supplier", pa_kind=None, ipa_code=None, region=None,
                                             province="TO")


def test_password_strength(ctx):
    assert password_problem("corto")
    assert password_problem("password1234")
    assert password_problem("x" * 129)
    assert password_problem("mario.rossi.comune", "mario.rossi@comune.example.it", "Mario Rossi")
    assert password_problem("Una frase lunga e sicura 2026") is None
