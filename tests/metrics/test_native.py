"""The compiled extractor: loaded only for the very sources it was built from, and answering as pure Python does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casekit.metrics import _native
from tests.metrics.texts import WORK_REPORT


def _extract_in_subprocess(code: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "CASEKIT_PURE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**environment, **env}
    )
    return result.stdout


def test_compiled_and_pure_extractors_agree(seed_path: Path) -> None:
    # The mypyc build (when setup built one) must answer exactly as the Python it was compiled from.
    code = (
        "import json, sys; import casekit.metrics as m; "
        f"text = open({str(seed_path)!r}, encoding='utf-8').read() + '\\n' + {WORK_REPORT!r}; "
        "print(m.NATIVE); print(json.dumps([x.to_dict() for x in m.extract_from_text(text)], ensure_ascii=False))"
    )
    native_out = _extract_in_subprocess(code)
    pure_out = _extract_in_subprocess(code, CASEKIT_PURE="1")
    assert pure_out.splitlines()[0] == "False"
    assert native_out.splitlines()[1] == pure_out.splitlines()[1]


def test_a_build_of_other_sources_is_never_loaded(tmp_path: Path) -> None:

    real = _native.build_dir()
    if not real.is_dir():
        pytest.skip("no compiled build here (no C compiler or mypyc)")

    stale = tmp_path / "casekit-native" / ("0" * 20)  # a build whose digest is not these sources'
    shutil.copytree(real, stale)
    probe = f"import sys; sys.prefix = {str(tmp_path)!r}; import casekit.metrics as m; print(m.NATIVE)"
    assert _extract_in_subprocess(probe).strip() == "False"
    stale.rename(tmp_path / "casekit-native" / real.name)  # the same files under the right digest
    assert _extract_in_subprocess(probe).strip() == "True"


def test_a_damaged_build_falls_back_to_pure_python(tmp_path: Path) -> None:

    build = tmp_path / "casekit-native" / _native.build_dir().name / "casekit" / "metrics"
    build.mkdir(parents=True)
    for name in _native.COMPILED:
        (build / f"{name}{_native.SUFFIX}").write_bytes(b"not a shared library")
    probe = (
        f"import sys; sys.prefix = {str(tmp_path)!r}; import casekit.metrics as m; "
        "print(m.NATIVE, m.extract_from_text('참여 30명')[0].norm)"
    )
    assert _extract_in_subprocess(probe).split() == ["False", "30.0"]
