"""The pages run under a Content-Security-Policy that allows only the app's own script and
style files: no template may carry inline script, inline style or event-handler attributes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import townsquare.web

TEMPLATES = sorted((Path(townsquare.web.__file__).parent / "templates").glob("*.html"))
INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a style element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event-handler attribute": re.compile(r"\s(?:on[a-z]+|hx-on[:\-][\w:-]*)\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_template_needs_unsafe_inline(template: Path) -> None:
    text = template.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], f"{template.name} has {', '.join(found)}"


def test_htmx_neither_evaluates_code_nor_injects_styles() -> None:
    base = (Path(townsquare.web.__file__).parent / "templates" / "base.html").read_text()
    config = '{"includeIndicatorStyles": false, "allowEval": false}'
    assert f"<meta name=\"htmx-config\" content='{config}'>" in base


def test_the_macros_that_write_times_are_imported_with_the_pages_context() -> None:
    """A time is written on the reader's clock (the ``clock`` filter reads ``me``): a macro
    imported without the page's context would write UTC."""
    imports = re.compile(r'\{%\s*from\s+"(_message|_post)\.html"\s+import\s+[^%]*%\}')
    found = [(t.name, m.group(0)) for t in TEMPLATES for m in imports.finditer(t.read_text())]
    assert len(found) >= 6
    assert [name for name, line in found if "with context" not in line] == []
