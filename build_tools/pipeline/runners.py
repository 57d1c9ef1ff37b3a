"""Run the build's tools: a Sphinx worker for each target, latexmk (or Typst) for each PDF.

Each target's Sphinx runs only when its source changed, each latexmk only when
its ``.tex`` input did (:mod:`build_tools.pipeline.plan` keeps the stamps).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from build_tools.article.render import BookInfo
from build_tools.pipeline.config import PAPERS, BuildConfig, StageError, StageLog, Target
from build_tools.pipeline.plan import (
    Stamp,
    code_fingerprint,
    latex_stamp,
    sphinx_code_changed,
    sphinx_stamp,
    typst_worksheets_stamp,
)
from build_tools.pipeline.processes import (
    Worker,
    assign,
    finish,
    latex_command,
    latex_environment,
    release,
    relevant_lines,
    sphinx_command,
    start,
    start_workers,
    stop,
)
from build_tools.pipeline.sources import write_configuration


@dataclass(frozen=True)
class LatexJob:
    """One latexmk run: its process (None: its input is unchanged) and its stamp."""

    name: str
    process: subprocess.Popen[str] | None
    stamp: Stamp
    started: float
    log: Path


@dataclass(frozen=True)
class _SphinxRun:
    """One target's Sphinx build: its worker (None: the target is unchanged) and its stamp."""

    process: Worker | None
    stamp: Stamp
    started: float


