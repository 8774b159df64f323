#!/usr/bin/env python3
"""Build speed: kg's time per stage, against the bare spaCy pipeline on the same texts, in one process.

usage: python benchmarks/build_speed.py [--n 20] [--words 1500] [--corpus DIR] [--jobs N]
                                        [--repeats 2] [--json OUT] [--profile OUT.pstats]

Builds a synthetic corpus (benchmarks/synthetic.py) or the transcripts in
``--corpus``, then, after loading the models and one warm-up build:

* runs ``kg.pipeline.build`` + ``write_outputs`` (all RDF formats and HTML),
  timing each stage: read (finding files, cache lookups), extraction
  (reading each file and extracting it: kg reads files in its extraction
  workers), resolution, RDF writing, HTML, and the rest of writing;
* runs the **bare** spaCy pipeline: every turn text kg extracts from, through
  ``nlp.pipe`` with the same model per language, loaded as its package ships
  it (``spacy.load``: kg applies the model's attribute rules by look-up, see
  `kg.extract.attribute_rules`), and the same batch size, Docs dropped as
  they come;
* alternates the two ``--repeats`` times and keeps the fastest of each stage.

Prints a table with the ratios ``kg extraction / bare nlp.pipe`` and
``kg full build / bare nlp.pipe`` (the scale issue's target is <= 1.25),
words per second, peak RSS and output sizes; ``--json`` writes it all with
the machine it ran on.  ``--profile`` adds one untimed build under cProfile
and prints where kg's own time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import inspect
import json
import os
import platform
import pstats
import resource
import statistics
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

import kg.page.parts  # noqa: E402
import kg.page.render  # noqa: E402
import kg.rdf  # noqa: E402
import kg.rdf.write  # noqa: E402
from kg.extract import make_extractor  # noqa: E402
from kg.extract.spacy_ner import default_model  # noqa: E402
from kg.pipeline import BuildConfig, build, read_corpus, write_outputs  # noqa: E402

BUILD_STAGES = ("read", "extraction", "resolution")
"""Stages inside ``build``, cut at its progress callbacks."""


# -- the machine ---------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    """Cores, CPU model, memory, Python and library versions: what the figures depend on."""
    import spacy

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    uname = os.uname()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "memory_gib": round(mem_kib / 2**20, 1),
        # Not platform.platform(): it forks `uname -p`, which would show up as a child's peak RSS.
        "platform": f"{uname.sysname} {uname.release} {uname.machine}",
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "kg": getattr(sys.modules.get("kg"), "__version__", ""),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def stock_pipeline(name: str) -> Any:
    """The model as its package ships it, for the bare baseline: kg's own loading speeds up a component."""
    import spacy

    return spacy.load(name)


