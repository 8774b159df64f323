"""The GLiNER backend: zero-shot NER with kg's own type names as the labels asked for.

Like the transformers backend it only replaces the statistical NER of the
spaCy backend (``ner=`` hook); everything else is identical.  It needs the
optional ``gliner`` package and a GLiNER model folder (or a model already in
the Hugging Face cache); nothing is downloaded.  GLiNER reads a bounded number
of words, so a long turn is cut into overlapping word windows and the
entities found in overlaps are merged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import ModelNotInstalled, UnknownNameError
from .candidates import Candidate
from .hf_ner import (
    KG_TYPE_LABELS,
    CharEntity,
    ModelNerExtractor,
    _import,
    describe_device,
    locate,
    resolve_device,
    revision,
)
from .vocabulary import Vocabulary

if TYPE_CHECKING:  # spaCy (and torch, which it imports) loads in seconds: only when extraction runs
    from spacy.tokens import Doc

_MODELS: dict[tuple[str, str], Any] = {}


def word_windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """Character ranges of windows of at most ``size`` words, consecutive ones sharing ``overlap`` words.

    Examples:
        >>> word_windows("a b c d e", 3, 1)
        [(0, 5), (4, 9)]
        >>> word_windows("  one two ", 5, 1)
        [(2, 9)]
    """
    words = [m.span() for m in re.finditer(r"\S+", text)]
    if not words:
        return []
    step = max(1, size - overlap)
    out = []
    i = 0
    while True:
        chunk = words[i:i + size]
        out.append((chunk[0][0], chunk[-1][1]))
        if i + size >= len(words):
            return out
        i += step


def merge_spans(found: list[CharEntity]) -> list[CharEntity]:
    """Entities from overlapping windows: same-label overlaps joined, else the more confident kept.

    Examples:
        >>> a, b = CharEntity(0, 5, "PER", 0.9, "Person"), CharEntity(0, 12, "PER", 0.8, "Person")
        >>> merge_spans([a, b, CharEntity(3, 8, "ORG", 0.5, "Organisation")])
        [CharEntity(start=0, end=12, label='PER', score=0.9, model_label='Person')]
    """
    out: list[CharEntity] = []
    for e in sorted(found, key=lambda e: (e.start, -e.end)):
        if out and e.start < out[-1].end:
            last = out[-1]
            if e.label == last.label:
                out[-1] = CharEntity(last.start, max(last.end, e.end), last.label, max(last.score, e.score),
                                     last.model_label)
            elif e.score > last.score:
                out[-1] = e
            continue
        out.append(e)
    return out


class GlinerNer:
    """NER candidates from a GLiNER model asked for kg's types (Person, Organisation, Place, Tool, Work)."""

    def __init__(self, model: str, *, device: str | None = "auto", threshold: float = 0.5,
                 labels: tuple[str, ...] = tuple(KG_TYPE_LABELS)) -> None:
        import importlib.util

        if importlib.util.find_spec("gliner") is None:
            raise ModelNotInstalled("the gliner NER backend needs the gliner package; run: pip install gliner "
                                    "(and pass a GLiNER model folder: --ner gliner:FOLDER)")
        self.name, self.folder = locate(model)
        self.device_spec = device
        self.threshold = threshold
        self.labels = labels

    def _model(self) -> Any:
        device = resolve_device(self.device_spec)
        key = (str(self.folder), device)
        if key not in _MODELS:
            _import()  # offline, silent
            from importlib import import_module

            try:
                model = import_module("gliner").GLiNER.from_pretrained(str(self.folder), local_files_only=True)
            except (OSError, ValueError) as e:
                raise ModelNotInstalled(
                    f"GLiNER model {self.name!r} cannot be loaded from {self.folder}: "
                    f"{str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}") from None
            _MODELS[key] = model.to(device).eval()
        return _MODELS[key]

    def entities(self, text: str) -> list[CharEntity]:
        model = self._model()
        size = max(16, int(getattr(getattr(model, "config", None), "max_len", 384) * 0.6))
        found = []
        for start, end in word_windows(text, size, size // 4):
            for hit in model.predict_entities(text[start:end], list(self.labels), threshold=self.threshold):
                label = KG_TYPE_LABELS.get(str(hit["label"]))
                if label is not None:
                    found.append(CharEntity(start + int(hit["start"]), start + int(hit["end"]), label,
                                            round(float(hit["score"]), 4), str(hit["label"])))
        return merge_spans(found)

    def __call__(self, docs: list[Doc]) -> list[list[Candidate]]:
        out = []
        for doc in docs:
            cands = []
            for ent in self.entities(doc.text):
                span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
                if span is not None and len(span):
                    cands.append(Candidate(span.start, span.end, "ner", None, None, ent.label))
            out.append(cands)
        return out


class GlinerExtractor(ModelNerExtractor):
    """``--ner gliner:FOLDER``: spaCy for everything but the NER, which GLiNER does zero-shot."""

    def __init__(self, model: str | None = None, *, vocabulary: Vocabulary | None = None, device: str | None = None,
                 batch_size: int | None = None, spacy_model: str | None = None, threshold: float = 0.5) -> None:
        if not model:
            raise UnknownNameError("--ner gliner needs a model: --ner gliner:FOLDER_OR_HF_ID (a GLiNER model on disk)")
        self.gliner = GlinerNer(model, device=device, threshold=threshold)
        resolve_device(device)  # a bad --device fails before any model loads
        super().__init__(spacy_model, vocabulary=vocabulary, batch_size=batch_size or 32, ner=self.gliner,
                         name=f"gliner:{self.gliner.name}")

    def model_version(self, language: str) -> str:
        return f"{self.gliner.name} {revision(self.gliner.folder)} (with spaCy {super().model_version(language)})"

    def _settings(self) -> tuple[str, ...]:
        return self.gliner.name, revision(self.gliner.folder), repr(self.gliner.threshold)

    @property
    def device_description(self) -> str:
        return describe_device(resolve_device(self.gliner.device_spec))
