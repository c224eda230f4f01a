"""Markdown to safe HTML: Python-Markdown renders, nh3 (the Ammonia sanitiser) keeps only plain
document markup. Raw HTML, scripts, styles, event handlers and non-web links never survive."""

import re
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from .importer import _BULLET

# Section headings are the page's own <h2>; headings inside a section start at <h3>.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "b",
        "i",
        "a",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_LABEL = re.compile(r"^(\s{0,3}[-*•‣◦]\s+)")


@lru_cache(maxsize=512)
def render_markdown(text: str) -> SafeString:
    """`text` (Markdown) as sanitised HTML, safe to put in a page or a PDF."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    # Safe to mark: nh3 has just removed every tag, attribute and URL scheme outside the allow-lists.
    return mark_safe(clean)  # noqa: S308  # nosec B308 B703


def with_clause_numbers(section_number: int, body: str) -> str:
    """The section's Markdown with each top-level bullet labelled by its clause number ("6.3"),
    and a blank line before a list so that Markdown always sees it as one."""
    out: list[str] = []
    position = 0
    in_item = False  # inside a bullet and the lines that continue it
    for line in body.split("\n"):
        if _BULLET.match(line):
            position += 1
            if out and out[-1].strip() and not in_item:
                out.append("")
            label = f"**{section_number}.{position}** "
            line = _LABEL.sub(lambda m, label=label: m.group(1) + label, line, count=1)
            in_item = True
        elif not line.strip():
            in_item = False
        out.append(line)
    return "\n".join(out)


def render_section(section) -> SafeString:
    return render_markdown(with_clause_numbers(section.number, section.body))
