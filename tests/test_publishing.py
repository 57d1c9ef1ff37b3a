"""Hosting: the Read the Docs configuration and the CI workflow pass their linters."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from build_tools.pipeline.config import ROOT

BIN = Path(sys.executable).parent
READTHEDOCS = ROOT / ".readthedocs.yaml"
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def _check_readthedocs(path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.readthedocs", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "actionlint"), "-no-color", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)


def test_readthedocs_config_passes_the_bundled_schema(tmp_path: Path) -> None:
    result = _check_readthedocs(READTHEDOCS)
    assert result.returncode == 0, result.stdout + result.stderr

    config = yaml.safe_load(READTHEDOCS.read_text(encoding="utf-8"))
    assert config["version"] == 2
    commands = "\n".join(config["build"]["commands"])
    assert "python -m build_tools build" in commands  # our pipeline, not Read the Docs' Sphinx
    for folder in ("html", "epub", "pdf", "htmlzip"):
        assert f'"$READTHEDOCS_OUTPUT/{folder}/"' in commands
    assert "! -name '*-teacher.pdf'" in commands  # the answers stay off the public site
    # the Debian packages of `make book`: fonts, no TeX Live (Typst compiles the PDFs)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    book_packages = re.search(r"^BOOK_PACKAGES := (.*)$", makefile, re.MULTILINE)
    assert book_packages is not None
    assert config["build"]["apt_packages"] == book_packages.group(1).split()

    config["build"]["os"] = "windows-2022"  # the schema does reject a wrong file
    broken = tmp_path / ".readthedocs.yaml"
    broken.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert _check_readthedocs(broken).returncode != 0


def test_the_workflow_passes_actionlint(tmp_path: Path) -> None:
    result = _actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    assert "make test" in str(jobs["test"]["steps"])
    # the matrix comes from the folder, through the shelf's own list of articles
    assert jobs["book"]["strategy"]["matrix"]["article"] == (
        "${{ fromJSON(needs.articles.outputs.names) }}"
    )
    assert "shelf --list --seeds seeds" in str(jobs["articles"]["steps"])
    assert "shelf --index-only" in str(jobs["pages"]["steps"])

    broken = tmp_path / "book.yml"  # actionlint does reject a wrong file
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("needs.articles.outputs.names", "needs.articles.outputs.nmes"))
    assert _actionlint(broken).returncode != 0


def test_ci_lists_the_articles_of_the_folder() -> None:
    # what the workflow's first job runs: the standard library only (-S: no site-packages)
    command = [sys.executable, "-S", "-E", "-m", "build_tools", "shelf", "--list", "--seeds"]
    result = subprocess.run(
        [*command, str(ROOT / "tests" / "fixtures")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '["berlin-airlift", "crimean-war", "hostile-typst", "hostile"]'
