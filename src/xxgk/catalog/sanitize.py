"""Item bodies as safe HTML: what staff paste from Word or a web page, made harmless.

Bodies are rich text (headings, paragraphs, lists, tables, links, images) and are shown on
public pages unescaped, so they are cleaned once, when written, with ``nh3`` (the Rust
``ammonia`` sanitiser): no script, style, iframe or form, no event attributes, no inline
styles, and links only to http(s), mailto and the site itself. Plain text (no tag at all:
a typed body, an import) becomes paragraphs.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset({
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup", "blockquote",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "img",
    "hr", "span", "div", "pre",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def clean_html(text: str) -> str:
    """``text`` as HTML safe to show on a public page; plain text becomes paragraphs."""
    text = text.strip()
    if not text:
        return ""
    if not _TAG.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if p.strip()]
        return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>"
                       for p in paragraphs)
    return nh3.clean(text, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer",
                     strip_comments=True).strip()


def plain_text(body: str) -> str:
    """The words of a cleaned body, for summaries, feeds and search."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip()
