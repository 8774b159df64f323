"""The learnt typing model: a multinomial logistic regression over `kg.extract.features`.

It decides, for every candidate name, whether it is a Person, an
Organisation, a Tool, a Work, a Place or no entity at all.  Weights are
learnt from annotated transcripts by `kg.training` (scikit-learn,
only needed to retrain) and shipped as a small JSON file inside the package,
read here with the standard library: a build needs no scikit-learn, and a
model file is data, never code (no pickle).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ModelFileError

if TYPE_CHECKING:
    import numpy as np

NO_ENTITY = "None"
MODEL_FORMAT = "kg-typing-model"
MODEL_VERSION = 1
DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "typing-model.json"
CONCEPT_MODEL = Path(__file__).resolve().parent / "data" / "concept-model.json"
"""The concept ranking model: the same logistic regression, two classes ("Concept" or not), over
`kg.extract.concepts.phrase_features`."""
RETRAIN_HINT = "rebuild it with: python scripts/train_typing.py"


@dataclass(frozen=True)
class TypingModel:
    classes: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]
    intercept: tuple[float, ...]
    meta: Mapping[str, Any]

    @cached_property
    def _table(self) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
        """The weights as one matrix (a row per feature) with each feature's row, the word vector's block
        apart (a row per dimension, zero where the model has none), and the intercept."""
        import numpy as np

        from .features import VECTOR_FEATURES

        index = {name: i for i, name in enumerate(self.weights)}
        matrix = np.array(list(self.weights.values()), dtype=np.float64).reshape(len(index), len(self.classes))
        block = np.array([self.weights.get(name, (0.0,) * len(self.classes)) for name in VECTOR_FEATURES],
                         dtype=np.float64)
        return index, matrix, block, np.array(self.intercept, dtype=np.float64)

    @cached_property
    def digest(self) -> str:
        """A hash of the weights: extraction caches key their entries by it (a model retrained or passed in code
        types names otherwise, so it must not reuse what another model typed)."""
        import hashlib

        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()

    def probabilities(self, features: Mapping[str, float], vector: np.ndarray | None = None) -> dict[str, float]:
        """Class probabilities for one candidate (softmax of the summed feature weights), ``vector``: its name's
        word vector as `kg.extract.features.name_signal` gives it."""
        import numpy as np

        index, matrix, block, intercept = self._table
        found = list(map(index.get, features))  # the features' rows, in the features' order; None: unknown
        if None in found:
            rows = [i for i in found if i is not None]
            values = [v for i, v in zip(found, features.values(), strict=True) if i is not None]
        else:
            rows, values = found, list(features.values())  # type: ignore[assignment]
        # take: the same rows as matrix[rows], gathered faster than by fancy indexing
        scores = intercept + np.asarray(values, dtype=np.float64) @ matrix.take(rows, axis=0) if rows else intercept
        if vector is not None:
            scores = scores + vector @ block
        exp = np.exp(scores - scores.max())
        total = float(exp.sum())
        return dict(zip(self.classes, (exp / total).tolist(), strict=False))

    def best(self, features: Mapping[str, float]) -> tuple[str, float]:
        probs = self.probabilities(features)
        label = max(self.classes, key=lambda c: probs[c])
        return label, probs[label]

    def to_json(self) -> dict[str, Any]:
        return {"format": MODEL_FORMAT, "version": MODEL_VERSION, "classes": list(self.classes),
                "intercept": [round(x, 5) for x in self.intercept],
                "weights": {k: [round(x, 5) for x in v] for k, v in sorted(self.weights.items())},
                "meta": dict(self.meta)}

    def save(self, path: str | Path) -> None:
        """Write the JSON form atomically: a model file is either the old one or the new one, never half."""
        import os

        target = Path(path)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        os.replace(tmp, target)


def from_json(data: Any, where: str = "typing model") -> TypingModel:
    """A model from its JSON form; `ModelFileError` naming the file when anything is missing or malformed."""
    problem = f"{where}: not a kg typing model file ({{}}); {RETRAIN_HINT}"
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelFileError(problem.format("no 'format': 'kg-typing-model'"))
    if data.get("version") != MODEL_VERSION:
        raise ModelFileError(problem.format(f"version {data.get('version')!r}, this kg reads {MODEL_VERSION}"))
    try:
        classes = tuple(str(c) for c in data["classes"])
        intercept = tuple(float(x) for x in data["intercept"])
        weights = {str(k): tuple(float(x) for x in v) for k, v in data["weights"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ModelFileError(problem.format(f"bad or missing field: {e}")) from None
    if (NO_ENTITY not in classes or len(intercept) != len(classes)
            or any(len(w) != len(classes) for w in weights.values())):
        raise ModelFileError(problem.format("class count does not match the weights"))
    return TypingModel(classes, weights, intercept, dict(data.get("meta", {})))


_LOADED: dict[str, TypingModel] = {}


def load_model(path: str | Path | None = None) -> TypingModel:
    """Read a model file once per process (the packaged one by default)."""
    p = Path(path) if path is not None else DEFAULT_MODEL
    key = str(p)
    if key not in _LOADED:
        try:
            raw = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ModelFileError(f"{p}: typing model file not found; {RETRAIN_HINT}") from None
        except OSError as e:
            raise ModelFileError(f"{p}: typing model cannot be read ({e.strerror}); {RETRAIN_HINT}") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            raise ModelFileError(
                f"{p}: typing model is not valid JSON (truncated? line {e.lineno}); {RETRAIN_HINT}") from None
        _LOADED[key] = from_json(data, str(p))
    return _LOADED[key]
