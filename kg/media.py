"""Finding each interview's recording, and naming it the way the outputs reach it.

The recording is named by the transcript's metadata (a CMS export's
``Audio:`` field, front matter ``media:``/``audio:``/``video:``, a TEI
header's ``<media url>``), or found by ``kg build --media DIR`` as a media
file whose name is the transcript's (``interview.txt`` -> ``interview.m4a``).
kg never copies, converts or fetches it: a name that is a URL is looked for
by its file name on this machine, beside the transcript or in the media
folder.  A recording named but not found is a warning; the quotes keep their
times and get no media fragment.

While a graph is built the recording is an absolute path; `relative_to` makes
it a reference relative to the output folder when the outputs are written,
so that the page and the RDF files, which lie there, reach it offline
whichever folder it is in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .model import Interview, KnowledgeGraph

AUDIO_EXTENSIONS = (".m4a", ".mp3", ".wav", ".ogg", ".oga", ".opus", ".flac", ".aac")
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".webm", ".mov", ".ogv")
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS + VIDEO_EXTENSIONS


def file_name(named: str) -> str:
    """The file name in a metadata value: a URL's last path segment, decoded, or a path's name.

    Examples:
        >>> file_name("https://example.org/media/interview%201.m4a?dl=1")
        'interview 1.m4a'
        >>> file_name("recordings/nb.m4a")
        'nb.m4a'
    """
    parts = urlsplit(named.strip())
    path = unquote(parts.path) if parts.scheme in ("http", "https", "file") else named.strip()
    return PurePosixPath(path.replace("\\", "/")).name


def find_media(iv: Interview, folders: Sequence[Path]) -> Path | None:
    """The recording of ``iv`` on this machine, or None.

    A named recording is looked for as written (relative to the transcript),
    then by its file name beside the transcript and in ``folders``; an
    unnamed one, in ``folders``, as a media file named like the transcript or the interview's id.
    """
    home = Path(iv.source_path).parent if iv.source_path else Path()
    if iv.media:
        parts = urlsplit(iv.media)
        candidates = [] if parts.scheme in ("http", "https") else [home / iv.media]
        name = file_name(iv.media)
        candidates += [home / name, *(folder / name for folder in folders)]
        return next((c for c in candidates if name and c.is_file()), None)
    stems = {Path(iv.source_path).stem.casefold(), iv.id.casefold()} - {""}
    for folder in folders:
        for ext in MEDIA_EXTENSIONS:
            found = sorted(p for p in _files(folder) if p.suffix.lower() == ext and p.stem.casefold() in stems)
            if found:
                return found[0]
    return None


def _files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def attach_media(interviews: Iterable[Interview], folders: Sequence[str | Path] = (), *,
                 warn: Callable[[str], None] = lambda _: None) -> list[Interview]:
    """The interviews with ``media`` set to their recording's absolute path, or None when there is none."""
    dirs = [Path(f) for f in folders]
    out = []
    for iv in interviews:
        found = find_media(iv, dirs)
        if found is None and iv.media:
            where = ", ".join(str(d) for d in [Path(iv.source_path).parent, *dirs])
            warn(f"{iv.source_path}: the recording {file_name(iv.media)!r} named in its metadata is not in {where}; "
                 "its quotes keep their times but get no media fragment (pass --media DIR where it is)")
        media = str(found.resolve()) if found is not None else None
        out.append(iv if media == iv.media else replace(iv, media=media))
    return out


def relative_to(kg: KnowledgeGraph, out: str | Path) -> KnowledgeGraph:
    """``kg`` with each recording named relative to ``out``, in URL form (``../media/nb.m4a``)."""
    base = Path(out).resolve()
    changed = False
    interviews = []
    for iv in kg.interviews:
        if iv.media and Path(iv.media).is_absolute():
            rel = Path(os.path.relpath(iv.media, base)).as_posix()
            iv = replace(iv, media=rel)
            changed = True
        interviews.append(iv)
    return replace(kg, interviews=tuple(interviews)) if changed else kg


def media_names(folder: str | Path) -> list[str]:
    """The media files' names in ``folder``, sorted (none when it cannot be read)."""
    return sorted(p.name for p in _files(Path(folder)) if p.suffix.lower() in MEDIA_EXTENSIONS)
