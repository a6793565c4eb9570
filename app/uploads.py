"""Uploaded files: checked from their content, stored under a random name, served so that nothing renders.

No Flask and no database here: the routes call `check_upload` on each file (after which either an `UploadRejected`
with a clear message, or the checked metadata and the bytes), then `store` the bytes and record the returned key with
the metadata; a download resolves the key with `open_stored` and sends it with `safe_download_headers`.

The type is established from the bytes, never from the name or from what the browser says: PDF, PNG, JPEG, GIF and
WebP by their signatures; ODF (.odt .ods .odp .odg), OOXML (.docx .xlsx .pptx) and plain ZIP by looking inside the
archive (the ODF ``mimetype`` entry, the OOXML ``[Content_Types].xml``), after checking the archive itself (no
absolute or ``..`` paths, no symlinks, no overlapping or duplicated entries, no ZIP bomb — every entry is really
decompressed within a byte budget, archives inside it too, other compressed formats inside it refused —, no macros in
documents);
text (.md .txt .csv .yml .yaml) must be UTF-8 without NUL bytes and must not open like an HTML, SVG or XML document.
The extension must agree with the content: an EXE, an HTML page or a ZIP named ``.pdf`` is refused, and so is a PDF
named ``.txt``. SVG and HTML are never accepted (they can carry scripts).

Messages are Italian msgids (the web layer translates them with ``gettext(error.msgid, **error.params)``);
``str(error)`` is the Italian text.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import stat
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from text_unidecode import unidecode

__all__ = ["ACCEPT_ATTRIBUTE", "ALLOWED_EXTENSIONS", "CheckedFile", "StorageKeyError", "UploadRejected",
           "check_upload", "delete_stored", "open_stored", "safe_download_headers", "store"]


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it when it shows it."""
    return message


# ---- types ------------------------------------------------------------------------------------------------------

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
ZIP = "application/zip"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
ODG = "application/vnd.oasis.opendocument.graphics"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MARKDOWN = "text/markdown"
TEXT = "text/plain"
CSV = "text/csv"
YAML = "application/yaml"

# Extension (lower case, with the dot) -> the content type the bytes must turn out to be.
_EXTENSIONS: dict[str, str] = {
    ".pdf": PDF,
    ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".gif": GIF, ".webp": WEBP,
    ".zip": ZIP,
    ".odt": ODT, ".ods": ODS, ".odp": ODP, ".odg": ODG,
    ".docx": DOCX, ".xlsx": XLSX, ".pptx": PPTX,
    ".md": MARKDOWN, ".markdown": MARKDOWN, ".txt": TEXT, ".csv": CSV, ".yml": YAML, ".yaml": YAML,
}
ALLOWED_EXTENSIONS: frozenset[str] = frozenset(_EXTENSIONS)
#: For ``<input type="file" accept="...">`` (a convenience for the person; the server check is what counts).
ACCEPT_ATTRIBUTE = ",".join(sorted(_EXTENSIONS))

_TEXT_TYPES = frozenset({MARKDOWN, TEXT, CSV, YAML})
_ZIP_FAMILY = frozenset({ZIP, ODT, ODS, ODP, ODG, DOCX, XLSX, PPTX})
_ODF_TYPES = frozenset({ODT, ODS, ODP, ODG})
_OOXML_MAIN_PARTS = {  # main part content type in [Content_Types].xml -> document type
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}

# ZIP limits: entries, total declared uncompressed size, and compression ratio of any entry larger than 1 MiB.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 100
_ZIP_RATIO_FLOOR = 1024 * 1024
_ZIP_SMALL_READ = 1024 * 1024  # the ODF mimetype and OOXML [Content_Types].xml entries are read up to this size
# Archives inside an archive (a .docx in a .zip) are inspected too, this deep at the most.
ZIP_MAX_DEPTH = 3
_NESTED_MAX_BYTES = 64 * 1024 * 1024  # an inner archive is held in memory to be inspected: this big at the most
# Compressed formats we cannot look into: refused inside an archive (gzip, bzip2, xz, 7-Zip, RAR, zstd).
_OPAQUE_ARCHIVE_SIGNATURES = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07",
                              b"\x28\xb5\x2f\xfd")

