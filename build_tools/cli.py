"""The command line: ``python -m build_tools build | draft | check``.

Exit codes: 0 success, 1 a failed stage (a tool's error), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from build_tools.pipeline.config import DEFAULT_PDF_ENGINE, PDF_ENGINES
from build_tools.util.errors import BuildError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # pragma: no cover


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m build_tools",
        description="Turn a Markdown article into a classroom book (HTML, EPUB, PDF).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the book")
    build.add_argument("--seed", type=Path, help="the article (default: seeds/korean-war.md)")
    build.add_argument("--out", type=Path, help="the output folder (default: _build)")
    build.add_argument(
        "--formats", default="html,epub,pdf", help="comma-separated: html, epub, pdf"
    )
    build.add_argument("--paper", default="a4", choices=("a4", "letter"), help="PDF paper size")
    build.add_argument(
        "--pdf-engine",
        default=DEFAULT_PDF_ENGINE,
        choices=PDF_ENGINES,
        help=f"what compiles the PDF editions (default: {DEFAULT_PDF_ENGINE})",
    )
    draft = commands.add_parser(
        "draft",
        help="draft the companion files (glossary, metadata...) the article does not have yet",
    )
    draft.add_argument("--seed", type=Path, help="the article (default: seeds/korean-war.md)")
    check = commands.add_parser("check", help="check a built book with independent tools")
    check.add_argument("--seed", type=Path, help="the article (default: seeds/korean-war.md)")
    check.add_argument("--out", type=Path, help="the built book's folder (default: _build)")
    check.add_argument("--paper", default="a4", choices=("a4", "letter"), help="PDF paper size")
    check.add_argument("--only", default="", help="comma-separated check names (default: all)")
    preview = commands.add_parser("preview", help="serve the HTML, rebuilt and reloaded on save")
    preview.add_argument("--seed", type=Path, help="the article (default: seeds/korean-war.md)")
    preview.add_argument(
        "--out", type=Path, help="the preview's working folder (default: _build/preview)"
    )
    preview.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any)")
    shelf = commands.add_parser("shelf", help="build every article of a folder, with an index")
    shelf.add_argument("--seeds", type=Path, help="the articles' folder (default: seeds)")
    shelf.add_argument("--out", type=Path, help="the shelf's folder (default: _build/shelf)")
    shelf.add_argument("-j", "--jobs", type=int, default=1, help="books built at once")
    shelf.add_argument(
        "--formats", default="html,epub,pdf", help="comma-separated: html, epub, pdf"
    )
    shelf.add_argument("--paper", default="a4", choices=("a4", "letter"), help="PDF paper size")
    shelf.add_argument("--only", default="", help="comma-separated article names (default: all)")
    shelf.add_argument(
        "--index-only", action="store_true", help="only write the index of the books in --out"
    )
    shelf.add_argument(
        "--list", action="store_true", help="only print the articles' names (a JSON list)"
    )
    return parser


def _shelf(args: argparse.Namespace) -> int:
    """``python -m build_tools shelf``: every article its own book, in parallel; the index."""
    import time

    from build_tools.pipeline.config import ROOT, BuildConfig
    from build_tools.pipeline.shelf import ShelfBook, build_shelf, find_articles, write_index

    out = args.out or Path("_build") / "shelf"
    if args.index_only:
        print(f"Index: {write_index(out)}")
        return EXIT_OK
    formats = tuple(name.strip() for name in args.formats.split(",") if name.strip())
    try:
        BuildConfig(formats=formats, paper=args.paper)  # the options' checks
        if args.jobs < 1:
            raise BuildError("-j must be 1 or more")
        only = [name.strip() for name in args.only.split(",") if name.strip()]
        articles = find_articles(args.seeds or ROOT / "seeds", only)
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.list:  # CI's matrix: one job an article
        print(json.dumps([path.stem for path in articles]))
        return EXIT_OK

    def done(book: ShelfBook) -> None:
        if book.ok:
            print(f"  ok      {book.slug}  ({book.chapters} chapters, {book.seconds:.1f} s)")
        else:
            print(f"  FAILED  {book.slug}  ({book.seconds:.1f} s)")
            for line in book.error.splitlines():
                print(f"    | {line}")
        sys.stdout.flush()

    started = time.perf_counter()
    print(f"Building {len(articles)} books into {out}, {args.jobs} at a time", flush=True)
    try:
        books = build_shelf(
            articles, out, jobs=args.jobs, formats=formats, paper=args.paper, done=done
        )
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    failed = [book.slug for book in books if not book.ok]
    elapsed = time.perf_counter() - started
    print(f"Index: {out / 'index.html'}  ({len(books) - len(failed)} built, {elapsed:.1f} s)")
    if failed:
        print(f"error: {len(failed)} book(s) failed: {', '.join(failed)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _preview(args: argparse.Namespace) -> int:
    """``python -m build_tools preview``: serve the HTML until Ctrl-C, rebuilt on every save."""
    from build_tools.pipeline.config import ROOT, BuildConfig
    from build_tools.pipeline.preview_server import run_preview

    try:
        config = BuildConfig(
            seed=args.seed or ROOT / "seeds" / "korean-war.md",
            out=args.out or Path("_build") / "preview",
            formats=("html",),
        )
        return run_preview(config, port=args.port, say=lambda line: print(line, flush=True))
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _check(args: argparse.Namespace) -> int:
    """``python -m build_tools check``: every check over one built book, with a report."""
    from build_tools.checks.runner import (
        CHECK_NAMES,
        Book,
        format_result,
        format_summary,
        run_checks,
    )
    from build_tools.pipeline.config import ROOT

    only = [name.strip() for name in args.only.split(",") if name.strip()]
    if unknown := [name for name in only if name not in CHECK_NAMES]:
        print(f"error: unknown check(s) {', '.join(unknown)}; choose from", file=sys.stderr)
        print(f"  {', '.join(CHECK_NAMES)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        seed = args.seed or ROOT / "seeds" / "korean-war.md"
        book = Book.from_seed(args.out or Path("_build"), seed, paper=args.paper)
        print(f"Checking {book.out} ({book.slug}, {book.paper})", flush=True)
        report = run_checks(
            book, only=only, progress=lambda result: print(*format_result(result), sep="\n")
        )
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(*format_summary(report, book), sep="\n")
    return EXIT_OK if report.passed else EXIT_FAILED


def _draft(args: argparse.Namespace) -> int:
    """``python -m build_tools draft``: write the companion files that do not exist yet."""
    from build_tools.pipeline.config import ROOT, BuildConfig
    from build_tools.pipeline.drafts import draft_companions

    try:
        config = BuildConfig(seed=args.seed or ROOT / "seeds" / "korean-war.md")
        print(f"Drafting the companion files of {config.seed}", flush=True)
        report = draft_companions(config)
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(*report.lines(), sep="\n")
    print("Every drafted entry is marked `draft: true`: read it, correct it, delete that line.")
    return EXIT_OK


COMMANDS = {"check": _check, "draft": _draft, "preview": _preview, "shelf": _shelf}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    :param argv: the arguments (default: ``sys.argv[1:]``)
    :return: the exit code
    """
    args = _parser().parse_args(argv)
    if args.command != "build":
        return COMMANDS[args.command](args)
    return _build(args)


