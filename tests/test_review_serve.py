"""``kg serve --review``: the page on loopback with a token, and a POST that saves the curation file, refused
without the token, from another origin, or with a malformed file."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

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
