"""The index on disk: which directory is current, one writer at a time, rebuilds swapped in whole, and each process's
searcher.

Layout under the search directory: ``CURRENT.json`` names the live index directory and its schema version; a rebuild
writes a new ``index-*`` directory and then replaces the pointer atomically, so searches answer from the old index
until the new one is complete. ``writer.lock`` (an flock) serialises every write across threads and processes: applying
queued work, rebuilding, optimising.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from sqlalchemy import delete, func, select
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
from whoosh.searching import Searcher

from app.extensions import db
from app.models import KpiDefinition, Practice, Question, SearchPending
from app.qa.workflow import Visibility
from app.search import documents
from app.search.schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)

POINTER = "CURRENT.json"
LOCK = "writer.lock"


def _storage(directory: Path) -> FileStorage:
    # No mmap: a file damaged under a mapped reader kills the whole process with SIGBUS (seen in our tests), while
    # plain reads fail with an exception that search turns into "rebuilding, results incomplete".
    return FileStorage(str(directory), supports_mmap=False)


REBUILD_MARKER = "REBUILD"


class IndexUnavailable(Exception):
    """The index is missing, damaged or of another schema; `rebuildable` is False when it belongs to newer code
    (during a rolling deploy the old workers must not rebuild it back to their schema)."""

    def __init__(self, reason: str, rebuildable: bool = True):
        super().__init__(reason)
        self.rebuildable = rebuildable


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def fingerprint(doc: dict) -> str:
    """A digest of what a document says, to tell a stale index entry from a current one."""
    material = json.dumps({k: v for k, v in doc.items() if k != "spell"}, sort_keys=True, default=str)
    return hashlib.blake2b(material.encode(), digest_size=12).hexdigest()


_KIND_ORDER = {"practice": 0, "question": 1, "kpi": 2}


def _key_order(key: str) -> tuple[int, int]:
    """Practices ("12"), then questions ("q12"), then KPI definitions ("k12"), each by id."""
    kind, number = documents.parse_key(key)
    return (_KIND_ORDER[kind], number)


class SearchIndex:
    """One search directory, shared by every process that points at it."""

    def __init__(self, base_dir: str | Path):
        self.base = Path(base_dir)
        self._searcher: Searcher | None = None
        self._searcher_dir: str | None = None
        self._searcher_lock = threading.Lock()
        self._facet_values: dict[str, list] | None = None

    # ---- the pointer and the lock ----------------------------------------------------------------------------

    def pointer(self) -> dict | None:
        try:
            return json.loads((self.base / POINTER).read_text())
        except (OSError, ValueError):
            return None

    def _write_pointer(self, data: dict) -> None:
        temporary = self.base / f".{POINTER}.{uuid.uuid4().hex}"
        temporary.write_text(json.dumps(data, indent=2))
        os.replace(temporary, self.base / POINTER)  # atomic: readers see the old pointer or the new one

    @contextmanager
    def write_lock(self, blocking: bool = True) -> Iterator[bool]:
        """Hold the one writer lock; yields False at once if not blocking and another writer has it."""
        self.base.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.base / LOCK, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # ---- opening ---------------------------------------------------------------------------------------------

    def open(self):
        """The current whoosh index, or IndexUnavailable saying why not."""
        pointer = self.pointer()
        if pointer is None:
            raise IndexUnavailable("missing")
        version = pointer.get("schema_version")
        if version != SCHEMA_VERSION:
            newer = isinstance(version, int) and version > SCHEMA_VERSION
            raise IndexUnavailable(f"schema version {version}, this code uses {SCHEMA_VERSION}", rebuildable=not newer)
        directory = self.base / pointer["dir"]
        try:
            return _storage(directory).open_index()
        except Exception as error:  # whoosh raises many kinds (EmptyIndexError, OSError, struct errors...)
            raise IndexUnavailable(f"cannot open {directory}: {error!r}") from error

    def request_rebuild(self, reason: str) -> None:
        """Ask whichever process writes to rebuild the current index (a reader found it damaged)."""
        pointer = self.pointer() or {}
        try:
            (self.base / REBUILD_MARKER).write_text(json.dumps({"dir": pointer.get("dir"), "reason": reason}))
        except OSError:
            log.exception("Cannot record that the search index needs a rebuild")

    def rebuild_requested(self) -> bool:
        try:
            marker = json.loads((self.base / REBUILD_MARKER).read_text())
        except (OSError, ValueError):
            return False
        pointer = self.pointer() or {}
        return marker.get("dir") == pointer.get("dir")  # a marker about a replaced index is moot

    def is_healthy(self) -> bool:
        try:
            self.open().close()
            return True
        except IndexUnavailable:
            return False

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """This process's searcher, reopened when the index changed or was swapped.

        Whoosh searchers are not meant to be shared across threads, so searches in one process take turns."""
        with self._searcher_lock:
            pointer = self.pointer()
            current_dir = pointer.get("dir") if pointer else None
            try:
                if self._searcher is not None and self._searcher_dir == current_dir and \
                        pointer.get("schema_version") == SCHEMA_VERSION and self._searcher.up_to_date():
                    pass  # the usual case: nothing changed since the last search
                else:
                    # Not Searcher.refresh(): in whoosh-reloaded 2.7.5 it reuses segment readers with their old
                    # deletion lists, so replaced documents showed twice (seen in our tests). A fresh searcher
                    # costs tens of milliseconds once per index change, not per search.
                    self._close_searcher()  # (forgets the facet values too)
                    self._searcher = self.open().searcher()
                    self._searcher_dir = current_dir
                yield self._searcher
            except IndexUnavailable:
                self._close_searcher()
                raise
            except Exception as error:  # files gone or damaged under an open searcher fail in many ways
                log.exception("Search index read failed")
                self._close_searcher()
                self.request_rebuild(f"read failed: {error!r}")
                raise IndexUnavailable(f"read failed: {error!r}") from error

    def facet_values(self, searcher: Searcher, names) -> dict[str, list]:
        """Each facet's value for every document of the current searcher, read once per searcher.

        Counting facets from these lists instead of Whoosh's column files (one seek and read per document and facet
        without mmap) cut the broad-query p95 at 10k practices by about 40% in bench/search.py. Call it inside
        `searcher()`."""
        if self._facet_values is None:
            reader = searcher.reader()
            self._facet_values = {name: list(reader.column_reader(name, translate=True)) for name in names}
        return self._facet_values

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # closing a searcher over deleted files may fail; it is discarded either way
                pass
        self._searcher = None
        self._searcher_dir = None
        self._facet_values = None

    # ---- writing ---------------------------------------------------------------------------------------------

    def rebuild(self, progress: Callable[[int], None] | None = None, *, force: bool = True) -> int:
        """Build a new index from the database and swap it in; returns the number of documents.

        Holding the writer lock for the whole build pauses the queue: edits committed meanwhile stay queued and are
        applied to the new index afterwards, so none is lost to the swap."""
        with self.write_lock(blocking=True):
            if not force and self.is_healthy() and not self.rebuild_requested():
                return 0  # another process rebuilt it while this one waited for the lock
            # Queued work committed before the build reads the database is in the new index: forget exactly those
            # rows afterwards (by id: a row committed later, even with a smaller id, stays queued).
            covered = list(db.session.execute(select(SearchPending.id)).scalars())
            db.session.rollback()
            directory = self.base / f"index-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
            directory.mkdir(parents=True)
            index = _storage(directory).create_index(build_schema())
            writer = index.writer(limitmb=256)
            count = 0
            try:
                for _, doc in chain(documents.documents_for(documents.all_practice_ids()),
                                    documents.question_documents_for(documents.all_question_ids()),
                                    documents.kpi_documents_for(documents.all_kpi_ids())):
                    if doc is not None:
                        writer.add_document(fingerprint=fingerprint(doc), **doc)
                        count += 1
                    if progress:
                        progress(1)
                writer.commit()
            except BaseException:
                writer.cancel()
                shutil.rmtree(directory, ignore_errors=True)
                raise
            index.close()
            previous = self.pointer()
            built = _now()
            self._write_pointer({"dir": directory.name, "schema_version": SCHEMA_VERSION, "built_at": built,
                                 "optimized_at": built})
            self._remove_old_directories(keep={directory.name, previous.get("dir") if previous else None})
            (self.base / REBUILD_MARKER).unlink(missing_ok=True)
            for start in range(0, len(covered), 1000):
                db.session.execute(delete(SearchPending).where(SearchPending.id.in_(covered[start:start + 1000])))
            db.session.commit()
            return count

    def _remove_old_directories(self, keep: set) -> None:
        # The directory just replaced is kept one round, for searchers that still have it open.
        for path in self.base.glob("index-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def apply_pending(self, batch: int = 1000) -> int | None:
        """Apply queued work to the index, oldest first; None if another writer holds the lock.

        Queue rows are deleted only after the index commit, so a process killed in between applies them again on
        its next start (applying twice is harmless: a document is replaced by its current state)."""
        applied = 0
        with self.write_lock(blocking=False) as acquired:
            if not acquired:
                return None
            index = self.open()
            try:
                while True:
                    rows = db.session.execute(
                        select(SearchPending.id, SearchPending.practice_id, SearchPending.question_id,
                               SearchPending.kpi_id).order_by(SearchPending.id).limit(batch)).all()
                    if not rows:
                        break
                    # The documents are read after the lock is held, so they are at least as new as the rows.
                    docs = [(str(i), doc) for i, doc in documents.documents_for(
                        row.practice_id for row in rows if row.practice_id is not None)]
                    docs += [(documents.question_key(i), doc) for i, doc in documents.question_documents_for(
                        row.question_id for row in rows if row.question_id is not None)]
                    docs += [(documents.kpi_key(i), doc) for i, doc in documents.kpi_documents_for(
                        row.kpi_id for row in rows if row.kpi_id is not None)]
                    try:
                        writer = index.writer()
                    except Exception as error:
                        raise self._damaged(error) from error
                    try:
                        for key, doc in docs:
                            if doc is None:
                                writer.delete_by_term("id", key)
                            else:
                                writer.update_document(fingerprint=fingerprint(doc), **doc)
                        writer.commit()
                    except Exception as error:
                        writer.cancel()
                        raise self._damaged(error) from error
                    except BaseException:
                        writer.cancel()
                        raise
                    db.session.execute(delete(SearchPending).where(SearchPending.id.in_([r.id for r in rows])))
                    db.session.commit()
                    applied += len(rows)
            finally:
                db.session.rollback()
                index.close()
        return applied

    def _damaged(self, error: Exception) -> IndexUnavailable:
        log.exception("Writing to the search index failed")
        self.request_rebuild(f"write failed: {error!r}")
        return IndexUnavailable(f"write failed: {error!r}")

    def optimize(self) -> None:
        """Merge the index into one segment (faster searches after many small updates)."""
        with self.write_lock(blocking=True):
            index = self.open()
            try:
                index.optimize()
            finally:
                index.close()
            pointer = self.pointer() or {}
            pointer["optimized_at"] = _now()
            self._write_pointer(pointer)

    # ---- reporting -------------------------------------------------------------------------------------------

    def status(self, deep: bool = True) -> dict:
        """Documents in the database and in the index, queued work, schema, dates and (deep) the drift between them."""
        pointer = self.pointer() or {}
        report = {
            "directory": str(self.base / pointer["dir"]) if pointer.get("dir") else None,
            "schema_version": pointer.get("schema_version"),
            "expected_schema_version": SCHEMA_VERSION,
            "built_at": pointer.get("built_at"),
            "optimized_at": pointer.get("optimized_at"),
            "database_documents": None,
            "database_practices": db.session.scalar(select(func.count(Practice.id))),
            # Hidden and deleted questions are not indexed: they are not counted either.
            "database_questions": db.session.scalar(select(func.count(Question.id)).where(
                Question.visibility == Visibility.VISIBLE)),
            "database_kpis": db.session.scalar(select(func.count(KpiDefinition.id))),  # every status is indexed
            "pending": db.session.scalar(select(func.count(SearchPending.id))),
            "index_documents": None,
            "index_practices": None,
            "index_questions": None,
            "index_kpis": None,
            "segments": None,
            "healthy": False,
            "drift": None,
        }
        report["database_documents"] = (report["database_practices"] + report["database_questions"]
                                        + report["database_kpis"])
        try:
            index = self.open()
        except IndexUnavailable as error:
            report["problem"] = str(error)
            return report
        if self.rebuild_requested():
            report["problem"] = "a reader or writer found it damaged; the writer rebuilds it"
        try:
            with index.searcher() as searcher:
                report["index_documents"] = searcher.doc_count()
                report["index_questions"] = len(searcher.search(Term("type", "question"), limit=1))
                report["index_kpis"] = len(searcher.search(Term("type", "kpi"), limit=1))
                report["index_practices"] = (report["index_documents"] - report["index_questions"]
                                             - report["index_kpis"])
                report["segments"] = len(index._segments()) if hasattr(index, "_segments") else None
                report["healthy"] = True
                if deep:
                    indexed = {fields["id"]: fields.get("fingerprint") for fields in searcher.all_stored_fields()}
                    current = {doc["id"]: fingerprint(doc) for doc in documents.all_documents()}
                    report["drift"] = {
                        "missing": sorted(set(current) - set(indexed), key=_key_order),
                        "extra": sorted(set(indexed) - set(current), key=_key_order),
                        "stale": sorted((i for i in current if i in indexed and indexed[i] != current[i]),
                                        key=_key_order),
                    }
        except Exception as error:  # damaged segment files: report, never crash the status command
            report.update(healthy=False, problem=f"cannot read the index: {error!r}", drift=None)
        finally:
            index.close()
        return report
