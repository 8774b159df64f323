"""Faults around ``kg build``: read-only or full output folder, unwritable or full cache, stale temporaries.

The end-to-end cases run the real CLI in subprocesses, all started together
(each loads spaCy once).  Where this machine allows it a folder is made
read-only or full with a tmpfs mount (``mount -t tmpfs``, root only);
otherwise a read-only folder is a ``chmod 555`` one (root gives up
CAP_DAC_OVERRIDE in the kg process so the mode applies to it too) and a full
disk is ``RLIMIT_FSIZE`` (``write`` fails with EFBIG); KG_TEST_NO_MOUNT=1
forces those fallbacks.  A case no method can set up is skipped, saying why.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, snapshot

from kg.cache import STALE_TEMP_S, ExtractionCache

TRANSCRIPT = "**Alice :** J'utilise Processing à Lyon avec Marie Curie.\n\n**Bob :** Et TouchDesigner ?\n"
FREE_AFTER_FILL = 20 * 1024  # what a "full" output disk keeps free: one or two outputs fit, not all
FSIZE = 16 * 1024  # RLIMIT_FSIZE when tmpfs cannot be mounted: the small outputs fit, graph.nt does not

# Runs kg's CLI like ``python -m kg`` after optionally giving up root's right to ignore file modes, or limiting the
# size of the files it writes; ``probe`` instead reports whether a folder is writable (exit 1) or not (exit 0).
LAUNCH = r"""
import ctypes, json, os, resource, signal, sys
opts = json.loads(sys.argv[1])
if opts.get("drop_dac"):
    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = Header(0x20080522, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    keep = 0xFFFFFFFF & ~((1 << 1) | (1 << 2))  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
    data[0].effective &= keep
    data[0].permitted &= keep
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
if opts.get("fsize"):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (opts["fsize"], opts["fsize"]))
if "probe" in opts:
    import tempfile
    try:
        fd, tmp = tempfile.mkstemp(dir=opts["probe"])
    except OSError:
        sys.exit(0)
    os.close(fd)
    os.unlink(tmp)
    sys.exit(1)
sys.argv = ["kg", *sys.argv[2:]]
from kg.cli import main
main()
"""
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"}


def _launch(opts: dict[str, Any], *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", LAUNCH, json.dumps(opts), *map(str, args)], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def temporaries(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp"))


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` with a ballast file until a write fails, then free ``leave`` bytes."""
    ballast = folder / "ballast"
    chunk = b"\0" * (64 * 1024)
    with ballast.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(chunk)
        except OSError as e:
            assert e.errno == errno.ENOSPC, e
    if leave:
        os.truncate(ballast, max(0, ballast.stat().st_size - leave))
    return ballast


@dataclass
class Case:
    """One ``kg build`` in a faulty setting: how it was set up, its result, and folders' content before it ran."""

    args: list[str | Path] = field(default_factory=list)
    opts: dict[str, Any] = field(default_factory=dict)
    how: str = ""
    skip: str = ""
    before: dict[Path, dict[str, bytes]] = field(default_factory=dict)
    proc: subprocess.Popen[str] | None = None
    result: subprocess.CompletedProcess[str] | None = None

    def ran(self) -> subprocess.CompletedProcess[str]:
        if self.skip:
            pytest.skip(self.skip)
        assert self.result is not None
        return self.result


class Setup:
    """Makes folders read-only or full, and undoes it (unmounts) in ``close``."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.mounts: list[Path] = []
        self.chmodded: list[Path] = []
        self.can_mount = (sys.platform.startswith("linux") and os.geteuid() == 0 and shutil.which("mount") is not None
                          and not os.environ.get("KG_TEST_NO_MOUNT"))

    def tmpfs(self, where: Path, size: str) -> bool:
        where.mkdir(parents=True, exist_ok=True)
        if not self.can_mount:
            return False
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
                              capture_output=True, check=False)
        if done.returncode != 0:
            self.can_mount = False  # not permitted here (container without CAP_SYS_ADMIN): use the fallbacks
            return False
        self.mounts.append(where)
        return True

    def read_only(self, folder: Path, content: Callable[[Path], None]) -> tuple[dict[str, Any], str]:
        """Make ``folder`` hold ``content`` and be read-only for kg: (launch options, how) or ({}, '') if impossible."""
        if self.tmpfs(folder, "16m"):
            content(folder)
            remount = ["mount", "-o", "remount,ro", str(folder)]
            if subprocess.run(remount, capture_output=True, check=False).returncode == 0:
                return {}, "read-only tmpfs"
            content = _nothing  # already there
        content(folder)
        opts = {"drop_dac": True} if os.geteuid() == 0 else {}
        folder.chmod(0o555)
        self.chmodded.append(folder)
        try:
            if _launch({**opts, "probe": str(folder)}).wait(timeout=60) == 0:
                return opts, "chmod 555" + (" without CAP_DAC_OVERRIDE" if opts else "")
        except OSError:
            pass
        return {}, ""

    def full(self, folder: Path, content: Callable[[Path], None]) -> tuple[dict[str, Any], str]:
        """Make ``folder`` hold ``content`` with (about) FREE_AFTER_FILL bytes left, or limit kg's file size."""
        if self.tmpfs(folder, "16m"):
            content(folder)
            fill(folder, leave=FREE_AFTER_FILL)
            return {}, "full tmpfs"
        content(folder)
        return {"fsize": FSIZE}, f"RLIMIT_FSIZE={FSIZE}"

    def close(self) -> None:
        for folder in reversed(self.chmodded):
            try:
                folder.chmod(0o755)
            except OSError:
                pass
        for where in reversed(self.mounts):
            if subprocess.run(["umount", str(where)], capture_output=True, check=False).returncode != 0:
                subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def _copy_from(source: Path) -> Callable[[Path], None]:
    def copy(folder: Path) -> None:
        for p in source.iterdir():
            if p.is_file():
                shutil.copy2(p, folder / p.name)
    return copy


