"""The provenance a build records: what made the graph, so that it can be told apart and made again."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..cache import extraction_code_digest
from ..extract import Extractor
from ..model import Interview
from .options import BuildConfig, extraction_options, graph_options


def provenance(interviews: list[Interview], config: BuildConfig, extractor: Extractor) -> dict[str, str]:
    """The build id, the extraction setup, kg's version, the models, the build time and the NER's device."""
    languages = sorted({iv.language or "fr" for iv in interviews})
    models = sorted({extractor.name_for(lang) for lang in languages})
    versions = sorted({extractor.model_version(lang) for lang in languages})
    digest = hashlib.sha256()
    for part in [__version__, *models, *versions, *sorted(iv.checksum for iv in interviews),
                 repr(graph_options(config))]:
        digest.update(part.encode())
    # not the curation file: an edited one must leave the interviews it does not reach reusable (`Emitter.key`)
    setup = hashlib.sha256("|".join([__version__, extraction_code_digest(), *models, *versions,
                                     repr(extraction_options(config))]).encode())
    return {
        "build_id": digest.hexdigest()[:16],
        # everything but the transcripts and the curation: with a transcript's checksum, it names what was
        # extracted from it
        "setup": setup.hexdigest(),
        "kg_version": __version__,
        "models": "|".join(models),
        "model_versions": "|".join(versions),
        "time": reproducible_time(interviews),
        # the device the NER model runs on (cached interviews were not re-run); not part of the build id,
        # since a model gives the same entities on either
        "device": getattr(extractor, "device_description", "cpu"),
    }


def reproducible_time(interviews: list[Interview]) -> str:
    """SOURCE_DATE_EPOCH when set, else the newest input's modification time: same input, same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        ts = int(epoch)
    else:
        ts = max((int(Path(iv.source_path).stat().st_mtime) for iv in interviews if Path(iv.source_path).exists()),
                 default=0)
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
