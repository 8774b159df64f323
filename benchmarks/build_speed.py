#!/usr/bin/env python3
"""Build speed: kg's time per stage, against the bare spaCy pipeline on the same texts, in one process.

usage: python benchmarks/build_speed.py [--n 20] [--words 1500] [--corpus DIR] [--jobs N]
                                        [--repeats 2] [--json OUT] [--profile OUT.pstats]

Builds a synthetic corpus (benchmarks/synthetic.py) or the transcripts in
``--corpus``, then, after loading the models and one warm-up build:

* runs ``kg.pipeline.build`` + ``write_outputs`` (all RDF formats and HTML),
  timing each stage: read (ingest), extraction, resolution, the RDF graph,
  each serialisation, HTML, and the rest of writing;
* runs the **bare** spaCy pipeline: every turn text kg extracts from, through
  ``nlp.pipe`` with the same model per language and the same batch size, Docs
  dropped as they come;
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
import json
import os
import platform
import pstats
import resource
import sys
import tempfile
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import kg.rdf  # noqa: E402
import kg.viz  # noqa: E402
from kg.extract import make_extractor  # noqa: E402
from kg.extract.spacy_ner import default_model, load_pipeline  # noqa: E402
from kg.pipeline import BuildConfig, build, read_corpus, write_outputs  # noqa: E402
from synthetic import generate  # noqa: E402

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


def peak_rss_mib() -> dict[str, float]:
    """Peak resident set size so far, of this process and of its (waited-for) children."""
    # ru_maxrss is in KiB on Linux.
    return {"self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


# -- timing ------------------------------------------------------------------------------------

@contextmanager
def timed_calls(seconds: dict[str, float]) -> Iterator[None]:
    """Time the output steps ``write_outputs`` calls, by wrapping them where it looks them up.

    ``write_outputs`` imports ``to_rdf`` and ``serialise`` from `kg.rdf`, and
    ``render_html`` from `kg.viz`, when it runs, so wrapping those module
    attributes times exactly what a build does.  If kg changes how it finds
    them, the wrappers are not called and the time shows up as "write + other".
    """

    def wrap(module: Any, name: str, key: Callable[..., str]) -> None:
        original = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                k = key(*args, **kwargs)
                seconds[k] = seconds.get(k, 0.0) + time.perf_counter() - t

        saved.append((module, name, original))
        setattr(module, name, timed)

    saved: list[tuple[Any, str, Any]] = []
    wrap(kg.rdf, "to_rdf", lambda *a, **k: "rdf graph")
    wrap(kg.rdf, "serialise", lambda g, fmt, *a, **k: f"rdf {fmt}")
    wrap(kg.viz, "render_html", lambda *a, **k: "html")
    try:
        yield
    finally:
        for module, name, original in reversed(saved):
            setattr(module, name, original)


def kg_run(paths: list[Path], config: BuildConfig, out: Path) -> dict[str, float]:
    """One full build, with its stages' seconds."""
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks[stage] = time.perf_counter()

    t0 = time.perf_counter()
    graph = build(paths, config, progress=progress)
    t1 = time.perf_counter()
    t_read = marks.get("read", t0)
    t_extract = marks.get("extract", t_read)
    stages = {"read": t_read - t0, "extraction": t_extract - t_read, "resolution": t1 - t_extract}
    outputs: dict[str, float] = {}
    with timed_calls(outputs):
        write_outputs(graph, out, config)
    t2 = time.perf_counter()
    stages.update(sorted(outputs.items(), key=lambda kv: (kv[0] == "html", kv[0] != "rdf graph")))
    stages["write + other"] = (t2 - t1) - sum(outputs.values())
    stages["outputs"] = t2 - t1
    stages["build"] = t1 - t0
    stages["full build"] = t2 - t0
    return stages


