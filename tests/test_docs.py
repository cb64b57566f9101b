"""The repository explains itself: docs/ARCHITECTURE.md exists and no file refers to design
or platform notes kept outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The notes the project started from lived beside the repository, not in it.
OUTSIDE = re.compile(r"\b(DESIGN|PLATFORM|STYLE|SEEDS)\.md\b|\bshared/")


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split("\n")
        return [ROOT / name for name in out if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an sdist)
        return [p for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts]


def test_the_architecture_document_exists_and_names_the_layers():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert "engine  ←  lessons  ←  session  ←  ui  ←  app" in text


def test_no_file_refers_to_documents_outside_the_repository():
    offenders = []
    for path in tracked_files():
        if path == Path(__file__).resolve() or path.suffix in (".png", ".svg", ".ico"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