MAX_NAME_LENGTH = 200
_READ_CHUNK = 64 * 1024

# ---- messages ---------------------------------------------------------------------------------------------------

MSG_TOO_LARGE = N_("Il file «%(name)s» supera il limite di %(limit)s.")
MSG_EMPTY = N_("Il file «%(name)s» è vuoto.")
MSG_TYPE_NOT_ALLOWED = N_("Tipo di file non ammesso: sono accettati PDF, documenti di testo, fogli di calcolo e "
                          "presentazioni (LibreOffice o Microsoft Office), immagini, ZIP, Markdown, testo e YAML.")
MSG_ZIP_BROKEN = N_("Il file «%(name)s» è danneggiato: non è un archivio leggibile.")
MSG_ZIP_EMPTY = N_("L'archivio «%(name)s» non contiene file.")
MSG_ZIP_UNSAFE_PATHS = N_("L'archivio «%(name)s» contiene percorsi non sicuri (assoluti, con «..» o collegamenti "
                          "simbolici).")
MSG_ZIP_BOMB = N_("L'archivio «%(name)s» è troppo grande una volta decompresso o troppo compresso per essere "
                  "sicuro.")
MSG_ZIP_NESTED = N_("L'archivio «%(name)s» contiene altri archivi compressi (per esempio .gz, .7z, .rar) o archivi "
                    "annidati troppo in profondità: caricane il contenuto direttamente.")
MSG_MACROS = N_("Il documento «%(name)s» contiene macro: salvalo in un formato senza macro e caricalo di nuovo.")
MSG_TEXT_ENCODING = N_("Il file «%(name)s» non è un testo UTF-8 valido: salvalo con codifica UTF-8 e caricalo di "
                       "nuovo.")
MSG_TEXT_MARKUP = N_("Il file «%(name)s» contiene una pagina HTML, un'immagine SVG o un documento XML, che non sono "
                     "ammessi.")
# What the content must be, per type (one whole sentence each, so that translations read naturally).
MSG_NOT_A = {
    PDF: N_("Il contenuto di «%(name)s» non è un PDF."),
    PNG: N_("Il contenuto di «%(name)s» non è un'immagine PNG."),
    JPEG: N_("Il contenuto di «%(name)s» non è un'immagine JPEG."),
    GIF: N_("Il contenuto di «%(name)s» non è un'immagine GIF."),
    WEBP: N_("Il contenuto di «%(name)s» non è un'immagine WebP."),
    ZIP: N_("Il contenuto di «%(name)s» non è un archivio ZIP."),
    ODT: N_("Il contenuto di «%(name)s» non è un documento di testo OpenDocument (.odt)."),
    ODS: N_("Il contenuto di «%(name)s» non è un foglio di calcolo OpenDocument (.ods)."),
    ODP: N_("Il contenuto di «%(name)s» non è una presentazione OpenDocument (.odp)."),
    ODG: N_("Il contenuto di «%(name)s» non è un disegno OpenDocument (.odg)."),
    DOCX: N_("Il contenuto di «%(name)s» non è un documento Word (.docx)."),
    XLSX: N_("Il contenuto di «%(name)s» non è un foglio di calcolo Excel (.xlsx)."),
    PPTX: N_("Il contenuto di «%(name)s» non è una presentazione PowerPoint (.pptx)."),
    MARKDOWN: N_("Il contenuto di «%(name)s» non è un testo Markdown."),
    TEXT: N_("Il contenuto di «%(name)s» non è un testo."),
    CSV: N_("Il contenuto di «%(name)s» non è un testo CSV."),
    YAML: N_("Il contenuto di «%(name)s» non è un testo YAML."),
}