def _build(args: argparse.Namespace) -> int:
    """``python -m build_tools build``: one book, with each stage's time and the outputs."""
    from build_tools.pipeline.build import run_build
    from build_tools.pipeline.config import ROOT, BuildConfig, StageError

    def progress(name: str, seconds: float, note: str) -> None:
        suffix = f"  ({note})" if note else ""
        print(f"  {name:<8} {seconds:6.2f} s{suffix}", flush=True)

    try:
        config = BuildConfig(
            seed=args.seed or ROOT / "seeds" / "korean-war.md",
            out=args.out or Path("_build"),
            formats=tuple(name.strip() for name in args.formats.split(",") if name.strip()),
            paper=args.paper,
            pdf_engine=args.pdf_engine,
        )
        print(f"Building {config.seed} -> {config.out}", flush=True)
        report = run_build(config, progress)
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        print("Nothing was written; the previous build is untouched.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StageError as failure:
        print(f"error: the {failure.stage} stage failed:", file=sys.stderr)
        for line in failure.lines:
            print(f"  | {line}", file=sys.stderr)
        print("The previous build is untouched.", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\ninterrupted: the previous build is untouched.", file=sys.stderr)
        return 130
    except Exception as err:  # a bug of ours: say so plainly, keep the traceback opt-in
        if os.environ.get("BUILD_TOOLS_DEBUG"):
            raise
        print(f"internal error: {type(err).__name__}: {err}", file=sys.stderr)
        print(
            "This is a bug in the pipeline, not in your article; the previous build is "
            "untouched. Run again with BUILD_TOOLS_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.summary:
        print("Contents:")
        for line in report.summary:
            print(f"  {line}")
    print("Outputs:")
    for path in report.outputs:
        print(f"  {path}  {_size(path)}")
    return EXIT_OK
