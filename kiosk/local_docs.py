"""Local documents a librarian adds: a PDF plus metadata, kept in HOME/overlay.

The overlay is an ordinary content source (format v1), so every library build
(nightly sync, USB import, a rebuild here) includes it and the documents stay
searchable whatever a release changes. Page texts are taken from the PDF now, so
the build does not need to parse it again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from offline_index.dates import iso_date
from offline_index.errors import ContentError, LawShelfError
from offline_index.fsutil import atomic_copy_file, atomic_write_text
from offline_index.home import overlay_dir
from offline_index.model import KINDS, Document, doc_id_for
from offline_index.ocr import (
    OcrUnavailable,
    Scan,
    has_scanned_pages,
    read_sidecar,
    recognise_pdf,
    sidecar_path,
    write_sidecar,
)

Progress = Callable[[int, int], None]

log = logging.getLogger(__name__)

MANIFEST = "lawshelf-content.json"
MAX_PDF_BYTES = 200 * 1024 * 1024


class LocalDocError(LawShelfError):
    message_vi = "Không thêm được tài liệu địa phương."


def _write_json(path: Path, data: dict) -> None:
    """temp -> fsync -> rename: a power cut leaves the old file or the new one."""
    # 0600 as before (the files were written through tempfile.mkstemp)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1), mode=0o600)


def ensure_overlay(home: Path) -> Path:
    root = overlay_dir(home)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    manifest = {"format": 1, "name": "Tài liệu địa phương", "updated": date.today().isoformat()}
    _write_json(root / MANIFEST, manifest)
    return root


def pdf_page_texts(pdf: Path) -> list[str]:
    """Text of each page; refuses files that are not a readable PDF."""
    from offline_index.parsers.readers import pymupdf_module

    pymupdf = pymupdf_module()  # MuPDF's complaints about a damaged file go to the log

    try:
        with pymupdf.open(pdf) as doc:
            if not doc.is_pdf or doc.page_count == 0:
                raise LocalDocError(f"{pdf.name}: not a PDF with pages")
            if doc.needs_pass:
                raise LocalDocError(f"{pdf.name}: the PDF is password-protected")
            return [page.get_text("text").strip() for page in doc]
    except (RuntimeError, ValueError) as exc:  # pymupdf raises these for broken files
        raise LocalDocError(f"{pdf.name}: cannot read the PDF ({exc})") from None


def page_texts_with_ocr(
    pdf: Path, on_progress: Progress | None = None
) -> tuple[list[str], Scan | None]:
    """Page texts, with image-only pages (a scan) read by OCR; (texts, scan or None)."""
    pages = pdf_page_texts(pdf)
    if all(pages) or not has_scanned_pages(pdf):  # a text PDF, or empty pages
        return pages, None
    try:
        scan = recognise_pdf(pdf, on_progress=on_progress)
    except OcrUnavailable as exc:
        log.warning("%s: %s; only its metadata will be searchable", pdf, exc.message)
        return pages, None
    except ContentError as exc:
        raise LocalDocError(exc.message) from None
    texts = scan.texts(len(pages))
    log.info("%s: %s", pdf.name, scan.message())
    return [p or t for p, t in zip(pages, texts, strict=True)], scan


def scan_of(home: Path, doc: Document) -> Scan | None:
    """What OCR made of a local document's PDF (None for a PDF with a text layer)."""
    return read_sidecar(sidecar_path(overlay_dir(home) / "files" / doc.pdf)) if doc.pdf else None


def add_local(
    home: Path,
    pdf: Path,
    *,
    number: str,
    title: str,
    kind: str = "Thông báo",
    issuer: str = "",
    issued: str | None = None,
    effective: str | None = None,
    fields: list[str] | None = None,
    summary: str = "",
    validity: str = "in_force",
    replace: bool = False,
    on_progress: Progress | None = None,
) -> Document:
    """Copy the PDF into the overlay and write its metadata as a v1 document (scope local).

    A scan is read by OCR (progress: pages done, pages to read) and the result kept beside
    the PDF (`<id>.pdf.ocr.json`, see `scan_of`); a scan OCR cannot read is still added,
    searchable by its metadata.
    """
    pdf = Path(pdf)
    if not pdf.is_file():
        raise LocalDocError(f"{pdf}: no such file")
    if pdf.stat().st_size > MAX_PDF_BYTES:
        raise LocalDocError(f"{pdf.name}: larger than {MAX_PDF_BYTES // 2**20} MiB")
    if kind not in KINDS:
        raise LocalDocError(f"kind must be one of: {', '.join(KINDS)}")
    root = ensure_overlay(home)
    doc_id = doc_id_for(number)
    if not doc_id:
        raise LocalDocError("the document needs a number, for example 12/TB-UBND")
    json_path = root / "documents" / f"{doc_id}.json"
    if json_path.exists() and not replace:
        raise LocalDocError(
            f"a local document {number!r} already exists; add it with --replace to replace it,"
            " or remove it first"
        )
    if not json_path.exists():
        _refuse_published(home, doc_id, number)
    issued, effective = _day("issued", issued), _day("effective", effective)
    pages, scan = page_texts_with_ocr(pdf, on_progress)
    if not any(pages):
        log.warning("%s has no readable text: only its metadata will be searchable", pdf)
    doc = Document(
        number=number,
        kind=kind,
        title=title,
        issuer=issuer,
        issued=issued or None,
        effective=effective or None,
        validity=validity,
        scope="local",
        fields=list(fields or []),
        summary=summary,
        pdf=f"local/{doc_id}.pdf",
        pages=[p or title for p in pages],
    )
    try:  # validate exactly as a build will
        doc = Document.from_dict(doc.to_dict(), str(json_path))
    except ContentError as exc:
        raise LocalDocError(exc.message) from None
    dest = root / "files" / "local" / f"{doc_id}.pdf"
    atomic_copy_file(pdf, dest)
    _write_ocr_sidecar(dest, scan)
    _write_json(json_path, doc.to_dict())
    log.info("local document %s added to the overlay", doc_id)
    return doc


