"""Lay out the development corpus of public course material under ``results/corpus/<course>/<exercise>/``.

Issue #19 (``rnncore add matlab_ref/<folder>/`` for a whole course folder) is developed against
real course folders: driver scripts, many function files, data files. This script builds them from
sources pinned by commit, so that every machine measures the same files:

* ``stanford_dl``: the exercises of the Stanford deep-learning tutorial (UFLDL, repository
  ``amaas/stanford_dl_ex``, MIT licence). The original leaves the function bodies blank ("YOUR CODE
  HERE"); the corpus takes them from a student's public fork that completed ``ex1``,
  ``multilayer_supervised`` and ``cnn`` (``rdspring1/stanford_dl_ex``, pinned at the commit
  "Success CNN passes", before the fork's own LSH experiments). ``pca``, ``rica`` and ``stl`` are
  as the tutorial ships them (still blank). The folders keep the tutorial's layout: the scripts
  reach ``../common`` and ``../common/minFunc_2012/minFunc`` with ``addpath``.
* ``prmlt``: Mo Chen's Pattern Recognition and Machine Learning Toolbox (``PRML/PRMLT``, MIT
  licence), the MATLAB companion of Bishop's PRML course book: one folder per chapter holding the
  chapter's demo scripts (the drivers) and every function file they reach, transitively, from the
  toolbox (MATLAB finds them beside the script; the original relies on an ``addpath(genpath(...))``
  of the whole toolbox).

Where the files come from. CI machines and most developers' machines reach PyPI, Debian and npm
but not GitHub, so the repository keeps a copy of every corpus file (both licences allow it; the
licence and the source commit are beside them) in ``tests/fixtures/corpus/<course>/``, and
``tests/fixtures/corpus/manifest.json`` pins each file: source repository, commit (40 hex digits),
path in that repository, size and sha256. Every mode checks every file against the manifest:

    python benchmarks/corpus/fetch_corpus.py                    # from tests/fixtures/corpus (default)
    python benchmarks/corpus/fetch_corpus.py --from-github      # from GitHub at the pinned commits
    python benchmarks/corpus/fetch_corpus.py --from-github --mirror PRML/PRMLT=/path/to/clone/.git
    python benchmarks/corpus/fetch_corpus.py --verify           # only check the kept copies
    python benchmarks/corpus/fetch_corpus.py --pin --mirror OWNER/NAME=GITDIR ...   # maintainers:
        # select the files again from the pinned commits, rewrite the kept copies and the manifest

Data. Files above ~200 KB are not kept. The tutorial's MNIST files (``common/*-idx?-ubyte``, 47 MB,
downloaded separately by its students) are replaced by stand-ins generated here, never kept: the
same IDX format, file names and counts (60000 training and 10000 test images of 28x28 seeded random
pixels, labels 0-9 cycling), because the scripts index them by those counts (``cnnExercise``
reshapes to 28x28x60000, ``stlExercise`` takes images 1 to 50000); their accuracies mean nothing
(``--no-standins`` leaves them out; the folders then need the real data, as ``needs_data`` in the
manifest says).
``ex1/housing.data`` (UCI Boston housing, 49 KB, shipped with the tutorial) is kept as is.

Exit status 0 when the corpus is laid out (or verified); 1 with one sentence naming the file when a
file is missing or differs from its pin; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"
MANIFEST = FIXTURES / "manifest.json"
DEFAULT_OUT = ROOT / "results" / "corpus"
MAX_BYTES = 200_000  # a kept file above this is data the repository should not carry
FORMAT = "rnncore-corpus/1"


class CorpusError(Exception):
    """A file is missing or differs from its pin; the message names it."""


@dataclass(frozen=True)
class Course:
    name: str
    repo: str  # owner/name on GitHub
    commit: str  # 40 hex digits
    upstream: str  # where the material comes from, when ``repo`` is a fork (owner/name@commit)
    licence: str  # path of the licence file in the repository
    note: str


COURSES = (
    Course("stanford_dl", "rdspring1/stanford_dl_ex", "89777112442aa1632755f1ff7105ee6c7a767f81",
           "amaas/stanford_dl_ex@ada80266fe573cfef31c1a6c5624bd158aa73c0a", "LICENSE",
           "Stanford UFLDL deep-learning tutorial exercises, completed by a student (ex1, multilayer_supervised, "
           "cnn); pca, rica and stl as the tutorial ships them (blank)."),
    Course("prmlt", "PRML/PRMLT", "baac49f643db6b39e75307d3b21307b32b29a7a9", "", "LICENSE",
           "Pattern Recognition and Machine Learning Toolbox (Mo Chen), companion of Bishop's PRML: per chapter, "
           "the demo scripts and the toolbox functions they reach."),
)

STANFORD_FOLDERS = ("ex1", "multilayer_supervised", "cnn", "pca", "rica", "stl", "common")
# The tutorial's MNIST files: too big to keep (47 MB), replaced by generated stand-ins of the same counts.
MNIST = {"train": 60000, "t10k": 10000}


# --------------------------------------------------------------------------- reading a pinned commit


class GitTree:
    """The files of one commit of a git repository (a local clone, or fetched from GitHub)."""

    def __init__(self, git_dir: Path, commit: str):
        self.git_dir, self.commit = git_dir, commit
        self.paths = self._git("ls-tree", "-r", "--name-only", commit).decode().splitlines()

    def _git(self, *args: str) -> bytes:
        proc = subprocess.run(["git", "--git-dir", str(self.git_dir), *args], stdin=subprocess.DEVNULL,
                              capture_output=True)
        if proc.returncode != 0:
            raise CorpusError(f"git {' '.join(args)} in {self.git_dir} failed: "
                              f"{proc.stderr.decode(errors='replace').strip()}")
        return proc.stdout

    def read(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")

    def size(self, path: str) -> int:
        return int(self._git("cat-file", "-s", f"{self.commit}:{path}").decode())


def fetch_github(repo: str, commit: str, into: Path) -> Path:
    """A bare git directory holding ``commit`` of ``github.com/<repo>`` (one shallow fetch)."""
    git_dir = into / repo.replace("/", "+")
    subprocess.run(["git", "init", "--bare", "-q", str(git_dir)], check=True, stdin=subprocess.DEVNULL)
    proc = subprocess.run(["git", "--git-dir", str(git_dir), "fetch", "-q", "--depth", "1",
                           f"https://github.com/{repo}.git", commit], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    if proc.returncode != 0:
        raise CorpusError(f"cannot fetch {repo}@{commit} from GitHub ({proc.stderr.strip() or 'no detail'}); "
                          f"without GitHub, lay the corpus out from the kept copies (no --from-github)")
    return git_dir


# --------------------------------------------------------------------------- choosing the files (--pin)


def _select_stanford(tree: GitTree) -> dict[str, str]:
    """layout path -> source path: the tutorial's folders, .m files and small data, no compiled MEX."""
    chosen = {}
    for path in tree.paths:
        top = path.split("/", 1)[0]
        if top not in STANFORD_FOLDERS or "/compiled/" in path or "/mex/" in path:
            continue
        if path.endswith(".m") or path in ("ex1/housing.data", "rica/readme.txt"):
            chosen[path] = path
    return chosen


