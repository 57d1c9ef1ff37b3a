"""Run one build: check, parse, render, Sphinx and LaTeX, then publish, in that order.

A build parses the article and its companion data files, writes the Sphinx
source folders (``<out>/.work/src-<target>``: a copy of ``book/`` plus the
generated pages), runs the requested Sphinx builders in parallel, then LaTeX,
and only when every requested format succeeded swaps the new outputs into
``<out>``.
"""

from __future__ import annotations

import time

from build_tools.article.model import Article
from build_tools.article.render import BookInfo
from build_tools.pipeline.bundle import bundle_name, write_bundle
from build_tools.pipeline.config import BuildConfig, Progress, Report, Target
from build_tools.pipeline.inputs import book_info, load_article, read_text
from build_tools.pipeline.plan import check_inputs, record_inputs
from build_tools.pipeline.publish import (
    build_lock,
    stage_outputs,
    staging_folder,
    swap,
    terminate_as_interrupt,
)
from build_tools.pipeline.render import render_book
from build_tools.pipeline.runners import Runners, worksheet_files
from build_tools.pipeline.sources import write_pages, write_worksheets


class Builder:
    """Runs one build: stages in order, outputs swapped in at the end."""

    def __init__(self, config: BuildConfig, progress: Progress | None = None) -> None:
        self.config = config
        self.report = Report()
        self.progress = progress
        self.runners = Runners(config, self.stage)

    def stage(self, name: str, started: float, note: str = "") -> None:
        """Record a finished stage."""
        elapsed = time.perf_counter() - started
        self.report.stages.append((name, elapsed, note))
        if self.progress:
            self.progress(name, elapsed, note)

    def run(self) -> Report:
        """Build the requested formats.

        :return: the report
        :raises BuildError: on bad input
        :raises StageError: when a tool fails
        """
        config = self.config
        with build_lock(config.out), terminate_as_interrupt():
            started = time.perf_counter()
            inputs, outputs = check_inputs(config)
            if outputs:
                # nothing this build reads has changed: neither Sphinx nor TeX starts
                self.stage("check", started, "nothing changed, outputs up to date")
                self.report.outputs = outputs
                return self.report
            article, info = self._parse(started)
            targets = [target for target in config.targets if target.fmt in config.formats]
            self.runners.start_workers(targets)
            try:
                self.runners.set_up_sphinx(targets, info)
                self._render_and_build(article, info, targets, inputs)
            finally:
                self.runners.stop()  # after an interrupt or a failure
        return self.report

    def _parse(self, started: float) -> tuple[Article, BookInfo]:
        """The parse stage: the article and the book's metadata.

        :param started: when the build started
        :return: the article and the metadata
        :raises BuildError: on bad input
        """
        config = self.config
        seed_bytes = read_text(config.seed).encode("utf-8")
        article = load_article(config.seed)
        self.report.warnings += article.warnings
        info = book_info(config, article, config.seed.read_bytes())
        self.stage("parse", started, f"{len(article.chapters)} chapters")
        del seed_bytes
        return article, info

    def _render_and_build(
        self, article: Article, info: BookInfo, targets: list[Target], inputs: str
    ) -> None:
        """Render the book, build every target, swap the outputs in.

        :param article: the article
        :param info: the book's metadata
        :param targets: the Sphinx targets asked for
        :param inputs: the input fingerprint to record after success ("" for none)
        """
        config = self.config
        started = time.perf_counter()
        rendered = render_book(config, article, info)
        self.report.warnings += rendered.warnings
        self.report.summary += rendered.summary
        written, total = write_pages(config, targets, rendered, article, info)
        worksheets = write_worksheets(config, rendered, article, info)
        drafted = [line for line in rendered.summary if "drafted in memory" in line]
        note = "; ".join([f"{written} of {total} files changed", *drafted])
        self.stage("render", started, note)

        with staging_folder(config.out) as staging:
            later = rendered.start_later()  # the posters, drawn beside the Sphinx builds
            self.runners.build(targets, worksheets)
            started = time.perf_counter()
            later()
            finished = worksheet_files(config, info.slug) if worksheets else None
            stage_outputs(config, targets, rendered.exports, finished, staging)
            self.report.outputs += swap(config.out, staging)
            if "html" in config.formats:  # the site as one zip, to open from the disk
                bundle = config.out / bundle_name(config.slug)
                self.report.outputs.append(write_bundle(config.out / "html", bundle))
            self.stage("outputs", started, "swapped in")
            record_inputs(config, inputs)


def run_build(config: BuildConfig, progress: Progress | None = None) -> Report:
    """Build a book.

    :param config: what to build
    :param progress: called after each stage with its name, seconds and a note
    :return: the report
    """
    return Builder(config, progress).run()
