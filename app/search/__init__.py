"""Full-text search over the practice archive (Whoosh), kept in step with the database through a queue."""
from flask import Blueprint, Flask

bp = Blueprint("search", __name__)


def init_search(app: Flask) -> None:
    """Attach this process's index, the queue's session hooks and, by default, the writer thread."""
    from app.search import queue  # noqa: F401  (registers the session hooks)
    from app.search.index import SearchIndex
    from app.search.writer import ensure_thread

    app.extensions["search_index"] = SearchIndex(app.config["SEARCH_DIR"])
    if app.config["SEARCH_WRITER"] == "thread":
        # Started with the first request, so CLI commands (migrations, demo data) never start it.
        app.before_request(lambda: ensure_thread(app))
