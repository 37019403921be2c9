"""Ingest never loses a submission: the losses a tester found, each reproduced on real-shaped files.

Written against `casekit.pipeline.ingest` and `Workspace` as they were before the archive rework, so
each test also shows the loss on the code before it (where the API allowed).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from casekit.pipeline import ingest
from casekit.store import Workspace
from tests.ingest.test_readers import FORM

REPO = Path(__file__).resolve().parents[1]


def _form(
    municipality: str = "진안군", title: str = "마을이 살아나는 진안형 마을만들기", n: int = 120
) -> str:
    return (
        FORM.replace("진안군", municipality)
        .replace("마을이 살아나는 진안형 마을만들기", title)
        .replace("120개소", f"{n}개소")
    )


def _folder(root: Path, count: int, prefix: str = "sub") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        (root / f"{prefix}_{index:04d}.txt").write_text(_form(n=100 + index), encoding="utf-8")
    return root


def _metric_case_ids(ws: Workspace) -> set[str]:
    return {row["case_id"] for row in ws.metric_rows()}


def _env() -> dict[str, str]:
    """The child processes run the casekit these tests import."""
    import casekit

    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(casekit.__file__).parents[1]), str(REPO)]))


_INGEST = "import sys\nfrom casekit.pipeline import ingest\ningest(sys.argv[2:], sys.argv[1])\n"


# -- two submissions with one file name --------------------------------------------------------


def test_same_file_name_in_two_folders_gives_two_cases_with_stable_ids(tmp_path):
    inputs = tmp_path / "in"
    for folder, title in (("A", "마을이 살아나는 진안형 마을만들기"), ("B", "청년이 돌아오는 진안 청년마을")):
        (inputs / folder).mkdir(parents=True)
        (inputs / folder / "소개서.txt").write_text(_form(title=title), encoding="utf-8")
    ws = Workspace(tmp_path / "ws")
    first = ingest([inputs], ws)
    assert len(first.case_ids) == len(set(first.case_ids)) == 2
    assert sorted(c.title for c in ws.iter_cases()) == sorted(
        ["마을이 살아나는 진안형 마을만들기", "청년이 돌아오는 진안 청년마을"]
    )
    again = ingest([inputs], ws)
    assert {f.status for f in again.files} == {"unchanged"}
    assert again.case_ids == first.case_ids
    forced = ingest([inputs], ws, force=True)
    assert forced.case_ids == first.case_ids and len(ws.case_ids()) == 2
    assert _metric_case_ids(ws) == set(ws.case_ids())


def test_the_seed_books_ids_are_the_plain_ones(tmp_path, seed_path, seed_cases):
    ws = Workspace(tmp_path / "ws")
    report = ingest([seed_path], ws)
    assert report.case_ids == [case.id for case in seed_cases]


# -- two ingests at once -----------------------------------------------------------------------


def test_two_ingests_into_one_workspace_keep_every_file(tmp_path):
    left = _folder(tmp_path / "left", 120, "left")
    right = _folder(tmp_path / "right", 120, "right")
    ws = Workspace(tmp_path / "ws")
    processes = [
        subprocess.Popen([sys.executable, "-c", _INGEST, str(ws.root), str(folder)], env=_env())
        for folder in (left, right)
    ]
    assert [process.wait(timeout=300) for process in processes] == [0, 0]
    assert len(ws.case_ids()) == 240
    on_disk = {
        json.loads(line)["case_id"] for line in ws.metrics_path.read_text(encoding="utf-8").splitlines()
    }
    assert on_disk == set(ws.case_ids())
    again = ingest([left, right], ws)
    assert {f.status for f in again.files} == {"unchanged"} and len(again.files) == 240


# -- a killed ingest -----------------------------------------------------------------------------


def test_a_killed_ingest_leaves_no_case_without_metrics_and_the_next_run_completes(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ingest([_folder(tmp_path / "year1", 20, "y1")], ws)
    year2 = _folder(tmp_path / "year2", 800, "y2")
    process = subprocess.Popen([sys.executable, "-c", _INGEST, str(ws.root), str(year2)], env=_env())
    deadline = time.monotonic() + 120
    while len(ws.case_ids()) < 80 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 20 < len(ws.case_ids()) < 820, "the ingest was not killed mid-way"
    # Readers (pre-scores among them) see every case with its metrics, even before the next run.
    assert _metric_case_ids(ws) == set(ws.case_ids())
    report = ingest([tmp_path / "year1", year2], ws)
    assert not report.failed and len(ws.case_ids()) == 820
    assert _metric_case_ids(ws) == set(ws.case_ids())
    assert {f.status for f in ingest([tmp_path / "year1", year2], ws).files} == {"unchanged"}


def test_temporary_files_a_killed_run_left_are_removed(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ingest([_folder(tmp_path / "in", 2)], ws)
    leftovers = [ws.cases_dir / "._sources.json.k2j4h1x9", ws.cases_dir / ".진안군-5a0c3e.json.a8d7f6q1"]
    for leftover in leftovers:
        leftover.write_text('{"half": ', encoding="utf-8")
    ingest([tmp_path / "in"], ws)
    assert not any(leftover.exists() for leftover in leftovers)
    assert len(ws.case_ids()) == 2


# -- hostile and damaged files -------------------------------------------------------------------


def _hwpx_with(path: Path, section_xml: bytes) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", section_xml)


def test_an_hwpx_zip_bomb_is_refused_and_the_files_after_it_are_read(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    xml = b'<?xml version="1.0"?><hs:sec xmlns:hs="s">' + b" " * (40 * 1024 * 1024) + b"</hs:sec>"
    _hwpx_with(inputs / "a_bomb.hwpx", xml)
    assert (inputs / "a_bomb.hwpx").stat().st_size < 200_000
    (inputs / "b_good.txt").write_text(_form(), encoding="utf-8")
    report = ingest([inputs], Workspace(tmp_path / "ws"))
    [bomb] = report.failed
    assert bomb.path.endswith("a_bomb.hwpx") and "zip bomb" in bomb.reason
    assert [Path(f.path).name for f in report.readable] == ["b_good.txt"]


def test_hwpx_xml_declaring_entities_is_refused(tmp_path):
    xml = (
        '<?xml version="1.0"?><!DOCTYPE sec [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        '<hs:sec xmlns:hs="s" xmlns:hp="p"><hp:p><hp:run><hp:t>&b;&b; 진안군</hp:t></hp:run></hp:p></hs:sec>'
    ).encode()
    _hwpx_with(tmp_path / "entities.hwpx", xml)
    report = ingest([tmp_path / "entities.hwpx"], Workspace(tmp_path / "ws"))
    [refused] = report.failed
    assert "DOCTYPE" in refused.reason


def test_a_file_over_the_size_limit_is_refused_by_name_and_the_batch_goes_on(tmp_path):
    inputs = _folder(tmp_path / "in", 2)
    (inputs / "sub_0000.txt").write_text(_form() * 400, encoding="utf-8")  # ≈ 190 KB
    report = ingest([inputs], Workspace(tmp_path / "ws"), max_bytes=100_000)
    [big] = report.failed
    assert big.path.endswith("sub_0000.txt") and "limit" in big.reason and "MB" in big.reason
    assert len(report.case_ids) == 1


def test_running_out_of_memory_on_one_file_does_not_abort_the_batch(tmp_path, monkeypatch):
    from casekit.ingest import readers

    original = readers.decode_text

    def decode(data, path):  # type: ignore[no-untyped-def]
        if Path(path).name == "sub_0001.txt":
            raise MemoryError
        return original(data, path)

    monkeypatch.setattr(readers, "decode_text", decode)
    report = ingest([_folder(tmp_path / "in", 3)], Workspace(tmp_path / "ws"))
    [lost] = report.failed
    assert lost.path.endswith("sub_0001.txt") and "memory" in lost.reason
    assert len(report.case_ids) == 2


def test_a_text_with_a_few_stray_nul_bytes_is_read_as_text(tmp_path):
    data = bytearray(_form().encode("utf-8") * 20)
    for position in (100, 2_000, 4_000, 6_000, 8_000):
        data[position:position] = b"\x00"
    (tmp_path / "nul.txt").write_bytes(bytes(data))
    ws = Workspace(tmp_path / "ws")
    report = ingest([tmp_path / "nul.txt"], ws)
    assert not report.failed and report.case_ids
    assert all("\x00" not in line.text for case in ws.iter_cases() for line in case.lines)


def test_binary_data_is_still_refused(tmp_path):
    (tmp_path / "photo.txt").write_bytes(bytes(range(256)) * 64)
    report = ingest([tmp_path / "photo.txt"], Workspace(tmp_path / "ws"))
    assert [f.reason for f in report.failed] and "binary" in report.failed[0].reason


def test_a_symlink_leading_outside_the_folder_is_not_ingested(tmp_path):
    inputs = _folder(tmp_path / "in", 1)
    outside = tmp_path / "secret.txt"
    outside.write_text(_form(municipality="무주군"), encoding="utf-8")
    (inputs / "passwd.txt").symlink_to(outside)
    (inputs / "inside.txt").symlink_to(inputs / "sub_0000.txt")
    ws = Workspace(tmp_path / "ws")
    ingest([inputs], ws)
    assert not any(case.municipality == "무주군" for case in ws.iter_cases())
    assert len(ws.case_ids()) == 2  # a link within the folder is an ordinary file of it


@pytest.mark.parametrize("evil", ["evil\ningested  fake.txt: 99 case(s)", "ansi\x1b[2J\x1b[31mred"])
def test_file_names_are_printed_escaped(tmp_path, capsys, evil):
    from casekit.cli import main

    inputs = _folder(tmp_path / "in", 1)
    (inputs / f"{evil}.txt").write_text(_form(municipality="무주군"), encoding="utf-8")
    assert main(["ingest", str(inputs), "--workspace", str(tmp_path / "ws")]) == 0
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "\x1b" not in out
    assert not any(line.startswith("ingested  fake") for line in out.splitlines())
    assert ("\\x0a" in out) or ("\\x1b" in out)


# -- how the work is done: workers, the lock, nothing extracted twice ------------------------------


def _snapshot(ws: Workspace) -> tuple[dict[str, object], str]:
    cases = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in ws.cases_dir.glob("*.json")}
    return cases, ws.metrics_path.read_text(encoding="utf-8")


def test_worker_processes_give_what_one_process_gives(tmp_path, seed_path):
    inputs = _folder(tmp_path / "in", 40)
    one, two = Workspace(tmp_path / "one"), Workspace(tmp_path / "two")
    serial = ingest([inputs, seed_path], one, jobs=1)
    parallel = ingest([inputs, seed_path], two, jobs=2)
    assert parallel.case_ids == serial.case_ids and len(serial.case_ids) == 49
    assert _snapshot(one) == _snapshot(two)


def test_re_ingest_of_unchanged_files_extracts_nothing(tmp_path, monkeypatch):
    import casekit.archive
    import casekit.metrics

    inputs = _folder(tmp_path / "in", 5)
    ws = Workspace(tmp_path / "ws")
    first = ingest([inputs], ws)

    def refuse(case):  # type: ignore[no-untyped-def]
        raise AssertionError(f"{case.id} extracted again")

    monkeypatch.setattr(casekit.archive, "extract_metrics", refuse)
    monkeypatch.setattr(casekit.metrics, "extract_metrics", refuse)  # the store imports it on use
    again = ingest([inputs], ws)
    assert {f.status for f in again.files} == {"unchanged"}
    assert again.metrics_written == first.metrics_written == len(ws.metric_rows())


def test_a_second_ingest_waits_for_the_lock_and_then_runs(tmp_path):
    ws = Workspace(tmp_path / "ws")
    inputs = _folder(tmp_path / "in", 3)
    with ws.lock():
        process = subprocess.Popen(
            [sys.executable, "-c", _INGEST, str(ws.root), str(inputs)],
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=3)
        assert ws.case_ids() == []
    assert process.wait(timeout=120) == 0
    assert len(ws.case_ids()) == 3


def test_names_are_escaped_for_printing():
    from casekit.ingest import printable

    assert printable("A/소개서.txt") == "A/소개서.txt"
    assert printable("a\nb\x1b[31m\u202e") == "a\\x0ab\\x1b[31m\\u202e"


def _work_or_die(tasks):  # type: ignore[no-untyped-def]
    """A worker's batch, except that a file named *killer* kills the worker (as the OOM killer would)."""
    from casekit.archive import _process_batch

    if any("killer" in Path(task.path).name for task in tasks):
        os._exit(9)
    return _process_batch(tasks)


def test_a_worker_that_dies_loses_only_the_file_it_died_on(tmp_path):
    from casekit.archive import _run_pool, _Task

    inputs = _folder(tmp_path / "in", 12)
    (inputs / "sub_0005_killer.txt").write_text(_form(), encoding="utf-8")
    paths = sorted(inputs.iterdir())
    tasks = ((_Task(str(path), str(path), None, None), 200_000) for path in paths)  # two files a batch
    results = list(_run_pool(tasks, 2, work=_work_or_die))
    assert [Path(r.task.path).name for r in results] == [path.name for path in paths]
    assert [Path(r.task.path).name for r in results if r.status == "failed"] == ["sub_0005_killer.txt"]
    assert "died" in next(r.reason for r in results if r.status == "failed")
    assert all(r.cases for r in results if r.status != "failed")
