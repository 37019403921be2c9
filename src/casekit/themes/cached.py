"""The workspace's theme model, fitted once per content: `current_themes` fits or reads it back.

Why: `casekit run` needs the theme map in two notebooks (the themes report and every ranking report's
map), and fitting it is the slowest step of a report (Kiwi, the k search): fitted once in the parent
process and saved with a digest of what it was fitted on, each notebook reads it back in milliseconds,
so the notebooks no longer wait for one another and no kernel loads Kiwi for it. A saved model is
reused only while the digest matches: the case files' bytes, the fit's parameters, and the versions of
the code and libraries that decide the result. A changed case, a changed parameter or an upgraded
casekit refits.

The digest lives beside the model (`<workspace>/themes/<name>/inputs.txt`), removed before the model is
rewritten and written after, so a fit cut short leaves no digest and is redone.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from casekit import __version__
from casekit.errors import CasekitError
from casekit.store import Workspace, atomic_write_text
from casekit.themes.model import MODEL_FORMAT, ThemeModel
from casekit.themes.units import Level

DIGEST_FILE = "inputs.txt"
#: Libraries whose version can change a fit (the clusterer, the embedder, the Korean analyzer).
_LIBRARIES = ("numpy", "scikit-learn", "scipy", "kiwipiepy")
#: casekit's own modules a fit runs through; their bytes enter the digest, so editing one refits.
_CODE = (
    "themes/fit.py",
    "themes/cluster.py",
    "themes/labels.py",
    "themes/units.py",
    "themes/model.py",
    "embed/corpus.py",
    "embed/base.py",
    "korean.py",
)


def _library_versions() -> str:
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return ";".join(versions)


def themes_digest(ws: Workspace, *, level: Level, method: str, k: int | str | None, seed: int) -> str:
    """The digest of everything a fit of the workspace's themes depends on (see the module docstring)."""
    digest = hashlib.sha256()
    digest.update(f"casekit {__version__} format {MODEL_FORMAT}; {_library_versions()};".encode())
    package = Path(__file__).resolve().parents[1]
    for name in _CODE:
        path = package / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    digest.update(f"level={level};method={method};k={k};seed={seed};".encode())
    for case_id in ws.case_ids():
        digest.update(case_id.encode() + b"\0" + ws.case_path(case_id).read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def current_themes(
    workspace: Workspace | str | Path | None = None,
    *,
    level: Level = "case",
    method: str = "kmeans",
    k: int | str | None = "auto",
    seed: int = 0,
    threads: int | None = 1,
) -> ThemeModel:
    """The workspace's theme model for these parameters: the saved one when its digest matches, else a
    fresh fit of every case, saved with its digest.

    `threads` caps the BLAS/OpenMP threads of the fit (measured on 400 cases on 2 cores: one thread
    takes about half the CPU time of the default and gives the identical model); None leaves them alone.
    """
    from casekit.themes.fit import fit_themes  # scikit-learn and Kiwi: only when a fit is needed

    ws = Workspace.resolve(workspace)
    k = "auto" if k in (None, "auto") else int(k)
    digest = themes_digest(ws, level=level, method=method, k=k, seed=seed)
    directory = ws.themes_dir / level
    stamp = directory / DIGEST_FILE
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        try:
            return ThemeModel.load(ws, level)
        except CasekitError:
            pass  # damaged: fit again below
    cases = ws.load_cases()
    if threads is None:
        model = fit_themes(cases, level=level, method=method, k=k, seed=seed)
    else:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=threads):
            model = fit_themes(cases, level=level, method=method, k=k, seed=seed)
    stamp.unlink(missing_ok=True)
    model.save(ws, level)
    atomic_write_text(stamp, digest + "\n")
    return model
