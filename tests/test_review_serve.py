"""``kg serve --review``: the page on loopback with a token, and a POST that saves the curation file, refused
without the token, from another origin, or with a malformed file; and the page's Save button in Chromium (its
own browser, which may reach 127.0.0.1: test_html_browser's blocks every host)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from kg.serve import SAVE_PATH, ReviewServer

GOOD = "checked: [tool/python]\nauthority: {tool/python: \"https://www.wikidata.org/wiki/Q28865\"}\n"


@pytest.fixture
def review(tmp_path: Path):
    page = tmp_path / "graph.html"
    page.write_text('<html><head><meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; '
                    'script-src &#x27;sha256-x&#x27;"></head><body></body></html>', encoding="utf-8")
    with ReviewServer(page, tmp_path / "curation.yaml") as server:
        yield server


def post(server: ReviewServer, body: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(f"http://127.0.0.1:{server.port}{SAVE_PATH}", data=body.encode("utf-8"),
                                 headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_the_page_carries_the_token_and_may_post_to_its_own_origin_only(review: ReviewServer) -> None:
    with urllib.request.urlopen(review.url, timeout=10) as r:
        text = r.read().decode("utf-8")
    assert f'<meta name="kg-review-token" content="{review.token}">' in text
    assert "default-src &#x27;none&#x27;; connect-src &#x27;self&#x27;;" in text
    assert review.url.startswith("http://127.0.0.1:")


def test_a_post_with_the_token_saves_the_file(review: ReviewServer) -> None:
    status, body = post(review, GOOD, {"X-KG-Token": review.token, "Origin": f"http://127.0.0.1:{review.port}"})
    assert status == 200 and Path(body["saved"]) == review.curation
    assert review.curation.read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize("headers, status", [
    ({}, 403), ({"X-KG-Token": "guess"}, 403),
    ({"X-KG-Token": "TOKEN", "Origin": "https://evil.example"}, 403),
])
def test_a_post_without_the_token_or_from_elsewhere_is_refused(review: ReviewServer, headers, status) -> None:
    headers = {k: v.replace("TOKEN", review.token) for k, v in headers.items()}
    assert post(review, GOOD, headers)[0] == status
    assert not review.curation.exists()


def test_a_malformed_file_is_refused_in_one_line(review: ReviewServer) -> None:
    review.curation.write_text("ignore: [kept]\n", encoding="utf-8")
    status, body = post(review, "authority: {tool/x: \"javascript:alert(1)\"}\n", {"X-KG-Token": review.token})
    assert status == 400 and "authority for 'tool/x'" in body["error"] and "\n" not in body["error"]
    assert review.curation.read_text(encoding="utf-8") == "ignore: [kept]\n", "the file on disk is left as it was"


@pytest.mark.browser
def test_saving_through_kg_serve_review(built_sample, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    from test_html_browser import ARGS, CHROMIUM

    from kg.curation import load_curation
    from kg.serve import ReviewServer

    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    args = [a for a in ARGS if not a.startswith(("--host-resolver-rules", "--proxy-server"))]
    args.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")  # loopback only
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args, headless=True)
        try:
            _save_through(browser, built_sample, tmp_path, load_curation, ReviewServer)
        finally:
            browser.close()


def _save_through(browser: Any, built_sample: Any, tmp_path: Path,
                  load_curation: Any, ReviewServer: Any) -> None:  # noqa: N803

    _, out = built_sample
    page_file = tmp_path / "graph.html"
    page_file.write_bytes((out / "graph.html").read_bytes())
    with ReviewServer(page_file, tmp_path / "curation.yaml") as server:
        ctx = browser.new_context(viewport={"width": 1366, "height": 800})
        try:
            page = ctx.new_page()
            origin = f"http://127.0.0.1:{server.port}/"
            requests: list[str] = []
            errors: list[str] = []
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin)
                       else route.abort())
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server.url)
            page.wait_for_function("() => window.kg && window.kg.ready", timeout=60_000)
            page.locator("#review-mode").check()
            page.evaluate("() => kg.review.apply({op: 'check', id: 'tool/python'})")
            page.locator("#review-save").click()
            page.wait_for_function("() => document.getElementById('review-message').textContent.startsWith('Saved')")
            assert load_curation(server.curation).checked == ("tool/python",)
            assert {u.split("?")[0] for u in requests} == {server.url, origin + "review/curation"}
            assert errors == []
        finally:
            ctx.close()