class UploadRejected(Exception):
    """The file is refused; ``str(error)`` is a clear Italian message for the person.

    ``msgid`` and ``params`` let the web layer translate it: ``gettext(error.msgid, **error.params)``.
    ``code`` is a short machine-readable reason (``too_large``, ``empty``, ``type``, ``mismatch``, ``zip``, ...).
    """

    def __init__(self, msgid: str, code: str, **params: str) -> None:
        self.msgid = msgid
        self.code = code
        self.params = params
        super().__init__(msgid % params if params else msgid)


@dataclass
class Rejection:
    """A refused file: the message as a msgid and its parameters, translated by the web layer."""

    filename: str
    msgid: str
    params: dict = field(default_factory=dict)


def check_all(files, max_bytes: int) -> tuple[list[tuple[CheckedFile, bytes]], list[Rejection]]:
    """Check every uploaded file of a form (all are checked, so the person learns of each refusal at once);
    nameless parts, which an empty file input sends, are skipped."""
    checked, rejected = [], []
    for upload in files or []:
        if not upload or not getattr(upload, "filename", ""):
            continue
        try:
            checked.append(check_upload(upload.filename, upload.stream, max_bytes))
        except UploadRejected as error:
            rejected.append(Rejection(upload.filename, error.msgid, error.params))
    return checked, rejected


class StorageKeyError(ValueError):
    """A storage key that is not one `store` made, or that would lead outside the storage folder."""


@dataclass(frozen=True)
class CheckedFile:
    original_name: str  # sanitised display name: no path parts, no control characters, <= 200 characters
    mimetype: str       # established from the content
    size: int
    sha256: str         # hex


# ---- names ------------------------------------------------------------------------------------------------------

