"""How long graph.html takes to load and settle on a large synthetic corpus.

Makes a `KnowledgeGraph` directly (no NLP): ``--entities`` entities spread
over ``--interviews`` interviews, each sentence naming one to four of them,
with a topic per interview so the graph has communities.  Renders the page,
opens it from disk in headless Chromium with the network blocked, and reports
the time until the layout has settled and physics is frozen
(``window.kg.ready``), then the time a filter change (with its redraw), a
search and a full redraw of every visible node and edge take.

    .venv/bin/python benchmarks/html_scale.py                 # 2,000 entities, 40 interviews
    .venv/bin/python benchmarks/html_scale.py --entities 500 --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kg.model import ENTITY_TYPES, Entity, Interview, KnowledgeGraph, Mention, MentionRef, Participant, Sentence, Turn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SYLLABLES = ["ka", "lo", "mé", "ri", "sa", "tu", "vé", "no", "bé", "zi", "ça", "pa", "lu", "dé", "go", "fi"]
FILLER = ["on a utilisé", "avec", "puis", "et aussi", "pour tester", "à côté de", "comme", "plutôt que"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def synthetic_kg(entities: int = 2000, interviews: int = 40, sentences: int = 350, seed: int = 0) -> KnowledgeGraph:
    """A corpus of ``entities`` entities over ``interviews`` interviews of ``sentences`` sentences each."""
    rng = random.Random(seed)
    specs = []
    for k in range(entities):
        etype = ENTITY_TYPES[k % len(ENTITY_TYPES)]
        specs.append((f"{etype.lower()}/e{k:05d}", etype, f"{_word(rng)} {_word(rng)} {k}"))
    topic = max(1, entities // interviews)
    refs: dict[str, list[MentionRef]] = {s[0]: [] for s in specs}
    people: list[tuple[str, str, str]] = []
    ivs = []
    for i in range(interviews):
        iid = f"itw-{i:03d}"
        names = (f"Enquêtrice {i}", f"Personne {i}")
        text, turns, pos = "", [], 0
        for t in range(sentences // 5):
            speaker = names[t % 2]
            sents, start = [], pos
            for s in range(5):
                picks = []
                for _ in range(rng.choice((1, 2, 3, 3, 4, 5))):
                    if rng.random() < 0.75:
                        j = (i * topic + int(rng.paretovariate(1.2)) - 1) % entities
                    else:
                        j = (min(entities - 1, int(rng.paretovariate(0.9)) - 1) if rng.random() < 0.3
                             else rng.randrange(entities))
                    picks.append(j)
                sent_start, sentence, mentions = pos, "", []
                for j in dict.fromkeys(picks):
                    part = f"{rng.choice(FILLER)} "
                    sentence += part
                    m0 = sent_start + len(sentence)
                    sentence += specs[j][2]
                    m = Mention(m0, m0 + len(specs[j][2]), specs[j][2], specs[j][1], 0.9, "synthetic")
                    mentions.append(m)
                    refs[specs[j][0]].append(MentionRef(iid, t + 1, s + 1, m))
                sentence = sentence[0].upper() + sentence[1:] + "."
                sents.append(Sentence(sent_start, sent_start + len(sentence), sentence, tuple(mentions)))
                text += sentence + " "
                pos = len(text)
            turn_text = text[start:pos - 1]
            turns.append(Turn(t + 1, start, pos - 1, turn_text, speaker, speaker.split()[0], sentences=tuple(sents)))
            text, pos = text[:-1] + "\n\n", pos + 1
        people += [(names[0], "interviewer", iid), (names[1], "interviewee", iid)]
        participants = (Participant(names[0], "interviewer"), Participant(names[1], "interviewee"))
        ivs.append(Interview(iid, text, tuple(turns), source_path=f"/synthetic/{iid}.txt", source_format="plain",
                             title=f"Entretien {i}", date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", language="fr",
                             participants=participants))
    ents = [Entity(eid, etype, label, alt_labels=(label.lower(),), mentions=tuple(refs[eid]))
            for eid, etype, label in specs if refs[eid]]
    ents += [Entity(f"person/speaker-{k}", "Person", name, speaker_of=(iid,))
             for k, (name, _, iid) in enumerate(people)]
    return KnowledgeGraph(tuple(ivs), tuple(sorted(ents, key=lambda e: e.id)), {"corpus": "Synthetic corpus"})


def offline_page(p: Any, profile: str) -> tuple[Any, Any, list[str], list[str]]:
    """A headless Chromium page that may load files only; the requests it refused and the errors it logged.

    Returns the browser context (close it when done), the page, and the two
    lists, which fill as the page runs: a page that asks for anything outside
    itself is a bug.
    """
    ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                               headless=True, viewport={"width": 1366, "height": 800})
    outside: list[str] = []
    errors: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_files)
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return ctx, page, outside, errors


def measure(path: Path, *, timeout_s: float = 300) -> dict[str, float]:
    """Open ``path`` in headless Chromium (network blocked) and time load, settle and a few interactions."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx, page, outside, errors = offline_page(p, profile)
        started = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
        loaded = time.perf_counter() - started
        page.wait_for_function("() => window.kg && window.kg.ready", timeout=timeout_s * 1000)
        settled = time.perf_counter() - started
        counts = page.evaluate("() => [kg.nodes.length, kg.edges.length]")
        filter_ms = page.evaluate("""() => { const t = performance.now();
            const s = document.getElementById('min-mentions'); s.value = '3'; s.dispatchEvent(new Event('change'));
            kg.network.redraw(); const dt = performance.now() - t;
            s.value = '0'; s.dispatchEvent(new Event('change')); return dt; }""")
        search_ms = page.evaluate("""() => { const t = performance.now(); const q = document.getElementById('search');
            q.value = 'kalo'; q.dispatchEvent(new Event('input')); return performance.now() - t; }""")
        redraw_ms = page.evaluate("""() => { const ts = [];
            for (let i = 0; i < 5; i++) {
                const t = performance.now(); kg.network.redraw(); ts.push(performance.now() - t); }
            return ts.sort((a, b) => a - b)[2]; }""")
        ctx.close()
    if outside or errors:
        raise RuntimeError(f"requests outside the page: {outside}; errors: {errors}")
    return {"nodes": counts[0], "edges": counts[1], "load_s": loaded, "settled_s": settled,
            "filter_ms": filter_ms, "search_ms": search_ms, "redraw_ms": redraw_ms}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--interviews", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Also write the page here.")
    args = parser.parse_args(argv)
    from kg.page.render import render_html

    t = time.perf_counter()
    kg = synthetic_kg(args.entities, args.interviews)
    made = time.perf_counter() - t
    t = time.perf_counter()
    page = render_html(kg)
    rendered = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "graph.html"
        path.write_text(page, encoding="utf-8")
        runs = [measure(path) for _ in range(args.runs)]
    report = {
        "entities": len(kg.entities), "interviews": len(kg.interviews),
        "mentions": sum(len(e.mentions) for e in kg.entities),
        "nodes": runs[0]["nodes"], "edges": runs[0]["edges"], "html_mb": round(len(page.encode()) / 1e6, 2),
        "synthesise_s": round(made, 2), "render_s": round(rendered, 2),
        **{k: round(statistics.median(r[k] for r in runs), 3)
           for k in ("load_s", "settled_s", "filter_ms", "search_ms", "redraw_ms")},
        "runs": args.runs, "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