def bare_run(texts: dict[str, list[str]], pipelines: dict[str, Any], batch_size: int) -> float:
    """Seconds for the turn texts of each language through ``nlp.pipe``, Docs dropped as they come."""
    t = time.perf_counter()
    for lang, batch in texts.items():
        deque(pipelines[lang].pipe(batch, batch_size=batch_size), maxlen=0)
    return time.perf_counter() - t


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
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(result: dict[str, Any]) -> str:
    best, runs = result["best"], result["runs"]
    full = best["full build"]
    rows: list[tuple[str, ...]] = [("stage", "best s", *[f"run {i + 1}" for i in range(len(runs))], "% of build")]
    for stage in result["stage_order"]:
        rows.append((stage, f"{best[stage]:.3f}", *[f"{r['kg'].get(stage, 0.0):.3f}" for r in runs],
                     f"{100 * best[stage] / full:.1f}" if stage not in ("outputs", "build") else ""))
    rows.append(("bare nlp.pipe", f"{best['bare nlp.pipe']:.3f}", *[f"{r['bare nlp.pipe']:.3f}" for r in runs], ""))
    c, m, r, t = result["corpus"], result["machine"], result["ratios"], result["throughput"]
    rss = result["peak_rss_mib"]
    lines = [
        f"corpus: {c['interviews']} interviews, {c['words']:,} words in {c['turns']:,} turns "
        f"({', '.join(f'{k}: {v}' for k, v in c['formats'].items())}; {', '.join(f'{k}: {v}' for k, v in c['languages'].items())})",
        f"models: {', '.join(f'{k}={v}' for k, v in result['config']['models'].items())}; batch size "
        f"{result['config']['batch_size']}; jobs {result['config']['jobs']} "
        f"({'passed to BuildConfig' if result['config']['jobs_applied'] else 'BuildConfig has no jobs field; ignored'})",
        "",
        _table(rows),
        "",
        f"kg extraction / bare nlp.pipe = {r['extraction_vs_bare']:.2f}x    "
        f"kg full build / bare nlp.pipe = {r['full_build_vs_bare']:.2f}x    (target <= 1.25x)",
        f"throughput: {t['full_build_words_per_s']:,.0f} words/s full build, "
        f"{t['extraction_words_per_s']:,.0f} words/s extraction, {t['bare_words_per_s']:,.0f} words/s bare nlp.pipe",
        f"peak RSS: {rss['after_warmup']['self']:,.0f} MiB after models + warm-up, {rss['end']['self']:,.0f} MiB at the end"
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


# -- main --------------------------------------------------------------------------------------

def make_config(jobs: int | None) -> tuple[BuildConfig, bool]:
    """The default build config (every RDF format and HTML), with ``jobs`` where kg has it."""
    if jobs is not None and "jobs" in {f.name for f in dataclasses.fields(BuildConfig)}:
        return BuildConfig(jobs=jobs), True  # type: ignore[call-arg]
    return BuildConfig(), False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="synthetic interviews (default 20)")
    ap.add_argument("--words", type=int, default=1500, help="words per synthetic interview (default 1500)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, help="build this folder instead of a synthetic corpus")
    ap.add_argument("--jobs", type=int, help="passed to BuildConfig.jobs when kg has that field")
    ap.add_argument("--repeats", type=int, default=2, help="alternating bare/kg rounds; the fastest counts (default 2)")
    ap.add_argument("--json", type=Path, help="write every figure here")
    ap.add_argument("--profile", type=Path, help="also profile one build with cProfile; write the stats here")
    args = ap.parse_args(argv)

    info = machine()
    config, jobs_applied = make_config(args.jobs)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        if args.corpus:
            corpus = args.corpus
        else:
            corpus = Path(tmp) / "corpus"
            generate(corpus, args.n, words=args.words, seed=args.seed)
        paths = [corpus]

        # Untimed: read once for the baseline's texts, load the models, warm up every stage.
        t = time.perf_counter()
        interviews = read_corpus(paths, config)
        extractor = make_extractor(config.ner, model=config.model)
        batch_size = int(getattr(extractor, "batch_size", 32))
        texts: dict[str, list[str]] = {}
        for iv in interviews:
            lang = iv.language or "fr"
            texts.setdefault(lang, []).extend(tr.text for tr in iv.turns if tr.end > tr.start)
        models = {lang: config.model or default_model(lang) for lang in sorted(texts)}
        pipelines = {lang: load_pipeline(name) for lang, name in models.items()}
        for lang, nlp in pipelines.items():
            deque(nlp.pipe(texts[lang][:batch_size], batch_size=batch_size), maxlen=0)
        warm = [next(Path(iv.source_path) for iv in interviews if (iv.language or "fr") == lang) for lang in texts]
        write_outputs(build(warm, config), Path(tmp) / "warmup", config)
        warmup_s = time.perf_counter() - t
        rss_warm = peak_rss_mib()

        runs = []
        for i in range(args.repeats):
            bare = bare_run(texts, pipelines, batch_size)
            stages = kg_run(paths, config, Path(tmp) / "out")
            runs.append({"bare nlp.pipe": bare, "kg": stages})
        if args.profile:
            prof = profile(paths, config, Path(tmp) / "profiled", args.profile)
        out = Path(tmp) / "out"
        output_bytes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}

    order = list(runs[0]["kg"])
    best = {s: min(r["kg"][s] for r in runs) for s in order}
    best["bare nlp.pipe"] = min(r["bare nlp.pipe"] for r in runs)
    words = sum(len(x.split()) for batch in texts.values() for x in batch)
    formats: dict[str, int] = {}
    for iv in interviews:
        formats[iv.source_format] = formats.get(iv.source_format, 0) + 1
    info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result: dict[str, Any] = {
        "machine": info,
        "corpus": {"path": str(args.corpus) if args.corpus else f"synthetic --n {args.n} --words {args.words} --seed {args.seed}",
                   "interviews": len(interviews), "words": words, "turns": sum(len(b) for b in texts.values()),
                   "characters": sum(len(x) for b in texts.values() for x in b), "formats": dict(sorted(formats.items())),
                   "languages": {k: sum(1 for iv in interviews if (iv.language or "fr") == k) for k in sorted(texts)}},
        "config": {"jobs": args.jobs, "jobs_applied": jobs_applied, "formats": list(config.formats), "html": config.html,
                   "batch_size": batch_size, "models": models,
                   "model_versions": {k: f"{p.meta.get('name')} {p.meta.get('version')}" for k, p in pipelines.items()}},
        "warmup_s": round(warmup_s, 3),
        "stage_order": order,
        "runs": [{"bare nlp.pipe": round(r["bare nlp.pipe"], 4), "kg": {k: round(v, 4) for k, v in r["kg"].items()}}
                 for r in runs],
        "best": {k: round(v, 4) for k, v in best.items()},
        "ratios": {"extraction_vs_bare": round(best["extraction"] / best["bare nlp.pipe"], 3),
                   "full_build_vs_bare": round(best["full build"] / best["bare nlp.pipe"], 3),
                   "build_without_outputs_vs_bare": round(best["build"] / best["bare nlp.pipe"], 3)},
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
