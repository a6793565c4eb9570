"""User text: Markdown rendered by markdown-it-py, then sanitised by nh3 (an allow-list, no raw HTML kept)."""
from __future__ import annotations

from html import unescape

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4", "h5", "h6",
         "hr", "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a Markdown text; headings start at h2 because the page owns its h1."""
    if not text:
        return Markup("")
    html = _parser.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer nofollow")
    # A wide table scrolls inside itself on a phone. Only real tags remain as "<table>" here: text is escaped.
    clean = clean.replace("<table>", '<div class="table-responsive"><table class="table">').replace(
        "</table>", "</table></div>")
    return Markup(clean)


def markdown_text(text: str | None) -> str:
    """The words of a Markdown text without its markup (search snippets quote text, not "## Titolo" or "**")."""
    if not text:
        return ""
    html = _parser.render(text)
    # Every tag goes; the block tags' line breaks stay, so paragraphs and list items remain apart.
    return unescape(nh3.clean(html, tags=set(), attributes={})).strip()
