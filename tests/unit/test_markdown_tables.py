"""A Markdown table in a practice's text scrolls inside itself on a phone instead of widening the page."""
from __future__ import annotations

from app.markdown import render_markdown

TABLE = "| Fase | Durata |\n| --- | --- |\n| Analisi | 3 mesi |\n"


def test_a_markdown_table_is_wrapped_to_scroll_inside_itself():
    html = str(render_markdown(TABLE))
    assert html.startswith('<div class="table-responsive"><table class="table">')
    assert html.rstrip().endswith("</table></div>") and html.count("<table") == 1


def test_text_that_looks_like_a_table_tag_stays_text():
    html = str(render_markdown("Scrivere `<table>` oppure <table> non crea tabelle."))
    assert "table-responsive" not in html and "&lt;table&gt;" in html
