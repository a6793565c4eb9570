"""`flask search …`: rebuild, inspect, optimise the index and run the writer as its own process."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

search_cli = AppGroup("search", help="Full-text search index.")


def _index():
    from app.search.writer import search_index

    return search_index(current_app)


@search_cli.command("reindex")
def reindex() -> None:
    """Rebuild the index from the database into a new directory and swap it in (search keeps answering)."""
    from app.search.documents import all_kpi_ids, all_practice_ids, all_question_ids

    total = len(all_practice_ids()) + len(all_question_ids()) + len(all_kpi_ids())
    with click.progressbar(length=total, label="Indexing practices, questions and KPIs", show_pos=True) as bar:
        count = _index().rebuild(progress=bar.update)
    click.echo(f"Index rebuilt: {count} documents.")
    db.session.remove()


@search_cli.command("status")
@click.option("--quick", is_flag=True, help="Skip the comparison of every document with the database.")
@click.option("--check", is_flag=True, help="Exit with status 1 if the index is unhealthy or drifts.")
def status(quick: bool, check: bool) -> None:
    """Documents in the database and in the index, queued work, schema version, last optimisation, drift."""
    report = _index().status(deep=not quick)
    click.echo(f"Index directory:     {report['directory'] or '(none)'}")
    click.echo(f"Healthy:             {'yes' if report['healthy'] else 'no — ' + report.get('problem', '')}")
    click.echo(f"Schema version:      {report['schema_version']} (this code: {report['expected_schema_version']})")
    click.echo(f"Documents:           {report['database_documents']} in the database, "
               f"{report['index_documents'] if report['index_documents'] is not None else '-'} in the index")

    def count(value) -> str:
        return "-" if value is None else str(value)

    click.echo(f"  practices:         {report['database_practices']} in the database, "
               f"{count(report['index_practices'])} in the index")
    click.echo(f"  questions:         {report['database_questions']} in the database, "
               f"{count(report['index_questions'])} in the index (visible ones; hidden and deleted are not indexed)")
    click.echo(f"  KPIs:              {report['database_kpis']} in the database, "
               f"{count(report['index_kpis'])} in the index (every status; readers see what they may)")
    click.echo(f"Pending work:        {report['pending']}")
    click.echo(f"Built:               {report['built_at'] or '-'}")
    click.echo(f"Last optimised:      {report['optimized_at'] or '-'}")
    drift = report["drift"]
    if drift is not None:
        total = sum(len(v) for v in drift.values())
        click.echo(f"Drift:               {total} (missing {len(drift['missing'])}, extra {len(drift['extra'])}, "
                   f"stale {len(drift['stale'])})")
        for kind, ids in drift.items():
            if ids:
                click.echo(f"  {kind}: {', '.join(ids[:20])}{' …' if len(ids) > 20 else ''}")
    db.session.remove()
    if check and (not report["healthy"] or (drift and any(drift.values()))):
        raise SystemExit(1)


@search_cli.command("optimize")
def optimize() -> None:
    """Merge the index into one segment."""
    _index().optimize()
    click.echo("Index optimised.")


@search_cli.command("worker")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between looks at the queue.")
@click.option("--once", is_flag=True, help="Apply what is queued (rebuilding a broken index first), then exit.")
def worker(interval: float, once: bool) -> None:
    """Apply queued index work (run one, with SEARCH_WRITER=worker, when several web workers serve the site)."""
    from app.search.writer import process_once, run_worker

    if once:
        applied = process_once(current_app._get_current_object())
        click.echo(f"Applied: {applied if applied is not None else 'nothing (another writer holds the lock)'}")
        return
    click.echo(f"Search worker watching the queue every {interval}s (Ctrl+C to stop).")
    run_worker(current_app._get_current_object(), interval)
