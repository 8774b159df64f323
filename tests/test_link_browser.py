"""Authority links in graph.html, in headless Chromium (#21): an accepted link is a clickable identifier in the
entity's panel, and the review mode lists a service's suggestions, one click accepting one into the curation file.

Skipped where /usr/bin/chromium is absent (the fixtures of test_html_browser).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from test_html_browser import open_in
from test_link import WD, linked_out  # noqa: F401  (fixture)
from test_review_browser import export, new_context, pick, review_on  # noqa: F401  (fixture)

from kg.curation import parse_curation

pytestmark = pytest.mark.browser


def test_links_are_clickable_and_suggestions_accepted_in_review(new_context: Any, linked_out: Any) -> None:  # noqa: F811
    opened = open_in(new_context(), linked_out[1] / "graph.html")
    page = opened.page
    pick(opened, "place/lyon")
    link = page.locator("#panel a.authority-link")
    assert link.count() == 1 and link.inner_text() == "Wikidata Q456"
    assert link.get_attribute("href") == WD + "Q456" and link.get_attribute("rel") == "noopener noreferrer"
    pick(opened, "person/zach-lieberman")
    assert page.locator("#panel a.authority-link").count() == 0  # namesakes: nothing accepted

    review_on(opened)
    pick(opened, "person/zach-lieberman")
    suggestions = page.locator("#review-suggestions li")
    assert suggestions.count() == 2 and "Zach Lieberman (100)" in suggestions.first.inner_text()
    chosen = suggestions.first.locator("code").inner_text()
    page.locator("#accept-suggestion-0").click()
    assert chosen in page.locator("#review-links").inner_text()
    text = export(opened)
    assert yaml.safe_load(text)["authority"] == {"person/zach-lieberman": [chosen]}
    assert parse_curation(text).authority == {"person/zach-lieberman": (chosen,)}
    assert opened.outside() == [] and opened.errors == []
