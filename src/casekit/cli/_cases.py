"""CLI commands of this area (see casekit.cli). Filled in as the area lands."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `casekit` parser."""
