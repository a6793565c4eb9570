"""publiccode.yml reading, validation, field extraction and export (pure Python: no Flask, no database).

The rules follow the standard's field reference (core schema and the Italian `IT:` extension) for the versions the
official validator accepts ("0", 0.2 – 0.5, 0.7), and mirror what that validator reports on its own test files:

* YAML is read as YAML 1.2: only `true`/`false` are booleans (YAML 1.1's `yes`/`no`/`on`/`off` are plain text),
  any other scalar is accepted where the standard wants text (so `softwareVersion: 1.10` stays "1.10");
* every error names the key path (`maintenance.contacts[0].email`), says what is wrong, and gives the 1-based line
  of the offending key (or of its parent mapping when a required key is missing);
* deprecated keys and older versions of the standard give warnings, never errors. A key is reported as deprecated
  only when the file's version is at least the version that deprecated it ("0" means the latest 0.x);
* no network access: URL reachability, remote logos and oEmbed providers are not checked. Paths to local files
  (logo, screenshots, authors file) are checked for existence and format only when `base_dir` is given;
* iPA codes (`urn:x-italian-pa:<code>`, `IT.riuso.codiceIPA`) are checked for their format, and against a registry
  when the caller passes `ipa_code_exists`.

`parse_publiccode()` never raises; `practice_fields()` extracts what the platform keeps for a software practice
(Italian first); `dump_publiccode()` writes those fields back as a publiccode.yml that `parse_publiccode()` accepts.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["Issue", "ParseResult", "parse_publiccode", "practice_fields", "dump_publiccode",
           "SUPPORTED_VERSIONS", "EXPORT_VERSION"]

# ---------------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    path: str          # key path like "description.it.shortDescription" or "maintenance.contacts[0].name"
    message: str       # English, specific
    line: int | None   # 1-based line in the source, when known
    severity: str      # "error" | "warning"


@dataclass
class ParseResult:
    data: dict | None          # the parsed mapping (None when YAML is malformed or not a mapping)
    errors: list[Issue]
    warnings: list[Issue]
    version: str | None        # publiccodeYmlVersion as given

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def issues(self) -> list[Issue]:
        """Errors and warnings together, in file order."""
        return sorted(self.errors + self.warnings, key=lambda i: (i.line or 0, i.severity != "error", i.path))


# ---------------------------------------------------------------------------------------------------------------
# Vocabularies of the standard
# ---------------------------------------------------------------------------------------------------------------

LATEST_VERSION = (0, 7, 0)
# Versions the official validator accepts ("0" = the latest 0.x). 0.6 changed nothing and is not listed upstream.
SUPPORTED_VERSIONS: dict[str, tuple[int, int, int]] = {
    "0": LATEST_VERSION,
    "0.2": (0, 2, 0), "0.2.0": (0, 2, 0), "0.2.1": (0, 2, 1), "0.2.2": (0, 2, 2),
    "0.3": (0, 3, 0), "0.3.0": (0, 3, 0),
    "0.4": (0, 4, 0), "0.4.0": (0, 4, 0),
    "0.5": (0, 5, 0), "0.5.0": (0, 5, 0),
    "0.7": (0, 7, 0), "0.7.0": (0, 7, 0),
}
EXPORT_VERSION = "0.4.0"

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = ("standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                  "standalone/backend", "standalone/other", "addon", "library", "configurationFiles")
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
PLATFORMS = ("web", "windows", "mac", "linux", "ios", "android")  # other human-readable values are allowed
DEPENDENCY_KINDS = ("open", "proprietary", "hardware")
COUNTRY_EXTENSION_VERSIONS = ("0.2", "1.0")

CATEGORIES = frozenset("""
accounting agile-project-management applicant-tracking application-development appointment-scheduling backup
billing-and-invoicing blog budgeting business-intelligence business-process-management cad call-center-management
cloud-management collaboration communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization design design-system
digital-asset-management digital-citizenship document-management donor-management e-commerce e-signature
educational-content email-management email-marketing employee-management enterprise-project-management
enterprise-social-networking erp event-management facility-management feedback-and-reviews-management
financial-reporting fleet-management fundraising gamification geographic-information-systems grant-management
graphic-design help-desk hr ide identity-management instant-messaging integrated-library-system inventory-management
it-asset-management it-development it-management it-security it-service-management knowledge-management
learning-management-system marketing mind-mapping mobile-marketing mobile-payment network-management office
online-booking online-community payment-gateway payroll predictive-analysis procurement productivity-suite
project-collaboration project-management property-management real-estate-management regulations-and-directives
remote-support resource-management sales-management seo service-desk social-media-management survey
talent-management task-management taxes-management test-management time-management time-tracking translation
video-conferencing video-editing visitor-management voip warehouse-management web-collaboration web-conferencing
website-builder whistleblowing workflow-management other
""".split())

SCOPES = frozenset("""
agriculture culture defence education emergency-services employment energy environment
finance-and-economic-development foreign-affairs government healthcare infrastructures justice local-authorities
manufacturing research science-and-technology security society sport tourism transportation welfare
""".split())

SUPPORT_ALIASES = frozenset(("gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io"))

# Babel's territory list holds a few codes that are not officially assigned ISO 3166-1 alpha-2 codes.
_NOT_ISO_3166 = frozenset(("AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"))
# Language subtags missing from CLDR (Babel) but used in Italy, plus ISO 639-1 "bh".
_EXTRA_LANGUAGES = frozenset(("lld", "cim", "mhn", "srd", "sdn", "src", "sro", "aae", "eml", "bh"))

IMAGE_EXTENSIONS_LOGO = (".svg", ".svgz", ".png")
IMAGE_EXTENSIONS_SCREENSHOT = (".png", ".jpg", ".jpeg")
MIN_LOGO_WIDTH = 120  # px, what the official validator requires of PNG logos

MAX_INPUT_CHARS = 2_000_000
MAX_NODES = 200_000   # guards against alias bombs


@lru_cache(maxsize=1)
def _known_languages() -> frozenset[str]:
    from babel import Locale  # pure-Python data package, already a dependency of the project

    return frozenset(code.lower() for code in Locale("en").languages if "_" not in code) | _EXTRA_LANGUAGES


@lru_cache(maxsize=1)
def _known_countries() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha()) - _NOT_ISO_3166


# ---------------------------------------------------------------------------------------------------------------
# Value checks: each returns None when fine, or a predicate ("must be …", "is …") completing "<key> …"
# ---------------------------------------------------------------------------------------------------------------

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL_RE = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(\.[\w\-]+)+$")
_MIME_RE = re.compile(r"^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$")
_URN_RE = re.compile(r"^urn:([A-Za-z0-9][A-Za-z0-9-]{0,31}):([A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+)$", re.IGNORECASE)
_IPA_CODE_RE = re.compile(r"^[A-Za-z0-9_]{2,16}$")
_BCP47_RE = re.compile(
    r"^(?P<language>[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$"
)
_SPDX_TOKEN_RE = re.compile(r"\s*(\(|\)|[A-Za-z0-9.\-:+]+)")
_SPDX_LICENCE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*\+?|(DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+")
_SPDX_EXCEPTION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*")


def _split_url(value: str):
    value = value.strip()
    if not value or any(ch.isspace() for ch in value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if not parts.scheme or not _SCHEME_RE.match(parts.scheme):
        return None
    return parts


def _is_url(value: str) -> bool:
    parts = _split_url(value)
    return parts is not None and bool(parts.netloc or parts.path)


def _is_http_url(value: str) -> bool:
    parts = _split_url(value)
    return parts is not None and parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def check_url(value: str, v: _Validator) -> str | None:
    return None if _is_url(value) else f'must be a valid URL with a scheme, such as https://… (found {_q(value)})'


def check_http_url(value: str, v: _Validator) -> str | None:
    return None if _is_http_url(value) else f'must be an HTTP(S) URL (found {_q(value)})'


def check_date(value: str, v: _Validator) -> str | None:
    value = value.strip()
    if _DATE_RE.match(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            return f'is not an existing calendar date (found {_q(value)})'
    return f"must be a date in the format YYYY-MM-DD (found {_q(value)})"


def check_email(value: str, v: _Validator) -> str | None:
    return None if _EMAIL_RE.match(value.strip()) else f'must be a valid e-mail address (found {_q(value)})'


def check_mime_type(value: str, v: _Validator) -> str | None:
    return None if _MIME_RE.match(value) else f'is not a valid MIME type such as text/plain (found {_q(value)})'


def one_of(allowed: tuple[str, ...] | frozenset[str], what: str = "") -> Callable[[str, _Validator], str | None]:
    listed = ", ".join(f'"{a}"' for a in allowed)

    def check(value: str, v: _Validator) -> str | None:
        if value in allowed:
            return None
        if what:
            return f'must be a valid {what} (found {_q(value)})'
        return f'must be one of {listed} (found {_q(value)})'
    return check


def max_graphemes(limit: int) -> Callable[[str, _Validator], str | None]:
    def check(value: str, v: _Validator) -> str | None:
        count = grapheme_count(value)
        return None if count <= limit else f"must be at most {limit} characters long (it has {count})"
    return check


def graphemes_between(low: int, high: int) -> Callable[[str, _Validator], str | None]:
    def check(value: str, v: _Validator) -> str | None:
        count = grapheme_count(value)
        if count < low:
            return f"must be at least {low} characters long (it has {count})"
        if count > high:
            return f"must be at most {high} characters long (it has {count})"
        return None
    return check


def is_bcp47(tag: str) -> bool:
    """A well-formed BCP 47 tag whose primary language (and region, when given) is known."""
    match = _BCP47_RE.match(tag)
    if not match:
        return False
    language = match["language"].split("-")[0].lower()
    known = language in _known_languages() or (len(language) == 3 and "qaa" <= language <= "qtz")
    region = match["region"]
    if region and region.isalpha() and region.upper() not in _known_countries():
        return False
    return known


def check_bcp47(value: str, v: _Validator) -> str | None:
    if is_bcp47(value):
        return None
    hint = " (use a hyphen, not an underscore)" if "_" in value else ""
    return f'must be a valid BCP 47 language tag such as "it" or "en-GB" (found {_q(value)}){hint}'


def check_country(value: str, v: _Validator, path: str = "", line: int | None = None) -> str | None:
    if value not in (value.upper(), value.lower()) or value.upper() not in _known_countries():
        return f'must be an ISO 3166-1 alpha-2 country code such as "IT" (found {_q(value)})'
    if value != value.upper() and v.deprecated_since((0, 5, 0)):
        v.warn(path, f"lowercase country codes are deprecated: use '{value.upper()}' instead", line)
    return None


def check_spdx_expression(value: str, v: _Validator) -> str | None:
    return None if is_spdx_expression(value) else (
        f'must be a valid SPDX licence expression such as "EUPL-1.2" or "AGPL-3.0-or-later OR EUPL-1.2" '
        f'(found {_q(value)}; see https://spdx.org/licenses)')


def is_spdx_expression(value: str) -> bool:
    """SPDX licence expression syntax: ids (optionally with +), LicenseRef-…, AND / OR / WITH, parentheses."""
    tokens: list[str] = []
    pos, text = 0, value.strip()
    while pos < len(text):
        match = _SPDX_TOKEN_RE.match(text, pos)
        if not match:
            return False
        tokens.append(match.group(1))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    if not tokens:
        return False
    index = 0

    def peek() -> str | None:
        return tokens[index] if index < len(tokens) else None

    def is_id(token: str | None, exception: bool = False) -> bool:
        if token is None or token.upper() in ("AND", "OR", "WITH") or token in ("(", ")"):
            return False
        if exception:
            return _SPDX_EXCEPTION_RE.fullmatch(token) is not None
        return _SPDX_LICENCE_RE.fullmatch(token) is not None

    def expression(depth: int) -> bool:
        nonlocal index
        if depth > 50 or not term(depth):
            return False
        while (peek() or "").upper() in ("AND", "OR"):
            index += 1
            if not term(depth):
                return False
        return True

    def term(depth: int) -> bool:
        nonlocal index
        token = peek()
        if token == "(":
            index += 1
            if not expression(depth + 1) or peek() != ")":
                return False
            index += 1
            return True
        if not is_id(token):
            return False
        index += 1
        if (peek() or "").upper() == "WITH":
            index += 1
            if not is_id(peek(), exception=True):
                return False
            index += 1
        return True

    return expression(0) and index == len(tokens)


def check_ipa_code(value: str, v: _Validator) -> str | None:
    code = value.strip()
    if not _IPA_CODE_RE.match(code):
        return f'must be an iPA code (2–16 letters, digits or underscores, such as "c_h501"; found {_q(value)})'
    if v.ipa_code_exists is not None and not v.ipa_code_exists(code):
        return f'must be a code of the iPA registry of Italian public administrations (found {_q(value)})'
    return None


def check_organisation_uri(value: str, v: _Validator) -> str | None:
    uri = value.strip()
    if uri.lower().startswith("urn:"):
        match = _URN_RE.match(uri)
        if not match:
            return f'is not a valid URI: a URN looks like "urn:<namespace>:<identifier>" (found {_q(value)})'
        if match.group(1).lower() == "x-italian-pa":
            problem = check_ipa_code(match.group(2), v)
            if problem:
                return (f"must name an Italian public administration as 'urn:x-italian-pa:<iPA code>' with a "
                        f'code of the iPA registry (found {_q(value)})')
        return None
    parts = _split_url(uri)
    if parts is None or not parts.netloc:
        hint = ". An iPA code is written 'urn:x-italian-pa:<code>'" if _IPA_CODE_RE.match(uri) else ""
        return f'is not a valid URI: use a URL or a URN (found {_q(value)}){hint}'
    return None


def check_support_id(value: str, v: _Validator) -> str | None:
    if value.lower().startswith("alias:"):
        alias = value[len("alias:"):]
        if alias not in SUPPORT_ALIASES:
            known = ", ".join(sorted(SUPPORT_ALIASES))
            return f'contains an unknown alias "{alias}" (known aliases: {known})'
        return None
    if _URN_RE.match(value.strip()) or _is_url(value):
        return None
    return f'must be "alias:<name>" or a valid URI (found {_q(value)})'


def _local_file(value: str, v: _Validator, what: str, extensions: tuple[str, ...] | None) -> str | None:
    """Checks shared by logo, screenshots and authorsFile: relative paths or HTTP(S) URLs only."""
    text = value.strip()
    if not text:
        return "must not be empty"
    lowered = text.lower()
    if lowered.startswith("file:"):
        return "is a file:// URL. Only relative paths or HTTP(S) URLs are allowed"
    if _is_http_url(text):
        return None  # remote files are only checked online
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", text):
        return f'is an absolute path ({_q(value)}). Only relative paths or HTTP(S) URLs are allowed'
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", text):
        return f'must be a relative path or an HTTP(S) URL (found {_q(value)})'
    if extensions is not None and not lowered.endswith(extensions):
        return f'has an unsupported file type ({_q(value)}): use {", ".join(e.lstrip(".").upper() for e in extensions)}'
    if v.base_dir is None:
        return None
    try:
        base = v.base_dir.resolve()
        target = (base / text).resolve()
        exists = target.is_file()
    except (OSError, ValueError):
        return f"is not a usable path ({_q(value)})"
    if base != target and base not in target.parents:
        return f'points outside the repository ({_q(value)})'
    if not exists:
        return f'refers to a {what} that does not exist: {_q(value)}'
    if lowered.endswith(".png"):
        return _png_problem(target, what)
    return None


def _png_problem(path: Path, what: str) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(24)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return f'refers to a {what} that is not a valid PNG image: "{path.name}"'
    width = int.from_bytes(head[16:20], "big")
    if what == "logo" and width < MIN_LOGO_WIDTH:
        return f"is too small: a PNG logo must be at least {MIN_LOGO_WIDTH} pixels wide (it is {width})"
    return None


def check_logo(value: str, v: _Validator) -> str | None:
    return _local_file(value, v, "logo", IMAGE_EXTENSIONS_LOGO)


def check_screenshot(value: str, v: _Validator) -> str | None:
    return _local_file(value, v, "screenshot", IMAGE_EXTENSIONS_SCREENSHOT)


def check_authors_file(value: str, v: _Validator) -> str | None:
    return _local_file(value, v, "file", None)


def check_version(value: str, v: _Validator) -> str | None:
    if value in SUPPORTED_VERSIONS:
        return None
    listed = ", ".join(SUPPORTED_VERSIONS)
    return f'must be a supported version of the standard: {listed} (found {_q(value)})'


def grapheme_count(text: str) -> int:
    """User-perceived characters: combining marks, emoji modifiers and ZWJ sequences do not count on their own."""
    count = 0
    previous = ""
    after_zwj = False
    regional_run = 0
    for ch in text:
        cp = ord(ch)
        regional = 0x1F1E6 <= cp <= 0x1F1FF
        extends = (unicodedata.category(ch) in ("Mn", "Me", "Mc") or 0xFE00 <= cp <= 0xFE0F
                   or 0xE0100 <= cp <= 0xE01EF or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F
                   or cp == 0x200D)
        joins = bool(previous) and (
            extends or after_zwj or (previous == "\r" and ch == "\n") or _hangul_joins(previous, ch)
            or (regional and regional_run % 2 == 1)
        )
        if not joins:
            count += 1
        regional_run = regional_run + 1 if regional else 0
        after_zwj = cp == 0x200D
        previous = ch
    return count


def _hangul_joins(previous: str, ch: str) -> bool:
    p, c = ord(previous), ord(ch)
    lead = 0x1100 <= p <= 0x115F
    vowel_or_lv = 0x1160 <= p <= 0x11A7 or (0xAC00 <= p <= 0xD7A3 and (p - 0xAC00) % 28 == 0)
    trail_or_lvt = 0x11A8 <= p <= 0x11FF or (0xAC00 <= p <= 0xD7A3 and (p - 0xAC00) % 28 != 0)
    if lead:
        return 0x1100 <= c <= 0x11A7 or 0xAC00 <= c <= 0xD7A3
    if vowel_or_lv:
        return 0x1160 <= c <= 0x11FF
    if trail_or_lvt:
        return 0x11A8 <= c <= 0x11FF
    return False


# ---------------------------------------------------------------------------------------------------------------
# Field rules: the schema as a table
# ---------------------------------------------------------------------------------------------------------------

Check = Callable[[str, "_Validator"], "str | None"]
Hook = Callable[["_Validator", "dict[str, tuple[Node, Node]]", str, "int | None"], "set[str]"]


@dataclass(frozen=True)
class Deprecation:
    since: tuple[int, int, int]
    advice: str


@dataclass(frozen=True)
class Rule:
    kind: str                                  # "str" | "bool" | "list" | "map" | "langmap" | "str_or_list"
    required: bool = False
    check: Check | None = None                 # for text values (and list items via `item`)
    item: Rule | None = None                   # list items
    fields: Mapping[str, Rule] | None = None   # mapping keys
    min_items: int = 0
    deprecated: Deprecation | None = None
    omitempty: bool = False                    # an empty text counts as absent
    hook: Hook | None = None                   # cross-field checks on a mapping; returns keys not to descend into
    pass_location: bool = False                # check(value, v, path, line), for checks that warn


def Text(check: Check | None = None, **kw) -> Rule:  # noqa: N802 - rule constructors read like a schema
    return Rule("str", check=check, **kw)


def Bool(**kw) -> Rule:  # noqa: N802
    return Rule("bool", **kw)


def List(item: Rule, **kw) -> Rule:  # noqa: N802
    return Rule("list", item=item, **kw)


def Map(fields: Mapping[str, Rule], **kw) -> Rule:  # noqa: N802
    return Rule("map", fields=fields, **kw)


def _maintenance_hook(v: _Validator, children: dict[str, tuple[Node, Node]], path: str, line: int | None) -> set[str]:
    """contractors only (and always) with type "contract"; contacts required with "internal" and "community"."""
    type_node = children.get("type", (None, None))[1]
    kind = type_node.value if isinstance(type_node, ScalarNode) else None
    skip: set[str] = set()
    contractors = children.get("contractors")
    has_contractors = contractors is not None and not _is_null(contractors[1])
    has_contacts = "contacts" in children and not _is_null(children["contacts"][1])
    if kind in MAINTENANCE_TYPES:
        if kind == "contract" and not has_contractors:
            v.error(f"{path}.contractors", 'contractors is required when "type" is "contract"', line)
        if kind != "contract" and has_contractors:
            v.error(f"{path}.contractors", f'contractors must not be present unless "type" is "contract" '
                    f'(type is "{kind}")', _line(contractors[0]))
            skip.add("contractors")
        if kind in ("internal", "community") and not has_contacts:
            v.error(f"{path}.contacts", f'contacts is required when "type" is "{kind}"', line)
    return skip


def _root_hook(v: _Validator, children: dict[str, tuple[Node, Node]], path: str, line: int | None) -> set[str]:
    """The Italian section: `IT` (or the older lowercase `it`, deprecated since 0.5), never both."""
    if "it" in children:
        key_line = _line(children["it"][0])
        if v.deprecated_since((0, 5, 0)):
            v.warn("it", "lowercase country codes are deprecated for the country section: use 'IT' instead",
                   key_line)
        if "IT" in children:
            v.error("it", "the 'IT' section is already present: remove this lowercase 'it' section", key_line)
            return {"it"}
    return set()


DEPENDENCY = Map({
    "name": Text(required=True),
    "versionMin": Text(),
    "versionMax": Text(),
    "version": Text(),
    "optional": Bool(),
})
CONTACT = Map({
    "name": Text(required=True),
    "email": Text(check_email, omitempty=True),
    "phone": Text(),
    "affiliation": Text(),
})
CONTRACTOR = Map({
    "name": Text(required=True),
    "until": Text(check_date, required=True),
    "email": Text(check_email, omitempty=True),
    "website": Text(check_http_url),
})
ORGANISATION = Map({"uri": Text(check_organisation_uri, required=True), "name": Text()})
DESCRIPTION = Map({
    "localisedName": Text(),
    "genericName": Text(max_graphemes(35), deprecated=Deprecation((0, 3, 0), "It's safe to drop it.")),
    "shortDescription": Text(max_graphemes(150), required=True),
    "longDescription": Text(graphemes_between(150, 10000), required=True),
    "documentation": Text(check_http_url),
    "apiDocumentation": Text(check_http_url),
    "features": List(Text(), required=True, min_items=1),
    "screenshots": List(Text(check_screenshot)),
    "videos": List(Text(check_http_url)),
    "awards": List(Text()),
})
ITALY = Map({
    "countryExtensionVersion": Text(one_of(COUNTRY_EXTENSION_VERSIONS)),
    "conforme": Map({key: Bool() for key in (
        "lineeGuidaDesign", "modelloInteroperabilita", "misureMinimeSicurezza", "gdpr")},
        deprecated=Deprecation((0, 5, 0), "It's safe to drop it; use 'supports' (e.g. alias:gdpr) instead.")),
    "riuso": Map({"codiceIPA": Text(check_ipa_code, omitempty=True, deprecated=Deprecation(
        (0, 5, 0), "Use 'organisation.uri' set to 'urn:x-italian-pa:<codiceIPA>' instead."))}),
    "piattaforme": Map({key: Bool() for key in ("spid", "pagopa", "cie", "anpr", "io")}),
})
SCHEMA = Map({
    "publiccodeYmlVersion": Text(check_version, required=True),
    "name": Text(required=True),
    "applicationSuite": Text(),
    "url": Text(check_url, required=True),
    "landingURL": Text(check_http_url),
    "isBasedOn": Rule("str_or_list", item=Text(check_url)),
    "softwareVersion": Text(),
    "releaseDate": Text(check_date),
    "logo": Text(check_logo),
    "monochromeLogo": Text(check_logo, deprecated=Deprecation((0, 3, 0), "Use 'logo' instead.")),
    "organisation": ORGANISATION,
    "inputTypes": List(Text(check_mime_type), deprecated=Deprecation((0, 3, 0), "It's safe to drop it.")),
    "outputTypes": List(Text(check_mime_type), deprecated=Deprecation((0, 3, 0), "It's safe to drop it.")),
    "platforms": List(Text(), required=True, min_items=1),
    "categories": List(Text(one_of(CATEGORIES, "category (see the standard's categories list)"))),
    "usedBy": List(Text()),
    "fundedBy": List(Map({"name": Text(), "uri": Text(check_organisation_uri, required=True)})),
    "roadmap": Text(check_http_url),
    "developmentStatus": Text(one_of(DEVELOPMENT_STATUSES), required=True),
    "softwareType": Text(one_of(SOFTWARE_TYPES), required=True),
    "intendedAudience": Map({
        "scope": List(Text(one_of(SCOPES, "scope (see the standard's scope list)"))),
        "countries": List(Text(check_country, pass_location=True)),
        "unsupportedCountries": List(Text(check_country, pass_location=True)),
    }),
    "supports": List(Map({"id": Text(check_support_id, required=True)})),
    "description": Rule("langmap", item=DESCRIPTION, required=True, min_items=1),
    "legal": Map({
        "license": Text(check_spdx_expression, required=True),
        "mainCopyrightOwner": Text(),
        "repoOwner": Text(deprecated=Deprecation((0, 5, 0), "Use 'organisation.name' instead.")),
        "authorsFile": Text(check_authors_file, deprecated=Deprecation((0, 4, 0), "It's safe to drop it.")),
    }, required=True),
    "maintenance": Map({
        "type": Text(one_of(MAINTENANCE_TYPES), required=True),
        "contractors": List(CONTRACTOR),
        "contacts": List(CONTACT),
    }, required=True, hook=_maintenance_hook),
    "localisation": Map({
        "localisationReady": Bool(required=True),
        "availableLanguages": List(Text(check_bcp47), required=True, min_items=1),
    }, required=True),
    "dependsOn": Map({kind: List(DEPENDENCY) for kind in DEPENDENCY_KINDS}),
    # The whole country section is deprecated since 0.7 in favour of `supports`; like the official validator, only
    # its older parts (conforme, riuso.codiceIPA, the lowercase key) are warned about.
    "IT": ITALY,
    "it": ITALY,
}, hook=_root_hook)


# ---------------------------------------------------------------------------------------------------------------
# YAML nodes (YAML 1.2 scalars) and the validator walking them
# ---------------------------------------------------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """Composes nodes without YAML 1.1 implicit typing: every plain scalar stays text until we classify it."""

    yaml_implicit_resolvers: dict = {}


_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE_WORDS = frozenset(("true", "True", "TRUE"))
_FALSE_WORDS = frozenset(("false", "False", "FALSE"))
_YAML11_BOOL_WORDS = frozenset(w for base in ("yes", "no", "on", "off", "y", "n")
                               for w in (base, base.capitalize(), base.upper()))


def _scalar_kind(node: ScalarNode) -> str:
    """"null", "bool" or "str", per the YAML 1.2 core schema (explicit tags are honoured)."""
    tag = node.tag or ""
    if tag.endswith(":null"):
        return "null"
    if tag.endswith(":bool"):
        return "bool" if node.value in _TRUE_WORDS or node.value in _FALSE_WORDS else "str"
    if node.style is None and tag.endswith(":str"):
        if node.value in _NULL_WORDS:
            return "null"
        if node.value in _TRUE_WORDS or node.value in _FALSE_WORDS:
            return "bool"
    return "str"


def _is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and _scalar_kind(node) == "null")


def _line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None and node.start_mark is not None else None


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    kind = _scalar_kind(node)
    if kind == "bool":
        return f"the boolean {node.value}"
    return f'the text "{_short(node.value)}"'


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _q(value: str) -> str:
    """A value quoted for a message, shortened when long."""
    return f'"{_short(value, 80)}"'


_NODE_TYPES = {"str": ScalarNode, "bool": ScalarNode, "list": SequenceNode, "map": MappingNode,
               "langmap": MappingNode, "str_or_list": (ScalarNode, SequenceNode)}
_EXPECTED = {"str": "a text value", "bool": "true or false", "list": "a list", "map": "a mapping",
             "langmap": "a mapping of language codes", "str_or_list": "a text value or a list"}


class _Validator:
    def __init__(self, version: tuple[int, int, int], base_dir: Path | None,
                 ipa_code_exists: Callable[[str], bool] | None) -> None:
        self.version = version
        self.base_dir = base_dir
        self.ipa_code_exists = ipa_code_exists
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    # -- reporting
    def error(self, path: str, message: str, line: int | None) -> None:
        self.errors.append(Issue(path, message, line, "error"))

    def warn(self, path: str, message: str, line: int | None) -> None:
        self.warnings.append(Issue(path, message, line, "warning"))

    def deprecated_since(self, since: tuple[int, int, int]) -> bool:
        return self.version >= since

    # -- walking
    def validate(self, node: Node | None, rule: Rule, path: str, line: int | None, parent_line: int | None) -> None:
        """`line`: of the key holding `node` (None when absent); `parent_line`: where a missing key belongs."""
        name = _label(path)
        if node is not None and rule.deprecated and self.deprecated_since(rule.deprecated.since):
            since = ".".join(map(str, rule.deprecated.since))
            self.warn(path, f"{name} is deprecated since version {since} of the standard and will be removed. "
                            f"{rule.deprecated.advice}", line)
        if _is_null(node) or (rule.omitempty and isinstance(node, ScalarNode) and not node.value.strip()):
            if rule.required and rule.kind == "map":
                # A missing section: name the keys it needs ("legal.license is required").
                for key, sub_rule in rule.fields.items():
                    if sub_rule.required:
                        self.validate(None, sub_rule, _join(path, key), None, line if node is not None
                                      else parent_line)
            elif rule.required:
                self.error(path, self._missing_message(name, rule), line if node is not None else parent_line)
            return
        if not self._type_ok(node, rule):
            self._wrong_type(node, rule, path, name, line)
            return
        if rule.kind == "str":
            self._text(node, rule, path, name, line)
        elif rule.kind == "bool":
            return
        elif rule.kind == "list":
            self._list(node, rule, path, name, line)
        elif rule.kind == "str_or_list":
            if isinstance(node, ScalarNode):
                self._text(node, rule.item, f"{path}[0]", f"{name}[0]", line)
            else:
                self._list(node, rule, path, name, line)
        elif rule.kind == "map":
            self._map(node, rule, path, line)
        elif rule.kind == "langmap":
            self._langmap(node, rule, path, name, line)

    def _missing_message(self, name: str, rule: Rule) -> str:
        if rule.kind == "list" and rule.min_items:
            return f"{name} is required and must contain {_at_least(rule.min_items)}"
        return f"{name} is required"

    def _type_ok(self, node: Node, rule: Rule) -> bool:
        if not isinstance(node, _NODE_TYPES[rule.kind]):
            return False
        return rule.kind != "bool" or _scalar_kind(node) == "bool"

    def _wrong_type(self, node: Node, rule: Rule, path: str, name: str, line: int | None) -> None:
        message = f"{name} has the wrong type: expected {_EXPECTED[rule.kind]}, found {_describe(node)}"
        if rule.kind == "bool" and isinstance(node, ScalarNode):
            message = f'{name} must be true or false (found "{_short(node.value)}")'
            if node.value in _YAML11_BOOL_WORDS:
                message += "; YAML 1.1 words such as yes/no/on/off are not booleans in publiccode.yml"
            elif node.style is not None:
                message += "; remove the quotes"
        self.error(path, message, line if line is not None else _line(node))

    def _text(self, node: ScalarNode, rule: Rule, path: str, name: str, line: int | None) -> None:
        if rule.required and not node.value.strip():
            self.error(path, f"{name} is required and cannot be empty", line)
            return
        if rule.check is None:
            return
        problem = rule.check(node.value, self, path, line) if rule.pass_location else rule.check(node.value, self)
        if problem:
            self.error(path, f"{name} {problem}", line)

    def _list(self, node: SequenceNode, rule: Rule, path: str, name: str, line: int | None) -> None:
        if len(node.value) < rule.min_items:
            self.error(path, f"{name} must contain {_at_least(rule.min_items)}", line)
        for index, item in enumerate(node.value):
            self.validate(item, rule.item, f"{path}[{index}]", _line(item), _line(item))

    def _children(self, node: MappingNode, path: str) -> dict[str, tuple[Node, Node]]:
        children: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or _scalar_kind(key_node) == "null":
                self.error(path, f"{_label(path) or 'the file'} has a key that is not text", _line(key_node))
                continue
            key = key_node.value
            if key in children:
                self.error(_join(path, key), f'the key "{key}" appears twice (first at line '
                           f"{_line(children[key][0])})", _line(key_node))
                continue
            children[key] = (key_node, value_node)
        return children

    def _map(self, node: MappingNode, rule: Rule, path: str, line: int | None) -> None:
        children = self._children(node, path)
        skip = rule.hook(self, children, path, line) if rule.hook else set()
        for key, (key_node, _value) in children.items():
            if key not in rule.fields:
                self.error(_join(path, key), f'unknown key "{key}"{_did_you_mean(key, rule.fields)}',
                           _line(key_node))
        for key, sub_rule in rule.fields.items():
            if key in skip:
                continue
            key_node, value_node = children.get(key, (None, None))
            self.validate(value_node, sub_rule, _join(path, key), _line(key_node), line)

    def _langmap(self, node: MappingNode, rule: Rule, path: str, name: str, line: int | None) -> None:
        children = self._children(node, path)
        if len(children) < rule.min_items:
            self.error(path, f"{name} must contain at least one language (such as it: or en:)", line)
        for key, (key_node, value_node) in children.items():
            if not is_bcp47(key):
                self.error(_join(path, key), f"{name} must be keyed by BCP 47 language tags such as \"it\" or "
                           f"\"en-GB\" (found \"{key}\")", _line(key_node))
            self.validate(value_node, rule.item, _join(path, key), _line(key_node), _line(key_node))


def _at_least(count: int) -> str:
    return "at least one item" if count == 1 else f"at least {count} items"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _label(path: str) -> str:
    """The last component of a path: "maintenance.contacts[0].name" -> "name", "isBasedOn[1]" -> "isBasedOn[1]"."""
    return path.rsplit(".", 1)[-1] if path else ""


def _did_you_mean(key: str, fields: Mapping[str, Rule]) -> str:
    for known in fields:
        if known.lower() == key.lower():
            return f' (did you mean "{known}"?)'
    return ""


# ---------------------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------------------

def parse_publiccode(text: str | bytes, *, base_dir: str | Path | None = None,
                     ipa_code_exists: Callable[[str], bool] | None = None) -> ParseResult:
    """Read and validate a publiccode.yml. Never raises.

    `text` may be bytes (decoded as UTF-8, as the standard requires). `base_dir`, when given, is the repository
    folder that relative paths (logo, screenshots, authorsFile) are checked against. `ipa_code_exists`, when given,
    tells whether an iPA code is in the registry (otherwise only the code's format is checked).
    """
    try:
        return _parse(text, Path(base_dir) if base_dir is not None else None, ipa_code_exists)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises": report instead
        return ParseResult(None, [Issue("", f"The file could not be checked: {type(exc).__name__}: {exc}",
                                        None, "error")], [], None)


def _parse(text: str | bytes, base_dir: Path | None, ipa_code_exists: Callable[[str], bool] | None) -> ParseResult:
    text, problem = _decode(text)
    if problem:
        return ParseResult(None, [problem], [], None)
    root, problem = _compose(text)
    if problem:
        return ParseResult(None, [problem], [], None)
    if not isinstance(root, MappingNode):
        found = "an empty file" if root is None or _is_null(root) else _describe(root)
        issue = Issue("", f"A publiccode.yml must be a YAML mapping of keys (such as name: and url:), "
                          f"found {found}", _line(root) if root is not None else None, "error")
        return ParseResult(None, [issue], [], None)

    data, budget_exceeded = _to_python(root)
    if budget_exceeded:
        issue = Issue("", f"The file is too complex (more than {MAX_NODES} values once aliases are expanded)",
                      None, "error")
        return ParseResult(None, [issue], [], None)

    version_text, version_line, version = _read_version(root)
    validator = _Validator(version or LATEST_VERSION, base_dir, ipa_code_exists)
    validator.validate(root, SCHEMA, "", None, None)
    if version is not None and version < LATEST_VERSION:
        latest = ".".join(map(str, LATEST_VERSION))
        validator.warn("publiccodeYmlVersion", f'version "{version_text}" is an older version of the standard: '
                       f'the latest is {latest} (write "0" to follow the latest 0.x)', version_line)
    key = lambda issue: (issue.line or 0, issue.path)  # noqa: E731
    return ParseResult(data, sorted(validator.errors, key=key), sorted(validator.warnings, key=key),
                       version_text)


def _decode(text: str | bytes) -> tuple[str, Issue | None]:
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            line = bytes(text[:exc.start]).count(b"\n") + 1
            return "", Issue("", f"The file is not valid UTF-8 (byte 0x{text[exc.start]:02x} on line {line}); "
                                 "save it with UTF-8 encoding", line, "error")
    if not isinstance(text, str):
        return "", Issue("", "The publiccode.yml content must be text", None, "error")
    if len(text) > MAX_INPUT_CHARS:
        return "", Issue("", f"The file is too large ({len(text)} characters; at most {MAX_INPUT_CHARS})",
                         None, "error")
    return text.removeprefix("\ufeff"), None


def _compose(text: str) -> tuple[Node | None, Issue | None]:
    try:
        return yaml.compose(text, Loader=_Loader), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        if "\t" in (exc.problem or "") or "'\\t'" in (exc.problem or ""):
            what += " (tabs cannot be used for indentation in YAML: use spaces)"
        where = f" at line {line}" if line else ""
        return None, Issue("", f"Malformed YAML{where}: {what}", line, "error")
    except yaml.YAMLError as exc:  # ReaderError: unacceptable characters
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        return None, Issue("", f"Malformed YAML: {exc}", line, "error")
    except RecursionError:
        return None, Issue("", "Malformed YAML: the document is nested too deeply", None, "error")


def _to_python(root: Node) -> tuple[dict, bool]:
    """Plain data with YAML 1.2 scalars: None, True/False, and text for everything else (no numbers, no dates)."""
    budget = [MAX_NODES]

    def convert(node: Node, depth: int):
        budget[0] -= 1
        if budget[0] < 0 or depth > 200:
            raise OverflowError
        if isinstance(node, ScalarNode):
            kind = _scalar_kind(node)
            if kind == "null":
                return None
            if kind == "bool":
                return node.value.lower() == "true"
            return node.value
        if isinstance(node, SequenceNode):
            return [convert(item, depth + 1) for item in node.value]
        result = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else repr(convert(key_node, depth + 1))
            if key not in result:
                result[key] = convert(value_node, depth + 1)
        return result

    try:
        return convert(root, 0), False
    except OverflowError:
        return {}, True


def _read_version(root: MappingNode) -> tuple[str | None, int | None, tuple[int, int, int] | None]:
    for key_node, value_node in root.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "publiccodeYmlVersion":
            if isinstance(value_node, ScalarNode) and not _is_null(value_node):
                return value_node.value, _line(key_node), SUPPORTED_VERSIONS.get(value_node.value)
            return None, _line(key_node), None
    return None, None, None


# ---------------------------------------------------------------------------------------------------------------
# Practice fields (import) and export
# ---------------------------------------------------------------------------------------------------------------

def _text_or_none(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip() if not isinstance(value, bool) else ("true" if value else "false")
    return text or None


def _texts(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [text for text in (_text_or_none(item) for item in items) if text is not None]


def _unique(values: list[str]) -> list[str]:
    """The values once each, in file order: real files repeat a category or a platform, sometimes in other case."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = " ".join(value.split()).casefold()
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def preferred_language(languages) -> str | None:
    """Italian first ("it", then "it-…"), then English ("en", "en-…"), then the first language given."""
    languages = list(languages)
    for prefix in ("it", "en"):
        for language in languages:
            if language.lower() == prefix:
                return language
        for language in languages:
            if language.lower().startswith(prefix + "-"):
                return language
    return languages[0] if languages else None


def _ipa_code(data: dict) -> str | None:
    uri = _text_or_none(_mapping(data.get("organisation")).get("uri"))
    if uri and uri.lower().startswith("urn:x-italian-pa:"):
        return uri[len("urn:x-italian-pa:"):].strip() or None
    for section in ("IT", "it"):
        code = _text_or_none(_mapping(_mapping(data.get(section)).get("riuso")).get("codiceIPA"))
        if code:
            return code
    return None


def practice_fields(result: ParseResult) -> dict:
    """The values the platform keeps for a software practice, from a result without errors (else ValueError).

    Texts are stripped; absent optional values are None (or empty lists). Besides the fields of the brief, it gives
    `language` (the description key the texts come from), `organisation_name` (organisation.name, or the older
    legal.repoOwner), contractors' `email`, and dependencies' exact `version` and `optional` flag.
    """
    if result.data is None or not result.ok:
        raise ValueError("practice_fields() needs a publiccode.yml without errors")
    data = result.data
    descriptions = {key: _mapping(value) for key, value in _mapping(data.get("description")).items()}
    language = preferred_language(descriptions)
    description = descriptions.get(language, {}) if language else {}
    maintenance = _mapping(data.get("maintenance"))
    depends_on = _mapping(data.get("dependsOn"))
    return {
        "publiccode_version": _text_or_none(data.get("publiccodeYmlVersion")),
        "name": _text_or_none(description.get("localisedName")) or _text_or_none(data.get("name")),
        "language": language,
        "short_description": _text_or_none(description.get("shortDescription")),
        "generic_name": _text_or_none(description.get("genericName")),
        "long_description": _text_or_none(description.get("longDescription")),
        "features": _unique(_texts(description.get("features"))),
        "licence": _text_or_none(_mapping(data.get("legal")).get("license")),
        "url": _text_or_none(data.get("url")),
        "landing_url": _text_or_none(data.get("landingURL")),
        "development_status": _text_or_none(data.get("developmentStatus")),
        "software_type": _text_or_none(data.get("softwareType")),
        "platforms": _unique(_texts(data.get("platforms"))),
        "categories": _unique([c.lower() for c in _texts(data.get("categories"))]),
        "scopes": _unique([s.lower() for s in _texts(_mapping(data.get("intendedAudience")).get("scope"))]),
        "available_languages": _unique(_texts(_mapping(data.get("localisation")).get("availableLanguages"))),
        "maintenance": {
            "type": _text_or_none(maintenance.get("type")),
            "contractors": [{
                "name": _text_or_none(item.get("name")),
                "until": _text_or_none(item.get("until")),
                "website": _text_or_none(item.get("website")),
                "email": _text_or_none(item.get("email")),
            } for item in _items(maintenance.get("contractors"))],
            "contacts": [{
                "name": _text_or_none(item.get("name")),
                "email": _text_or_none(item.get("email")),
                "phone": _text_or_none(item.get("phone")),
                "affiliation": _text_or_none(item.get("affiliation")),
            } for item in _items(maintenance.get("contacts"))],
        },
        "dependencies": [{
            "name": _text_or_none(item.get("name")),
            "kind": kind,
            "version_min": _text_or_none(item.get("versionMin")),
            "version_max": _text_or_none(item.get("versionMax")),
            "version": _text_or_none(item.get("version")),
            "optional": item.get("optional") if isinstance(item.get("optional"), bool) else None,
        } for kind in DEPENDENCY_KINDS for item in _items(depends_on.get(kind))],
        "used_by": _unique(_texts(data.get("usedBy"))),
        "ipa_code": _ipa_code(data),
        "organisation_name": (_text_or_none(_mapping(data.get("organisation")).get("name"))
                              or _text_or_none(_mapping(data.get("legal")).get("repoOwner"))),
        "release_date": _text_or_none(data.get("releaseDate")),
        "software_version": _text_or_none(data.get("softwareVersion")),
    }


class _Dumper(yaml.SafeDumper):
    """Block-style YAML; multi-line texts as literal blocks; never aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Quoted(str):
    """Text always written in double quotes (version numbers, to make their type obvious)."""


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Quoted, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(value), style='"'))


def _compact(mapping: dict) -> dict:
    """Drop keys whose value is None or an empty list (absent optional keys)."""
    return {key: value for key, value in mapping.items() if value is not None and value != []}


def dump_publiccode(fields: dict, used_by: list[str] | None = None) -> str:
    """A publiccode.yml (version 0.4.0) for the fields of `practice_fields()`; `used_by` replaces usedBy.

    The texts must satisfy the standard (short description ≤ 150 characters, long description 150–10000, at least
    one feature, contacts for "internal"/"community" maintenance, contractors for "contract"): check the output with
    parse_publiccode() when the fields come from a form rather than from an imported file.
    """
    language = fields.get("language") or "it"
    maintenance = fields.get("maintenance") or {}
    kind = maintenance.get("type")
    dependencies: dict[str, list[dict]] = {}
    for dependency in fields.get("dependencies") or []:
        dependencies.setdefault(dependency.get("kind") or "open", []).append(_compact({
            "name": dependency.get("name"),
            "versionMin": dependency.get("version_min"),
            "versionMax": dependency.get("version_max"),
            "version": dependency.get("version"),
            "optional": dependency.get("optional"),
        }))
    document = _compact({
        "publiccodeYmlVersion": _Quoted(EXPORT_VERSION),
        "name": fields.get("name"),
        "url": fields.get("url"),
        "landingURL": fields.get("landing_url"),
        "softwareVersion": fields.get("software_version"),
        "releaseDate": fields.get("release_date"),
        "platforms": _unique(list(fields.get("platforms") or [])),
        "categories": _unique(list(fields.get("categories") or [])),
        "usedBy": _unique(list(used_by if used_by is not None else fields.get("used_by") or [])),
        "intendedAudience": {"scope": _unique(list(fields["scopes"]))} if fields.get("scopes") else None,
        "developmentStatus": fields.get("development_status"),
        "softwareType": fields.get("software_type"),
        "description": {language: _compact({
            "localisedName": fields.get("name"),
            "shortDescription": fields.get("short_description"),
            "longDescription": fields.get("long_description"),
            "features": _unique(list(fields.get("features") or [])),
            "awards": _unique(list(fields.get("awards") or [])),  # the standard's description/[lang]/awards
        })},
        "legal": _compact({"license": fields.get("licence"), "repoOwner": fields.get("organisation_name")}),
        "maintenance": _compact({
            "type": kind,
            "contractors": [_compact({key: contractor.get(key) for key in ("name", "until", "website", "email")})
                            for contractor in maintenance.get("contractors") or []] if kind == "contract" else None,
            "contacts": [_compact({key: contact.get(key) for key in ("name", "email", "phone", "affiliation")})
                         for contact in maintenance.get("contacts") or []],
        }),
        "localisation": {"localisationReady": False,
                         "availableLanguages": _unique(list(fields.get("available_languages") or [language]))},
        "dependsOn": {kind: dependencies[kind] for kind in DEPENDENCY_KINDS if kind in dependencies} or None,
        # In 0.4.0 the administration's iPA code belongs in the Italian section, written lowercase then.
        "it": {"countryExtensionVersion": _Quoted("1.0"), "riuso": {"codiceIPA": fields["ipa_code"]}}
        if fields.get("ipa_code") else None,
    })
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=100)
