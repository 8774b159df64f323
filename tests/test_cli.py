"""The ``kg`` command line, driven as a user would: bad input, help, and one real build."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import cli, main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "entretien-atelier.md"
GOLD = ROOT / "samples" / "entretien-atelier.gold.json"
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


# --- bad input: each fails fast, before any model loads -----------------------------------------------------------

@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text("  \n\n\t\n", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"abc\x00def\x00" * 100)
    folder = tmp_path / "no-transcripts"
    folder.mkdir()
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".hidden.txt").write_text("Alice: hidden", encoding="utf-8")
    curation = tmp_path / "curation.yaml"
    curation.write_text("ignore: [tool/x]\nretype:\n  org/ak: Robot\n", encoding="utf-8")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("ignore: [tool/x\n", encoding="utf-8")
    return {"empty": empty, "blank": blank, "binary": binary, "nul": nul, "folder": folder,
            "curation": curation, "bad_yaml": bad_yaml, "missing": tmp_path / "missing.txt"}


@pytest.mark.parametrize("case, args, words", [
    ("empty file", ["{empty}"], ["empty.txt", "empty"]),
    ("blank file", ["{blank}"], ["blank.md", "empty"]),
    ("binary file", ["{binary}"], ["photo.txt", "binary"]),
    ("file with NUL bytes", ["{nul}"], ["nul.txt", "binary"]),
    ("missing path", ["{missing}"], ["missing.txt", "no such file"]),
    ("folder without transcripts", ["{folder}"], ["no-transcripts", "no transcripts"]),
    ("unknown --format", [SAMPLE, "--format", "pdfx"], ["pdfx", "format"]),
    ("unknown --lang", [SAMPLE, "--lang", "de"], ["'de'", "--lang"]),
    ("unknown --model", [SAMPLE, "--model", "xx_no_such_model"], ["xx_no_such_model"]),
    ("unknown --ner backend", [SAMPLE, "--ner", "nobackend"], ["nobackend"]),
    ("malformed curation", [SAMPLE, "--curation", "{curation}"], ["curation.yaml", "line 3", "Robot"]),
    ("curation not YAML", [SAMPLE, "--curation", "{bad_yaml}"], ["bad.yaml", "line", "YAML"]),
    ("missing curation", [SAMPLE, "--curation", "{missing}"], ["missing.txt", "not found"]),
])
def test_bad_input_exits_2_with_one_line(tmp_path, bad_inputs, case, args, words):
    out = tmp_path / "out"
    argv = [str(a).format(**bad_inputs) for a in args]
    result = kg("build", *argv, "--out", out, timeout=60)
    assert_one_line_error(result, *words)
    assert result.stdout == ""
    assert_nothing_written(out)


def test_bad_input_leaves_existing_outputs_alone(tmp_path, bad_inputs):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# earlier build\n", encoding="utf-8")
    result = kg("build", bad_inputs["empty"], "--out", out)
    assert_one_line_error(result)
    assert [p.name for p in out.iterdir()] == ["graph.ttl"]
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "# earlier build\n"


@pytest.mark.parametrize("args", [
    ["entities", "{missing}"],
    ["evaluate", "{missing}", GOLD],
    ["build"],                                    # INPUTS is required
    ["nosuchcommand"],
])
def test_other_commands_fail_in_one_line(bad_inputs, args):
    result = kg(*[str(a).format(**bad_inputs) for a in args])
    assert_one_line_error(result)


def test_strict_stops_at_bad_file_before_any_model(tmp_path, bad_inputs):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-good.md").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "b-empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = kg("build", corpus, "--out", out, "--strict")
    assert_one_line_error(result, "b-empty.txt", "empty")
    assert_nothing_written(out)


# --- help ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [None, *sorted(cli.commands)])
def test_help_exits_0(command):
    result = kg(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: ")
    assert result.stderr == ""
    if command is None:
        for name in cli.commands:
            assert name in result.stdout
    else:
        assert f"kg {command}" in result.stdout


def test_version():
    result = kg("--version")
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
    (corpus / "c.txt").write_bytes(b"")
    out = tmp_path / "out"
    main(["build", str(corpus), "--out", str(out), "--no-html", "--lang", "fr"])
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if "skipped" in line]
    assert len(skipped) == 2
    assert any("b.txt" in line and "binary" in line for line in skipped)
    assert any("c.txt" in line and "empty" in line for line in skipped)
    assert "interviews  1" in captured.out
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


# --- one real build through a subprocess, shared by the read-only commands ------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("cli-build") / "sample"
    result = kg("build", SAMPLE, "--out", out, timeout=300)
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.mark.slow
def test_build_summary(built):
    out, result = built
    lines = result.stdout.splitlines()
    assert "Traceback" not in result.stderr
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

    out, _ = built
    for name in OUTPUTS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    g = Graph()
    g.parse(out / "graph.ttl")
    assert len(g) > 100
    json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    assert "<html" in (out / "graph.html").read_text(encoding="utf-8").lower()


def _entities(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = kg("entities", out, *args)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_entities_table(built):
    out, _ = built
    lines = _entities(out).stdout.splitlines()
    rows = [line for line in lines if not line.startswith(" ")]
    ids = [r.split()[0] for r in rows]
    assert "person/daniel-shiffman" in ids and "tool/touchdesigner" in ids and "place/lyon" in ids
    shiffman = next(r for r in rows if r.startswith("person/daniel-shiffman"))
    assert "Daniel Shiffman" in shiffman and "Person" in shiffman and "also: Shiffman" in shiffman


@pytest.mark.slow
def test_entities_csv_and_json_agree(built):
    out, _ = built
    rows = list(csv.DictReader(io.StringIO(_entities(out, "--format", "csv").stdout)))
    data = json.loads(_entities(out, "--format", "json").stdout)
    assert [r["id"] for r in rows] == [d["id"] for d in data]
    assert set(rows[0]) == {"id", "type", "label", "aliases", "mentions", "interviews", "example"}
    by_id = {d["id"]: d for d in data}
    assert by_id["tool/p5js"]["type"] == "Tool" and by_id["tool/p5js"]["label"] == "p5.js"
    assert all(d["interviews"] == 1 for d in data if d["mentions"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(data) == summary["entity_count"]


@pytest.mark.slow
def test_entities_type_filter(built):
    out, _ = built
    data = json.loads(_entities(out, "--type", "Tool", "--format", "json").stdout)
    assert data and all(d["type"] == "Tool" for d in data)
    assert {"tool/touchdesigner", "tool/processing", "tool/pytorch"} <= {d["id"] for d in data}
    lower = json.loads(_entities(out, "--type", "tool", "--format", "json").stdout)
    assert lower == data
    limited = json.loads(_entities(out, "--type", "Tool", "--format", "json", "--limit", "3").stdout)
    assert limited == data[:3]
    rows = list(csv.DictReader(io.StringIO(_entities(out, "--type", "Tool", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == [d["id"] for d in data]


@pytest.mark.slow
def test_evaluate(built):
    out, _ = built
    result = kg("evaluate", out, GOLD)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for kind in ("Person", "Organisation", "Tool", "Work", "Place"):
        line = next(line for line in lines if line.startswith(kind))
        assert " P=" in line and " R=" in line and " F1=" in line and "(gold " in line
    assert any(line.startswith("concepts      core recall=") for line in lines)
    last = lines[-1]
    assert last.startswith("named entities P=")
    f1 = float(last.rsplit("F1=", 1)[1])
    assert 0.85 <= f1 <= 1.0
    as_json = json.loads(kg("evaluate", out / "graph.ttl", GOLD, "--json").stdout)
    assert f"{as_json['named_entities']['f1']:.3f}" == last.rsplit("F1=", 1)[1]
