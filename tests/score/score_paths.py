"""Paths the scoring tests share (imported by name: the tests directories are not packages)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
MANIFESTO = REPO / "rubrics" / "manifesto_2017.yaml"
ACTIVE = REPO / "rubrics" / "active_admin.yaml"