def sanitise_filename(filename: str | None) -> str:
    """A display name: the last path part only, NFC, no control or format characters (so no NUL, newline or
    right-to-left override disguising the extension), single spaces, no leading dots, at most 200 characters with
    the extension kept. Never empty (``file`` stands in for a missing stem)."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]
    chars = []
    for char in name:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            chars.append(" ")
        elif category in ("Cf", "Cs", "Co", "Cn"):
            continue
        else:
            chars.append(char)
    name = re.sub(r"\s+", " ", "".join(chars)).strip(" ").rstrip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not re.fullmatch(r"[^\s.]{1,16}", ext):
        stem, ext = name, ""
    stem = stem.strip(" .") or "file"
    suffix = f".{ext}" if ext else ""
    if len(stem) + len(suffix) > MAX_NAME_LENGTH:
        stem = stem[:MAX_NAME_LENGTH - len(suffix)].rstrip(" .") or "file"
    return stem + suffix


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


def _format_limit(max_bytes: int) -> str:
    mib = 1024 * 1024
    if max_bytes >= mib:
        value = max_bytes / mib
        text = f"{value:.0f}" if max_bytes % mib == 0 else f"{value:.1f}".replace(".", ",")
        return f"{text} MB"
    if max_bytes >= 1024:
        return f"{max_bytes // 1024} KB"
    return f"{max_bytes} byte"


# ---- reading ----------------------------------------------------------------------------------------------------

def _read_limited(data: bytes | bytearray | memoryview | BinaryIO, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes: enough to tell that a file is too large without reading all of it."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data[:max_bytes + 1])
    parts: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = data.read(min(_READ_CHUNK, remaining))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


# ---- content sniffing -------------------------------------------------------------------------------------------

def _sniff(content: bytes) -> str | None:
    """The allowed family the bytes belong to by their signature (ZIP family -> ZIP), else None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n") and content[12:16] == b"IHDR":
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP" and content[12:15] == b"VP8":
        return WEBP
    if content[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return ZIP
    return None


def _zip_entry_unsafe(info: zipfile.ZipInfo) -> bool:
    name = info.orig_filename
    if not name or "\x00" in name or any(unicodedata.category(c) == "Cc" for c in name):
        return True
    if name[0] in "/\\" or re.match(r"[A-Za-z]:", name):
        return True
    if ".." in re.split(r"[/\\]", name):
        return True
    return stat.S_ISLNK(info.external_attr >> 16)


def _zip_layout_sound(content: bytes, infos: list[zipfile.ZipInfo]) -> bool:
    """Every entry starts with a local header where the directory says, and no two entries share bytes (the
    'overlapping entries' ZIP bomb)."""
    spans = []
    for info in infos:
        offset = info.header_offset
        header = content[offset:offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return False
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        spans.append((offset, offset + 30 + name_length + extra_length + info.compress_size))
    spans.sort()
    for (_, end), (next_start, _) in zip(spans, spans[1:]):
        if end > next_start:
            return False
    return not spans or spans[-1][1] <= len(content)


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as entry:
        return entry.read(_ZIP_SMALL_READ)


def _is_odf_macro(entry: str) -> bool:
    """A Basic module (``Basic/<library>/<module>.xml``; the library lists alone are harmless) or a script."""
    parts = entry.split("/")
    if parts[0] == "Basic":
        return len(parts) >= 3 and parts[-1] not in ("", "script-lb.xml", "dialog-lb.xml")
    return parts[0] == "Scripts" and len(parts) >= 2 and parts[-1] != ""


class _Budget:
    """How many decompressed bytes an upload may still produce, shared by an archive and those nested in it."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, amount: int, name: str) -> None:
        self.left -= amount
        if self.left < 0:
            raise UploadRejected(MSG_ZIP_BOMB, "zip_bomb", name=name)


def _inspect_zip(content: bytes, name: str) -> str:
    """Checks an archive and tells ODF, OOXML and plain ZIP apart; returns the content type."""
    # The declared sizes are checked first (cheap), then every entry is really decompressed, as a stream, within a
    # budget: sizes in the directory can lie, and a ZIP can hold further ZIPs.
    budget = _Budget(min(ZIP_MAX_UNCOMPRESSED, max(_ZIP_RATIO_FLOOR, ZIP_MAX_RATIO * len(content))))
    return _inspect_zip_level(content, name, budget, depth=1)


def _inspect_zip_level(content: bytes, name: str, budget: _Budget, depth: int) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_ENTRIES:
                raise UploadRejected(MSG_ZIP_BOMB, "zip_bomb", name=name)
            if not [info for info in infos if not info.is_dir()]:
                raise UploadRejected(MSG_ZIP_EMPTY, "zip_empty", name=name)
            if any(_zip_entry_unsafe(info) for info in infos):
                raise UploadRejected(MSG_ZIP_UNSAFE_PATHS, "zip_paths", name=name)
            names = [info.filename for info in infos]
            if len(set(names)) != len(names) or not _zip_layout_sound(content, infos):
                raise UploadRejected(MSG_ZIP_BROKEN, "zip_broken", name=name)
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > _ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
                    raise UploadRejected(MSG_ZIP_BOMB, "zip_bomb", name=name)
            # Many small, highly compressed entries make a bomb as well as one big one.
            if total > ZIP_MAX_UNCOMPRESSED or (total > _ZIP_RATIO_FLOOR and total > ZIP_MAX_RATIO * len(content)):
                raise UploadRejected(MSG_ZIP_BOMB, "zip_bomb", name=name)
            for info in infos:
                if not info.is_dir():
                    _decompress_entry(archive, info, name, budget, depth)

            by_name = {info.filename: info for info in infos}
            if "mimetype" in by_name:
                declared = _read_small(archive, by_name["mimetype"]).strip().decode("ascii", "replace")
                if declared in _ODF_TYPES:
                    if any(_is_odf_macro(n) for n in names):
                        raise UploadRejected(MSG_MACROS, "macros", name=name)
                    return declared
            if "[Content_Types].xml" in by_name:
                types = _read_small(archive, by_name["[Content_Types].xml"])
                lowered = types.lower()
                if b"macroenabled" in lowered or b"vbaproject" in lowered or any(
                        n.lower().endswith("vbaproject.bin") for n in names):
                    raise UploadRejected(MSG_MACROS, "macros", name=name)
                for kind, main_part in _OOXML_MAIN_PARTS.items():
                    if re.search(rb'ContentType\s*=\s*["\']' + re.escape(main_part.encode()) + rb'["\']', types):
                        return kind
            return ZIP
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError, struct.error, UnicodeDecodeError, zlib.error):
        raise UploadRejected(MSG_ZIP_BROKEN, "zip_broken", name=name) from None


def _decompress_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget,
                      depth: int) -> None:
    """Decompress one entry as a stream within the budget (zipfile checks its CRC and its declared size at the
    end); an entry that is itself a ZIP is inspected in turn, one that is another compressed format is refused."""
    head = b""
    nested = bytearray()
    is_zip = False
    with archive.open(info) as entry:
        while chunk := entry.read(_READ_CHUNK):
            budget.spend(len(chunk), name)
            if not head:
                head = chunk[:8]
                is_zip = head.startswith(b"PK\x03\x04")
                if head.startswith(_OPAQUE_ARCHIVE_SIGNATURES):
                    raise UploadRejected(MSG_ZIP_NESTED, "zip_nested", name=name)
            if is_zip:
                nested += chunk
                if len(nested) > _NESTED_MAX_BYTES:
                    raise UploadRejected(MSG_ZIP_NESTED, "zip_nested", name=name)
    if is_zip:
        if depth >= ZIP_MAX_DEPTH:
            raise UploadRejected(MSG_ZIP_NESTED, "zip_nested", name=name)
        try:
            _inspect_zip_level(bytes(nested), name, budget, depth + 1)
        except UploadRejected as error:
            if error.code in ("zip_bomb", "zip_nested", "macros", "zip_paths"):
                raise
            # A damaged or odd inner archive is just bytes to us; what matters is that it cannot explode.


_MARKUP_START = re.compile(rb"\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml)[\s>/]", re.IGNORECASE)


def _check_text(content: bytes, name: str) -> None:
    if b"\x00" in content:
        raise UploadRejected(MSG_TEXT_ENCODING, "encoding", name=name)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadRejected(MSG_TEXT_ENCODING, "encoding", name=name) from None
    if _MARKUP_START.match(content.removeprefix(b"\xef\xbb\xbf")):
        raise UploadRejected(MSG_TEXT_MARKUP, "markup", name=name)


def check_upload(filename: str, data: bytes | BinaryIO, max_bytes: int) -> tuple[CheckedFile, bytes]:
    """Checks one uploaded file; returns its metadata and its bytes, or raises `UploadRejected`.

    ``data`` is the bytes or a readable binary stream (e.g. ``FileStorage.stream``); at most ``max_bytes + 1``
    bytes are read from it."""
    name = sanitise_filename(filename)
    content = _read_limited(data, max_bytes)
    if len(content) > max_bytes:
        raise UploadRejected(MSG_TOO_LARGE, "too_large", name=name, limit=_format_limit(max_bytes))
    if not content:
        raise UploadRejected(MSG_EMPTY, "empty", name=name)
    expected = _EXTENSIONS.get(_extension(name))
    if expected is None:
        raise UploadRejected(MSG_TYPE_NOT_ALLOWED, "type")

    sniffed = _sniff(content)
    if expected in _TEXT_TYPES:
        if sniffed is not None:
            raise UploadRejected(MSG_NOT_A[expected], "mismatch", name=name)
        _check_text(content, name)
        mimetype = expected
    elif expected in _ZIP_FAMILY:
        if sniffed != ZIP:
            raise UploadRejected(MSG_NOT_A[expected], "mismatch", name=name)
        mimetype = _inspect_zip(content, name)
        if expected == ZIP:
            mimetype = ZIP  # a document sent as .zip is still a well-formed ZIP, and is served as one
        elif mimetype != expected:
            raise UploadRejected(MSG_NOT_A[expected], "mismatch", name=name)
    else:
        if sniffed != expected:
            raise UploadRejected(MSG_NOT_A[expected], "mismatch", name=name)
        mimetype = expected

    checked = CheckedFile(original_name=name, mimetype=mimetype, size=len(content),
                          sha256=hashlib.sha256(content).hexdigest())
    return checked, content


# ---- storage ----------------------------------------------------------------------------------------------------

_KEY = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{32})")


def store(content: bytes, root: Path) -> str:
    """Writes the bytes under ``root`` with a random name, atomically; returns the storage key (``ab/cd/abcd…``)."""
    name = secrets.token_hex(16)
    key = f"{name[:2]}/{name[2:4]}/{name}"
    folder = Path(root) / name[:2] / name[2:4]
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return key


def _path_for(root: Path, key: str) -> Path:
    match = _KEY.fullmatch(key or "") if isinstance(key, str) else None
    if not match or not match.group(3).startswith(match.group(1) + match.group(2)):
        raise StorageKeyError("not a storage key")
    base = Path(root).resolve()
    path = base.joinpath(*key.split("/"))
    resolved = path.resolve()
    if not resolved.is_relative_to(base) or resolved != path:
        raise StorageKeyError("storage key leads outside the storage folder")
    return path


def open_stored(root: Path, key: str) -> Path:
    """The path of a stored file. `StorageKeyError` for a key `store` could not have made or that leads outside
    ``root`` (``..``, absolute, symlinks); `FileNotFoundError` when there is no such file."""
    path = _path_for(root, key)
    if not path.is_file():
        raise FileNotFoundError(key)
    return path


def delete_stored(root: Path, key: str) -> None:
    """Removes a stored file; a file already gone is not an error (the shard folders stay)."""
    _path_for(root, key).unlink(missing_ok=True)


# ---- download ---------------------------------------------------------------------------------------------------

def _ascii_fallback(name: str) -> str:
    text = unidecode(name)
    text = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in text)
    return re.sub(r"\s+", " ", text).strip() or "file"


def safe_download_headers(checked_mimetype: str, original_name: str) -> dict[str, str]:
    """Headers for sending a stored file: never rendered by the browser (attachment, nosniff, text as plain text,
    a sandboxing CSP should it be opened anyway), with the original name (RFC 6266 / RFC 5987 for non-ASCII)."""
    if checked_mimetype in _TEXT_TYPES or checked_mimetype.startswith("text/"):
        content_type = "text/plain; charset=utf-8"
    elif checked_mimetype in _ZIP_FAMILY or checked_mimetype in (PDF, PNG, JPEG, GIF, WEBP):
        content_type = checked_mimetype
    else:
        content_type = "application/octet-stream"
    name = sanitise_filename(original_name)
    fallback = _ascii_fallback(name)
    disposition = f'attachment; filename="{fallback}"'
    if fallback != name:
        disposition += f"; filename*=UTF-8''{quote(name, safe='')}"
    return {
        "Content-Type": content_type,
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": DOWNLOAD_CSP,
        "Cache-Control": "private",
    }


DOWNLOAD_CSP = "default-src 'none'; sandbox"


def keep_download_csp(response):
    """after_request hook registered before Talisman's, so that it runs after it (Flask runs them in reverse):
    the application-wide policy must not replace a download's sandbox."""
    if getattr(response, "download_csp", None):
        response.headers["Content-Security-Policy"] = response.download_csp
    return response


def send_stored(root, attachment):
    """The response that sends a stored document (anything with storage_key, mimetype and original_name) with the
    safe headers above; a missing or malformed file is a 404."""
    from flask import abort, send_file

    try:
        path = open_stored(root, attachment.storage_key)
    except (FileNotFoundError, ValueError):
        abort(404)
    headers = safe_download_headers(attachment.mimetype, attachment.original_name)
    response = send_file(path, mimetype=headers.pop("Content-Type"), conditional=True, max_age=0)
    response.headers.update(headers)
    response.download_csp = headers["Content-Security-Policy"]  # see keep_download_csp
    return response