def _select_prmlt(tree: GitTree, workdir: Path) -> dict[str, str]:
    """layout path -> source path: ``chNN/`` = demo/chNN's scripts and data + every toolbox function file
    they reach (names found by rnncore's pre-flight scanner, followed transitively)."""
    from rnncore.engine.preflight import scan_m_file

    functions: dict[str, str] = {}
    for path in tree.paths:
        if path.endswith(".m") and path.split("/", 1)[0].startswith(("chapter", "common")):
            stem = Path(path).stem
            if stem in functions:
                raise CorpusError(f"PRMLT has two function files named {stem}.m ({functions[stem]}, {path})")
            functions[stem] = path
    calls: dict[str, set[str]] = {}

    def called(path: str) -> set[str]:
        if path not in calls:
            local = workdir / path
            local.parent.mkdir(parents=True, exist_ok=True)
            local.write_bytes(tree.read(path))
            calls[path] = set(scan_m_file(local).called)
        return calls[path]

    chosen = {}
    demos = sorted({p.split("/")[1] for p in tree.paths if p.startswith("demo/ch")})
    for chapter in demos:
        sources = [p for p in tree.paths if p.startswith(f"demo/{chapter}/")]
        for path in sources:
            chosen[f"{chapter}/{Path(path).name}"] = path
        todo = [p for p in sources if p.endswith(".m")]
        reached: set[str] = set()
        while todo:
            for name in sorted(called(todo.pop())):
                if name in functions and functions[name] not in reached:
                    reached.add(functions[name])
                    todo.append(functions[name])
        for path in sorted(reached):
            chosen[f"{chapter}/{Path(path).name}"] = path
    return chosen


