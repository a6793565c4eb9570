#!/usr/bin/env python3
"""Refresh the self-hosted front-end assets under app/static/vendor/.

The app never loads anything from a CDN: every CSS/JS/font/icon file a page
needs is vendored here, fetched from the npm registry with `npm pack` at the
versions pinned below.

Usage:
    python scripts/refresh_vendor.py            # fetch pinned versions, rewrite vendor/
    python scripts/refresh_vendor.py --latest   # only show newest upstream versions

To upgrade, bump the constants below by hand, run the script, check the app
in a browser and commit app/static/vendor/ together with this file.

The script is idempotent: each package folder is deleted and re-extracted.
Requires only Python 3.11 (stdlib) and the `npm` CLI (for `npm pack`/`npm view`).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# --- pinned versions (bump by hand) -----------------------------------------
BOOTSTRAP_ITALIA_VERSION = "2.18.3"  # newest 2.x
HTMX_VERSION = "2.0.11"  # newest 2.0.x

# Web-font formats kept. Every browser we support reads woff2; woff is a cheap
# fallback. The .eot/.ttf/.svg copies (~2.2 MB) are only for IE/legacy iOS.
FONT_FORMATS = ("woff2", "woff")
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "app" / "static" / "vendor"


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


def npm(*args: str, cwd: Path | None = None) -> str:
    npm_bin = shutil.which("npm")
    if not npm_bin:
        sys.exit("error: `npm` not found on PATH (needed for `npm pack` / `npm view`)")
    res = subprocess.run(
        [npm_bin, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if res.returncode != 0:
        sys.exit(f"error: npm {' '.join(args)} failed:\n{res.stderr}")
    return res.stdout


def npm_pack(pkg: str, version: str, dest: Path) -> tuple[Path, dict]:
    """Download pkg@version as a tarball with `npm pack` and unpack it.

    Returns (package root dir, pack metadata incl. integrity)."""
    out = npm("pack", f"{pkg}@{version}", "--json", "--pack-destination", str(dest), cwd=dest)
    meta = json.loads(out)[0]
    tgz = dest / meta["filename"]
    extract_to = dest / f"{pkg}-x"
    with tarfile.open(tgz) as tf:
        if hasattr(tarfile, "data_filter"):
            tf.extractall(extract_to, filter="data")
        else:  # pragma: no cover - Python < 3.11.4
            tf.extractall(extract_to)
    pkg_root = extract_to / "package"
    got = json.loads((pkg_root / "package.json").read_text(encoding="utf-8"))["version"]
    if got != version:
        sys.exit(f"error: {pkg}: asked for {version}, tarball says {got}")
    log(f"fetched {pkg}@{version} ({meta.get('integrity', '?')})")
    return pkg_root, meta


def copy(src_root: Path, rel_src: str, dest_root: Path, rel_dest: str | None = None) -> str:
    src = src_root / rel_src
    if not src.is_file():
        sys.exit(f"error: expected file missing from package: {rel_src}")
    dest = dest_root / (rel_dest or rel_src)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return (rel_dest or rel_src)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# --- bootstrap-italia --------------------------------------------------------

# a block ends at a "}" alone on its line ("${__PUBLIC_PATH__}" also contains "}")
FONT_FACE_RE = re.compile(r"@font-face\s*\{(.*?)^\s*\}", re.S | re.M)
URL_RE = re.compile(r"url\('\$\{__PUBLIC_PATH__\}/([^'?#]+)[^']*'\)\s*format\('([^']+)'\)")
EXT_TO_FORMAT = {"woff2": "woff2", "woff": "woff", "ttf": "truetype"}


def content_version(data: bytes) -> str:
    """Same digest as app/assets.py: the app caches a font for a year when its URL carries this version."""
    return hashlib.sha256(data).hexdigest()[:12]


def build_fonts_css(pkg: Path, fonts_out: Path) -> str:
    """Turn the package's JS font loader into a static stylesheet.

    Bootstrap Italia 2.x ships no @font-face rules in its CSS; instead
    `bootstrap.loadFonts()` (src/js/plugins/fonts-loader.js) injects a <style>
    element built from a template using window.__PUBLIC_PATH__. An injected
    <style> is blocked by a CSP without style-src 'unsafe-inline', so we emit
    the same @font-face rules as css/fonts.css with URLs relative to css/.
    """
    src = (pkg / "src/js/plugins/fonts-loader.js").read_text(encoding="utf-8")
    m = re.search(r"styleNode\.innerHTML\s*=\s*`(.*?)`", src, re.S)
    if not m:
        sys.exit("error: fonts-loader.js changed shape; cannot build fonts.css")
    template = m.group(1)
    rules = []
    for block in FONT_FACE_RE.findall(template):
        props = dict(
            (k.strip(), v.strip())
            for k, v in re.findall(r"^\s*(font-family|font-style|font-weight|font-display)\s*:\s*([^;]+);", block, re.M)
        )
        urls = {fmt: path for path, fmt in URL_RE.findall(block)}
        srcs = []
        for ext in FONT_FORMATS:
            fmt = EXT_TO_FORMAT[ext]
            rel = urls.get(fmt)
            if not rel:
                sys.exit(f"error: no {fmt} source in fonts-loader block for {props}")
            if not (fonts_out / rel).is_file():
                sys.exit(f"error: fonts.css would reference missing file fonts/{rel}")
            srcs.append(f"url('../fonts/{rel}?v={content_version((fonts_out / rel).read_bytes())}') format('{fmt}')")
        if set(props) != {"font-family", "font-style", "font-weight", "font-display"}:
            sys.exit(f"error: unexpected @font-face block in fonts-loader.js: {block!r}")
        rules.append(
            "@font-face{"
            f"font-family:{props['font-family']};font-style:{props['font-style']};"
            f"font-weight:{props['font-weight']};font-display:{props['font-display']};"
            f"src:{','.join(srcs)}}}"
        )
    if len(rules) < 10:
        sys.exit(f"error: only {len(rules)} @font-face rules parsed from fonts-loader.js")
    header = (
        f"/* Generated by scripts/refresh_vendor.py from bootstrap-italia@{BOOTSTRAP_ITALIA_VERSION}\n"
        " * src/js/plugins/fonts-loader.js (BSD-3-Clause) - static replacement for\n"
        " * bootstrap.loadFonts(), which injects an inline <style> that a strict CSP blocks.\n"
        " * Fonts: Titillium Web & Lora (OFL-1.1), Roboto Mono (Apache-2.0). Do not edit. */\n"
    )
    return header + "\n".join(rules) + "\n"


def vendor_bootstrap_italia(tmp: Path, stage: Path) -> dict:
    pkg, meta = npm_pack("bootstrap-italia", BOOTSTRAP_ITALIA_VERSION, tmp)
    out = fresh_dir(stage / "bootstrap-italia")
    files = [
        copy(pkg, "dist/css/bootstrap-italia.min.css", out, "css/bootstrap-italia.min.css"),
        copy(pkg, "dist/js/bootstrap-italia.bundle.min.js", out, "js/bootstrap-italia.bundle.min.js"),
        copy(pkg, "dist/svg/sprites.svg", out, "svg/sprites.svg"),
        copy(pkg, "LICENSE", out),
    ]
    fonts_src = pkg / "dist/fonts"
    for f in sorted(fonts_src.rglob("*")):
        if not f.is_file():
            continue
        keep = f.suffix.lstrip(".") in FONT_FORMATS or f.name.upper().startswith(("OFL", "LICENSE"))
        if keep:
            rel = f.relative_to(fonts_src).as_posix()
            copy(fonts_src, rel, out / "fonts")
    files.append("fonts/{Lora,Roboto_Mono,Titillium_Web}/*." + ",*.".join(FONT_FORMATS) + " + font licences")
    (out / "css").mkdir(exist_ok=True)
    (out / "css/fonts.css").write_text(build_fonts_css(pkg, out / "fonts"), encoding="utf-8")
    files.insert(1, "css/fonts.css (generated)")
    return {
        "name": "bootstrap-italia",
        "version": BOOTSTRAP_ITALIA_VERSION,
        "license": "BSD-3-Clause (bundle embeds MIT/Apache-2.0 deps, notices kept inline); fonts OFL-1.1, Apache-2.0",
        "files": files,
        "integrity": meta.get("integrity", ""),
        "dir": "bootstrap-italia",
    }


# --- htmx --------------------------------------------------------------------

def vendor_htmx(tmp: Path, stage: Path) -> dict:
    pkg, meta = npm_pack("htmx.org", HTMX_VERSION, tmp)
    out = fresh_dir(stage / "htmx")
    files = [
        copy(pkg, "dist/htmx.min.js", out, "htmx.min.js"),
        copy(pkg, "LICENSE", out),
    ]
    return {
        "name": "htmx.org",
        "version": HTMX_VERSION,
        "license": "0BSD",
        "files": files,
        "integrity": meta.get("integrity", ""),
        "dir": "htmx",
    }


# --- VERSIONS.md -------------------------------------------------------------

def write_versions(entries: list[dict]) -> None:
    today = _dt.date.today().isoformat()
    lines = [
        "# Vendored front-end assets",
        "",
        "Generated by `scripts/refresh_vendor.py` - do not edit by hand.",
        "",
        "| package | version | licence (SPDX) | folder | files | refreshed |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in entries:
        folder = e["dir"]
        files = "<br>".join(f"`{f}`" for f in e["files"])
        lines.append(
            f"| {e['name']} | {e['version']} | {e['license']} | `{folder}/` | {files} | {today} |"
        )
    lines += [
        "",
        "npm tarball integrity:",
        "",
    ]
    lines += [f"- {e['name']}@{e['version']}: `{e['integrity']}`" for e in entries]
    lines += [
        "",
        "## How to refresh",
        "",
        "1. `python scripts/refresh_vendor.py --latest` shows the newest bootstrap-italia 2.x",
        "   and htmx.org 2.0.x on the npm registry.",
        "2. Bump `BOOTSTRAP_ITALIA_VERSION` / `HTMX_VERSION` at the top of the script.",
        "3. `python scripts/refresh_vendor.py` (needs `npm`; it deletes and re-extracts",
        "   `bootstrap-italia/` and `htmx/`, and rewrites this file).",
        "4. Check the pages in a browser (fonts, icons, JS components) and commit",
        "   `app/static/vendor/` together with the script.",
        "",
        "Notes: `bootstrap-italia/css/fonts.css` is generated from the package's",
        "`src/js/plugins/fonts-loader.js` so fonts load without `bootstrap.loadFonts()`",
        "(which injects an inline `<style>` blocked by our CSP). Only "
        + "/".join(FONT_FORMATS)
        + " font files are kept.",
        "",
    ]
    (VENDOR / "VERSIONS.md").write_text("\n".join(lines), encoding="utf-8")


def show_latest() -> None:
    def newest(pkg: str, prefix: str) -> str:
        versions = json.loads(npm("view", pkg, "versions", "--json"))
        ok = [v for v in versions if v.startswith(prefix) and "-" not in v]
        ok.sort(key=lambda v: tuple(int(x) for x in v.split(".")))
        return ok[-1] if ok else "?"

    for pkg, prefix, pinned in (
        ("bootstrap-italia", "2.", BOOTSTRAP_ITALIA_VERSION),
        ("htmx.org", "2.0.", HTMX_VERSION),
    ):
        latest = newest(pkg, prefix)
        flag = "" if latest == pinned else "  <- update available"
        print(f"{pkg}: pinned {pinned}, newest {prefix}x {latest}{flag}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--latest", action="store_true", help="only print newest upstream versions")
    args = ap.parse_args()
    if args.latest:
        show_latest()
        return
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vendor-") as td:
        tmp = Path(td)
        stage = tmp / "stage"
        # Build everything in a staging dir first so a failure leaves vendor/ untouched.
        entries = [vendor_bootstrap_italia(tmp, stage), vendor_htmx(tmp, stage)]
        for e in entries:
            dest = VENDOR / e["dir"]
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(stage / e["dir"], dest)
    write_versions(entries)
    total = sum(f.stat().st_size for f in VENDOR.rglob("*") if f.is_file())
    log(f"done: {VENDOR.relative_to(ROOT)} = {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
