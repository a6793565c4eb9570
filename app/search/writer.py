"""The one writer that applies queued index work: a background thread in the web process (the embedded default) or
the `flask search worker` process (when several web workers run). Both rebuild a missing or corrupt index first."""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from app.extensions import db
from app.search.index import IndexUnavailable

log = logging.getLogger(__name__)

_wake = threading.Event()
_threads: dict[int, threading.Thread] = {}
_threads_lock = threading.Lock()


def wake() -> None:
    """Tell this process's writer that work was committed (other processes find it on their next poll)."""
    _wake.set()


def search_index(app: Flask):
    return app.extensions["search_index"]


def process_once(app: Flask) -> int | None:
    """Rebuild the index if it cannot be opened, then apply the queue. None when another writer is busy."""
    index = search_index(app)
    try:
        try:
            if index.rebuild_requested():
                raise IndexUnavailable("found damaged by a reader or a writer")
            return index.apply_pending()
        except IndexUnavailable as problem:
            if not problem.rebuildable:
                log.warning("Search index %s (%s): left alone for the newer code that built it", index.base, problem)
                return None
            log.error("Search index %s (%s): rebuilding it from the database; search results are incomplete "
                      "until it is done", index.base, problem)
            count = index.rebuild(force=False)
            log.warning("Search index rebuilt with %d documents", count)
            return index.apply_pending()
    finally:
        db.session.remove()


def _loop(app: Flask, poll_seconds: float, stop: threading.Event | None = None) -> None:
    while stop is None or not stop.is_set():
        _wake.wait(timeout=poll_seconds)
        _wake.clear()
        try:
            with app.app_context():
                if process_once(app) is None:
                    time.sleep(0.2)  # another writer holds the lock: look again soon
                    _wake.set()
        except Exception:  # the thread must outlive a database hiccup; the work stays queued
            log.exception("Search index writer failed; the queued work stays and is retried")
            time.sleep(min(poll_seconds, 5))


def ensure_thread(app: Flask) -> None:
    """Start this process's writer thread once (embedded default: SEARCH_WRITER = "thread")."""
    if app.config["SEARCH_WRITER"] != "thread" or id(app) in _threads:
        return
    with _threads_lock:
        if id(app) in _threads:
            return
        thread = threading.Thread(target=_loop, args=(app, app.config["SEARCH_POLL_SECONDS"]),
                                  name="search-writer", daemon=True)
        _threads[id(app)] = thread
        thread.start()
        _wake.set()  # work left by a process that stopped (or was killed) is applied now


def run_worker(app: Flask, poll_seconds: float, stop: threading.Event | None = None) -> None:
    """The `flask search worker` loop."""
    _wake.set()
    _loop(app, poll_seconds, stop)