class Runners:
    """The Sphinx and LaTeX processes of one build: started early, all stopped at the end."""

    def __init__(self, config: BuildConfig, stage: StageLog) -> None:
        self.config = config
        self.stage = stage
        self.processes: list[Worker] = []
        self.workers: dict[Target, Worker] = {}  # Sphinx, importing itself
        self.commands: dict[Target, list[str]] = {}  # each target's Sphinx command line
        self.deferred: dict[Target, list[str]] = {}  # commands given after rendering

    def start_workers(self, targets: list[Target]) -> None:
        """Start a Sphinx worker for each target.

        Sphinx is imported once, then a worker forked for each target: each reads
        its configuration and saved environment while the book is rendered.
        """
        if not targets:
            return
        zygote, workers = start_workers(len(targets))
        self.workers = dict(zip(targets, workers, strict=True))
        # the workers first: stopping them ends the process that forked them
        self.processes += [*self.workers.values(), zygote]

    def stop(self) -> None:
        """Stop every process still running (after an interrupt or a failure)."""
        for process in self.processes:
            stop(process)

    def set_up_sphinx(self, targets: list[Target], info: BookInfo) -> None:
        """Write each target's configuration and give its worker the command line.

        ``conf.py`` reads ``_generated/book.json``: both are in place before
        Sphinx starts; the pages follow after rendering (:meth:`build`).
        """
        config = self.config
        work = config.work
        overrides = {"latex_elements.papersize": PAPERS[config.paper]}
        code = code_fingerprint()
        for target in targets:
            write_configuration(config, target, info)
            command = sphinx_command(
                target.builder,
                config.srcdir_of(target),
                work / target.name,
                work / f"doctrees-{target.name}",
                overrides=overrides if target.fmt == "pdf" else None,
                tags=target.tags,
            )
            self.commands[target] = command
            if sphinx_code_changed(config, target, code):
                # our extension, templates' code or Sphinx changed (or the last
                # build failed): Sphinx cannot see that, so read and write everything
                command = [*command[:-2], "-E", "-a", *command[-2:]]
            if target.builder == "latex":
                # conf.py sets the LaTeX list of figures by the figures the
                # render stage draws: LaTeX's Sphinx starts after rendering
                self.deferred[target] = command
            else:
                assign(self.workers[target], command)

    def build(self, targets: list[Target], worksheets: list[str]) -> None:
        """Run Sphinx for every target whose source changed, in parallel, then LaTeX.

        The worksheets need no Sphinx: their LaTeX (or Typst) runs beside the Sphinx builds.

        :param targets: the Sphinx targets asked for
        :param worksheets: the worksheets' ``.tex`` or ``.typ`` files (none: no exercises)
        :raises StageError: when a tool fails
        """
        running = self._start_sphinx(targets)
        if self.config.pdf_engine == "typst":
            jobs = [self._start_typst_worksheets(worksheets)] if worksheets else []
        else:
            jobs = [
                self._start_latex(f"worksheets ({texfile})", self.config.worksheet_folder, texfile)
                for texfile in worksheets
            ]
        books = self._finish_sphinx(running)
        for job in [*jobs, *books]:
            self._finish_latex(job)

    def _start_sphinx(self, targets: list[Target]) -> dict[Target, _SphinxRun]:
        """Let each target's worker build, or exit when the target's source is unchanged."""
        running: dict[Target, _SphinxRun] = {}
        code = code_fingerprint()
        for target in targets:
            stamp = sphinx_stamp(self.config, target, self.commands[target], code)
            sphinx = self.workers[target]
            if stamp.current:
                release(sphinx, build=False)
                running[target] = _SphinxRun(None, stamp, time.perf_counter())
                continue
            stamp.forget()
            if target.builder == "epub":
                # the EPUB zips every file of its folder: no image of an earlier build
                shutil.rmtree(self.config.work / target.name / "_images", ignore_errors=True)
            if target in self.deferred:
                assign(sphinx, self.deferred[target])
            release(sphinx, build=True)
            running[target] = _SphinxRun(sphinx, stamp, time.perf_counter())
        return running

    def _finish_sphinx(self, running: dict[Target, _SphinxRun]) -> list[LatexJob]:
        """Wait for each Sphinx build; start each PDF's latexmk once its ``.tex`` is written.

        :param running: each target's Sphinx build
        :return: the books' latexmk runs
        :raises StageError: for the first target that failed
        """
        failures: list[StageError] = []
        books: list[LatexJob] = []
        # the LaTeX targets first: each PDF's latexmk starts as soon as its own
        # Sphinx has written the .tex, while HTML and EPUB may still be building
        for target in sorted(running, key=lambda target: target.builder != "latex"):
            run = running[target]
            # a PDF target's stage is named by its engine: latex, latex-teacher, typst
            name = (
                target.name.replace("pdf", target.builder) if target.fmt == "pdf" else target.name
            )
            if run.process is not None:
                result = finish(run.process)
                if not result.ok:
                    failures.append(StageError(name, relevant_lines(result.output)))
                    continue
                run.stamp.record()
                self.stage(name, run.started)
            else:
                self.stage(name, run.started, "unchanged")
            if target.builder == "latex" and not failures:
                texfile = self.config.pdf_name(target).replace(".pdf", ".tex")
                folder = self.config.work / target.name
                books.append(self._start_latex(target.name, folder, texfile))
        if failures:
            raise failures[0]
        return books

    def _start_latex(self, name: str, folder: Path, texfile: str) -> LatexJob:
        """Start latexmk on one ``.tex`` file of a folder, unless its input is unchanged."""
        stem = texfile.removesuffix(".tex")
        command = latex_command(texfile)
        stamp = latex_stamp(folder, texfile, command)
        started = time.perf_counter()
        if stamp.current:
            return LatexJob(name, None, stamp, started, folder / f"{stem}.log")
        stamp.forget()
        process = start(command, cwd=folder, env=latex_environment(folder))
        self.processes.append(process)
        return LatexJob(name, process, stamp, started, folder / f"{stem}.log")

    def _start_typst_worksheets(self, sources: list[str]) -> LatexJob:
        """Start the worksheets' Typst in a process of its own, unless its input is unchanged."""
        folder = self.config.worksheet_folder
        module = "build_tools.classroom.worksheets_typst"
        command = [sys.executable, "-m", module, str(folder), *sources]
        stamp = typst_worksheets_stamp(folder, command)
        started = time.perf_counter()
        log = folder / "typst.log"  # none: a failure shows the process's output
        if stamp.current:
            return LatexJob("worksheets (typst)", None, stamp, started, log)
        stamp.forget()
        process = start(command)
        self.processes.append(process)
        return LatexJob("worksheets (typst)", process, stamp, started, log)

    def _finish_latex(self, job: LatexJob) -> None:
        """Wait for a latexmk run; a failure raises with the log's relevant lines."""
        if job.process is None:
            self.stage(job.name, job.started, "unchanged")
            return
        result = finish(job.process)
        if not result.ok:
            text = job.log.read_text(errors="replace") if job.log.exists() else result.output
            raise StageError(job.name, relevant_lines(text))
        # the key was taken before latexmk wrote its own files: it stands for the .tex input
        job.stamp.record()
        self.stage(job.name, job.started)


def worksheet_files(config: BuildConfig, slug: str) -> Path:
    """The finished worksheets and keys, split per chapter only when LaTeX's PDFs changed.

    :param config: the build's configuration
    :param slug: the book's slug
    :return: a folder of the files (never written to again: the outputs
        may link to its files)
    """
    from build_tools.classroom.worksheets import collect

    folder = config.worksheet_folder
    digest = hashlib.sha256(slug.encode() + b"\0")
    for path in sorted(folder.glob("*")):
        if path.is_file() and path.suffix in {".pdf", ".chapters", ".json"}:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    split = config.work / "worksheets-split" / digest.hexdigest()[:16]
    if not split.is_dir():
        making = split.with_name(split.name + ".tmp")
        shutil.rmtree(making, ignore_errors=True)
        making.mkdir(parents=True)
        for name, data in collect(folder, slug).items():
            (making / name).write_bytes(data)
        for old in split.parent.iterdir():
            if old != making:  # split from earlier PDFs
                shutil.rmtree(old, ignore_errors=True)
        making.replace(split)
    return split