def _refuse_published(home: Path, doc_id: str, number: str) -> None:
    """A local document with the number of one the publisher sent would take its place in
    every later build: a resident searching for the decree would find the librarian's notice
    under its number, marked in force. Refused; the library stays as it is."""
    from offline_index.library import Library

    try:
        lib = Library.open(home)
    except LawShelfError:  # no library yet: nothing to hide
        return
    with lib:
        held = lib.document_name(number)  # by the id the overlay would take (doc_id_for)
    if held is not None:
        raise LocalDocError(
            f"the library already holds {held} from the publisher;"
            " a local document cannot take its number",
            message_vi=f"Thư viện đã có {held} do Sở Tư pháp gửi; tài liệu địa phương không"
            " được dùng số này.",
        )


def _day(name: str, value: str | None) -> str | None:
    """A date as the librarian typed it (YYYY-MM-DD or dd/mm/yyyy) in ISO form; a wrong one
    is named by its field, not by the overlay file the build would have refused."""
    try:
        return iso_date(value) if value else None
    except ValueError as exc:
        raise LocalDocError(f"{name} date: {exc}") from None


def _write_ocr_sidecar(dest: Path, scan: Scan | None) -> None:
    if scan is not None:
        write_sidecar(sidecar_path(dest), scan)
    else:  # a replaced scan's old text must not stay beside a new PDF
        sidecar_path(dest).unlink(missing_ok=True)


def list_local(home: Path) -> list[Document]:
    folder = overlay_dir(home) / "documents"
    out = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            out.append(Document.from_dict(json.loads(path.read_text("utf-8")), str(path)))
        except (ValueError, ContentError) as exc:
            log.warning("skipping unreadable local document %s: %s", path, exc)
    return out


def find_local(home: Path, number_or_id: str) -> Document:
    """The local document of this number (or id); LocalDocError when there is none."""
    doc_id = doc_id_for(number_or_id)
    for doc in list_local(home):
        if doc.id == doc_id:
            return doc
    raise LocalDocError(f"no local document {number_or_id!r}")


def remove_local(home: Path, number_or_id: str) -> str:
    """Remove one local document (by number or id); returns its id."""
    doc_id = doc_id_for(number_or_id)
    root = overlay_dir(home)
    json_path = root / "documents" / f"{doc_id}.json"
    if not json_path.exists():
        raise LocalDocError(f"no local document {number_or_id!r}")
    json_path.unlink()
    (root / "files" / "local" / f"{doc_id}.pdf").unlink(missing_ok=True)
    sidecar_path(root / "files" / "local" / f"{doc_id}.pdf").unlink(missing_ok=True)
    ensure_overlay(home)
    return doc_id


def current_sources(home: Path) -> tuple[list[Path], dict]:
    """Sources (and release info) the live library was built from; the build adds the overlay.

    A synced kiosk rebuilds from its applied release: sync keeps that release's verified
    blobs and metadata, so they are laid out again here (hard links). A kiosk that never
    synced has the embedded demo library.
    """
    from offline_index import demo
    from offline_index import generations as gens
    from offline_index.home import library_root, local_rebuild_stage

    live = gens.live_generation(library_root(home))
    manifest = gens.read_manifest(live) if live else {}
    version = manifest.get("release_version")
    if version is None:
        return [demo.CONTENT], {}
    from sync.apply import blob_store, installed_targets

    targets = installed_targets(home, int(version))
    if not targets:
        raise LocalDocError(f"the files of release {version} are missing; run a sync first")
    stage = local_rebuild_stage(home)
    shutil.rmtree(stage, ignore_errors=True)
    for rel, (digest, length) in targets.items():
        src, dest = blob_store(home) / digest, (stage / rel).resolve()
        if stage.resolve() not in dest.parents:
            raise LocalDocError(f"release path {rel!r} escapes the stage")
        if not src.is_file() or src.stat().st_size != length:
            raise LocalDocError(f"release {version}: {rel} is missing; run a sync first")
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)
    return [stage], dict(manifest.get("release") or {"version": version})


def rebuild(home: Path) -> Path:
    """Build a new generation with the overlay now, so a local change is searchable at once."""
    from offline_index.build import build_into_home
    from offline_index.home import local_rebuild_stage

    sources, release = current_sources(home)
    try:
        gen = build_into_home(home, sources, release_info=release or None)
    finally:
        shutil.rmtree(local_rebuild_stage(home), ignore_errors=True)
    log.info("library rebuilt with the local overlay: %s", gen.name)
    return gen