def pin(mirrors: dict[str, Path]) -> dict:
    """Select the files again from the pinned commits, rewrite the kept copies and return the manifest."""
    manifest = {"format": FORMAT, "courses": []}
    with tempfile.TemporaryDirectory(prefix="rnncore-corpus-") as tmp:
        for course in COURSES:
            git_dir = mirrors.get(course.repo) or fetch_github(course.repo, course.commit, Path(tmp))
            tree = GitTree(git_dir, course.commit)
            if course.name == "stanford_dl":
                chosen = _select_stanford(tree)
            else:
                chosen = _select_prmlt(tree, Path(tmp) / "scan" / course.name)
            target = FIXTURES / course.name
            shutil.rmtree(target, ignore_errors=True)
            files = []
            for layout in sorted(chosen):
                source = chosen[layout]
                data = tree.read(source)
                if len(data) > MAX_BYTES:
                    raise CorpusError(f"{course.repo}@{course.commit}:{source} is {len(data)} bytes, above the "
                                      f"{MAX_BYTES}-byte limit for a kept file")
                (target / layout).parent.mkdir(parents=True, exist_ok=True)
                (target / layout).write_bytes(data)
                files.append({"path": layout, "source": source, "bytes": len(data),
                              "sha256": hashlib.sha256(data).hexdigest()})
            licence = tree.read(course.licence)
            (target / "LICENSE").write_bytes(licence)
            (target / "CREDITS.md").write_text(_credits(course), encoding="utf-8")
            entry = {"name": course.name, "repo": course.repo, "commit": course.commit, "upstream": course.upstream,
                     "licence": {"path": course.licence, "sha256": hashlib.sha256(licence).hexdigest()},
                     "note": course.note, "needs_data": _needs_data(course), "files": files}
            manifest["courses"].append(entry)
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _needs_data(course: Course) -> list[dict]:
    if course.name != "stanford_dl":
        return []
    return [{"path": f"common/{kind}-{part}", "why": "MNIST (47 MB in all), downloaded by the tutorial's students; "
             "replaced by a generated stand-in unless --no-standins"}
            for kind in MNIST for part in ("images-idx3-ubyte", "labels-idx1-ubyte")]


def _credits(course: Course) -> str:
    upstream = f"\nOriginal material: `{course.upstream}`.\n" if course.upstream else "\n"
    return (f"# {course.name}\n\n{course.note}\n\nCopied unchanged from `{course.repo}` at commit `{course.commit}` "
            f"under the licence in `LICENSE` (the repository's `{course.licence}`).{upstream}\n"
            f"Laid out by `benchmarks/corpus/fetch_corpus.py`; `../manifest.json` gives each file's source path "
            f"and sha256. The folders are the corpus's layout, not the repository's.\n")


# --------------------------------------------------------------------------- laying out


def load_manifest() -> dict:
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{MANIFEST}: cannot read the corpus manifest ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise CorpusError(f"{MANIFEST}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    return manifest


def _check(data: bytes | None, entry: dict, course: dict, where: str) -> bytes:
    label = f"{course['name']}/{entry['path']} ({course['repo']}@{course['commit']}:{entry['source']})"
    if data is None:
        raise CorpusError(f"{label}: missing from {where}")
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        raise CorpusError(f"{label}: sha256 {digest} in {where} differs from the pinned {entry['sha256']}")
    return data


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def verify(manifest: dict) -> int:
    """Check every kept copy against its pin; the number of files checked."""
    n = 0
    for course in manifest["courses"]:
        folder = FIXTURES / course["name"]
        kept = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"LICENSE", "CREDITS.md"}
        extra = sorted(kept - {e["path"] for e in course["files"]})
        if extra:
            raise CorpusError(f"{folder / extra[0]}: kept but not in {MANIFEST.name}")
        licence = _read_or_none(folder / "LICENSE")
        if licence is None or hashlib.sha256(licence).hexdigest() != course["licence"]["sha256"]:
            raise CorpusError(f"{folder / 'LICENSE'}: missing or differs from "
                              f"{course['repo']}:{course['licence']['path']}")
        for entry in course["files"]:
            _check(_read_or_none(folder / entry["path"]), entry, course, str(FIXTURES))
            n += 1
    return n


