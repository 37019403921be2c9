"""The extractor compiled to C with mypyc, used when it was built from exactly the sources beside it.

`scripts/build_native.py` (run by `scripts/setup.sh`) compiles `units`, `patterns`, `grid`, `labels`, `tables` and
`extract` with mypyc — the same typed Python, about 1.25× faster on real case books — into
`<sys.prefix>/casekit-native/<digest of those sources>/`. The package loads that build before anything
imports the modules, and only when the digest matches the sources as they are now: edit a source and
the pure-Python modules are used until the build is run again, so a stale build can never answer for
new code. No compiler, no build, `CASEKIT_PURE=1`: the pure-Python modules, with identical results.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

#: The modules compiled, in the order they must be loaded (each imports the ones before it).
COMPILED = ("units", "patterns", "grid", "labels", "tables", "extract")
HERE = Path(__file__).resolve().parent
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def source_digest() -> str:
    """A digest of the compiled modules' sources and of the interpreter that would load the build."""
    digest = hashlib.sha256((sys.implementation.cache_tag or "").encode())
    for name in COMPILED:
        digest.update((HERE / f"{name}.py").read_bytes())
    return digest.hexdigest()[:20]


def build_dir() -> Path:
    return Path(sys.prefix) / "casekit-native" / source_digest()


def load() -> bool:
    """Put the compiled modules in `sys.modules` when a build for these very sources exists."""
    if os.environ.get("CASEKIT_PURE") or any(f"casekit.metrics.{name}" in sys.modules for name in COMPILED):
        return False
    try:
        where = build_dir()
    except OSError:
        return False
    modules = [where / "casekit" / "metrics" / f"{name}{SUFFIX}" for name in COMPILED]
    shared = sorted(where.glob(f"*__mypyc{SUFFIX}"))
    if not all(path.is_file() for path in modules):
        return False
    try:
        for path in shared:  # mypyc's shared library for the group: a top-level module of its own
            _load_extension(path.name[: -len(SUFFIX)], path)
        for name, path in zip(COMPILED, modules):
            _load_extension(f"casekit.metrics.{name}", path)
    except Exception:  # a build that does not load (another interpreter, a damaged file): pure Python
        for name in COMPILED:
            sys.modules.pop(f"casekit.metrics.{name}", None)
        return False
    return True


def _load_extension(name: str, path: Path) -> None:
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    package, _, attribute = name.rpartition(".")
    if package in sys.modules:
        setattr(sys.modules[package], attribute, module)
