"""Uploaded files: type from the content, size and name rules, ZIP checks, storage keys, download headers."""
from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from app.uploads import (ACCEPT_ATTRIBUTE, ALLOWED_EXTENSIONS, MAX_NAME_LENGTH, MSG_TYPE_NOT_ALLOWED,
                         StorageKeyError, UploadRejected, check_upload, delete_stored, open_stored,
                         safe_download_headers, sanitise_filename, store)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "uploads"
MB = 1024 * 1024
LIMIT = 25 * MB


def _load_samples():
    spec = importlib.util.spec_from_file_location("upload_samples", FIXTURES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


samples = _load_samples()


def rejected(filename: str, data, max_bytes: int = LIMIT) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check_upload(filename, data, max_bytes)
    return caught.value


# ---- every allowed type ----------------------------------------------------------------------------------------

EXPECTED = {
    "sample.pdf": "application/pdf",
    "sample.png": "image/png",
    "sample.jpg": "image/jpeg",
    "sample.gif": "image/gif",
    "sample.webp": "image/webp",
    "sample.zip": "application/zip",
    "sample.odt": "application/vnd.oasis.opendocument.text",
    "sample.ods": "application/vnd.oasis.opendocument.spreadsheet",
    "sample.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "sample.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sample.md": "text/markdown",
    "sample.txt": "text/plain",
    "sample.csv": "text/csv",
    "sample.yaml": "application/yaml",
}


def test_fixture_files_are_what_the_script_makes_and_tiny():
    assert set(samples.SAMPLES) == set(EXPECTED)
    for name, build in samples.SAMPLES.items():
        on_disk = (FIXTURES / name).read_bytes()
        assert on_disk == build(), f"{name} is stale: run tests/fixtures/uploads/make_samples.py"
        assert 0 < len(on_disk) < 20 * 1024


def test_sample_pdf_cross_reference_points_at_its_objects():
    data = (FIXTURES / "sample.pdf").read_bytes()
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[startxref:].startswith(b"xref\n")
    offsets = [int(m) for m in re.findall(rb"^(\d{10}) 00000 n $", data[startxref:], re.MULTILINE)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj\n" % number)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_allowed_type_is_accepted_with_its_type_from_the_content(name):
    data = (FIXTURES / name).read_bytes()
    checked, content = check_upload(name, data, LIMIT)
    assert checked.mimetype == EXPECTED[name]
    assert checked.original_name == name
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert content == data


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_stream_is_accepted_too(name):
    data = (FIXTURES / name).read_bytes()
    checked, content = check_upload(name.upper(), io.BytesIO(data), LIMIT)
    assert (checked.mimetype, content) == (EXPECTED[name], data)


def test_other_allowed_variants():
    presentation = samples.odf("application/vnd.oasis.opendocument.presentation", "<office:presentation/>")
    assert check_upload("slide.odp", presentation, LIMIT)[0].mimetype == (
        "application/vnd.oasis.opendocument.presentation")
    drawing = samples.odf("application/vnd.oasis.opendocument.graphics", "<office:drawing/>")
    assert check_upload("schema.odg", drawing, LIMIT)[0].mimetype == "application/vnd.oasis.opendocument.graphics"
    pptx = samples.docx("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")
    assert check_upload("slide.pptx", pptx, LIMIT)[0].mimetype == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation")
    assert check_upload("foto.JPEG", samples.jpeg(), LIMIT)[0].mimetype == "image/jpeg"
    assert check_upload("kit.yml", samples.yaml(), LIMIT)[0].mimetype == "application/yaml"
    assert check_upload("LEGGIMI.markdown", samples.markdown(), LIMIT)[0].mimetype == "text/markdown"
    assert check_upload("bom.txt", b"\xef\xbb\xbfciao\n", LIMIT)[0].mimetype == "text/plain"
    # A document sent as .zip is a sound ZIP, kept and served as a ZIP.
    assert check_upload("documento.zip", samples.odt(), LIMIT)[0].mimetype == "application/zip"


def test_accept_attribute_lists_the_allowed_extensions():
    assert set(ACCEPT_ATTRIBUTE.split(",")) == set(ALLOWED_EXTENSIONS)
    assert ".svg" not in ALLOWED_EXTENSIONS and ".html" not in ALLOWED_EXTENSIONS


# ---- size ------------------------------------------------------------------------------------------------------

class CountingStream(io.RawIOBase):
    """An endless stream of PDF-looking bytes that counts what was read from it."""

    def __init__(self):
        self.served = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = (b"%PDF-1.4\n" if self.served == 0 else b"") + b"x" * len(buffer)
        chunk = chunk[:len(buffer)]
        buffer[:len(chunk)] = chunk
        self.served += len(chunk)
        return len(chunk)


def test_oversize_is_refused_without_reading_the_whole_stream():
    stream = CountingStream()
    error = rejected("grande.pdf", stream, max_bytes=2 * MB)
    assert str(error) == "Il file «grande.pdf» supera il limite di 2 MB."
    assert error.code == "too_large"
    assert stream.served <= 2 * MB + 1


def test_default_limit_message_and_exact_limit():
    data = samples.pdf()
    too_big = data + b"\n" * (LIMIT - len(data) + 1)
    assert str(rejected("x.pdf", too_big)) == "Il file «x.pdf» supera il limite di 25 MB."
    assert check_upload("x.pdf", data, len(data))[0].size == len(data)
    assert "1,5 MB" in str(rejected("x.pdf", data + b"\0" * (MB + MB // 2), max_bytes=MB + MB // 2))


def test_empty_file_is_refused():
    assert str(rejected("x", b"")) == "Il file «x» è vuoto."
    assert rejected("vuoto.pdf", io.BytesIO(b"")).code == "empty"


# ---- content against extension ---------------------------------------------------------------------------------

EXE = (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
       + b"This program cannot be run in DOS mode")
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 60
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'


@pytest.mark.parametrize("data", [EXE, HTML, SVG, ELF], ids=["exe", "html", "svg", "elf"])
def test_wrong_content_behind_pdf_is_refused(data):
    error = rejected("delibera.pdf", data)
    assert str(error) == "Il contenuto di «delibera.pdf» non è un PDF."
    assert error.code == "mismatch"


def test_zip_named_pdf_is_refused():
    assert str(rejected("x.pdf", samples.plain_zip())) == "Il contenuto di «x.pdf» non è un PDF."


@pytest.mark.parametrize("name, data, message", [
    ("x.docx", samples.png(), "Il contenuto di «x.docx» non è un documento Word (.docx)."),
    ("x.docx", samples.plain_zip(), "Il contenuto di «x.docx» non è un documento Word (.docx)."),
    ("x.docx", samples.odt(), "Il contenuto di «x.docx» non è un documento Word (.docx)."),
    ("x.odt", samples.docx(), "Il contenuto di «x.odt» non è un documento di testo OpenDocument (.odt)."),
    ("x.xlsx", samples.docx(), "Il contenuto di «x.xlsx» non è un foglio di calcolo Excel (.xlsx)."),
    ("x.png", samples.jpeg(), "Il contenuto di «x.png» non è un'immagine PNG."),
    ("x.jpg", samples.gif(), "Il contenuto di «x.jpg» non è un'immagine JPEG."),
    ("x.zip", samples.pdf(), "Il contenuto di «x.zip» non è un archivio ZIP."),
    ("x.txt", samples.pdf(), "Il contenuto di «x.txt» non è un testo."),
    ("x.md", samples.png(), "Il contenuto di «x.md» non è un testo Markdown."),
    ("x.yaml", samples.plain_zip(), "Il contenuto di «x.yaml» non è un testo YAML."),
])
def test_extension_contradicting_content_is_refused(name, data, message):
    assert str(rejected(name, data)) == message


@pytest.mark.parametrize("name", ["x.svg", "x.html", "x.htm", "x.exe", "x.js", "x.doc", "x.docm", "x", "x.pdf.exe",
                                  "pdf", "README"])
def test_extensions_not_allowed_are_refused(name):
    error = rejected(name, samples.pdf())
    assert str(error) == MSG_TYPE_NOT_ALLOWED
    assert str(error) == ("Tipo di file non ammesso: sono accettati PDF, documenti di testo, fogli di calcolo e "
                          "presentazioni (LibreOffice o Microsoft Office), immagini, ZIP, Markdown, testo e YAML.")


@pytest.mark.parametrize("data", [HTML, SVG, b'<?xml version="1.0"?><svg/>', b"\n  <html lang='it'>",
                                  b"<script>x</script>", b"\xef\xbb\xbf<!doctype HTML>"])
def test_markup_behind_a_text_extension_is_refused(data):
    assert rejected("nota.txt", data).code == "markup"
    assert rejected("nota.md", data).code == "markup"


def test_markdown_with_inline_html_later_is_fine():
    assert check_upload("x.md", b"# Titolo\n\nTesto con <br> e <!-- nota -->\n", LIMIT)[0].mimetype == "text/markdown"


@pytest.mark.parametrize("data", ["città".encode("latin-1"), b"ok\x00ok", "testo".encode("utf-16")])
def test_text_must_be_utf8_without_nul(data):
    error = rejected("note.md", data)
    assert str(error) == ("Il file «note.md» non è un testo UTF-8 valido: salvalo con codifica UTF-8 e caricalo di "
                          "nuovo.")
    assert error.code == "encoding"


# ---- archives --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ["../../etc/passwd", "a/../../b.txt", "/etc/passwd", "C:/Windows/x.dll",
                                   "..\\..\\x.bat", "\\server\\x", "a/..", "nul\x01name"])
def test_zip_with_unsafe_paths_is_refused(entry):
    data = samples.zip_of([("ok.txt", b"ok"), (entry, b"x")])
    error = rejected("kit.zip", data)
    assert error.code == "zip_paths"
    assert "percorsi non sicuri" in str(error)


def test_unsafe_paths_are_refused_inside_documents_too():
    data = samples.docx(extra=[("../evil.sh", b"rm -rf /")])
    assert rejected("x.docx", data).code == "zip_paths"


def test_zip_with_a_symlink_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("link", date_time=(1980, 1, 1, 0, 0, 0))
        info.create_system = 3
        info.external_attr = (0o120777) << 16
        archive.writestr(info, "/etc/passwd")
    assert rejected("kit.zip", buffer.getvalue()).code == "zip_paths"


def test_zip_bomb_is_refused():
    # 10 MB of zeros deflate to about 10 KB: a ratio of ~1000.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (10 * MB))
    data = buffer.getvalue()
    assert len(data) < 20 * 1024
    error = rejected("kit.zip", data)
    assert error.code == "zip_bomb"
    assert str(error).startswith("L'archivio «kit.zip» è troppo grande una volta decompresso")


def _zip(entries, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_many_small_highly_compressed_entries_are_a_bomb_too():
    # Each entry stays under the per-entry floor, but 60 MiB come out of about 60 KB.
    data = _zip([(f"parte-{i}.bin", b"\0" * MB) for i in range(60)])
    assert len(data) < 200 * 1024
    assert rejected("kit.zip", data).code == "zip_bomb"


def test_an_entry_that_lies_about_its_size_is_refused():
    """The directory says 1,000 bytes; the stream holds 5 MiB: decompressing for real finds it out."""
    data = bytearray(_zip([("menzogna.bin", b"\0" * (5 * MB))]))
    real = (5 * MB).to_bytes(4, "little")
    lie = (1000).to_bytes(4, "little")
    assert data.count(real) == 2  # the local header and the central directory
    data = bytearray(bytes(data).replace(real, lie))
    assert rejected("kit.zip", bytes(data)).code in ("zip_broken", "zip_bomb")


def test_a_bomb_inside_an_archive_is_found():
    inner = _zip([(f"parte-{i}.bin", b"\0" * MB) for i in range(60)])
    outer = _zip([("dentro.zip", inner), ("leggimi.txt", b"ciao")], method=zipfile.ZIP_STORED)
    assert rejected("kit.zip", outer).code == "zip_bomb"


def test_other_compressed_formats_inside_an_archive_are_refused():
    import gzip

    error = rejected("kit.zip", _zip([("dati.csv.gz", gzip.compress(b"a,b\n1,2\n"))]))
    assert error.code == "zip_nested"
    assert "altri archivi compressi" in str(error)


def test_archives_nested_too_deep_are_refused_and_documents_inside_an_archive_are_fine():
    level = _zip([("fondo.txt", b"ciao")])
    for depth in range(3):
        level = _zip([(f"livello-{depth}.zip", level)])
    assert rejected("kit.zip", level).code == "zip_nested"
    checked, _ = check_upload("kit.zip", _zip([("delibera.docx", (FIXTURES / "sample.docx").read_bytes()),
                                               ("testo.odt", (FIXTURES / "sample.odt").read_bytes())]), LIMIT)
    assert checked.mimetype == "application/zip"


def test_zip_with_a_huge_total_is_refused(monkeypatch):
    import app.uploads as uploads
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED", 1000)
    assert rejected("kit.zip", samples.zip_of([("a.txt", b"a" * 600), ("b.txt", os.urandom(600))])).code == "zip_bomb"
    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 3)
    assert rejected("kit.zip", samples.zip_of([(f"{i}.txt", b"x") for i in range(4)])).code == "zip_bomb"


def test_overlapping_entries_are_refused():
    """Two directory records pointing at the same local file (the 'overlapping' ZIP bomb trick)."""
    data = bytearray(samples.zip_of([("a.txt", b"first"), ("b.txt", b"second")]))
    first_local = data.index(b"PK\x03\x04")
    central = [m.start() for m in re.finditer(rb"PK\x01\x02", bytes(data))]
    data[central[1] + 42:central[1] + 46] = first_local.to_bytes(4, "little")
    assert rejected("kit.zip", bytes(data)).code == "zip_broken"


def test_duplicate_entries_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("a.txt", "one")
        archive.writestr("a.txt", "two")
    assert rejected("kit.zip", buffer.getvalue()).code == "zip_broken"


def test_broken_and_empty_zips_are_refused():
    data = samples.plain_zip()
    assert str(rejected("kit.zip", data[:len(data) // 2])) == (
        "Il file «kit.zip» è danneggiato: non è un archivio leggibile.")
    assert rejected("kit.zip", b"PK\x03\x04" + b"\0" * 100).code == "zip_broken"
    assert str(rejected("kit.zip", samples.zip_of([]))) == "L'archivio «kit.zip» non contiene file."
    assert rejected("kit.zip", samples.zip_of([("cartella/", b"")])).code == "zip_empty"


def test_self_extracting_or_prefixed_zip_is_refused():
    assert rejected("kit.zip", EXE + samples.plain_zip()).code == "mismatch"


def test_documents_with_macros_are_refused():
    docm = samples.docx("application/vnd.ms-word.document.macroEnabled.main+xml",
                        extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")])
    assert str(rejected("x.docx", docm)) == (
        "Il documento «x.docx» contiene macro: salvalo in un formato senza macro e caricalo di nuovo.")
    assert rejected("x.zip", docm).code == "macros"
    odt_with_basic = samples.odf("application/vnd.oasis.opendocument.text", "<office:text/>",
                                 extra=[("Basic/Standard/Module1.xml", b"<script/>")])
    assert rejected("x.odt", odt_with_basic).code == "macros"
    odt_with_python = samples.odf("application/vnd.oasis.opendocument.text", "<office:text/>",
                                  extra=[("Scripts/python/run.py", b"import os")])
    assert rejected("x.odt", odt_with_python).code == "macros"


def test_odf_library_lists_without_modules_are_not_macros():
    empty_containers = [("Basic/script-lc.xml", b"<x/>"), ("Basic/Standard/script-lb.xml", b"<x/>"),
                        ("Basic/Standard/dialog-lb.xml", b"<x/>"), ("Configurations2/", b"")]
    data = samples.odf("application/vnd.oasis.opendocument.text", "<office:text/>", extra=empty_containers)
    assert check_upload("x.odt", data, LIMIT)[0].mimetype == "application/vnd.oasis.opendocument.text"


# ---- names -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\x\\y.pdf", "y.pdf"),
    ("/var/www/static/a.pdf", "a.pdf"),
    ("a\x00b.pdf", "a b.pdf"),
    ("riga\nnuova\r\n.pdf", "riga nuova.pdf"),
    ("  spazi   multipli  .pdf  ", "spazi multipli.pdf"),
    (".nascosto.pdf", "nascosto.pdf"),
    (".pdf", "file.pdf"),
    ("", "file"),
    ("../", "file"),
    ("fattura\u202efdp.exe", "fatturafdp.exe"),
    ("zero\u200bwidth.pdf", "zerowidth.pdf"),
    ("punti finali.pdf...", "punti finali.pdf"),
    ("citta\u0300.pdf", "città.pdf"),
    ("Delibera n. 12 — città.pdf", "Delibera n. 12 — città.pdf"),
])
def test_names_are_sanitised(raw, clean):
    assert sanitise_filename(raw) == clean


def test_path_tricks_in_the_upload_name_are_dropped():
    checked, _ = check_upload("../../etc/passwd.pdf", samples.pdf(), LIMIT)
    assert checked.original_name == "passwd.pdf"
    checked, _ = check_upload("C:\\x\\y.pdf", samples.pdf(), LIMIT)
    assert checked.original_name == "y.pdf"
    checked, _ = check_upload("a\nb\x00c\t.pdf", samples.pdf(), LIMIT)
    assert checked.original_name == "a b c.pdf"


def test_right_to_left_override_cannot_disguise_an_extension():
    # Displayed as "fatturaexe.pdf" by a bidi-aware renderer, really "….exe": refused as an EXE type.
    assert str(rejected("fattura\u202efdp.exe", samples.pdf())) == MSG_TYPE_NOT_ALLOWED


def test_very_long_names_are_cut_keeping_the_extension():
    checked, _ = check_upload("a" * 5000 + ".pdf", samples.pdf(), LIMIT)
    assert len(checked.original_name) == MAX_NAME_LENGTH == 200
    assert checked.original_name.endswith("a.pdf")
    assert len(sanitise_filename("è" * 300 + ".docx")) == 200


# ---- storage ---------------------------------------------------------------------------------------------------

def test_store_and_open_round_trip(tmp_path):
    root = tmp_path / "uploads"  # created by store
    key = store(b"contenuto", root)
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}", key)
    assert key.split("/")[2].startswith(key[:2] + key[3:5])
    path = open_stored(root, key)
    assert path.read_bytes() == b"contenuto"
    assert path.is_relative_to(root.resolve())
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    assert store(b"contenuto", root) != key  # random, never derived from content or name


def test_store_accepts_a_str_root_and_keeps_names_out(tmp_path):
    checked, content = check_upload("Delibera segreta.pdf", samples.pdf(), LIMIT)
    key = store(content, tmp_path)
    assert "Delibera" not in key and "pdf" not in key
    assert all("Delibera" not in str(p) for p in tmp_path.rglob("*"))
    assert hashlib.sha256(open_stored(tmp_path, key).read_bytes()).hexdigest() == checked.sha256


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def broken_replace(source, target):
        raise OSError("disco pieno")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store(b"x", tmp_path)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_delete_stored(tmp_path):
    key = store(b"x", tmp_path)
    delete_stored(tmp_path, key)
    with pytest.raises(FileNotFoundError):
        open_stored(tmp_path, key)
    delete_stored(tmp_path, key)  # already gone: fine


@pytest.mark.parametrize("key", ["../secret", "../../etc/passwd", "/etc/passwd", "ab/cd/../../../x",
                                 "ab/cd/abcd" + "0" * 28 + "/..", "ab\\cd\\abcd" + "0" * 28, "", "ab/cd",
                                 "AB/CD/ABCD" + "0" * 28, "ab/cd/ffff" + "0" * 28, "ab/cd/abcd" + "0" * 28 + "\x00",
                                 "./ab/cd/abcd" + "0" * 28])
def test_open_and_delete_refuse_keys_that_are_not_storage_keys(tmp_path, key):
    with pytest.raises(StorageKeyError):
        open_stored(tmp_path, key)
    with pytest.raises(StorageKeyError):
        delete_stored(tmp_path, key)


def test_open_refuses_symlinks_out_of_root(tmp_path):
    root = tmp_path / "uploads"
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / ("abcd" + "0" * 28)
    secret.write_text("segreto")
    (root / "ab").mkdir(parents=True)
    (root / "ab" / "cd").symlink_to(outside)
    key = "ab/cd/abcd" + "0" * 28
    with pytest.raises(StorageKeyError):
        open_stored(root, key)
    with pytest.raises(StorageKeyError):
        delete_stored(root, key)
    assert secret.exists()
    (root / "ef" / "01").mkdir(parents=True)
    (root / "ef" / "01" / ("ef01" + "0" * 28)).symlink_to(secret)
    with pytest.raises(StorageKeyError):
        open_stored(root, "ef/01/ef01" + "0" * 28)


def test_open_works_when_root_itself_is_reached_through_a_symlink(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    key = store(b"x", tmp_path / "alias")
    assert open_stored(tmp_path / "alias", key).read_bytes() == b"x"


# ---- download headers ------------------------------------------------------------------------------------------

def test_download_headers_for_an_italian_name():
    headers = safe_download_headers("application/pdf", "Delibera n. 12 — città.pdf")
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"] == (
        'attachment; filename="Delibera n. 12 -- citta.pdf"; '
        "filename*=UTF-8''Delibera%20n.%2012%20%E2%80%94%20citt%C3%A0.pdf")
    assert all(ord(c) < 128 for value in headers.values() for c in value)


def test_download_headers_parse_back_to_the_original_name():
    from werkzeug.http import parse_options_header
    disposition = safe_download_headers("application/pdf", "Delibera n. 12 — città.pdf")["Content-Disposition"]
    assert parse_options_header(disposition) == ("attachment", {"filename": "Delibera n. 12 — città.pdf"})


@pytest.mark.parametrize("mimetype", ["text/markdown", "text/plain", "text/csv", "application/yaml", "text/html"])
def test_text_is_always_sent_as_plain_text(mimetype):
    assert safe_download_headers(mimetype, "x.md")["Content-Type"] == "text/plain; charset=utf-8"


def test_unknown_types_are_sent_as_octet_stream_and_ascii_names_plainly():
    headers = safe_download_headers("image/svg+xml", "disegno.svg")
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"] == 'attachment; filename="disegno.svg"'


def test_header_injection_through_the_name_is_impossible():
    headers = safe_download_headers("application/pdf", 'a"; filename="evil.html\r\nSet-Cookie: x=1.pdf')
    disposition = headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count('"') == 2
    assert disposition.startswith("attachment; ")


def test_error_carries_msgid_and_params_for_translation():
    error = rejected("x.pdf", b"")
    assert error.msgid == "Il file «%(name)s» è vuoto."
    assert error.params == {"name": "x.pdf"}
    assert error.msgid % error.params == str(error)
