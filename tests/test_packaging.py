"""The wheel carries every data file the package reads (rule files, templates,
translations, policies): an installed consentgate (a Spark worker's, say) works like the
source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "consentgate"


def test_the_wheel_holds_every_data_file(tmp_path: Path) -> None:
    # from a clean copy: an earlier build's egg-info would list the files for setuptools
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "src", tree / "src",
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(out), str(tree)], check=True, capture_output=True, timeout=600)
    (wheel,) = out.glob("consentgate-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [p for p in PACKAGE.rglob("*") if p.is_file()
            and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert data
    missing = [str(p.relative_to(PACKAGE.parent)) for p in data
               if str(p.relative_to(PACKAGE.parent)) not in names]
    assert missing == []
