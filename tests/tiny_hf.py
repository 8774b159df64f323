"""A tiny BERT token classifier built on the spot, for the transformers-backend tests and benchmark.

Nothing is downloaded: `build_tiny_ner` writes a real `BertForTokenClassification`
(2 layers) and a small WordPiece tokenizer into a folder with
``save_pretrained``.  Unknown words fall apart into letters, as rare words do
in real vocabularies, so a short turn already spans several windows.

With ``rules`` (word -> tag) the weights are set so that every vocabulary
word gets its tag whatever its context: attention and feed-forward outputs
are zeroed (each layer is then a LayerNorm of its input), embeddings are
one-hot on the tag's index and the classifier is the identity.  Tests can then
say what the model must find.  Without ``rules`` the weights stay random.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path

LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-STUDIO", "B-DATE")
RULES = {"marie": "B-PER", "dupont": "I-PER", "lyon": "B-LOC", "run": "B-MISC", "sillage": "B-STUDIO",
         "lundi": "B-DATE", "kabk": "B-ORG"}
"""The default rules: what the tests' fixture expects."""

_LETTERS = string.ascii_lowercase + string.digits + "éèêàâçôîïù"


def build_tiny_ner(folder: Path, *, rules: dict[str, str] | None = None, labels: tuple[str, ...] = LABELS,
                   max_positions: int = 32, hidden: int = 16, layers: int = 2, seed: int = 0,
                   words: Iterable[str] = ()) -> Path:
    """Write a tiny token-classification model (and its fast tokenizer) into ``folder``; return it.

    ``words`` are extra whole words for the vocabulary (tagged O under rules).
    """
    import torch
    import transformers
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from transformers import (
        BertConfig,
        BertForTokenClassification,
        PreTrainedTokenizerFast,
    )

    transformers.utils.logging.disable_progress_bar()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    table = RULES if rules is None else rules
    words = sorted(set(table) | {w.lower() for w in words})
    vocab = specials + list(".,;:!?'’-()…«»\"") + [w for w in words if w not in _LETTERS] + list(_LETTERS) \
        + ["##" + c for c in _LETTERS]
    ids = {w: i for i, w in enumerate(vocab)}
    tok = Tokenizer(models.WordPiece(ids, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.decoder = decoders.WordPiece()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=max_positions)
    config = BertConfig(vocab_size=len(vocab), hidden_size=max(hidden, len(labels)), num_hidden_layers=layers,
                        num_attention_heads=2, intermediate_size=2 * max(hidden, len(labels)),
                        max_position_embeddings=max_positions, num_labels=len(labels),
                        id2label=dict(enumerate(labels)),
                        label2id={lab: i for i, lab in enumerate(labels)})  # type: ignore[call-arg]
    torch.manual_seed(seed)
    model = BertForTokenClassification(config).eval()
    if table:
        with torch.no_grad():
            emb = model.bert.embeddings
            emb.position_embeddings.weight.zero_()
            emb.token_type_embeddings.weight.zero_()
            emb.word_embeddings.weight.zero_()
            for word, i in ids.items():
                emb.word_embeddings.weight[i, labels.index(table.get(word, "O"))] = 10.0
            for layer in model.bert.encoder.layer:
                for dense in (layer.attention.output.dense, layer.output.dense):
                    dense.weight.zero_()
                    dense.bias.zero_()
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
            for k in range(len(labels)):
                model.classifier.weight[k, k] = 1.0
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder
