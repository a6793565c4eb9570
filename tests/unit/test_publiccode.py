"""publiccode.yml validation, field extraction and export (app/practices/publiccode.py): pure functions, no app.

Two sources of cases:
* our own fixtures in tests/fixtures/publiccode/ (always run);
* the shared corpus in ../shared/corpus/publiccode/ — the official validator's test files with its expected
  results, and real files published by Italian administrations (skipped with a message when absent).
"""
from __future__ import annotations

import csv
import random
import re
import struct
import zlib
from pathlib import Path

import pytest

from app.practices.publiccode import (
    Issue,
    ParseResult,
    dump_publiccode,
    grapheme_count,
    is_bcp47,
    is_spdx_expression,
    parse_publiccode,
    practice_fields,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "publiccode"
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "publiccode"
TESTDATA = CORPUS / "testdata" / "v0"
REAL = CORPUS / "real"
REAL_BROKEN = CORPUS / "real_broken"
IPA_CODES = CORPUS / "spec" / "it" / "ipa_codes.txt"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def paths(issues: list[Issue]) -> set[str]:
    return {issue.path for issue in issues}


def at(result: ParseResult, path: str, severity: str = "error") -> Issue:
    issues = result.errors if severity == "error" else result.warnings
    matching = [issue for issue in issues if issue.path == path]
    assert matching, f"no {severity} at {path!r}; got {[(i.path, i.message) for i in issues]}"
    return matching[0]


def corpus_files(folder: Path, pattern: str = "*.yml") -> list[Path]:
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared publiccode corpus not found at {path}: corpus tests skipped (own fixtures still run)")


def file_id(path: Path | None) -> str:
    if path is None:
        return "corpus-absent"
    return str(path.relative_to(CORPUS)) if CORPUS in path.parents else path.name


def corpus_params(files: list[Path], folder: Path) -> list:
    """One case per corpus file, or a single skipped case naming the missing folder."""
    if files:
        return files
    reason = f"shared publiccode corpus not found at {folder}: corpus tests skipped (own fixtures still run)"
    return [pytest.param(None, marks=pytest.mark.skip(reason=reason))]


# ---------------------------------------------------------------------------------------------------------------
# Own fixtures: the core rules, without ../shared
# ---------------------------------------------------------------------------------------------------------------

def test_minimal_italian_file_is_valid_without_warnings():
    result = parse_publiccode(fixture("minimal.yml"))
    assert result.ok and result.warnings == []
    assert result.version == "0"
    assert result.data["name"] == "Prenota Sportello"
    assert result.data["localisation"]["localisationReady"] is False


def test_full_0_4_file_is_valid_and_keeps_text_as_written():
    result = parse_publiccode(fixture("full_v0_4.yml"))
    assert result.ok, result.errors
    # Only the old version and genericName (deprecated since 0.3) are warned; nothing else of 0.4 is deprecated.
    assert paths(result.warnings) == {"publiccodeYmlVersion", "description.it.genericName"}
    # YAML 1.2 reading: numbers and dates stay the text the author wrote.
    assert result.data["softwareVersion"] == "1.10"
    assert result.data["releaseDate"] == "2024-03-05"


def test_practice_fields_of_full_file_prefer_italian():
    fields = practice_fields(parse_publiccode(fixture("full_v0_4.yml")))
    assert fields["language"] == "it"
    assert fields["name"] == "Albo Facile"
    assert fields["short_description"] == "Albo pretorio online per i piccoli comuni"
    assert fields["long_description"].startswith("Albo Facile pubblica gli atti")
    assert "\n\nI cittadini cercano" in fields["long_description"]   # literal block kept, stripped at the ends
    assert fields["features"] == ["Pubblicazione degli atti con firma digitale",
                                  "Archiviazione automatica a fine pubblicazione",
                                  "Ricerca per data, ufficio e tipo di atto"]
    assert fields["licence"] == "EUPL-1.2 OR AGPL-3.0-or-later"
    assert fields["url"] == "https://example.org/unione-colline/albo-facile.git"
    assert fields["landing_url"] == "https://albo.example.org"
    assert fields["development_status"] == "beta"
    assert fields["software_type"] == "standalone/web"
    assert fields["platforms"] == ["web", "linux"]
    assert fields["categories"] == ["document-management", "digital-citizenship"]
    assert fields["maintenance"] == {
        "type": "contract",
        "contractors": [{"name": "Software Colline S.r.l.", "until": "2026-12-31",
                         "website": "https://softwarecolline.example.com",
                         "email": "assistenza@softwarecolline.example.com"}],
        "contacts": [{"name": "Giulia Bianchi", "email": "giulia.bianchi@colline.example.org",
                      "phone": "+39 0541 000000", "affiliation": "Unione dei Comuni delle Colline"}],
    }
    assert fields["dependencies"] == [
        {"name": "PostgreSQL", "kind": "open", "version_min": "13", "version_max": "16", "version": None,
         "optional": None},
        {"name": "Nginx", "kind": "open", "version_min": None, "version_max": None, "version": None,
         "optional": True},
        {"name": "Servizio di firma remota", "kind": "proprietary", "version_min": None, "version_max": None,
         "version": "2.0", "optional": None},
        {"name": "Lettore di smart card", "kind": "hardware", "version_min": None, "version_max": None,
         "version": None, "optional": True},
    ]
    assert fields["used_by"] == ["Comune di Borgo Alto", "Unione dei Comuni delle Colline"]
    assert fields["ipa_code"] == "uc_colline"
    assert fields["organisation_name"] == "Unione dei Comuni delle Colline"
    assert fields["release_date"] == "2024-03-05"
    assert fields["software_version"] == "1.10"
    assert fields["publiccode_version"] == "0.4.0"


def test_description_language_order_italian_then_english_then_first():
    base = fixture("minimal.yml")
    english = base.replace("  it:\n", "  en:\n").replace("    - it\n", "    - en\n")
    assert practice_fields(parse_publiccode(english))["language"] == "en"
    regional = base.replace("  it:\n", "  it-IT:\n")
    assert practice_fields(parse_publiccode(regional))["language"] == "it-IT"
    german = base.replace("  it:\n", "  de:\n")
    assert practice_fields(parse_publiccode(german))["language"] == "de"
    assert practice_fields(parse_publiccode(fixture("legacy_v0_2.yml")))["language"] == "it-IT"


def test_ipa_code_from_organisation_uri_or_italian_section():
    base = fixture("minimal.yml")
    with_uri = base + "organisation:\n  name: Comune di Esempio\n  uri: urn:x-italian-pa:c_x000\n"
    fields = practice_fields(parse_publiccode(with_uri))
    assert fields["ipa_code"] == "c_x000" and fields["organisation_name"] == "Comune di Esempio"
    assert practice_fields(parse_publiccode(fixture("legacy_v0_2.yml")))["ipa_code"] == "p_es"
    not_italian = base + "organisation:\n  uri: https://example.org/org\n"
    assert practice_fields(parse_publiccode(not_italian))["ipa_code"] is None


def test_practice_fields_refuses_a_file_with_errors():
    with pytest.raises(ValueError):
        practice_fields(parse_publiccode(fixture("errors.yml")))
    with pytest.raises(ValueError):
        practice_fields(parse_publiccode(fixture("malformed.yml")))


def test_old_version_is_a_warning_and_its_own_keys_are_not_deprecated():
    result = parse_publiccode(fixture("legacy_v0_2.yml"))
    assert result.ok, result.errors
    assert result.version == "0.2"   # unquoted in the file: still the text "0.2"
    assert [(w.path, w.line) for w in result.warnings] == [("publiccodeYmlVersion", 3)]
    fields = practice_fields(result)
    assert fields["name"] == "Protocollo Informatico"   # a plain scalar over two lines
    assert fields["organisation_name"] == "Provincia di Esempio"


def test_deprecated_keys_of_the_latest_version_are_warnings_with_lines():
    result = parse_publiccode(fixture("deprecated_latest.yml"))
    assert result.ok, result.errors
    assert {(w.path, w.line) for w in result.warnings} == {
        ("monochromeLogo", 5), ("inputTypes", 6), ("intendedAudience.countries[0]", 14),
        ("description.it.genericName", 17), ("legal.repoOwner", 27), ("legal.authorsFile", 28),
        ("IT.conforme", 36), ("IT.riuso.codiceIPA", 39),
    }
    assert "organisation.uri" in at(result, "IT.riuso.codiceIPA", "warning").message
    assert all(w.severity == "warning" for w in result.warnings)


def test_error_paths_and_lines_point_at_the_offending_keys():
    result = parse_publiccode(fixture("errors.yml"))
    assert {(e.path, e.line) for e in result.errors} == {
        ("url", 4),
        ("landingURL", 5),
        ("releaseDate", 6),                        # 30 February
        ("platforms", 7),                          # a text, not a list
        ("categories[0]", 9),
        ("developmentStatus", 10),
        ("colour", 12),                            # unknown key
        ("description.it_IT", 14),                 # not a BCP 47 tag
        ("description.it_IT.longDescription", 16),
        ("description.it_IT.features", 17),
        ("legal.license", 19),
        ("maintenance.contractors", 20),           # missing: the line of its section
        ("maintenance.contacts[0].email", 24),
        ("localisation.localisationReady", 26),    # "true" quoted is text
        ("localisation.availableLanguages[0]", 28),
        ("dependsOn.open[0].name", 31),            # missing: the line of its list item
    }
    assert all(e.severity == "error" and e.message for e in result.errors)
    assert "2024-02-30" in at(result, "releaseDate").message
    assert '"finished"' in at(result, "developmentStatus").message
    assert "remove the quotes" in at(result, "localisation.localisationReady").message
    assert result.data is not None   # the mapping is still there, for the error report


def test_malformed_yaml_is_one_error_with_its_line():
    result = parse_publiccode(fixture("malformed.yml"))
    assert result.data is None and result.version is None
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.path == "" and error.line == 8 and error.message.startswith("Malformed YAML at line 8")


@pytest.mark.parametrize("text, message", [
    ("", "found an empty file"),
    ("# only a comment\n", "found an empty file"),
    ("- a\n- b\n", "found a list"),
    ("just text", 'found the text "just text"'),
    ("a: [1, 2\n", "Malformed YAML"),
    ("key:\n\tvalue: 1\n", "tabs cannot be used"),
    ("a: 1\n---\nb: 2\n", "Malformed YAML"),
    ("a: *missing\n", "Malformed YAML"),
    ("a: \x00\n", "Malformed YAML"),
])
def test_inputs_that_are_not_a_publiccode_mapping(text, message):
    result = parse_publiccode(text)
    assert not result.ok and result.data is None
    assert message in result.errors[0].message


def test_bytes_must_be_utf8_and_bom_is_accepted():
    latin1 = fixture("minimal.yml").replace("Prenota Sportello", "Prenotazione più rapida").encode("latin-1")
    result = parse_publiccode(latin1)
    assert not result.ok and "UTF-8" in result.errors[0].message and result.errors[0].line == 4
    assert parse_publiccode(("\ufeff" + fixture("minimal.yml")).encode("utf-8")).ok
    assert parse_publiccode(fixture("minimal.yml").encode("utf-8")).ok


def _variant(old: str, new: str) -> str:
    base = fixture("minimal.yml")
    assert old in base, old
    return base.replace(old, new, 1)


# (what, text to replace in minimal.yml, replacement, expected error path or None when it must stay valid)
RULES = [
    ("version missing", 'publiccodeYmlVersion: "0"\n', "", "publiccodeYmlVersion"),
    ("version unknown", 'publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "1"', "publiccodeYmlVersion"),
    ("version 0.6 not listed upstream", 'publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "0.6"',
     "publiccodeYmlVersion"),
    ("version 0.5.0", 'publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "0.5.0"', None),
    ("name empty", "name: Prenota Sportello", 'name: ""', "name"),
    ("name null", "name: Prenota Sportello", "name:", "name"),
    ("name list", "name: Prenota Sportello", "name: [a]", "name"),
    ("url missing", 'url: "https://example.org/comune-esempio/prenota-sportello.git"\n', "", "url"),
    ("url without scheme", 'url: "https://example.org/comune-esempio/prenota-sportello.git"',
     "url: example.org/repo.git", "url"),
    ("url git scp form", 'url: "https://example.org/comune-esempio/prenota-sportello.git"',
     "url: git@example.org:ente/repo.git", "url"),
    ("platforms empty", "platforms:\n  - web", "platforms: []", "platforms"),
    ("platforms free text allowed", "  - web\n", "  - web\n  - Raspberry Pi\n", None),
    ("developmentStatus enum", "developmentStatus: stable", "developmentStatus: production", "developmentStatus"),
    ("softwareType enum", 'softwareType: "standalone/web"', "softwareType: standalone", "softwareType"),
    ("softwareType addon", 'softwareType: "standalone/web"', "softwareType: addon", None),
    ("categories unknown", "platforms:", "categories: [protocollo]\nplatforms:", "categories[0]"),
    ("categories null allowed", "platforms:", "categories:\nplatforms:", None),
    ("usedBy must be a list", "platforms:", "usedBy: Comune di Esempio\nplatforms:", "usedBy"),
    ("releaseDate format", "platforms:", "releaseDate: 05/03/2024\nplatforms:", "releaseDate"),
    ("releaseDate unquoted ok", "platforms:", "releaseDate: 2024-03-05\nplatforms:", None),
    ("landingURL http only", "platforms:", "landingURL: mailto:ufficio@example.org\nplatforms:", "landingURL"),
    ("roadmap http", "platforms:", "roadmap: https://example.org/roadmap\nplatforms:", None),
    ("isBasedOn text", "platforms:", "isBasedOn: originale\nplatforms:", "isBasedOn[0]"),
    ("isBasedOn list", "platforms:", "isBasedOn:\n  - https://example.org/a.git\n  - b\nplatforms:",
     "isBasedOn[1]"),
    ("logo extension", "platforms:", "logo: img/logo.jpg\nplatforms:", "logo"),
    ("logo absolute", "platforms:", "logo: /srv/logo.png\nplatforms:", "logo"),
    ("logo file url", "platforms:", "logo: file:///srv/logo.png\nplatforms:", "logo"),
    ("logo remote not checked offline", "platforms:", "logo: https://example.org/logo.png\nplatforms:", None),
    ("unknown key", "platforms:", "tags: [a]\nplatforms:", "tags"),
    ("wrong case key", "platforms:", "Name: x\nplatforms:", "Name"),
    ("duplicate key", "platforms:", "name: Due volte\nplatforms:", "name"),
    ("description missing language", "  it:\n", "  italiano:\n", "description.italiano"),
    ("description empty", "description:\n", "description: {}\nold_description:\n", "description"),
    ("shortDescription too long", "shortDescription: Prenotazione online degli appuntamenti agli sportelli comunali",
     "shortDescription: " + "x" * 151, "description.it.shortDescription"),
    ("shortDescription 150 ok", "shortDescription: Prenotazione online degli appuntamenti agli sportelli comunali",
     "shortDescription: " + "è" * 150, None),
    ("longDescription too long", "    longDescription: >\n", "    longDescription: " + "y" * 10001
     + "\n    oldLong: >\n", "description.it.longDescription"),
    ("features missing", "    features:\n      - Prenotazione online degli appuntamenti\n", "",
     "description.it.features"),
    ("documentation http", "    features:", "    documentation: docs\n    features:", "description.it.documentation"),
    ("videos http", "    features:", "    videos: [youtube]\n    features:", "description.it.videos[0]"),
    ("screenshot extension", "    features:", "    screenshots: [shot.gif]\n    features:",
     "description.it.screenshots[0]"),
    ("genericName too long", "    features:", "    genericName: " + "g" * 36 + "\n    features:",
     "description.it.genericName"),
    ("license missing", "  license: EUPL-1.2\n", "  mainCopyrightOwner: Comune\n", "legal.license"),
    ("license not SPDX", "license: EUPL-1.2", "license: EUPL 1.2", "legal.license"),
    ("license expression", "license: EUPL-1.2", "license: (EUPL-1.2 OR MIT) AND Apache-2.0 WITH LLVM-exception",
     None),
    ("legal missing", "legal:\n  license: EUPL-1.2\n", "", "legal.license"),
    ("maintenance type enum", "type: internal", "type: external", "maintenance.type"),
    ("maintenance missing", "maintenance:\n  type: internal\n  contacts:\n    - name: Maria Rossi\n", "",
     "maintenance.type"),
    ("contacts required when internal", "  contacts:\n    - name: Maria Rossi\n", "", "maintenance.contacts"),
    ("contacts optional when none", "type: internal\n  contacts:\n    - name: Maria Rossi\n", "type: none\n", None),
    ("contractors required when contract", "type: internal", "type: contract", "maintenance.contractors"),
    ("contractors excluded unless contract", "  contacts:",
     "  contractors:\n    - name: Ditta\n      until: 2025-01-01\n  contacts:", "maintenance.contractors"),
    ("contractor until required", "type: internal\n  contacts:",
     "type: contract\n  contractors:\n    - name: Ditta\n  contacts:", "maintenance.contractors[0].until"),
    ("contractor website http", "type: internal\n  contacts:",
     "type: contract\n  contractors:\n    - name: Ditta\n      until: 2025-01-01\n      website: ditta.it\n"
     "  contacts:", "maintenance.contractors[0].website"),
    ("contact email", "    - name: Maria Rossi", "    - name: Maria Rossi\n      email: maria.rossi",
     "maintenance.contacts[0].email"),
    ("contact empty email ignored", "    - name: Maria Rossi", '    - name: Maria Rossi\n      email: ""', None),
    ("contact phone number unquoted", "    - name: Maria Rossi", "    - name: Maria Rossi\n      phone: 0541000000",
     None),
    ("contact name missing", "    - name: Maria Rossi", "    - email: maria.rossi@example.org",
     "maintenance.contacts[0].name"),
    ("localisationReady yes", "localisationReady: false", "localisationReady: yes",
     "localisation.localisationReady"),
    ("localisationReady quoted", "localisationReady: false", 'localisationReady: "false"',
     "localisation.localisationReady"),
    ("localisationReady missing", "  localisationReady: false\n", "", "localisation.localisationReady"),
    ("availableLanguages underscore", "    - it\n", "    - it_IT\n", "localisation.availableLanguages[0]"),
    ("availableLanguages variant ok", "    - it\n", "    - sl-IT-nedis\n    - lld\n    - fur\n", None),
    ("availableLanguages unknown", "    - it\n", "    - xx\n", "localisation.availableLanguages[0]"),
    ("dependency optional text", "localisation:",
     'dependsOn:\n  open:\n    - name: PostgreSQL\n      optional: "yes"\nlocalisation:', "dependsOn.open[0].optional"),
    ("dependency unknown kind", "localisation:", "dependsOn:\n  closed:\n    - name: X\nlocalisation:",
     "dependsOn.closed"),
    ("dependency version number", "localisation:",
     "dependsOn:\n  open:\n    - name: PostgreSQL\n      versionMin: 13.2\nlocalisation:", None),
    ("country invalid", "platforms:", "intendedAudience:\n  countries: [ITA]\nplatforms:",
     "intendedAudience.countries[0]"),
    ("country mixed case", "platforms:", "intendedAudience:\n  unsupportedCountries: [Fr]\nplatforms:",
     "intendedAudience.unsupportedCountries[0]"),
    ("scope invalid", "platforms:", "intendedAudience:\n  scope: [sanita]\nplatforms:", "intendedAudience.scope[0]"),
    ("organisation uri required", "platforms:", "organisation:\n  name: Comune\nplatforms:", "organisation.uri"),
    ("organisation bare ipa code", "platforms:", "organisation:\n  uri: c_x000\nplatforms:", "organisation.uri"),
    ("organisation ipa format", "platforms:", "organisation:\n  uri: urn:x-italian-pa:c-x000!\nplatforms:",
     "organisation.uri"),
    ("organisation url", "platforms:", "organisation:\n  uri: https://www.comune.example.it\nplatforms:", None),
    ("fundedBy must be a list", "platforms:", "fundedBy:\n  uri: https://example.org\nplatforms:", "fundedBy"),
    ("fundedBy urn", "platforms:", "fundedBy:\n  - uri: urn:x-foo:bar\nplatforms:", None),
    ("supports alias", "platforms:", "supports:\n  - id: alias:spid\n  - id: alias:pagopa\nplatforms:", None),
    ("supports unknown alias", "platforms:", "supports:\n  - id: alias:anagrafe\nplatforms:", "supports[0].id"),
    ("supports not a uri", "platforms:", "supports:\n  - id: GDPR\nplatforms:", "supports[0].id"),
    ("IT countryExtensionVersion", "localisation:", 'IT:\n  countryExtensionVersion: "2.0"\nlocalisation:',
     "IT.countryExtensionVersion"),
    ("IT piattaforme bool", "localisation:", "IT:\n  piattaforme:\n    spid: si\nlocalisation:",
     "IT.piattaforme.spid"),
    ("IT unknown key", "localisation:", "IT:\n  riuso:\n    codiceIPA: c_x000\n    ecosistemi: [a]\nlocalisation:",
     "IT.riuso.ecosistemi"),
    ("IT and it together", "localisation:", "IT:\n  piattaforme:\n    spid: true\nit:\n  piattaforme:\n"
     "    spid: true\nlocalisation:", "it"),
]


@pytest.mark.parametrize("what, old, new, expected", RULES, ids=[rule[0] for rule in RULES])
def test_rule(what, old, new, expected):
    result = parse_publiccode(_variant(old, new))
    if expected is None:
        assert result.ok, result.errors
    else:
        assert expected in paths(result.errors), (what, [(e.path, e.message) for e in result.errors])


def test_missing_top_level_key_has_no_line_but_missing_nested_key_points_at_its_section():
    result = parse_publiccode(_variant("name: Prenota Sportello\n", ""))
    assert at(result, "name").line is None
    result = parse_publiccode(_variant("  license: EUPL-1.2\n", "  mainCopyrightOwner: Comune\n"))
    assert at(result, "legal.license").line == 23


def test_duplicate_key_names_both_lines():
    result = parse_publiccode(_variant("platforms:", "name: Due volte\nplatforms:"))
    error = at(result, "name")
    assert error.line == 7 and "line 4" in error.message


def test_ipa_registry_is_used_when_given():
    text = fixture("minimal.yml") + "organisation:\n  uri: urn:x-italian-pa:c_x000\n"
    assert parse_publiccode(text).ok   # format only
    assert parse_publiccode(text, ipa_code_exists=lambda code: code == "c_x000").ok
    result = parse_publiccode(text, ipa_code_exists=lambda code: False)
    assert "iPA" in at(result, "organisation.uri").message
    legacy = parse_publiccode(fixture("legacy_v0_2.yml"), ipa_code_exists=lambda code: False)
    assert "it.riuso.codiceIPA" in paths(legacy.errors)


def _png(width: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x00" * width for _ in range(1))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_local_files_are_checked_only_with_a_base_dir(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(_png(200))
    (tmp_path / "img" / "tiny.png").write_bytes(_png(16))
    (tmp_path / "img" / "fake.png").write_bytes(b"GIF89a not a png")
    (tmp_path / "img" / "shot.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "AUTHORS").write_text("Maria Rossi\n")

    def with_files(logo: str, screenshot: str = "img/shot.jpg", authors: str = "AUTHORS") -> str:
        return (_variant("platforms:", f"logo: {logo}\nplatforms:")
                .replace("    features:", f"    screenshots: [{screenshot}]\n    features:")
                .replace("  license: EUPL-1.2", f"  license: EUPL-1.2\n  authorsFile: {authors}"))

    assert parse_publiccode(with_files("img/logo.png"), base_dir=tmp_path).ok
    assert parse_publiccode(with_files("img/missing.png")).ok   # no base_dir: paths are not looked up
    for logo, words in (("img/missing.png", "does not exist"), ("img/fake.png", "not a valid PNG"),
                        ("img/tiny.png", "at least 120 pixels"), ("../outside.png", "outside the repository")):
        result = parse_publiccode(with_files(logo), base_dir=tmp_path)
        assert words in at(result, "logo").message
    result = parse_publiccode(with_files("img/logo.png", screenshot="img/none.png", authors="NOPE"),
                              base_dir=tmp_path)
    assert paths(result.errors) == {"description.it.screenshots[0]", "legal.authorsFile"}


def test_grapheme_count_and_small_validators():
    assert grapheme_count("città") == 5
    assert grapheme_count("citta\u0300") == 5            # combining accent
    assert grapheme_count("👩\u200d💻👦🏽") == 2              # ZWJ sequence and skin tone
    assert grapheme_count("🇮🇹🇫🇷") == 2                   # flags
    assert grapheme_count("베스핀") == 3
    assert grapheme_count("\u1100\u1161\u11a8") == 1      # decomposed Hangul syllable
    assert grapheme_count("a\r\nb") == 3
    for tag in ("it", "it-IT", "en-GB", "sl-IT-nedis", "zh-Hant-TW", "de-CH-1901", "fur", "en-x-private"):
        assert is_bcp47(tag), tag
    for tag in ("xxx", "en_GB", "it-", "italiano", "e", "en-XX", ""):
        assert not is_bcp47(tag), tag
    for expression in ("MIT", "EUPL-1.2", "GPL-2.0+", "(MIT OR Apache-2.0) AND BSD-3-Clause",
                       "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-Comune-1",
                       "DocumentRef-spdx:LicenseRef-x"):
        assert is_spdx_expression(expression), expression
    for expression in ("", "MIT OR", "(MIT", "MIT)", "Invalid License", "MIT AND AND GPL-3.0", "WITH MIT",
                       "MIT WITH", "licenza libera", "GPL-3.0 WITH X+"):
        assert not is_spdx_expression(expression), expression


# publiccode_version describes the source file (the export is always 0.4.0); genericName is deprecated since 0.3,
# kept from imports only as searchable text and not written back.
ROUND_TRIP_IGNORES = {"publiccode_version", "generic_name"}


def assert_round_trip(text: str | bytes, used_by: list[str] | None = None) -> dict:
    original = practice_fields(parse_publiccode(text))
    exported = dump_publiccode(original, used_by=used_by)
    again = parse_publiccode(exported)
    assert again.ok, (again.errors, exported)
    assert again.version == "0.4.0"
    assert {w.path for w in again.warnings} <= {"publiccodeYmlVersion"}, again.warnings
    fields = practice_fields(again)
    expected = {key: value for key, value in original.items() if key not in ROUND_TRIP_IGNORES}
    if used_by is not None:
        expected["used_by"] = used_by
    assert {key: value for key, value in fields.items() if key not in ROUND_TRIP_IGNORES} == expected
    return fields


@pytest.mark.parametrize("name", ["minimal.yml", "full_v0_4.yml", "legacy_v0_2.yml", "deprecated_latest.yml"])
def test_round_trip_own_fixtures(name):
    assert_round_trip(fixture(name))


def test_export_uses_the_platform_adoptions_for_used_by():
    fields = assert_round_trip(fixture("full_v0_4.yml"), used_by=["Comune di Altrove"])
    assert fields["used_by"] == ["Comune di Altrove"]
    text = dump_publiccode(practice_fields(parse_publiccode(fixture("minimal.yml"))), used_by=[])
    assert "usedBy" not in text


def test_export_shape():
    text = dump_publiccode(practice_fields(parse_publiccode(fixture("full_v0_4.yml"))))
    assert text.startswith('publiccodeYmlVersion: "0.4.0"\n')
    assert "\n  riuso:\n    codiceIPA: uc_colline\n" in text
    assert "softwareVersion: '1.10'" in text          # quoted: stays text for any YAML reader
    assert "longDescription: |" in text                # multi-line texts as literal blocks


def test_export_of_tricky_texts_round_trips():
    fields = practice_fields(parse_publiccode(fixture("minimal.yml")))
    fields.update({
        "name": "yes",
        "short_description": "null: # not a comment, \"quoted\" and 'single'",
        "long_description": "Riga con spazi finali   \n\n  rientrata\n\tcon tab\n" + "è" * 150,
        "features": ["- trattino", "true", "1.0", "@chiocciola", "*asterisco", "2024-01-01"],
        "software_version": "010",
        "release_date": "2024-01-01",
        "ipa_code": "c_x000",
        "organisation_name": "Comune: di Esempio",
    })
    exported = dump_publiccode(fields)
    again = parse_publiccode(exported)
    assert again.ok, (again.errors, exported)
    result = practice_fields(again)
    for key in ("name", "short_description", "features", "software_version", "ipa_code", "organisation_name"):
        assert result[key] == fields[key], key
    assert result["long_description"] == fields["long_description"].strip()


def test_never_raises_on_mutated_input():
    """Random edits of the fixtures: every outcome is a result, never an exception or an internal error."""
    sources = [(FIXTURES / name).read_bytes() for name in sorted(p.name for p in FIXTURES.glob("*.yml"))]
    pieces = [b": ", b"- ", b"\n", b"  ", b"[", b"]", b"{", b"}", b"&a ", b"*a", b"!!bool ", b"!!str ", b"~",
              b"yes", b"\t", b"'", b'"', b"#", b"|", b">", b"? ", b"\xff", b"\x00", b"--- ", b"%YAML 1.2\n", b"1:"]
    rng = random.Random(20240305)
    for _ in range(1500):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 5)):
            position = rng.randrange(len(data) + 1)
            if rng.random() < 0.5:
                data[position:position] = rng.choice(pieces)
            else:
                del data[position:position + rng.randint(1, 30)]
        result = parse_publiccode(bytes(data))
        assert isinstance(result, ParseResult)
        assert not any("could not be checked" in e.message for e in result.errors), bytes(data)
        if result.ok:
            assert parse_publiccode(dump_publiccode(practice_fields(result))).ok


@pytest.mark.parametrize("text", [
    "a: &a [*a]\n",                                                       # recursive alias
    "a: &a ['x','x','x','x','x','x','x','x','x']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",  # alias bomb
    "[" * 5000 + "]" * 5000,                                              # deep nesting
    "? [a, b]\n: c\n",                                                    # complex key
    "~: null\n1: 2\ntrue: false\n",                                       # non-text keys
    "description:\n  1: x\n  2.5: {}\n",
    "name: !!binary aGVsbG8=\n",
    "x" * 3_000_000,                                                      # too large
])
def test_hostile_inputs_give_errors(text):
    result = parse_publiccode(text)
    assert not result.ok
    assert not any("could not be checked" in e.message for e in result.errors)


# ---------------------------------------------------------------------------------------------------------------
# The official validator's test files (../shared/corpus/publiccode/testdata/v0)
# ---------------------------------------------------------------------------------------------------------------

# Invalid only when network checks are on (as the corpus README says): offline they must pass.
NETWORK_ONLY = {"invalid/logo_missing_url.yml", "invalid/description_en_videos_invalid_oembed.yml"}

# Where the official validator's key differs from ours for the same mistake. Our path names the key whose
# value has the wrong type; upstream names a key inside that value (an artefact of its YAML decoder).
KEY_DIFFERENCES = {
    ("organisation_wrong_type.yml", "organisation[0]"): "organisation",
    ("fundedBy_wrong_type.yml", "fundedBy.name"): "fundedBy",
    ("isBasedOn_wrong_type.yml", "isBasedOn.foobar"): "isBasedOn",
    ("inputTypes_wrong_type.yml", "inputTypes.foobar"): "inputTypes",
    ("outputTypes_wrong_type.yml", "outputTypes.foobar"): "outputTypes",
}

# Expected rows we do not reproduce: once upstream's decoder meets a value of the wrong type it stops reading the
# rest of that section, then reports keys that ARE in the file as missing. We report the wrong type only.
NOT_REPRODUCED = {
    ("localisation_localisationReady_yaml11_yes.yml", "localisation.availableLanguages"),
    ("localisation_localisationReady_yaml11_no.yml", "localisation.availableLanguages"),
    ("localisation_localisationReady_yaml11_on.yml", "localisation.availableLanguages"),
    ("localisation_localisationReady_yaml11_off.yml", "localisation.availableLanguages"),
    ("maintenance_contractors_invalid_type.yml", "maintenance.type"),
    ("legal_wrong_type.yml", "legal.license"),
}


def expected_rows() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    with (TESTDATA / "EXPECTED_RESULTS.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            relative = f"{row['folder'].removeprefix('v0/')}/{row['file']}"
            rows.setdefault(relative, []).append(row)
    return rows


@pytest.fixture(scope="module")
def ipa_registry():
    if not IPA_CODES.is_file():
        return None
    codes = {line.strip().lower() for line in IPA_CODES.read_text(encoding="utf-8").splitlines() if line.strip()}
    return lambda code: code.lower() in codes


def parse_corpus_file(path: Path, ipa_registry) -> ParseResult:
    return parse_publiccode(path.read_bytes(), base_dir=path.parent, ipa_code_exists=ipa_registry)


def normalise_key(key: str) -> str:
    """Upstream writes map keys in brackets: description[en-US].features -> description.en-US.features."""
    return re.sub(r"\[([A-Za-z][^\]]*)\]", r".\1", key)


def names_key(issue_path: str, key: str) -> bool:
    """The issue names the key, or a key inside it (e.g. description.xxx for a bad language under description)."""
    return issue_path == key or issue_path.startswith((key + ".", key + "["))


VALID = corpus_files(TESTDATA / "valid") + corpus_files(TESTDATA / "valid" / "no-network")
WITH_WARNINGS = (corpus_files(TESTDATA / "valid_with_warnings")
                 + corpus_files(TESTDATA / "valid_with_warnings" / "no-network"))
INVALID = corpus_files(TESTDATA / "invalid") + corpus_files(TESTDATA / "invalid" / "no-network")


def test_corpus_is_complete():
    needs(TESTDATA)
    assert (len(VALID), len(WITH_WARNINGS), len(INVALID)) == (30, 11, 132)
    rows = expected_rows()
    listed = {str(path.relative_to(TESTDATA)) for path in INVALID + WITH_WARNINGS}
    assert set(rows) <= listed
    # Every invalid file has expected rows, except the two whose only problem needs the network.
    assert {str(p.relative_to(TESTDATA)) for p in INVALID} - set(rows) == set()
    assert {f"invalid/{name}" for name in ("logo_missing_url.yml",
                                           "description_en_videos_invalid_oembed.yml")} <= set(rows)


@pytest.mark.parametrize("path", corpus_params(VALID, TESTDATA), ids=file_id)
def test_corpus_valid_files(path, ipa_registry):
    result = parse_corpus_file(path, ipa_registry)
    assert result.ok, result.errors
    assert result.warnings == []       # upstream reports no warnings for these either
    practice_fields(result)


@pytest.mark.parametrize("path", corpus_params(WITH_WARNINGS, TESTDATA), ids=file_id)
def test_corpus_valid_files_with_warnings(path, ipa_registry):
    result = parse_corpus_file(path, ipa_registry)
    assert result.ok, result.errors
    assert result.warnings
    rows = expected_rows().get(str(path.relative_to(TESTDATA)), [])
    assert rows, "every file here has expected warnings"
    for row in rows:
        assert row["severity"] == "warning"
        assert normalise_key(row["key"]) in paths(result.warnings), (row, result.warnings)


@pytest.mark.parametrize("path", corpus_params(INVALID, TESTDATA), ids=file_id)
def test_corpus_invalid_files(path, ipa_registry):
    relative = str(path.relative_to(TESTDATA))
    result = parse_corpus_file(path, ipa_registry)
    if relative in NETWORK_ONLY:
        assert result.ok, f"{relative} was expected to need a network check; we now reject it: {result.errors}"
        return
    assert not result.ok
    for row in expected_rows()[relative]:
        key = normalise_key(row["key"])
        if (path.name, row["key"]) in NOT_REPRODUCED:
            assert not any(names_key(e.path, key) for e in result.errors), f"now reproduced: {row}"
            continue
        renamed = (path.name, row["key"]) in KEY_DIFFERENCES
        key = KEY_DIFFERENCES.get((path.name, row["key"]), key)
        issues = result.errors if row["severity"] == "error" else result.warnings
        matching = [issue for issue in issues if names_key(issue.path, key)]
        assert matching, (row, [(i.path, i.message) for i in issues])
        # Lines: upstream gives the offending key's line; for a missing key it points at a sibling, which we do
        # not copy (we give the parent key's line, or none at the top level). Line 0 means "no position".
        missing = "required" in row["message"] or "more than 0 items" in row["message"]
        exact = [issue for issue in matching if issue.path == key]
        if exact and int(row["line"]) > 0 and not missing and not renamed:
            assert int(row["line"]) in {issue.line for issue in exact}, (row, exact)


def test_corpus_key_differences_are_still_needed(ipa_registry):
    needs(TESTDATA)
    for (name, key), ours in KEY_DIFFERENCES.items():
        result = parse_corpus_file(TESTDATA / "invalid" / name, ipa_registry)
        assert not any(names_key(e.path, normalise_key(key)) for e in result.errors), (name, key)
        assert ours in paths(result.errors)


def test_corpus_malformed_and_badly_encoded(ipa_registry):
    needs(TESTDATA)
    result = parse_corpus_file(TESTDATA / "invalid" / "invalid_yaml.yml", ipa_registry)
    assert result.data is None and [(e.path, e.line) for e in result.errors] == [("", 38)]
    result = parse_corpus_file(TESTDATA / "invalid" / "file_encoding.yml", ipa_registry)
    assert result.data is None and "UTF-8" in result.errors[0].message


# ---------------------------------------------------------------------------------------------------------------
# Real files published by Italian administrations
# ---------------------------------------------------------------------------------------------------------------

# Files the strict rules reject, with the key at fault (checked with the iPA registry of the corpus).
REAL_REJECTED = {
    "ASL2-Liguria__onesys.yml": "it.riuso.codiceIPA",                  # code not in the iPA registry
    "AUSL-ReggioEmilia__Matilde.yml": "maintenance.contractors",       # contractors with type "internal"
    "CentroCisis__ConveRgo.yml": "maintenance.contacts",               # and no features, no availableLanguages
    "CittaMetropolitanaVenezia__WebMappVenezia.yml": "isBasedOn[0]",  # a product name, not a URL
    "ComuneDiGenova__FascicoloDelCittadino.yml": "logo",               # empty
    "ProvinciadiSassari__Fascicolo-del-Fabbricato.yml": "publiccodeYmlVersion",  # '1.0'
    "RegioneER__rer.sfinge2020.yml": "localisation.localisationReady",  # yes (YAML 1.1)
    "comunedibari__SIT.yml": "isBasedOn[0]",                            # a product name, not a URL
    "comunedibari__sue_suap.yml": "it.countryExtensionVersion",         # the key twice
    "italia__agavecms.yml": "localisation.localisationReady",           # yes (YAML 1.1)
    "regione-piemonte__cod-fse.yml": "description.it.shortDescription",  # 154 characters
}
REAL_FILES = corpus_files(REAL)


@pytest.mark.parametrize("path", corpus_params(REAL_FILES, REAL), ids=file_id)
def test_real_files_import_or_are_rejected_with_reasons(path, ipa_registry):
    # No base_dir: the logos and screenshots these files name are in their repositories, not in the corpus.
    result = parse_publiccode(path.read_bytes(), ipa_code_exists=ipa_registry)
    assert result.data is not None and result.version
    if path.name in REAL_REJECTED:
        assert REAL_REJECTED[path.name] in paths(result.errors), result.errors
        assert all(e.path and e.message and e.line for e in result.errors)
        return
    assert result.ok, result.errors
    fields = practice_fields(result)
    assert fields["name"] and fields["short_description"] and fields["licence"] and fields["url"]
    assert fields["language"].lower().startswith("it")   # every real file has an Italian description
    assert_round_trip(path.read_bytes())


def test_real_files_counts():
    needs(REAL)
    assert len(REAL_FILES) == 111
    assert set(REAL_REJECTED) <= {path.name for path in REAL_FILES}


@pytest.mark.parametrize("path", corpus_params(corpus_files(REAL_BROKEN), REAL_BROKEN), ids=file_id)
def test_real_broken_files_are_malformed_yaml(path):
    result = parse_publiccode(path.read_bytes())
    assert result.data is None
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.path == "" and error.message.startswith("Malformed YAML") and error.line == 64


def test_real_broken_folder_present():
    needs(REAL_BROKEN)
    assert len(corpus_files(REAL_BROKEN)) == 2