def layout(manifest: dict, out: Path, *, from_github: bool, mirrors: dict[str, Path], standins: bool) -> int:
    """Write every course's folders under ``out`` (replacing them); the number of files written."""
    n = 0
    with tempfile.TemporaryDirectory(prefix="rnncore-corpus-") as tmp:
        for course in manifest["courses"]:
            if from_github:
                git_dir = mirrors.get(course["repo"]) or fetch_github(course["repo"], course["commit"], Path(tmp))
                tree = GitTree(git_dir, course["commit"])
                read, where = (lambda e: tree.read(e["source"]) if e["source"] in tree.paths else None), \
                    f"{course['repo']}@{course['commit']}"
            else:
                folder = FIXTURES / course["name"]
                read, where = (lambda e, f=folder: _read_or_none(f / e["path"])), str(FIXTURES)
            files = {e["path"]: _check(read(e), e, course, where) for e in course["files"]}
            target = out / course["name"]
            shutil.rmtree(target, ignore_errors=True)
            for path, data in files.items():
                (target / path).parent.mkdir(parents=True, exist_ok=True)
                (target / path).write_bytes(data)
                n += 1
            shutil.copy2(FIXTURES / course["name"] / "LICENSE", target / "LICENSE")
            shutil.copy2(FIXTURES / course["name"] / "CREDITS.md", target / "CREDITS.md")
            if standins and course["needs_data"]:
                for kind, count in MNIST.items():
                    images, labels = mnist_standin(count, seed=len(kind))
                    (target / "common" / f"{kind}-images-idx3-ubyte").write_bytes(images)
                    (target / "common" / f"{kind}-labels-idx1-ubyte").write_bytes(labels)
                    n += 2
    return n


def mnist_standin(count: int, *, seed: int) -> tuple[bytes, bytes]:
    """``count`` 28x28 images of seeded random pixels and labels 0..9 cycling, in MNIST's IDX format
    (big-endian header: magic, count, rows, cols; then unsigned bytes), the bytes the course's
    ``loadMNISTImages``/``loadMNISTLabels`` read. Generated, so no data set's licence applies."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
    labels = (np.arange(count) % 10).astype(np.uint8)
    images = struct.pack(">IIII", 2051, count, 28, 28) + pixels.tobytes()
    return images, struct.pack(">II", 2049, count) + labels.tobytes()


# --------------------------------------------------------------------------- command line


def _mirrors(items) -> dict[str, Path]:
    out = {}
    for item in items or ():
        repo, sep, path = item.partition("=")
        if not sep or repo.count("/") != 1:
            raise SystemExit(f"fetch_corpus: error: --mirror {item!r}: expected OWNER/NAME=GITDIR")
        out[repo] = Path(path)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to lay the corpus out (default results/corpus)")
    p.add_argument("--from-github", action="store_true", help="read the pinned commits from GitHub (or --mirror)")
    p.add_argument("--mirror", action="append", metavar="OWNER/NAME=GITDIR",
                   help="a local git directory holding a course's pinned commit (instead of GitHub)")
    p.add_argument("--no-standins", action="store_true", help="do not generate the MNIST stand-ins")
    p.add_argument("--verify", action="store_true", help="only check the kept copies against the manifest")
    p.add_argument("--pin", action="store_true", help="maintainers: select the files again and rewrite the kept "
                                                     "copies and the manifest")
    args = p.parse_args(argv)
    mirrors = _mirrors(args.mirror)
    try:
        if args.pin:
            manifest = pin(mirrors)
            print(f"pinned {sum(len(c['files']) for c in manifest['courses'])} files in {MANIFEST}")
            return 0
        manifest = load_manifest()
        if args.verify:
            print(f"{verify(manifest)} kept corpus files match {MANIFEST.relative_to(ROOT)}")
            return 0
        n = layout(manifest, args.out, from_github=args.from_github or bool(mirrors), mirrors=mirrors,
                   standins=not args.no_standins)
    except CorpusError as exc:
        print(f"fetch_corpus: error: {exc}", file=sys.stderr)
        return 1
    print(f"laid out {n} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