def _nothing(folder: Path) -> None:
    return None


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory, built_sample) -> Iterator[dict[str, Case]]:
    """Every faulty build, set up and run side by side once for the module: name -> Case."""
    _, previous = built_sample  # an earlier build's outputs (of another transcript) to find intact afterwards
    base = tmp_path_factory.mktemp("faults")
    transcript = base / "atelier-court.md"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    setup = Setup(base)
    cases: dict[str, Case] = {}
    try:
        build: list[str | Path] = ["build", transcript, "--lang", "fr", "--no-html", "--formats", "all"]

        ro_out = base / "ro-out"
        opts, how = setup.read_only(ro_out, _copy_from(previous))
        cases["read-only output folder"] = Case([*build, "--out", ro_out], opts, how)
        cases["missing output folder in a read-only one"] = Case([*build, "--out", ro_out / "new"], opts, how)
        for case in (cases["read-only output folder"], cases["missing output folder in a read-only one"]):
            case.skip = "" if how else "cannot make a folder read-only here (no tmpfs mount, chmod ignored)"
            case.before = {ro_out: snapshot(ro_out, recursive=True)}

        full_out = base / "full-out"
        opts, how = setup.full(full_out, _copy_from(previous))
        cases["full output disk"] = Case([*build, "--out", full_out], opts, how,
                                         before={full_out: snapshot(full_out, recursive=True)})

        ro_cache = base / "ro-cache"
        opts, how = setup.read_only(ro_cache, _nothing)
        cases["read-only cache folder"] = Case([*build, "--out", base / "out-ro-cache", "--cache", ro_cache], opts,
                                               how, skip="" if how else "cannot make a folder read-only here",
                                               before={ro_cache: snapshot(ro_cache, recursive=True)})

        full_cache = base / "full-cache"
        if setup.tmpfs(full_cache, "1m"):
            fill(full_cache)
            cases["full cache disk"] = Case([*build, "--out", base / "out-full-cache", "--cache", full_cache],
                                            how="full tmpfs", before={full_cache: snapshot(full_cache, recursive=True)})
        else:
            cases["full cache disk"] = Case(skip="cannot mount a tmpfs here, and RLIMIT_FSIZE would stop the "
                                                 "outputs before the cache entry")

        for case in cases.values():
            if not case.skip:
                case.proc = _launch(case.opts, *case.args)
        for case in cases.values():
            if case.proc is not None:
                stdout, stderr = case.proc.communicate(timeout=600)
                case.result = subprocess.CompletedProcess(case.proc.args, case.proc.returncode, stdout, stderr)
        yield cases
    finally:
        for case in cases.values():
            if case.proc is not None and case.proc.poll() is None:
                case.proc.kill()
                case.proc.communicate()
        setup.close()


