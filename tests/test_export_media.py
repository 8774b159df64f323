"""Web annotations that say where each mention is heard (#22): the build's media fragments, exported.

One corpus is built once for the module: the WebVTT interview of
`test_media` with its generated WAV in a ``--media`` folder, and a plain
text interview without times beside it.  The exports are checked against
the RDF that build wrote, read here with rdflib's own lookups.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from helpers import one_line_error, snapshot
from rdflib import DCTERMS, RDF, Graph, Namespace, URIRef
from test_export import OA, offline_triples
from test_media import VTT, write_wav

from kg.rdf.vocab import KGI, NIF

NOTES = """Ana: Je travaille à Lyon avec Processing depuis longtemps.

Bob: Et Python aussi, à Paris ?
"""
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(out, recording): the timed and the untimed interview, built with ``media=(recordings,)``."""
    from kg.pipeline import BuildConfig, build_into

    root = tmp_path_factory.mktemp("timed-export")
    (root / "in").mkdir()
    (root / "in" / "entretien.vtt").write_text(VTT, encoding="utf-8")
    (root / "in" / "notes.txt").write_text(NOTES, encoding="utf-8")
    (root / "rec").mkdir()
    write_wav(root / "rec" / "entretien.wav")
    out = root / "out"
    build_into([root / "in"], out, BuildConfig(media=(str(root / "rec"),), formats=("ttl",)))
    return out, root / "rec" / "entretien.wav"


@pytest.fixture(scope="module")
def rdf_fragments(built: tuple[Path, Path]) -> dict[str, str | None]:
    """Each mention's IRI -> its quote's kgi:mediaFragment in the RDF the build wrote (None: the quote has none)."""
    g = Graph().parse(built[0] / "graph.ttl")
    found = {}
    for m in g.subjects(RDF.type, KGI.Mention):
        value = g.value(g.value(m, NIF.sentence), KGI.mediaFragment)
        found[str(m)] = str(value) if value is not None else None
    return found


def media_targets(document: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """Each annotation's mention IRI -> its recording target, None when it has only the text target."""
    found = {}
    for anno in document["first"]["items"]:
        targets = anno["target"] if isinstance(anno["target"], list) else [anno["target"]]
        assert targets[0]["selector"][0]["type"] == "TextQuoteSelector"
        assert len(targets) <= 2
        found[anno["id"].removesuffix("/annotation")] = targets[1] if len(targets) == 2 else None
    return found


def test_each_timed_mention_is_heard_at_its_quotes_fragment(built: tuple[Path, Path],
                                                           rdf_fragments: dict[str, str | None],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    out, wav = built
    main(["export", str(out), "--to", "webannotation"])
    path = out / "annotations.jsonld"
    assert str(path) in capsys.readouterr().out
    document = json.loads(path.read_text(encoding="utf-8"))
    targets = media_targets(document)
    assert set(targets) == set(rdf_fragments)
    timed = {m for m, f in rdf_fragments.items() if f is not None}
    assert timed and len(timed) < len(targets), "the fixture has mentions with and without times"
    for mention, fragment in rdf_fragments.items():
        target = targets[mention]
        if fragment is None:  # the untimed interview's mentions: the text target only, as before
            assert target is None and "/interview/notes/" in mention
            continue
        assert target is not None and target["type"] == "SpecificResource"
        selector = target["selector"]
        assert selector == {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS,
                            "value": fragment.split("#", 1)[1]}
        # the recording, reached from the annotation file's folder
        assert (path.parent / unquote(target["source"])).resolve() == wav.resolve()
    # JSON-LD read offline, the document's own location as its base: each fragment selects the WAV itself
    g = offline_triples(document, base=path.as_uri())
    oa = Namespace(OA)
    values = {}
    for selector in g.subjects(RDF.type, oa.FragmentSelector):
        assert (selector, DCTERMS.conformsTo, URIRef(MEDIA_FRAGMENTS)) in g
        (target,) = g.subjects(oa.hasSelector, selector)
        assert g.value(target, oa.hasSource) == URIRef(wav.resolve().as_uri())
        (anno,) = g.subjects(oa.hasTarget, target)
        values[str(anno).removesuffix("/annotation")] = str(g.value(selector, RDF.value))
    assert values == {m: rdf_fragments[m].split("#", 1)[1] for m in timed}  # type: ignore[union-attr]


def test_annotations_written_elsewhere_still_reach_the_recording(built: tuple[Path, Path], tmp_path: Path,
                                                                 rdf_fragments: dict[str, str | None]) -> None:
    from kg.export import export

    out, wav = built
    (path,) = export(out, "webannotation", out=tmp_path / "published" / "anno" / "mentions.jsonld")
    targets = media_targets(json.loads(path.read_text(encoding="utf-8")))
    sources = {t["source"] for t in targets.values() if t is not None}
    (source,) = sources
    assert not source.startswith(("/", "file:")) and (path.parent / unquote(source)).resolve() == wav.resolve()
    assert {m: t["selector"]["value"] for m, t in targets.items() if t is not None} == {
        m: f.split("#", 1)[1] for m, f in rdf_fragments.items() if f is not None}


def test_a_media_base_names_the_published_recording(built: tuple[Path, Path], tmp_path: Path) -> None:
    from kg.cli import main

    out, _ = built
    main(["export", str(out), "--to", "webannotation", "--out", str(tmp_path / "a.jsonld"),
          "--media-base", "https://example.org/audio/", "--source-base", "https://example.org/text/"])
    document = json.loads((tmp_path / "a.jsonld").read_text(encoding="utf-8"))
    targets = [t for t in media_targets(document).values() if t is not None]
    assert targets and {t["source"] for t in targets} == {"https://example.org/audio/entretien.wav"}
    g = offline_triples(document)
    assert URIRef("https://example.org/audio/entretien.wav") in set(g.objects(None, URIRef(OA + "hasSource")))


def test_a_malformed_fragment_is_one_line_and_writes_nothing(built: tuple[Path, Path], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = built
    folder = tmp_path / "edited"
    folder.mkdir()
    shutil.copy(out / "graph.ttl", folder / "graph.ttl")
    ttl = (folder / "graph.ttl").read_text(encoding="utf-8")
    assert "entretien.wav#t=4,8" in ttl
    (folder / "graph.ttl").write_text(ttl.replace("entretien.wav#t=4,8", "entretien.wav#xywh=0,0,4,8"), "utf-8")
    before = snapshot(folder)
    err = one_line_error(capsys, ["export", str(folder), "--to", "webannotation"])
    assert "#xywh=0,0,4,8" in err and "Media Fragment" in err and "kg build" in err
    assert snapshot(folder) == before


def test_doctests() -> None:
    import doctest

    import kg.export.fragments

    assert doctest.testmod(kg.export.fragments).failed == 0
