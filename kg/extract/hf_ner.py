"""The transformers backend: a Hugging Face token-classification model as the NER of the spaCy backend.

Only the statistical NER changes: sentences, parts of speech, vocabulary
labels, cleaning, typing and concepts still come from the spaCy pipeline,
through `SpacyExtractor`'s ``ner=`` hook, so everything after extraction is
identical whichever backend ran.

A turn longer than the model's maximum length is cut into windows that
overlap by ``stride`` sub-words.  Each sub-word takes its prediction from the
window where it sits furthest from an edge, and words and entities are decoded
once over the whole turn, so an entity crossing a window boundary comes out
whole.  Sub-word offsets index the turn's text, and `Doc.char_span` turns them
into the spaCy tokens whose offsets index the source file.

Nothing is ever downloaded: the model is a local folder or a model already
in the Hugging Face cache, loaded with ``HF_HUB_OFFLINE=1`` and
``local_files_only=True``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import KgError, ModelNotInstalled, UnknownNameError
from ..model import Interview
from .candidates import Candidate
from .lexicon import NER_TYPES
from .spacy_ner import SpacyExtractor, load_pipeline
from .vocabulary import Vocabulary

if TYPE_CHECKING:  # spaCy (and torch, which it imports) loads in seconds: only when extraction runs
    from spacy.tokens import Doc

INSTALL = "pip install 'kg[transformers]'"

DEFAULT_LABEL_MAP: dict[str, str | None] = {
    "PER": "PER", "PERS": "PER", "PERSON": "PER", "PEOPLE": "PER",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "COMPANY": "ORG", "CORPORATION": "ORG",
    "LOC": "LOC", "LOCATION": "LOC", "PLACE": "LOC", "GPE": "GPE", "FAC": "FAC", "FACILITY": "FAC",
    "CITY": "GPE", "COUNTRY": "GPE",
    "MISC": "MISC", "MISCELLANEOUS": "MISC", "PRODUCT": "PRODUCT", "PROD": "PRODUCT", "TOOL": "PRODUCT",
    "EVENT": "EVENT", "EVT": "EVENT", "WORK_OF_ART": "WORK_OF_ART", "WORK": "WORK_OF_ART",
    "CREATIVE_WORK": "WORK_OF_ART", "NORP": "NORP",
}
"""Model labels (prefix stripped, upper-cased) to the NER labels `kg.extract.rules` knows; others are dropped."""

KG_TYPE_LABELS = {"Person": "PER", "Organisation": "ORG", "Place": "LOC", "Tool": "PRODUCT", "Work": "WORK_OF_ART"}
"""A label map may name kg types instead of NER labels."""

_PREFIXES = {"B", "I", "E", "S", "L", "U"}
_ROBERTA_LIKE = {"roberta", "xlm-roberta", "camembert", "longformer", "bertweet", "phobert", "xlm-roberta-xl"}
_MODELS: dict[tuple[str, str, int], _Loaded] = {}


def split_label(label: str) -> tuple[str, str]:
    """Split a tag into its scheme prefix and entity type (IOB, BIOES/BILOU or plain IO).

    Examples:
        >>> split_label("B-PER"), split_label("I_ORG"), split_label("S-MISC")
        (('B', 'PER'), ('I', 'ORG'), ('S', 'MISC'))
        >>> split_label("O"), split_label("LOC")
        (('O', ''), ('I', 'LOC'))
    """
    if label in ("", "O", "o"):
        return "O", ""
    if len(label) > 2 and label[1] in "-_" and label[0].upper() in _PREFIXES:
        return label[0].upper(), label[2:]
    return "I", label


def make_label_map(overrides: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """The default label map with ``overrides``; values are NER labels, kg type names, or None to drop.

    Examples:
        >>> m = make_label_map({"artist": "Person", "DATE": None})
        >>> m["ARTIST"], m["PER"], m["DATE"]
        ('PER', 'PER', None)
    """
    out = dict(DEFAULT_LABEL_MAP)
    for key, value in (overrides or {}).items():
        if value in (None, "", "O", "-"):
            out[key.upper()] = None
        elif value in KG_TYPE_LABELS:
            out[key.upper()] = KG_TYPE_LABELS[value]
        elif value.upper() in NER_TYPES:
            out[key.upper()] = value.upper()
        else:
            choices = ", ".join([*KG_TYPE_LABELS, *sorted(NER_TYPES)])
            raise UnknownNameError(f"label map: {key}={value!r} is not a kg type or NER label; use one of: {choices}")
    return out


def parse_label_map(text: str) -> dict[str, str | None]:
    """``"ARTIST=Person,VENUE=Place,DATE="`` (the part after ``#`` in ``--ner transformers:MODEL#...``).

    Examples:
        >>> parse_label_map("ARTIST=Person, DATE=")
        {'ARTIST': 'Person', 'DATE': None}
    """
    out: dict[str, str | None] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UnknownNameError(
                f"label map item {item!r} is not LABEL=TYPE; write e.g. transformers:MODEL#ARTIST=Person")
        out[key.strip()] = value.strip() or None
    return out


def decode(words: Sequence[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Group labelled words ``(start, end, tag, score)`` into entities ``(start, end, type, mean score)``.

    Examples:
        >>> decode([(0, 5, "B-PER", 1.0), (6, 12, "I-PER", 0.5), (13, 15, "O", 1.0), (16, 21, "I-LOC", 1.0)])
        [(0, 12, 'PER', 0.75), (16, 21, 'LOC', 1.0)]
        >>> decode([(0, 1, "B-ORG", 1.0), (2, 3, "B-ORG", 1.0), (4, 5, "S-ORG", 1.0), (6, 7, "I-ORG", 1.0)])
        [(0, 1, 'ORG', 1.0), (2, 3, 'ORG', 1.0), (4, 5, 'ORG', 1.0), (6, 7, 'ORG', 1.0)]
    """
    out: list[tuple[int, int, str, float]] = []
    current: list[Any] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            out.append((current[0], current[1], current[2], sum(current[3]) / len(current[3])))
            current = None

    for start, end, tag, score in words:
        prefix, kind = split_label(tag)
        if prefix == "O":
            close()
            continue
        if current is None or prefix in ("B", "S", "U") or kind != current[2]:
            close()
            current = [start, end, kind, [score]]
        else:
            current[1] = end
            current[3].append(score)
        if prefix in ("E", "L", "S", "U"):
            close()
    close()
    return out


TokenKey = tuple[int, int, int]
"""(start char, end char, word id) of one sub-word of a text."""


def merge_windows(windows: Sequence[Sequence[tuple[TokenKey, list[float]]]]) -> list[tuple[TokenKey, list[float]]]:
    """One prediction per sub-word of a text: from the window where it sits furthest from an edge.

    Examples:
        >>> a = [((0, 1, 0), [1.0, 0.0]), ((2, 3, 1), [1.0, 0.0]), ((4, 5, 2), [1.0, 0.0])]
        >>> b = [((2, 3, 1), [0.0, 1.0]), ((4, 5, 2), [0.0, 1.0]), ((6, 7, 3), [0.0, 1.0])]
        >>> [probs[0] for _, probs in merge_windows([a, b])]
        [1.0, 1.0, 0.0, 0.0]
    """
    best: dict[TokenKey, tuple[int, list[float]]] = {}
    for window in windows:
        n = len(window)
        for i, (key, probs) in enumerate(window):
            distance = min(i, n - 1 - i)
            if key not in best or distance > best[key][0]:
                best[key] = (distance, probs)
    return [(key, best[key][1]) for key in sorted(best)]


def aggregate_words(tokens: Sequence[tuple[TokenKey, list[float]]], strategy: str = "first"
                    ) -> list[tuple[int, int, int, float]]:
    """Sub-word predictions to words ``(start, end, label index, score)``, as the HF pipeline's strategies.

    ``first`` takes the first sub-word's label, ``average`` the mean of the
    sub-words' probabilities, ``max`` the most confident sub-word's label.

    Examples:
        >>> toks = [((0, 3, 0), [0.9, 0.1]), ((3, 5, 0), [0.2, 0.8]), ((6, 8, 1), [0.3, 0.7])]
        >>> aggregate_words(toks, "first")
        [(0, 5, 0, 0.9), (6, 8, 1, 0.7)]
        >>> [w[2] for w in aggregate_words(toks, "average")], [w[2] for w in aggregate_words(toks, "max")]
        ([0, 1], [0, 1])
    """
    words: dict[int, list[tuple[TokenKey, list[float]]]] = {}
    for key, probs in tokens:
        words.setdefault(key[2], []).append((key, probs))
    out = []
    for parts in words.values():
        start, end = parts[0][0][0], max(k[1] for k, _ in parts)
        if strategy == "first":
            probs = parts[0][1]
        elif strategy == "average":
            probs = [sum(col) / len(parts) for col in zip(*(p for _, p in parts), strict=False)]
        elif strategy == "max":
            probs = max((p for _, p in parts), key=max)
        else:
            raise UnknownNameError(f"unknown aggregation {strategy!r}; use first, average or max")
        label = max(range(len(probs)), key=probs.__getitem__)
        out.append((start, end, label, round(probs[label], 6)))
    return sorted(out)


def batches(lengths: Sequence[int], size: int) -> list[list[int]]:
    """Indices of windows sorted longest first, in batches of at most ``size`` whose lengths stay within 2x.

    Padding is wasted work: a batch ends when the next window is less than
    half as long as its first.

    Examples:
        >>> batches([512, 500, 300, 200, 40, 30, 20], 4)
        [[0, 1, 2], [3], [4, 5, 6]]
    """
    out: list[list[int]] = []
    for i, n in enumerate(lengths):
        if not out or len(out[-1]) >= size or 2 * n < lengths[out[-1][0]]:
            out.append([])
        out[-1].append(i)
    return out


@dataclass(frozen=True, slots=True)
class CharEntity:
    """An entity found by the model, in characters of the text it was given."""

    start: int
    end: int
    label: str
    """NER label after the label map (a key of `lexicon.NER_TYPES`)."""
    score: float
    model_label: str


def _require() -> None:
    """Fail fast, without the slow imports, when torch or transformers is missing."""
    import importlib.util

    for package in ("torch", "transformers"):
        if importlib.util.find_spec(package) is None:
            raise ModelNotInstalled(
                f"the transformers NER backend needs torch and transformers ({package} is not installed); "
                f"run: {INSTALL}")


def _import() -> tuple[Any, Any]:
    """torch and transformers, offline and silent; a missing one is a one-line `ModelNotInstalled`."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # never download at run time: local folders and the cache only
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import torch
        import transformers
    except ImportError as e:
        raise ModelNotInstalled(
            f"the transformers NER backend needs torch and transformers ({e.name} is not installed); run: {INSTALL}"
        ) from None
    logs: Any = transformers.utils.logging
    logs.set_verbosity_error()
    logs.disable_progress_bar()
    return torch, transformers


def resolve_device(spec: str | None, torch: Any = None) -> str:
    """``auto`` (CUDA when torch sees one, else CPU), ``cpu``, ``cuda`` or ``cuda:N``, checked."""
    spec = (spec or "auto").strip().lower()
    if not re.fullmatch(r"auto|cpu|cuda(:\d+)?", spec):
        raise UnknownNameError(f"unknown device {spec!r}; use --device auto, cpu, cuda or cuda:N")
    if spec == "cpu":
        return spec
    os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")  # keeps the check fork-safe for --jobs
    torch = torch or _import()[0]
    available = bool(torch.cuda.is_available())
    if spec == "auto":
        return "cuda" if available else "cpu"
    if not available:
        build = "a CPU-only build" if torch.version.cuda is None else f"CUDA {torch.version.cuda}"
        raise KgError(f"--device {spec}: torch {torch.__version__} ({build}) sees no CUDA device; "
                      "use --device auto or --device cpu")
    index = int(spec.partition(":")[2] or 0)
    if index >= torch.cuda.device_count():
        raise KgError(f"--device {spec}: torch sees {torch.cuda.device_count()} CUDA device(s); "
                      f"use cuda:0 to cuda:{torch.cuda.device_count() - 1}")
    return spec


def describe_device(device: str, torch: Any = None) -> str:
    """``cpu``, or ``cuda:N (card name)``: the device the model runs on, for the build's report and summary.json."""
    if not device.startswith("cuda"):
        return device
    torch = torch or _import()[0]
    index = int(device.partition(":")[2] or 0)
    return f"cuda:{index} ({torch.cuda.get_device_name(index)})"


def _cached_models() -> list[str]:
    try:
        from huggingface_hub import scan_cache_dir

        return sorted(r.repo_id for r in scan_cache_dir().repos if r.repo_type == "model")
    except Exception:  # noqa: BLE001 (no cache, or an unreadable one: nothing to list)
        return []


def locate(spec: str) -> tuple[str, Path]:
    """``(name, folder)`` of a model given as a folder or as a Hugging Face id already in the cache."""
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotInstalled(f"{spec}: not a Hugging Face model folder (no config.json); "
                                    "pass a folder written by save_pretrained")
        return path.resolve().name, path.resolve()
    try:
        from huggingface_hub import try_to_load_from_cache

        config = try_to_load_from_cache(spec, "config.json")
    except Exception:  # noqa: BLE001 (not a valid repository id either)
        config = None
    if isinstance(config, str):
        return spec, Path(config).parent
    cached = _cached_models()
    raise ModelNotInstalled(
        f"transformers model {spec!r} is neither a model folder nor in the Hugging Face cache; "
        f"download it once with: hf download {spec} (or pass a folder); "
        f"cached models: {', '.join(cached) if cached else 'none'}"
    )


def revision(folder: Path) -> str:
    """The commit of a cached snapshot, else a digest of the folder's model files."""
    if folder.parent.name == "snapshots":
        return folder.name[:12]
    digest = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        if f.is_file() and f.suffix in {".json", ".safetensors", ".bin", ".txt", ".model"}:
            digest.update(f.name.encode())
            with f.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
    return "sha256:" + digest.hexdigest()[:12]


def check_config(name: str, folder: Path) -> None:
    """Fail early, without loading weights, on a folder that holds no token-classification model."""
    _, transformers = _import()
    try:
        config = transformers.AutoConfig.from_pretrained(str(folder), local_files_only=True)
    except (OSError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ModelNotInstalled(f"transformers model {name!r} cannot be loaded from {folder}: {first}") from None
    archs = getattr(config, "architectures", None) or []
    if archs and not any("TokenClassification" in a for a in archs):
        raise ModelNotInstalled(f"transformers model {name!r} is not a token-classification model "
                                f"({', '.join(archs)}); pass a model fine-tuned for NER")


def token_windows(n: int, content: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of at most ``content`` tokens covering ``n``, consecutive ones sharing ``stride``.

    Examples:
        >>> token_windows(10, 4, 1)
        [(0, 4), (3, 7), (6, 10)]
        >>> token_windows(3, 4, 1), token_windows(0, 4, 1)
        ([(0, 3)], [])
    """
    step = max(1, content - stride)
    out = []
    start = 0
    while start < n:
        out.append((start, min(start + content, n)))
        if start + content >= n:
            break
        start += step
    return out


def special_affixes(tokenizer: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The special token ids the tokenizer puts before and after one sequence, read off a one-word example."""
    bare = list(tokenizer("a", add_special_tokens=False)["input_ids"])
    full = list(tokenizer("a", add_special_tokens=True)["input_ids"])
    for i in range(len(full) - len(bare) + 1):
        if full[i:i + len(bare)] == bare:
            return tuple(full[:i]), tuple(full[i + len(bare):])
    raise KgError("the model's tokenizer does not keep a sequence whole between its special tokens; "
                  "kg cannot cut its windows")


@dataclass
class _Loaded:
    tokenizer: Any
    model: Any
    labels: list[str]
    max_length: int
    prefix: tuple[int, ...]
    """The special tokens a single sequence starts with ([CLS], <s>) and ends with ([SEP], </s>)."""
    suffix: tuple[int, ...]

    @property
    def specials(self) -> int:
        return len(self.prefix) + len(self.suffix)


def _load(name: str, folder: Path, device: str, max_length: int | None) -> _Loaded:
    key = (str(folder), device, max_length or 0)
    if key in _MODELS:
        return _MODELS[key]
    torch, transformers = _import()
    check_config(name, folder)
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = transformers.AutoModelForTokenClassification.from_pretrained(str(folder), local_files_only=True)
    except (OSError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ModelNotInstalled(f"transformers model {name!r} cannot be loaded from {folder}: {first}") from None
    if not getattr(tokenizer, "is_fast", False):
        raise ModelNotInstalled(f"transformers model {name!r} has no fast tokenizer (tokenizer.json), "
                                "which character offsets need; save one with the model")
    limits = [n for n in (getattr(tokenizer, "model_max_length", None),) if isinstance(n, int) and 0 < n < 100_000]
    positions = getattr(model.config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        # RoBERTa-style models reserve the first two positions for padding
        limits.append(positions - 2 if model.config.model_type in _ROBERTA_LIKE else positions)
    length = min([max_length, *limits] if max_length else limits or [512])
    prefix, suffix = special_affixes(tokenizer)
    if length - len(prefix) - len(suffix) < 2:
        raise KgError(f"transformers model {name!r}: max length {length} leaves no room for text")
    labels = [str(model.config.id2label[i]) for i in range(model.config.num_labels)]
    model.to(torch.device(device)).eval()
    _MODELS[key] = _Loaded(tokenizer, model, labels, length, prefix, suffix)
    return _MODELS[key]


class TransformersNer:
    """NER candidates from a token-classification model: the ``ner=`` function of `SpacyExtractor`.

    ``batch_size`` counts windows per forward pass; ``stride`` is the overlap
    of consecutive windows in sub-words (default: a quarter of a window, at
    most 128); ``aggregation`` is ``first``, ``average`` or ``max``.
    """

    def __init__(self, model: str, *, device: str | None = "auto", batch_size: int = 32,
                 label_map: Mapping[str, str | None] | None = None, max_length: int | None = None,
                 stride: int | None = None, aggregation: str = "first") -> None:
        if aggregation not in ("first", "average", "max"):
            raise UnknownNameError(f"unknown aggregation {aggregation!r}; use first, average or max")
        _require()
        self.spec = model
        self.name, self.folder = locate(model)
        self.device_spec = device
        self.batch_size = max(1, batch_size)
        self.label_map = make_label_map(label_map)
        self.max_length = max_length
        self.stride = stride
        self.aggregation = aggregation
        self._revision: str | None = None

    @property
    def revision(self) -> str:
        if self._revision is None:
            self._revision = revision(self.folder)
        return self._revision

    def load(self) -> _Loaded:
        return _load(self.name, self.folder, self.device, self.max_length)

    @property
    def device(self) -> str:
        return resolve_device(self.device_spec)

    def entities(self, texts: Sequence[str]) -> list[list[CharEntity]]:
        """Entities of each text, in characters of that text, after the label map."""
        if not texts:
            return []
        torch, _ = _import()
        m = self.load()
        content = m.max_length - m.specials
        stride = min(self.stride if self.stride is not None else min(128, content // 4), content - 1)
        # Windows are cut here, over each text's whole tokenization, rather than by the tokenizer's own
        # overflow: tokenizers 0.23.2 returns too few overflowing windows and so loses the end of long turns.
        enc = m.tokenizer(list(texts), add_special_tokens=False, truncation=False, return_offsets_mapping=True)
        jobs = [(i, a, b) for i, ids in enumerate(enc["input_ids"])
                for a, b in token_windows(len(ids), content, stride)]
        order = sorted(range(len(jobs)), key=lambda k: -(jobs[k][2] - jobs[k][1]))
        per_text: list[list[list[tuple[TokenKey, list[float]]]]] = [[] for _ in texts]
        pad = m.tokenizer.pad_token_id if m.tokenizer.pad_token_id is not None else 0
        device = torch.device(self.device)
        skip = len(m.prefix)
        word_ids = [enc.word_ids(i) for i in range(len(texts))]  # once per text, not once per window
        for batch in batches([jobs[k][2] - jobs[k][1] + m.specials for k in order], self.batch_size):
            batch = [order[k] for k in batch]
            rows = [[*m.prefix, *enc["input_ids"][i][a:b], *m.suffix] for i, a, b in (jobs[k] for k in batch)]
            width = max(map(len, rows))
            ids = torch.full((len(rows), width), pad, dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for row, seq in enumerate(rows):
                ids[row, :len(seq)] = torch.tensor(seq, dtype=torch.long)
                mask[row, :len(seq)] = 1
            with torch.inference_mode():
                logits = m.model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
                probs = logits.float().softmax(-1).cpu().tolist()
            for row, k in enumerate(batch):
                i, a, b = jobs[k]
                words = word_ids[i]
                window = []
                for j in range(a, b):
                    s, e = enc["offset_mapping"][i][j]
                    if e <= s:
                        continue
                    word = words[j] if words[j] is not None else -1 - s
                    window.append(((s, e, word), probs[row][skip + j - a]))
                per_text[i].append(window)
        return [self._entities(text, windows, m.labels) for text, windows in zip(texts, per_text, strict=False)]

    def _entities(self, text: str, windows: list[list[tuple[TokenKey, list[float]]]],
                  labels: list[str]) -> list[CharEntity]:
        words = [(s, e, labels[i], p) for s, e, i, p in aggregate_words(merge_windows(windows), self.aggregation)]
        out = []
        for start, end, kind, score in decode(words):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            label = self.label_map.get(kind.upper())
            if label is not None and end > start:
                out.append(CharEntity(start, end, label, round(score, 4), kind))
        return out

    def __call__(self, docs: list[Doc]) -> list[list[Candidate]]:
        out: list[list[Candidate]] = []
        for doc, found in zip(docs, self.entities([d.text for d in docs]), strict=False):
            cands: dict[tuple[int, int, str], Candidate] = {}
            for ent in found:
                span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
                if span is not None and len(span):
                    cands.setdefault((span.start, span.end, ent.label),
                                     Candidate(span.start, span.end, "ner", None, None, ent.label))
            out.append(list(cands.values()))
        return out


class ModelNerExtractor(SpacyExtractor):
    """The spaCy backend with another model's NER: spaCy's own NER component is not run."""

    def extract_one(self, interview: Interview) -> Interview:
        nlp = load_pipeline(self.model_for(interview.language or "fr"))
        if "ner" not in nlp.pipe_names:
            return super().extract_one(interview)
        with nlp.select_pipes(disable=["ner"]):  # its entities would be thrown away: don't compute them
            return super().extract_one(interview)


class TransformersExtractor(ModelNerExtractor):
    """``--ner transformers:MODEL[#LABEL=TYPE,...]``: spaCy for everything but the NER.

    ``model`` is a folder or a Hugging Face id in the cache; the optional part
    after ``#`` extends the label map.  ``spacy_model`` (``--model``) picks the
    spaCy pipeline for sentences and typing (default: by language).
    """

    def __init__(self, model: str | None = None, *, vocabulary: Vocabulary | None = None, device: str | None = None,
                 batch_size: int | None = None, spacy_model: str | None = None,
                 label_map: Mapping[str, str | None] | None = None, max_length: int | None = None,
                 stride: int | None = None, aggregation: str = "first") -> None:
        if not model:
            raise UnknownNameError("--ner transformers needs a model: --ner transformers:FOLDER_OR_HF_ID "
                                   "(a token-classification model on disk or in the Hugging Face cache)")
        path, _, labels = model.partition("#")
        self.hf = TransformersNer(path, device=device, batch_size=batch_size or 32,
                                  label_map={**parse_label_map(labels), **(label_map or {})},
                                  max_length=max_length, stride=stride, aggregation=aggregation)
        resolve_device(device)  # a bad --device fails before any model loads
        check_config(self.hf.name, self.hf.folder)  # weights load on first use, in the process that uses them
        super().__init__(spacy_model, vocabulary=vocabulary, batch_size=batch_size or 32, ner=self.hf,
                         name=f"transformers:{self.hf.name}")

    def model_version(self, language: str) -> str:
        return f"{self.hf.name} {self.hf.revision} (with spaCy {super().model_version(language)})"

    def _settings(self) -> tuple[str, ...]:
        hf = self.hf
        return (hf.name, hf.revision, repr(sorted(hf.label_map.items())), repr((hf.max_length, hf.stride)),
                hf.aggregation)

    @property
    def device_description(self) -> str:
        return describe_device(self.hf.device)