def peak_rss_mib() -> dict[str, float]:
    """Peak resident set size so far, of this process and of its (waited-for) children."""
    # ru_maxrss is in KiB on Linux.
    return {"self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


# -- timing ------------------------------------------------------------------------------------

Clock = tuple[float, float]
"""(wall seconds, CPU seconds): CPU time is what other jobs on a busy machine disturb least."""


def now() -> Clock:
    """Wall clock, and CPU time of this process (all threads) plus that of its finished children (--jobs)."""
    t = os.times()
    return time.perf_counter(), time.process_time() + t.children_user + t.children_system


def since(a: Clock, b: Clock | None = None) -> Clock:
    b = b or now()
    return b[0] - a[0], b[1] - a[1]


@contextmanager
def timed_calls(seconds: dict[str, Clock]) -> Iterator[None]:
    """Time the output steps ``write_outputs`` calls, by wrapping them where it looks them up.

    ``write_outputs`` imports ``write_graph`` from `kg.rdf.write` (which streams every RDF
    format at once, rendering interviews in ``--jobs`` processes) and
    the page's steps from `kg.page.parts` and `kg.page.render` (``PartStore.load``,
    ``kg_parts``, ``render_parts``, ``store_bytes``), when it runs, so wrapping those module
    attributes times exactly what a build does.  If kg changes how it finds
    them, the wrappers are not called and the time shows up as "write + other".
    """

    def wrap(module: Any, name: str, key: Callable[..., str]) -> None:
        original = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = now()
            try:
                return original(*args, **kwargs)
            finally:
                k, (w, c) = key(*args, **kwargs), since(t)
                w0, c0 = seconds.get(k, (0.0, 0.0))
                seconds[k] = (w0 + w, c0 + c)

        saved.append((module, name, original))
        setattr(module, name, timed)

    saved: list[tuple[Any, str, Any]] = []
    # the page is drawn inside write_graph (beside the RDF, or after forked workers): its time is inside the RDF row's
    wrap(kg.rdf.write, "write_graph",
         lambda graph, sinks, *a, **k: "rdf " + "+".join(sinks) + (" (+ html)" if k.get("meanwhile") else ""))
    for module, name in ((kg.page.parts.PartStore, "load"), (kg.page.parts, "kg_parts"),
                         (kg.page.render, "render_parts"), (kg.page.parts, "store_bytes")):
        wrap(module, name, lambda *a, **k: "html")
    try:
        yield
    finally:
        for module, name, original in reversed(saved):
            setattr(module, name, original)


def kg_run(paths: list[Path], config: BuildConfig, out: Path) -> dict[str, Clock]:
    """One full build, with its stages' (wall, CPU) seconds."""
    marks: dict[str, Clock] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks[stage] = now()

    t0 = now()
    graph = build(paths, config, progress=progress)
    t1 = now()
    t_read = marks.get("read", t0)
    t_extract = marks.get("extract", t_read)
    stages = {"read": since(t0, t_read), "extraction": since(t_read, t_extract), "resolution": since(t_extract, t1)}
    outputs: dict[str, Clock] = {}
    with timed_calls(outputs):
        write_outputs(graph, out, config)
    t2 = now()
    stages.update(sorted(outputs.items(), key=lambda kv: kv[0] == "html"))
    total = since(t1, t2)
    nested = any(k.endswith("(+ html)") for k in outputs)  # then html is part of the RDF row, not beside it
    outer = [v for k, v in outputs.items() if not (nested and k == "html")]
    stages["write + other"] = (total[0] - sum(w for w, _ in outer), total[1] - sum(c for _, c in outer))
    stages["outputs"] = total
    stages["build"] = since(t0, t1)
    stages["full build"] = since(t0, t2)
    return stages


def bare_run(texts: dict[str, list[str]], pipelines: dict[str, Any], batch_size: int) -> Clock:
    """Seconds for the turn texts of each language through ``nlp.pipe``, Docs dropped as they come."""
    t = now()
    for lang, batch in texts.items():
        deque(pipelines[lang].pipe(batch, batch_size=batch_size), maxlen=0)
    return since(t)


# -- profile -----------------------------------------------------------------------------------

def _area(filename: str) -> str:
    """Which library a profiled function belongs to."""
    f = filename.replace("\\", "/")
    if f"{ROOT.as_posix()}/kg/" in f:
        return "kg/" + f.split("/kg/", 1)[1].split("/")[0].removesuffix(".py")
    for lib in ("spacy", "thinc", "rdflib", "networkx", "lingua", "webvtt", "srt", "frontmatter", "yaml",
                "numpy", "scipy", "rapidfuzz", "wordfreq", "slugify", "json"):
        if f"/{lib}/" in f or f.startswith(f"{lib}/"):
            return lib
    return "python/other" if f.startswith(("/", "<")) or f == "~" else f.split("/")[0]


def profile(paths: list[Path], config: BuildConfig, out: Path, target: Path) -> dict[str, Any]:
    """One build under cProfile: own time per area and the top functions of kg itself."""
    prof = cProfile.Profile()
    prof.enable()
    graph = build(paths, config)
    write_outputs(graph, out, config)
    prof.disable()
    prof.dump_stats(str(target))
    stats = pstats.Stats(prof)
    by_area: dict[str, float] = {}
    kg_funcs = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        area = _area(filename)
        by_area[area] = by_area.get(area, 0.0) + tottime
        if area.startswith("kg/"):
            kg_funcs.append({"function": f"{area}:{line}({func})", "calls": ncalls, "own_s": round(tottime, 3),
                             "cumulative_s": round(cumtime, 3)})
    kg_funcs.sort(key=lambda r: -r["cumulative_s"])
    return {"file": str(target), "own_seconds_by_area": dict(sorted(((k, round(v, 3)) for k, v in by_area.items()),
                                                                     key=lambda kv: -kv[1])),
            "kg_functions_by_cumulative": kg_funcs[:25]}


# -- report ------------------------------------------------------------------------------------

def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        cells = enumerate(zip(r, widths, strict=True))
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(result: dict[str, Any]) -> str:
    best, cpu, runs = result["best"], result["best_cpu"], result["runs"]
    rows: list[tuple[str, ...]] = [("stage", "wall s", *[f"run {i + 1}" for i in range(len(runs))], "CPU s",
                                    "% of build")]
    for stage in [*result["stage_order"], "bare nlp.pipe"]:
        share = "" if stage in ("outputs", "build", "bare nlp.pipe") else f"{100 * cpu[stage] / cpu['full build']:.1f}"
        each = [r["bare nlp.pipe"] if stage == "bare nlp.pipe" else r["kg"].get(stage, {"wall": 0.0}) for r in runs]
        rows.append((stage, f"{best[stage]:.2f}", *[f"{x['wall']:.2f}" for x in each], f"{cpu[stage]:.2f}", share))
    c, m, r, t = result["corpus"], result["machine"], result["ratios"], result["throughput"]
    rss = result["peak_rss_mib"]
    lines = [
        f"corpus: {c['interviews']} interviews, {c['words']:,} words in {c['turns']:,} turns "
        f"({', '.join(f'{k}: {v}' for k, v in c['formats'].items())}; "
        f"{', '.join(f'{k}: {v}' for k, v in c['languages'].items())})",
        f"models: {', '.join(f'{k}={v}' for k, v in result['config']['models'].items())}; batch size "
        f"{result['config']['batch_size']}; jobs {result['config']['jobs'] or '(BuildConfig has no jobs field)'}"
        + (f"; ignored (no such BuildConfig field): {', '.join(result['config']['ignored_options'])}"
           if result["config"]["ignored_options"] else ""),
        "",
        _table(rows),
        "",
        "wall and CPU: the fastest of the runs for each stage; CPU is this process's CPU time (all threads);"
        " % of build is of the CPU time",
        *(["with --jobs > 1, workers' CPU time is counted when they exit (after extraction): read the wall column"]
          if (result["config"]["jobs"] or 1) > 1 else []),
        f"kg extraction / bare nlp.pipe = {r['wall']['extraction_vs_bare']:.2f}x wall, "
        f"{r['cpu']['extraction_vs_bare']:.2f}x CPU    (target <= 1.25x)",
        f"kg full build / bare nlp.pipe = {r['wall']['full_build_vs_bare']:.2f}x wall, "
        f"{r['cpu']['full_build_vs_bare']:.2f}x CPU    (without outputs: {r['wall']['build_vs_bare']:.2f}x wall, "
        f"{r['cpu']['build_vs_bare']:.2f}x CPU)",
        "per round, CPU time (kg right after bare): full build / bare = "
        + ", ".join(f"{x['full_build_vs_bare']:.2f}x" for x in result["per_round"])
        + f" (median {statistics.median(x['full_build_vs_bare'] for x in result['per_round']):.2f}x); "
        + "extraction / bare = "
        + ", ".join(f"{x['extraction_vs_bare']:.2f}x" for x in result["per_round"]),
        f"throughput: {t['full_build_words_per_s']:,.0f} words/s full build, "
        f"{t['extraction_words_per_s']:,.0f} words/s extraction, {t['bare_words_per_s']:,.0f} words/s bare nlp.pipe",
        f"peak RSS: {rss['after_warmup']['self']:,.0f} MiB after models + warm-up, "
        f"{rss['end']['self']:,.0f} MiB at the end"
        + (f" (children {rss['end']['children']:,.0f} MiB)" if rss["end"]["children"] else ""),
        "outputs: " + ", ".join(f"{k} {v / 2**20:.2f} MiB" for k, v in result["output_bytes"].items()),
        f"machine: {m['cpu_model']}, {m['cores_usable']}/{m['cores']} cores, {m['memory_gib']} GiB, "
        f"Python {m['python']}, spaCy {m['spacy']}; load average {m['loadavg_start']} -> {m['loadavg_end']}",
        f"warm-up (not counted): {result['warmup_s']:.2f} s",
    ]
    if "profile" in result:
        p = result["profile"]
        lines += ["", f"cProfile (one extra build, {p['file']}): own seconds by area"]
        lines += [f"  {k:28s} {v:8.2f}" for k, v in list(p["own_seconds_by_area"].items())[:15]]
        lines += ["kg functions by cumulative seconds:"]
        lines += [f"  {f['cumulative_s']:8.2f} {f['own_s']:8.2f} {f['calls']:>9} {f['function']}"
                  for f in p["kg_functions_by_cumulative"][:15]]
    return "\n".join(lines)


def _clock_json(c: Clock) -> dict[str, float]:
    return {"wall": round(c[0], 4), "cpu": round(c[1], 4)}


# -- main --------------------------------------------------------------------------------------

def make_config(jobs: int | None, batch_size: int | None) -> tuple[BuildConfig, list[str]]:
    """The default build (every RDF format and HTML, no extraction cache), with the options kg has.

    Returns the config and the options that could not be applied because
    `BuildConfig` has no such field.
    """
    fields = {f.name for f in dataclasses.fields(BuildConfig)}
    wanted: dict[str, Any] = {"jobs": jobs, "batch_size": batch_size}
    options = {k: v for k, v in wanted.items() if v is not None and k in fields}
    if "cache_dir" in fields:
        options["cache_dir"] = None  # a warm cache would time a lookup, not an extraction
    return BuildConfig(**options), [k for k, v in wanted.items() if v is not None and k not in fields]


def make_kg_extractor(config: BuildConfig) -> Any:
    """The extractor ``build`` makes for ``config`` (to read its batch size)."""
    accepted = inspect.signature(make_extractor).parameters
    extra = {k: getattr(config, k) for k in ("device", "batch_size") if k in accepted and hasattr(config, k)}
    return make_extractor(config.ner, model=config.model, **extra)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="synthetic interviews (default 20)")
    ap.add_argument("--words", type=int, default=1500, help="words per synthetic interview (default 1500)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, help="build this folder instead of a synthetic corpus")
    ap.add_argument("--jobs", type=int, help="passed to BuildConfig.jobs when kg has that field")
    ap.add_argument("--batch-size", type=int, help="passed to BuildConfig.batch_size when kg has that field; "
                    "the baseline uses the same (default: the extractor's)")
    ap.add_argument("--repeats", type=int, default=2, help="alternating bare/kg rounds; the fastest counts (default 2)")
    ap.add_argument("--json", type=Path, help="write every figure here")
    ap.add_argument("--profile", type=Path, help="also profile one build with cProfile; write the stats here")
    args = ap.parse_args(argv)

    info = machine()
    config, ignored = make_config(args.jobs, args.batch_size)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        if args.corpus:
            corpus = args.corpus
        else:
            corpus = Path(tmp) / "corpus"
            generate(corpus, args.n, words=args.words, seed=args.seed)
        paths = [corpus]

        # Untimed: read once for the baseline's texts, load the models, warm up every stage.
        t0 = time.perf_counter()
        interviews = read_corpus(paths, config)
        batch_size = int(getattr(make_kg_extractor(config), "batch_size", 32))
        texts: dict[str, list[str]] = {}
        for iv in interviews:
            lang = iv.language or "fr"
            texts.setdefault(lang, []).extend(tr.text for tr in iv.turns if tr.end > tr.start)
        models = {lang: config.model or default_model(lang) for lang in sorted(texts)}
        pipelines = {lang: stock_pipeline(name) for lang, name in models.items()}
        for lang, nlp in pipelines.items():
            deque(nlp.pipe(texts[lang][:batch_size], batch_size=batch_size), maxlen=0)
        warm = [next(Path(iv.source_path) for iv in interviews if (iv.language or "fr") == lang) for lang in texts]
        write_outputs(build(warm, config), Path(tmp) / "warmup", config)
        warmup_s = time.perf_counter() - t0
        rss_warm = peak_rss_mib()

        runs: list[dict[str, Any]] = []
        for i in range(args.repeats):
            bare = bare_run(texts, pipelines, batch_size)
            out = Path(tmp) / f"out-{i}"  # a fresh folder: a full build renders everything, reusing nothing
            stages = kg_run(paths, config, out)
            runs.append({"bare nlp.pipe": bare, "kg": stages})
        if args.profile:
            prof = profile(paths, config, Path(tmp) / "profiled", args.profile)
        output_bytes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}

    order = list(runs[0]["kg"])
    best = {k: min(r["kg"][k][0] for r in runs) for k in order}
    best_cpu = {k: min(r["kg"][k][1] for r in runs) for k in order}
    best["bare nlp.pipe"] = min(r["bare nlp.pipe"][0] for r in runs)
    best_cpu["bare nlp.pipe"] = min(r["bare nlp.pipe"][1] for r in runs)
    words = sum(len(x.split()) for batch in texts.values() for x in batch)
    formats: dict[str, int] = {}
    for iv in interviews:
        formats[iv.source_format] = formats.get(iv.source_format, 0) + 1
    info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result: dict[str, Any] = {
        "machine": info,
        "corpus": {"path": str(args.corpus) if args.corpus
                   else f"synthetic --n {args.n} --words {args.words} --seed {args.seed}",
                   "interviews": len(interviews), "words": words, "turns": sum(len(b) for b in texts.values()),
                   "characters": sum(len(x) for b in texts.values() for x in b),
                   "formats": dict(sorted(formats.items())),
                   "languages": {k: sum(1 for iv in interviews if (iv.language or "fr") == k) for k in sorted(texts)}},
        "config": {"jobs": getattr(config, "jobs", None), "ignored_options": ignored,
                   "formats": list(config.formats), "html": config.html,
                   "batch_size": batch_size, "models": models,
                   "model_versions": {k: f"{p.meta.get('name')} {p.meta.get('version')}"
                                      for k, p in pipelines.items()}},
        "warmup_s": round(warmup_s, 3),
        "stage_order": order,
        "runs": [{"bare nlp.pipe": _clock_json(r["bare nlp.pipe"]),
                  "kg": {k: _clock_json(v) for k, v in r["kg"].items()}}
                 for r in runs],
        "best": {k: round(v, 4) for k, v in best.items()},
        "best_cpu": {k: round(v, 4) for k, v in best_cpu.items()},
        "ratios": {name: {"extraction_vs_bare": round(b["extraction"] / b["bare nlp.pipe"], 3),
                          "full_build_vs_bare": round(b["full build"] / b["bare nlp.pipe"], 3),
                          "build_vs_bare": round(b["build"] / b["bare nlp.pipe"], 3)}
                   for name, b in (("wall", best), ("cpu", best_cpu))},
        # a busy machine slows whole rounds: the ratio within one round (kg and bare back to back) is steadier
        "per_round": [{"extraction_vs_bare": round(r["kg"]["extraction"][1] / r["bare nlp.pipe"][1], 3),
                       "full_build_vs_bare": round(r["kg"]["full build"][1] / r["bare nlp.pipe"][1], 3)}
                      for r in runs],
        "throughput": {"full_build_words_per_s": round(words / best["full build"], 1),
                       "extraction_words_per_s": round(words / best["extraction"], 1),
                       "bare_words_per_s": round(words / best["bare nlp.pipe"], 1)},
        "peak_rss_mib": {"after_warmup": rss_warm, "end": peak_rss_mib()},
        "output_bytes": output_bytes,
    }
    if args.profile:
        result["profile"] = prof
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
