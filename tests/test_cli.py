"""The ``kg`` command line, driven as a user would: bad input, help, and one real build."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from helpers import GOLD, ROOT, SAMPLE

from kg.cli import cli, main

OUTPUTS = ("graph.ttl", "graph.jsonld", "graph.nt", "graph.html", "summary.json")


def kg(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: "), lines[0]
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())


# --- bad input: each fails before any model loads; the processes run side by side ----------------------------------

BAD_CASES: dict[str, tuple[list[Any], list[str]]] = {
    # case: (argv after "kg build", words the one error line must contain)
    "empty file": (["{empty}"], ["empty.txt", "is empty"]),
    "binary file": (["{binary}"], ["photo.txt", "binary"]),
    "missing path": (["{missing}"], ["missing.txt", "no such file"]),
    "folder without transcripts": (["{folder}"], ["no-transcripts", "no transcripts"]),
    "unknown --format": ([SAMPLE, "--format", "pdfx"], ["'pdfx'", "--format"]),
    "unknown --lang": ([SAMPLE, "--lang", "de"], ["'de'", "--lang"]),
    "unknown --model": ([SAMPLE, "--model", "xx_no_such_model"], ["xx_no_such_model", "not installed"]),
    "malformed curation": ([SAMPLE, "--curation", "{curation}"], ["curation.yaml", "line 3", "'Robot'"]),
    "curation not YAML": ([SAMPLE, "--curation", "{bad_yaml}"], ["bad.yaml", "line 2", "not valid YAML"]),
    "missing curation": ([SAMPLE, "--curation", "{missing}"], ["missing.txt", "not found"]),
    "unknown --formats": ([SAMPLE, "--formats", "ttl,rdfxml"], ["'rdfxml'", "--formats", "nq"]),
    "empty --formats": ([SAMPLE, "--formats", " , "], ["--formats", "ttl"]),
}
OTHER_CASES: dict[str, tuple[list[Any], list[str]]] = {
    "entities of a missing folder": (["entities", "{missing}"], ["missing.txt", "kg build"]),
    "evaluate a missing graph": (["evaluate", "{missing}", GOLD], ["missing.txt"]),
    "build without INPUTS": (["build"], ["INPUTS"]),
    "unknown command": (["nosuchcommand"], ["nosuchcommand"]),
    "cache info of a missing folder": (["cache", "info", "{missing}"], ["missing.txt", "--out"]),
    "cache prune with negative days": (["cache", "prune", "{folder}", "--unused-days", "-1"], ["--unused-days"]),
}
HELP_CASES = [None, *sorted(cli.commands)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess[str], Path]]:
    """Every bad-input and --help command, run in parallel once for the module: case -> (result, --out folder)."""
    tmp = tmp_path_factory.mktemp("cli-bad")
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    folder = tmp / "no-transcripts"
    folder.mkdir()
    (folder / "notes.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a transcript (a PDF is one, #22)
    (folder / ".hidden.txt").write_text("Alice: hidden", encoding="utf-8")
    (tmp / "curation.yaml").write_text("ignore: [tool/x]\nretype:\n  org/ak: Robot\n", encoding="utf-8")
    (tmp / "bad.yaml").write_text("ignore: [tool/x\n", encoding="utf-8")
    names = {"empty": tmp / "empty.txt", "binary": tmp / "photo.txt", "folder": folder, "missing": tmp / "missing.txt",
             "curation": tmp / "curation.yaml", "bad_yaml": tmp / "bad.yaml"}
    kept = tmp / "kept"
    kept.mkdir()
    (kept / "graph.ttl").write_text("# earlier build\n", encoding="utf-8")

    jobs: dict[str, tuple[list[str], Path]] = {}
    for case, (argv, _) in BAD_CASES.items():
        out = tmp / ("out-" + case.replace(" ", "-").replace("--", ""))
        jobs[case] = (["build", *[str(a).format(**names) for a in argv], "--out", str(out)], out)
    for case, (argv, _) in OTHER_CASES.items():
        jobs[case] = ([str(a).format(**names) for a in argv], tmp / "unused")
    for command in HELP_CASES:
        jobs[f"help {command}"] = ([*([command] if command else []), "--help"], tmp / "unused")
    jobs["version"] = (["--version"], tmp / "unused")
    jobs["existing outputs"] = (["build", str(SAMPLE), "--lang", "xx", "--out", str(kept)], kept)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {case: pool.submit(kg, *argv, timeout=120) for case, (argv, _) in jobs.items()}
        return {case: (futures[case].result(), jobs[case][1]) for case in jobs}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_exits_2_with_one_line(runs, case):
    result, out = runs[case]
    assert_one_line_error(result, *BAD_CASES[case][1])
    assert result.stdout == ""
    assert_nothing_written(out)


@pytest.mark.parametrize("case", list(OTHER_CASES))
def test_other_commands_fail_in_one_line(runs, case):
    result, _ = runs[case]
    assert_one_line_error(result, *OTHER_CASES[case][1])


def test_bad_input_leaves_existing_outputs_alone(runs):
    result, out = runs["existing outputs"]
    assert_one_line_error(result, "'xx'")
    assert [p.name for p in out.iterdir()] == ["graph.ttl"]
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "# earlier build\n"


# --- help ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", HELP_CASES)
def test_help_exits_0(runs, command):
    result, _ = runs[f"help {command}"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: ")
    assert result.stderr == ""
    if command is None:
        for name in cli.commands:
            assert name in result.stdout
    else:
        assert f"kg {command}" in result.stdout


def test_version(runs):
    result, _ = runs["version"]
    assert result.returncode == 0 and result.stdout.startswith("kg, version ")


# --- warnings and skipped files (in process: the spaCy model is loaded once per session) --------------------------

@pytest.mark.slow
def test_transcript_without_turns_builds_with_warning(tmp_path, capsys):
    text = tmp_path / "monologue.txt"
    text.write_text("Ceci est un texte continu, sans tour de parole, où Marie Curie parle de Paris.\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    main(["build", str(text), "--out", str(out), "--no-html"])
    captured = capsys.readouterr()
    assert "no speaker turns recognised" in captured.err
    assert "warning:" in captured.err
    assert "interviews  1" in captured.out and "turns       1" in captured.out
    assert (out / "graph.ttl").is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interviews"][0]["turns"] == 1
    assert summary["interviews"][0]["speakers"] == []


@pytest.mark.slow
def test_bad_file_in_folder_is_skipped(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("**Alice:** J'utilise Processing à Lyon.\n\n**Bob:** Et TouchDesigner ?\n",
                                 encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (corpus / "c.md").write_text("**Carla:** Moi je travaille avec Wekinator.\n", encoding="utf-8")
    out = tmp_path / "out"
    main(["build", str(corpus), "--out", str(out), "--no-html", "--lang", "fr"])
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if "skipped" in line]
    assert len(skipped) == 1
    assert skipped[0].startswith("warning: skipped: ") and "b.txt" in skipped[0] and "binary" in skipped[0]
    assert "interviews  2" in captured.out
    assert "kg: error" not in captured.err
    assert (out / "graph.ttl").is_file()
    with pytest.raises(SystemExit) as info:
        main(["build", str(corpus), "--out", str(tmp_path / "strict"), "--strict", "--lang", "fr"])
    assert info.value.code == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("warning: ")]
    assert len(err) == 1 and err[0].startswith("kg: error: ") and "b.txt" in err[0]
    assert not (tmp_path / "strict").exists()


@pytest.mark.slow
def test_quiet_build_prints_no_warnings(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("**Alice:** J'utilise Processing.\n", encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"")
    main(["build", str(corpus), "--out", str(tmp_path / "out"), "--no-html", "-q", "--lang", "fr"])
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "interviews  1" in captured.out


# --- one real build, shared by the read-only commands ------------------------------------------------------------
# In process through kg.cli.main, so the spaCy model the session already loaded is reused; the read-only commands
# on the result run once each in a subprocess, the variants in process.

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, str]:
    """(out folder, stdout, stderr) of ``kg build samples/entretien-atelier.md --out DIR``."""
    out = tmp_path_factory.mktemp("cli-build") / "sample"
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        main(["build", str(SAMPLE), "--out", str(out), "--formats", "all"])
    return out, stdout.getvalue(), stderr.getvalue()


def run_main(capsys, *args: str | Path) -> str:
    main([str(a) for a in args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.out


@pytest.mark.slow
def test_build_summary(built):
    out, stdout, stderr = built
    lines = stdout.splitlines()
    assert "Traceback" not in stderr and "error" not in stderr
    assert lines[0] == "interviews  1 (plain: 1)"
    assert lines[1] == "turns       24"
    assert lines[2].startswith("  entretien-atelier: 24 turns, fr, speakers: ")
    assert "Inès Marchand" in lines[2] and "Thomas Régnier" in lines[2]
    entities = next(line for line in lines if line.startswith("entities    "))
    total = int(entities.split()[1])
    counts = dict(part.split(": ") for part in entities.split("(", 1)[1].rstrip(")").split(", "))
    assert sum(int(v) for v in counts.values()) == total
    assert {"Person", "Organisation", "Tool", "Place", "Work", "Concept"} <= set(counts)
    wrote = [line.split(None, 1)[1] for line in lines if line.startswith("wrote       ")]
    assert {Path(w).name for w in wrote} >= set(OUTPUTS)
    assert all(Path(w).parent == out for w in wrote)
    assert lines[-1].startswith("time        ") and lines[-1].endswith(" s")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["entity_count"] == total


@pytest.mark.slow
def test_build_outputs(built):
    from rdflib import Graph

    out, _, _ = built
    for name in OUTPUTS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    g = Graph()
    g.parse(out / "graph.ttl")
    assert len(g) > 100
    json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    assert "<html" in (out / "graph.html").read_text(encoding="utf-8").lower()


@pytest.mark.slow
def test_entities_table(built):
    out, _, _ = built
    result = kg("entities", out)
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    ids = [r.split()[0] for r in rows]
    assert {"person/daniel-shiffman", "tool/touchdesigner", "place/lyon", "person/ines-marchand"} <= set(ids)
    shiffman = next(r for r in rows if r.startswith("person/daniel-shiffman"))
    assert "Daniel Shiffman" in shiffman and "Person" in shiffman and "also: Shiffman" in shiffman
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(rows) == summary["entity_count"]


@pytest.mark.slow
def test_entities_csv_and_json_agree(built, capsys):
    out, _, _ = built
    rows = list(csv.DictReader(io.StringIO(run_main(capsys, "entities", out, "--format", "csv"))))
    data = json.loads(run_main(capsys, "entities", out, "--format", "json"))
    assert [r["id"] for r in rows] == [d["id"] for d in data]
    assert list(rows[0]) == ["id", "type", "label", "aliases", "mentions", "interviews", "example"]
    by_id = {d["id"]: d for d in data}
    assert (by_id["tool/p5js"]["type"], by_id["tool/p5js"]["label"], by_id["tool/p5js"]["aliases"]) == \
        ("Tool", "p5.js", ["p5"])
    assert all(d["interviews"] == 1 for d in data if d["mentions"])
    assert len(data) == json.loads((out / "summary.json").read_text(encoding="utf-8"))["entity_count"]
    assert run_main(capsys, "entities", out / "graph.ttl", "--format", "json") == json.dumps(data, indent=2,
                                                                                           ensure_ascii=False) + "\n"


@pytest.mark.slow
def test_entities_type_filter(built, capsys):
    out, _, _ = built
    data = json.loads(run_main(capsys, "entities", out, "--type", "Tool", "--format", "json"))
    assert data and all(d["type"] == "Tool" for d in data)
    assert {"tool/touchdesigner", "tool/processing", "tool/pytorch"} <= {d["id"] for d in data}
    assert json.loads(run_main(capsys, "entities", out, "--type", "tool", "--format", "json")) == data
    assert json.loads(run_main(capsys, "entities", out, "--type", "Tool", "--format", "json", "--limit", "3")) \
        == data[:3]
    table = run_main(capsys, "entities", out, "--type", "Tool")
    assert [line.split()[0] for line in table.splitlines() if not line.startswith(" ")] == [d["id"] for d in data]
    assert run_main(capsys, "entities", out, "--type", "Spaceship") == ""


@pytest.mark.slow
def test_evaluate(built, capsys):
    out, _, _ = built
    result = kg("evaluate", out, GOLD)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for kind in ("Person", "Organisation", "Tool", "Work", "Place"):
        line = next(line for line in lines if line.startswith(kind))
        assert " P=" in line and " R=" in line and " F1=" in line and "(gold " in line
    assert any(line.startswith("concepts      core recall=") for line in lines)
    assert [line.split(":")[0] for line in lines[-4:-1]] == ["missed", "false positives", "duplicates"]
    last = lines[-1]
    assert last.startswith("named entities P=")
    f1 = float(last.rsplit("F1=", 1)[1])
    assert 0.85 <= f1 <= 1.0
    as_json = json.loads(run_main(capsys, "evaluate", out / "graph.ttl", GOLD, "--json"))
    assert f"{as_json['named_entities']['f1']:.3f}" == last.rsplit("F1=", 1)[1]


@pytest.mark.slow
def test_formats_writes_those_only_and_removes_the_earlier_builds_others(built, tmp_path, capsys):
    import shutil

    out = tmp_path / "sample"
    shutil.copytree(built[0], out)  # an earlier full build, its extraction cache included
    before = json.loads(run_main(capsys, "entities", out, "--format", "json"))
    scores = json.loads(run_main(capsys, "evaluate", out, GOLD, "--json"))

    main(["build", str(SAMPLE), "--out", str(out), "--formats", "nq, TTL"])
    captured = capsys.readouterr()
    rdf = sorted(p.name for p in out.glob("graph.*") if p.suffix != ".html")
    assert rdf == ["graph.nq", "graph.ttl"]
    for name in ("graph.jsonld", "graph.nt", "graph.trig"):
        assert f"removed {out / name}" in captured.err
    wrote = {Path(line.split(None, 1)[1]).name for line in captured.out.splitlines() if line.startswith("wrote ")}
    assert wrote == {"graph.nq", "graph.ttl", "graph.html", "summary.json"}

    main(["build", str(SAMPLE), "--out", str(out), "--formats", "nq"])
    capsys.readouterr()
    assert sorted(p.name for p in out.glob("graph.*")) == ["graph.html", "graph.nq"]
    # the read-only commands find the one graph there is, its named graphs merged
    assert json.loads(run_main(capsys, "entities", out, "--format", "json")) == before
    assert json.loads(run_main(capsys, "evaluate", out, GOLD, "--json")) == scores
    page = (out / "graph.html").read_bytes()
    run_main(capsys, "html", out)  # the page drawn again from graph.nq is the one the build drew
    assert (out / "graph.html").read_bytes() == page
