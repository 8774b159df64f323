"""The transformers NER backend (#transformer-ner), on tiny BERT models built here: nothing is downloaded.

`tiny_hf.build_tiny_ner` writes a real 2-layer `BertForTokenClassification`
whose weights give each vocabulary word a fixed tag, so the tests know what
the model must find; one test uses random weights.  Tests needing torch and
transformers skip where ``kg[transformers]`` is not installed.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from helpers import one_line_error
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from kg.cli import main
from kg.errors import KgError, ModelNotInstalled, UnknownNameError
from kg.extract import gliner_ner, hf_ner, make_extractor

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hf_ner" / "atelier-long-fr.md"
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
KGI = Namespace("https://w3id.org/kg-interviews/ns#")
TEXT = "Bonjour, je suis Marie Dupont, je travaille à Lyon au studio Sillage depuis lundi avec Runway et le KABK."


# --- pure helpers: label schemes, label maps, windows (no torch) ---------------------------------------------------

def test_doctests_of_the_backends_pass() -> None:
    for module in (hf_ner, gliner_ner):
        assert doctest.testmod(module).failed == 0, module.__name__


def _words(*tags: str) -> list[tuple[int, int, str, float]]:
    return [(2 * i, 2 * i + 1, tag, 1.0) for i, tag in enumerate(tags)]


@pytest.mark.parametrize("tags, expected", [
    (("B-PER", "I-PER", "O", "B-LOC"), [(0, 3, "PER"), (6, 7, "LOC")]),  # IOB2
    (("I-PER", "I-PER", "O", "I-LOC"), [(0, 3, "PER"), (6, 7, "LOC")]),  # IOB1: I after O starts an entity
    (("PER", "PER", "O", "ORG"), [(0, 3, "PER"), (6, 7, "ORG")]),  # plain IO labels
    (("B-PER", "E-PER", "S-ORG", "S-ORG"), [(0, 3, "PER"), (4, 5, "ORG"), (6, 7, "ORG")]),  # BIOES
    (("B-PER", "L-PER", "U-LOC", "O"), [(0, 3, "PER"), (4, 5, "LOC")]),  # BILOU
    (("B-PER", "I-ORG", "I-ORG", "O"), [(0, 1, "PER"), (2, 5, "ORG")]),  # a type change splits
    (("B-PER", "B-PER", "O", "O"), [(0, 1, "PER"), (2, 3, "PER")]),  # B- starts a new entity
])
def test_tag_schemes_decode_to_entities(tags: tuple[str, ...], expected: list[tuple[int, int, str]]) -> None:
    assert [(s, e, t) for s, e, t, _ in hf_ner.decode(_words(*tags))] == expected


@pytest.mark.parametrize("model_label, overrides, expected", [
    ("PER", None, "PER"), ("PERSON", None, "PER"), ("ORGANIZATION", None, "ORG"), ("LOCATION", None, "LOC"),
    ("GPE", None, "GPE"), ("MISC", None, "MISC"), ("PRODUCT", None, "PRODUCT"), ("DATE", None, None),
    ("STUDIO", None, None), ("STUDIO", {"STUDIO": "Organisation"}, "ORG"), ("studio", {"Studio": "LOC"}, "LOC"),
    ("MISC", {"MISC": None}, None), ("WORK", {"work": "Tool"}, "PRODUCT"),
])
def test_label_map_defaults_and_overrides(model_label: str, overrides: dict[str, str | None] | None,
                                          expected: str | None) -> None:
    assert hf_ner.make_label_map(overrides).get(model_label.upper()) == expected


def test_label_map_rejects_an_unknown_type() -> None:
    with pytest.raises(UnknownNameError, match="Robot"):
        hf_ner.make_label_map({"ARTIST": "Robot"})
    with pytest.raises(UnknownNameError, match="LABEL=TYPE"):
        hf_ner.parse_label_map("ARTIST")


def test_an_entity_split_over_two_windows_is_decoded_once() -> None:
    a = [((0, 5, 0), [0.0, 1.0, 0.0]), ((6, 12, 1), [0.0, 0.0, 1.0])]  # "Marie Dupont", window 1 ends mid-name
    b = [((6, 12, 1), [0.0, 0.0, 1.0]), ((13, 15, 2), [1.0, 0.0, 0.0])]
    words = [(s, e, ["O", "B-PER", "I-PER"][i], p)
             for s, e, i, p in hf_ner.aggregate_words(hf_ner.merge_windows([a, b]))]
    assert hf_ner.decode(words) == [(0, 12, "PER", 1.0)]


# --- a tiny model built here ----------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from tiny_hf import build_tiny_ner

    return build_tiny_ner(tmp_path_factory.mktemp("models") / "tiny-ner")


@pytest.fixture(scope="session")
def tiny_long(tiny: Path) -> Path:
    """The same rules with 1,024 positions: the whole fixture turn fits one window."""
    from tiny_hf import build_tiny_ner

    return build_tiny_ner(tiny.parent / "tiny-ner-1024", max_positions=1024)


def _found(entities: list[hf_ner.CharEntity], text: str) -> list[tuple[str, str]]:
    return [(text[e.start:e.end], e.label) for e in entities]


def test_entities_have_exact_offsets_and_mapped_labels(tiny: Path) -> None:
    ner = hf_ner.TransformersNer(str(tiny), device="cpu")
    found = ner.entities([TEXT, "", "   "])
    assert _found(found[0], TEXT) == [("Marie Dupont", "PER"), ("Lyon", "LOC"), ("Runway", "MISC"), ("KABK", "ORG")]
    assert found[1:] == [[], []]
    assert [e.model_label for e in found[0]] == ["PER", "LOC", "MISC", "ORG"]  # STUDIO and DATE are not mapped
    mapped = hf_ner.TransformersNer(str(tiny), device="cpu", label_map={"STUDIO": "Organisation"})
    assert ("Sillage", "ORG") in _found(mapped.entities([TEXT])[0], TEXT)


@pytest.mark.parametrize("text", [
    "l’atelier de Marie Dupont 🎨 à Lyon\u00a0!",
    "MARIE DUPONT,\n\n  Lyon…",
    "Éé Marie\tDupont (Lyon)",
])
def test_offsets_survive_normalisation_and_odd_characters(tiny: Path, text: str) -> None:
    ner = hf_ner.TransformersNer(str(tiny), device="cpu")
    assert [(text[e.start:e.end].split(), e.label) for e in ner.entities([text])[0]] == [
        (["Marie", "Dupont"] if "Marie" in text else ["MARIE", "DUPONT"], "PER"), (["Lyon"], "LOC")]


def test_random_weights_still_give_offsets_inside_the_text(tmp_path: Path, tiny: Path) -> None:
    from tiny_hf import build_tiny_ner

    ner = hf_ner.TransformersNer(str(build_tiny_ner(tmp_path / "random", rules={})), device="cpu")
    text = FIXTURE.read_text(encoding="utf-8")
    for e in ner.entities([text])[0]:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start:e.end] == text[e.start:e.end].strip()


def test_a_turn_longer_than_the_model_is_windowed_without_loss(tiny: Path, tiny_long: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").split("**Inès:**")[1].split("**Thomas:**")[0].strip()
    small = hf_ner.TransformersNer(str(tiny), device="cpu")
    assert (small.load().prefix, small.load().suffix) == ((2,), (3,))  # [CLS] and [SEP] in tiny_hf's vocabulary
    tokens = len(small.load().tokenizer(text)["input_ids"])
    assert tokens > 10 * small.load().max_length
    whole = hf_ner.TransformersNer(str(tiny_long), device="cpu").entities([text])[0]
    assert tokens < hf_ner.TransformersNer(str(tiny_long), device="cpu").load().max_length
    assert _found(whole, text).count(("Marie Dupont", "PER")) == 3
    for stride in (None, 0, 3):
        windowed = hf_ner.TransformersNer(str(tiny), device="cpu", stride=stride, batch_size=7).entities([text])[0]
        assert [(e.start, e.end, e.label) for e in windowed] == [(e.start, e.end, e.label) for e in whole], stride


def test_a_name_across_a_window_boundary_comes_out_whole(tiny: Path) -> None:
    ner = hf_ner.TransformersNer(str(tiny), device="cpu", stride=0)
    content = ner.load().max_length - ner.load().specials
    text = "a " * (content - 1) + "Marie Dupont vient."  # "Marie" ends window 1, "Dupont" starts window 2
    assert _found(ner.entities([text])[0], text) == [("Marie Dupont", "PER")]


def test_label_map_in_the_ner_spec(tiny: Path) -> None:
    extractor = make_extractor(f"transformers:{tiny}#STUDIO=Organisation,DATE=", device="cpu")
    assert extractor.hf.label_map["STUDIO"] == "ORG" and extractor.hf.label_map["DATE"] is None  # type: ignore[attr-defined]
    assert extractor.name_for("fr") == "transformers:tiny-ner"


def test_device_auto_picks_what_torch_sees(tiny: Path) -> None:
    import torch

    assert hf_ner.resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    assert hf_ner.resolve_device(None) == hf_ner.resolve_device("auto")
    with pytest.raises(UnknownNameError, match="cuda:N"):
        hf_ner.resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(KgError, match="no CUDA device"):
            hf_ner.resolve_device("cuda:0")


def _mentions(graph: Graph) -> list[tuple[str, int, int, str, str]]:
    out = []
    for m in graph.subjects(RDF.type, KGI.Mention):
        context = graph.value(m, NIF.referenceContext)
        out.append((str(graph.value(context, NIF.isString)), int(str(graph.value(m, NIF.beginIndex))),
                    int(str(graph.value(m, NIF.endIndex))), str(graph.value(m, NIF.anchorOf)),
                    str(graph.value(m, KGI.extractor))))
    return out


@pytest.mark.parametrize("backend", ["spacy", "transformers"])
def test_kg_build_with_either_backend_validates_and_keeps_offsets(backend: str, tiny: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    ner = ["--ner", "spacy"] if backend == "spacy" else ["--ner", f"transformers:{tiny}", "--device", "cpu",
                                                          "--batch-size", "8"]
    main(["build", str(FIXTURE), "--out", str(out), "-q", *ner])
    report = capsys.readouterr().out
    main(["validate", str(out)])  # exits 1 on a violation
    assert "valid" in capsys.readouterr().out
    graph = Graph().parse(out / "graph.ttl")
    source = FIXTURE.read_text(encoding="utf-8")
    mentions = _mentions(graph)
    assert mentions
    for context, start, end, anchor, _ in mentions:
        assert context[start:end] == anchor == source[start:end]
    models = {str(o) for o in graph.objects(None, KGI.model)}
    if backend == "transformers":
        ours = sorted((s, a) for _, s, _, a, x in mentions if x == "transformers:tiny-ner")
        assert [a for _, a in ours].count("Marie Dupont") >= 4  # across the windows of the long turn
        assert ("Lyon" in [a for _, a in ours]) and max(s for s, _ in ours) > 1000
        assert models == {"transformers:tiny-ner"}
        versions = {str(o) for o in graph.objects(None, KGI.modelVersion)}
        assert any(v.startswith("tiny-ner sha256:") and "spaCy" in v for v in versions), versions
        assert "ner         transformers:tiny-ner on cpu\n" in report, report
    else:
        assert models and all(m.startswith("spacy:") for m in models)
        assert "ner         spacy:fr_core_news_" in report and " on cpu\n" in report, report


# --- errors: one line, exit 2, naming what is available and how to install it ---------------------------------------



ERRORS = {
    "unknown backend": (["--ner", "flair:x"],
                        ["'flair'", "spacy, transformers, gliner", "pip install 'kg[transformers]'"]),
    "missing model": (["--ner", "transformers:/no/such/model"], ["/no/such/model", "hf download"]),
    "no model named": (["--ner", "transformers"], ["transformers:FOLDER_OR_HF_ID"]),
    "cuda on spacy": (["--ner", "spacy", "--device", "cuda"], ["--device cuda", "CPU"]),
    "bad device": (["--ner", "transformers:{tiny}", "--device", "tpu"], ["'tpu'", "cuda:N"]),
}


@pytest.mark.parametrize("case", ERRORS)
def test_bad_backend_options_fail_in_one_line(case: str, tiny: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    args, words = ERRORS[case]
    err = one_line_error(capsys, ["build", str(FIXTURE), "--out", str(tmp_path / "out"),
                                  *(a.format(tiny=tiny) for a in args)])
    assert all(w in err for w in words), err
    assert not (tmp_path / "out").exists()


def test_gliner_without_its_package_says_how_to_install_it(tiny: Path) -> None:
    try:
        import gliner  # noqa: F401
    except ImportError:
        with pytest.raises(ModelNotInstalled, match="pip install gliner"):
            make_extractor(f"gliner:{tiny}")
    else:
        pytest.skip("gliner is installed")


def test_missing_torch_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(ModelNotInstalled, match=r"pip install 'kg\[transformers\]'"):
        hf_ner.TransformersNer("anything")


# --- GPU: the same on CUDA, where there is one -----------------------------------------------------------------------

@pytest.mark.gpu
def test_cuda_gives_the_cpu_entities(tiny: Path) -> None:
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    text = FIXTURE.read_text(encoding="utf-8")
    on_gpu = hf_ner.TransformersNer(str(tiny), device="auto")
    assert on_gpu.device == "cuda"
    assert next(on_gpu.load().model.parameters()).device.type == "cuda"
    cpu = hf_ner.TransformersNer(str(tiny), device="cpu").entities([text])
    on_cpu = [(e.start, e.end, e.label) for e in cpu[0]]
    assert [(e.start, e.end, e.label) for e in on_gpu.entities([text])[0]] == on_cpu


@pytest.mark.gpu
def test_kg_build_on_device_auto_runs_on_cuda_and_gives_the_cpu_graph(tiny: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    common = [str(FIXTURE), "-q", "--no-html", "--no-cache", "--ner", f"transformers:{tiny}", "--batch-size", "8"]
    main(["build", *common, "--out", str(tmp_path / "cpu"), "--device", "cpu"])
    capsys.readouterr()
    main(["build", *common, "--out", str(tmp_path / "gpu"), "--device", "auto"])
    report = capsys.readouterr().out
    assert f"transformers:tiny-ner on cuda:0 ({torch.cuda.get_device_name(0)})" in report, report
    main(["validate", str(tmp_path / "gpu")])
    assert "valid" in capsys.readouterr().out
    # same entities, quotes and offsets whichever device ran the model: the Turtle is byte for byte the same
    assert (tmp_path / "gpu" / "graph.ttl").read_bytes() == (tmp_path / "cpu" / "graph.ttl").read_bytes()
    assert _mentions(Graph().parse(tmp_path / "gpu" / "graph.ttl"))


def test_benchmark_reports_ratios(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    script = Path(__file__).parent.parent / "benchmarks" / "ner_backends.py"
    spec = importlib.util.spec_from_file_location("kg_bench_ner", script)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.main(["--repeat", "1", "--runs", "1", "--hidden", "16", "--positions", "64"])
    assert {"spacy", "transformers/cpu", "ner-only/cpu"} <= set(result["seconds"])
    assert "transformers/cpu vs spacy" in result["ratios"] and "x" in capsys.readouterr().out