def assert_one_error_line(result: subprocess.CompletedProcess[str], *, only_line: bool) -> str:
    """Exit 2, no traceback, one ``kg: error:`` line (last); with ``only_line``, nothing else on stderr."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("kg: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    if only_line:
        assert lines == errors, f"expected the error line alone on stderr, got:\n{result.stderr}"
    else:
        assert all(line.startswith("warning: ") for line in lines[:-1]), result.stderr
    return errors[0]


# --- output folder ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_read_only_output_folder_is_one_line_and_keeps_previous_outputs(faults: dict[str, Case]) -> None:
    case = faults["read-only output folder"]
    result = case.ran()
    [(out, before)] = case.before.items()
    line = assert_one_error_line(result, only_line=True)
    assert str(out) in line, line
    assert any(hint in line for hint in ("--out", "permission", "writable")), line
    assert snapshot(out, recursive=True) == before  # nothing replaced, nothing added (no temporary, no cache folder)


@pytest.mark.slow
def test_output_folder_that_cannot_be_created_is_one_line(faults: dict[str, Case]) -> None:
    case = faults["missing output folder in a read-only one"]
    result = case.ran()
    [(parent, before)] = case.before.items()
    line = assert_one_error_line(result, only_line=True)
    assert str(parent / "new") in line and "--out" in line, line
    assert not (parent / "new").exists()
    assert snapshot(parent, recursive=True) == before


@pytest.mark.slow
def test_full_disk_is_one_error_line_and_keeps_previous_outputs(faults: dict[str, Case]) -> None:
    case = faults["full output disk"]
    result = case.ran()
    [(out, before)] = case.before.items()
    line = assert_one_error_line(result, only_line=False)  # a warning that the cache entry did not fit may precede
    assert str(out) in line and "space" in line, (case.how, line)
    after = snapshot(out, recursive=True)
    assert {name: data for name, data in after.items() if name in before} == before, "previous outputs changed"
    assert set(after) - set(before) <= {p for p in after if p.startswith(".kg-cache/") and p.endswith(".json")}
    assert temporaries(out) == []


# --- cache folder: the build goes on without it ----------------------------------------------------------------------

def _assert_built_with_one_cache_warning(case: Case, reason: str) -> None:
    result = case.ran()
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("warning: cannot write the cache (") and "building without it" in lines[0], lines[0]
    assert reason in lines[0], (case.how, lines[0])
    out = Path(case.args[case.args.index("--out") + 1])
    assert {"graph.ttl", "graph.nt", "summary.json"} <= {p.name for p in out.iterdir()}
    assert "interviews  1" in result.stdout
    [(cache, before)] = case.before.items()
    assert snapshot(cache, recursive=True) == before
    assert temporaries(cache) == []


@pytest.mark.slow
def test_read_only_cache_folder_builds_with_one_warning(faults: dict[str, Case]) -> None:
    case = faults["read-only cache folder"]
    _assert_built_with_one_cache_warning(case, "Read-only file system" if "tmpfs" in case.how else "Permission denied")


@pytest.mark.slow
def test_full_cache_disk_builds_with_one_warning_and_no_temporary(faults: dict[str, Case]) -> None:
    _assert_built_with_one_cache_warning(faults["full cache disk"], "No space left on device")


# --- temporaries a killed cache writer left --------------------------------------------------------------------------

def _age(path: Path, seconds: float) -> Path:
    t = time.time() - seconds
    os.utime(path, (t, t))
    return path


def test_opening_the_cache_removes_stale_temporaries_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = cache / ".entry.k1ll3d.tmp"  # a writer killed mid-write, a quarter of an hour ago
    stale.write_bytes(b'{"schema": 1, "key": "half')
    _age(stale, STALE_TEMP_S + 60)
    empty = _age(_touch(cache / ".entry.x9.tmp"), 24 * 3600)
    live = _touch(cache / ".entry.l1ve.tmp")  # a concurrent build writing its entry right now
    recent = _age(_touch(cache / ".entry.r3c.tmp"), STALE_TEMP_S / 2)
    entry = _age(_touch(cache / ("0" * 64 + ".json")), 24 * 3600)
    other = _age(_touch(cache / ".notes.tmp"), 24 * 3600)
    folder = cache / ".entry.dir.tmp"
    folder.mkdir()
    _age(folder, 24 * 3600)

    ExtractionCache(cache)

    assert not stale.exists() and not empty.exists()
    assert live.exists() and recent.exists() and entry.exists() and other.exists() and folder.is_dir()


def test_stale_temporaries_are_counted_from_the_given_age(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "not-yet")  # a missing folder is fine
    cache.folder.mkdir()
    temp = _age(_touch(cache.folder / ".entry.abc.tmp"), 5)
    assert cache.remove_stale_temps(older_than_s=60) == []
    assert cache.remove_stale_temps(older_than_s=1) == [temp] and not temp.exists()


def test_a_cache_on_a_read_only_folder_opens_without_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = _age(_touch(cache / ".entry.old.tmp"), STALE_TEMP_S * 2)

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "unlink", refuse)
    assert ExtractionCache(cache).remove_stale_temps() == []
    assert stale.exists()


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def test_cache_survives_output_code_changes_but_not_extraction_code_changes(tmp_path: Path) -> None:
    """Changing how RDF or HTML is written must not throw away hours of extraction; changing extraction must."""
    import shutil

    import kg
    from kg.cache import extraction_code_digest

    tree = tmp_path / "kg"
    shutil.copytree(Path(kg.__file__).parent, tree, ignore=shutil.ignore_patterns("__pycache__"))
    before = extraction_code_digest(tree)
    (tree / "rdf" / "write.py").write_text((tree / "rdf" / "write.py").read_text() + "\n# changed\n")
    (tree / "page" / "render.py").write_text((tree / "page" / "render.py").read_text() + "\n# changed\n")
    assert extraction_code_digest(tree) == before
    (tree / "extract" / "rules.py").write_text((tree / "extract" / "rules.py").read_text() + "\n# changed\n")
    assert extraction_code_digest(tree) != before
    changed = extraction_code_digest(tree)
    model = tree / "extract" / "data" / "typing-model.json"
    model.write_text(model.read_text().replace('"version": 1', '"version":  1'))  # a retrained model changes extraction
    assert extraction_code_digest(tree) != changed
