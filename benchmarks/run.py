"""Benchmark the pipeline against pandoc and plain Sphinx on the same article.

Usage: .venv/bin/python benchmarks/run.py [--runs N] [--quick] [--out FILE]

Both PDF engines (``--pdf-engine latex`` and ``typst``) are measured side by
side: the clean full build, the PDF alone, and each PDF edition's own stages
(Sphinx and latexmk for LaTeX; Sphinx with Typst compiling inside it for Typst),
and the worksheets with their key (two latexmk runs, or one Typst process).

Every row is a whole-process wall time (median of N runs) and the peak
resident memory of the process tree's largest member, measured with
``os.wait4``. Baselines: pandoc (Debian) to HTML, EPUB and PDF (XeLaTeX),
and a plain ``sphinx-build`` of the article as one MyST page. The table goes
to stdout and to ``benchmarks/results.md`` with a note of the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "seeds" / "korean-war.md"
PYTHON = sys.executable
#: Below this line, ``results.md`` holds the hand-written analysis, kept by new runs.
ANALYSIS = "<!-- analysis: written by hand, kept by run.py -->"
sys.path.insert(0, str(HERE))
from scale import scale_article

from build_tools.pipeline.config import DEFAULT_PDF_ENGINE


@dataclass(frozen=True)
class Row:
    """One measured row of the table."""

    name: str
    seconds: float
    peak_mb: float
    runs: int
    note: str = ""


def run_measured(command: Sequence[str], *, cwd: Path | None = None) -> tuple[float, float]:
    """Run a command; return its wall time and the peak RSS (MB) of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{error[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(
    name: str,
    command: Sequence[str],
    *,
    runs: int,
    before: Callable[[], None] | None = None,
    cwd: Path | None = None,
    note: str = "",
) -> Row:
    """Median of ``runs`` runs, calling ``before`` (not timed) before each."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        elapsed, peak = run_measured(command, cwd=cwd)
        times.append(elapsed)
        peaks.append(peak)
    row = Row(name, statistics.median(times), max(peaks), runs, note)
    print(f"  {row.name:<44} {row.seconds:7.2f} s {row.peak_mb:7.0f} MB", flush=True)
    return row


ENGINES = ("latex", "typst")


def build(
    seed: Path, out: Path, formats: str = "html,epub,pdf", engine: str = DEFAULT_PDF_ENGINE
) -> list[str]:
    """The pipeline's command line."""
    return [
        PYTHON, "-m", "build_tools", "build", "--seed", str(seed), "--out", str(out),
        "--formats", formats, "--pdf-engine", engine,
    ]  # fmt: skip


def edition_stages(seed: Path, out: Path, engine: str) -> list[Row]:
    """Each PDF edition's own stages, from the build's report of a clean PDF build.

    LaTeX: its Sphinx (``latex``) plus its latexmk (``pdf``), the editions in
    parallel. Typst: one Sphinx run writes both editions (:func:`typst_editions`).
    """
    shutil.rmtree(out, ignore_errors=True)
    result = subprocess.run(
        build(seed, out, "pdf", engine), capture_output=True, text=True, check=True
    )
    if engine == "typst":
        return typst_editions(out)
    seconds: dict[str, float] = {}
    for line in result.stdout.splitlines():
        words = line.split()
        if len(words) >= 3 and words[2] == "s":
            seconds[words[0]] = float(words[1])
    rows = []
    for edition, suffix in (("student", ""), ("teacher", "-teacher")):
        total = seconds.get(f"latex{suffix}", 0.0) + seconds.get(f"pdf{suffix}", 0.0)
        row = Row(f"{engine}: {edition} PDF edition (its stages)", total, 0.0, 1)
        print(f"  {row.name:<44} {row.seconds:7.2f} s", flush=True)
        rows.append(row)
    return rows


def typst_editions(out: Path) -> list[Row]:
    """Typst's PDF target from a clean start: Sphinx alone, on the source a build wrote.

    One process, as the pipeline runs it but with no saved environment and no
    earlier output: start-up, one read of the book, then each edition (its
    tree, its Typst source, its compile; the first edition also loads the
    fonts), timed by the builder's own log lines.
    """
    from build_tools.pipeline.processes import sphinx_command

    work = out / ".work"
    fresh = work / "bench-typst"
    shutil.rmtree(fresh, ignore_errors=True)
    command = sphinx_command(
        "typst", work / "src-pdf", fresh / "out", fresh / "doctrees", tags=("teacher",)
    )
    command.remove("-q")  # the builder logs each edition's time
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = [Row("typst: PDF target alone, clean Sphinx (one read, both editions)",
                time.perf_counter() - started, 0.0, 1)]  # fmt: skip
    for line in result.stdout.splitlines():
        words = line.split()  # "typst: student edition written in 1.23 s"
        if words[:1] == ["typst:"] and words[2:4] == ["edition", "written"]:
            name = f"typst: {words[1]} PDF edition (tree, Typst, compile)"
            rows.append(Row(name, float(words[5]), 0.0, 1))
    for row in rows:
        print(f"  {row.name:<44} {row.seconds:7.2f} s", flush=True)
    shutil.rmtree(fresh, ignore_errors=True)
    return rows


def worksheet_row(out: Path, engine: str, *, runs: int) -> Row:
    """Both worksheet documents (the worksheets and their key) compiled again, alone.

    From the sources the last build left in ``.work``: latexmk forced (``-g``) on
    each ``.tex``, or the Typst process the pipeline starts (both documents in it).
    """
    if engine == "latex":
        folder = out / ".work" / "worksheets"
        latexmk = (
            "latexmk -g -pdfxe -interaction=nonstopmode -halt-on-error -no-shell-escape -silent"
        )
        command = ["sh", "-c", f"{latexmk} worksheets.tex && {latexmk} worksheets-key.tex"]
    else:
        folder = out / ".work" / "worksheets-typst"
        command = [PYTHON, "-m", "build_tools.classroom.worksheets_typst", str(folder)]
    return measure(f"{engine}: worksheets + key, compile", command, runs=runs, cwd=folder)


def edit_paragraph(seed: Path, counter: list[int]) -> Callable[[], None]:
    """A change of one paragraph of one chapter (a different word each run).

    The words go at the end of the first chapter's first paragraph, so every
    quote the data files take from the article still occurs in it.
    """
    original = seed.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(original) if line.startswith("## "))
    index = next(i for i in range(index, len(original)) if original[i][:1].isalpha())

    def change() -> None:
        counter[0] += 1
        lines = list(original)
        lines[index] = f"{lines[index]} (Edit {counter[0]}.)"
        seed.write_text("\n".join(lines), encoding="utf-8")

    return change


def preview_row(seed: Path, out: Path, *, edits: int) -> Row:
    """The live preview: save to reloaded page in chromium, median of ``edits`` edits."""
    from preview import measure_preview

    times = measure_preview(seed, out, edits=edits)
    note = "save -> page reloaded in chromium; " + ", ".join(f"{t:.2f}" for t in times)
    name = f"preview: one-paragraph edit shown ({edits} edits)"
    row = Row(name, statistics.median(times), 0.0, edits, note)
    print(f"  {row.name:<44} {row.seconds:7.2f} s   ({note})", flush=True)
    return row


def shelf_rows(work: Path, *, formats: str = "html,epub,pdf") -> list[Row]:
    """The shelf of three articles (the seed, two fixtures), one and two books at a time."""
    shelf_seeds = work / "shelf-seeds"
    shelf_seeds.mkdir()
    shutil.copy(SEED, shelf_seeds / SEED.name)
    for name in ("berlin-airlift.md", "crimean-war.md"):
        shutil.copy(ROOT / "tests" / "fixtures" / name, shelf_seeds / name)
    # the seed's companion files and exercises, so that it is the whole book
    for path in SEED.parent.glob(f"{SEED.stem}.*.yaml"):
        shutil.copy(path, shelf_seeds / path.name)
    # (its exercises are in <work>/exercises/, beside the folder, as in the repository)
    rows = []
    for jobs in (1, 2):
        shelf_out = work / f"shelf-{jobs}"
        command = [
            PYTHON, "-m", "build_tools", "shelf", "--seeds", str(shelf_seeds),
            "--out", str(shelf_out), "-j", str(jobs), "--formats", formats,
        ]  # fmt: skip
        rows.append(
            measure(f"shelf of 3 books ({formats}), -j {jobs}, clean", command, runs=1, cwd=ROOT)
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the results table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the 50x rows")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument(
        "--only",
        choices=("preview", "shelf"),
        help="measure only the live preview or the shelf (printed, results.md untouched)",
    )
    parser.add_argument("--edits", type=int, default=7, help="edits timed in the preview")
    args = parser.parse_args(argv)
    runs = args.runs
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    # a copy of the repository's layout, so that editing the article touches nothing of ours
    shutil.copytree(ROOT / "seeds", work / "seeds")
    if (ROOT / "exercises").is_dir():
        shutil.copytree(ROOT / "exercises", work / "exercises")
    seed = work / "seeds" / "korean-war.md"
    out = work / "out"
    if args.only == "preview":
        preview_row(seed, work / "preview", edits=args.edits)
    elif args.only == "shelf":
        shelf_rows(work)
    if args.only:
        shutil.rmtree(work, ignore_errors=True)
        return 0

    def clean() -> None:
        shutil.rmtree(out, ignore_errors=True)

    print("Our pipeline (seed):")
    full_build = "clean full build (HTML, EPUB, 2 PDFs, data)"
    rows.append(measure(full_build, build(seed, out), runs=runs, before=clean))
    rows.append(measure("no-change rebuild", build(seed, out), runs=runs))
    edit = edit_paragraph(seed, [0])
    edited = "HTML after editing one paragraph"
    rows.append(measure(edited, build(seed, out, "html"), runs=runs, before=edit))
    shutil.copy(SEED, seed)
    print("PDF engines side by side:")
    for engine in ENGINES:
        if engine != DEFAULT_PDF_ENGINE:  # the first row is the default engine's
            rows.append(
                measure(
                    f"{engine}: {full_build}",
                    build(seed, out, engine=engine),
                    runs=runs,
                    before=clean,
                )
            )
        rows.append(
            measure(
                f"{engine}: pdf alone, clean",
                build(seed, out, "pdf", engine),
                runs=runs,
                before=clean,
            )
        )
        rows += edition_stages(seed, out, engine)
        rows.append(worksheet_row(out, engine, runs=runs))
    rows.append(preview_row(seed, work / "preview", edits=args.edits))
    rows.extend(
        measure(f"{fmt} alone, clean", build(seed, out, fmt), runs=runs, before=clean)
        for fmt in ("html", "epub", "pdf")
    )
    drafts = work / "drafts"

    def bare_copy() -> None:  # the article alone: every companion file gets drafted
        shutil.rmtree(drafts, ignore_errors=True)
        drafts.mkdir()
        shutil.copy(SEED, drafts / SEED.name)

    drafting = [PYTHON, "-m", "build_tools", "draft", "--seed", str(drafts / SEED.name)]
    rows.append(
        measure("draft companion files (bare article)", drafting, runs=runs, before=bare_copy)
    )
    for factor in (10, 50):
        if factor == 50 and args.quick:
            continue
        scaled = work / f"scaled-{factor}x.md"
        scaled.write_text(scale_article(SEED.read_text(encoding="utf-8"), factor))
        scaled_out = work / f"out-{factor}"

        def clean_scaled(folder: Path = scaled_out) -> None:
            shutil.rmtree(folder, ignore_errors=True)

        rows.extend(
            measure(
                f"{factor}x article, {fmt} alone, clean",
                build(scaled, scaled_out, fmt),
                runs=1,
                before=clean_scaled,
            )
            for fmt in ("html", "pdf")
        )

    print("The shelf:")
    rows += shelf_rows(work)

    print("Baselines (bare article):")
    base = work / "baseline"
    base.mkdir()
    bare = base / "korean-war.md"
    shutil.copy(SEED, bare)
    pandoc_rows = []
    if shutil.which("pandoc"):
        for fmt, extra in (
            ("html", ["--standalone", "-o", "out.html"]),
            ("epub", ["-o", "out.epub"]),
            ("pdf", ["--pdf-engine=xelatex", "-o", "out.pdf"]),
        ):
            pandoc_rows.append(
                measure(f"pandoc -> {fmt}", ["pandoc", bare.name, *extra], runs=runs, cwd=base)
            )
        rows += pandoc_rows
        # pandoc writes Typst (pandoc 3.1.2 and later), the typst package compiles it
        formats = subprocess.run(
            ["pandoc", "--list-output-formats"], capture_output=True, text=True, check=False
        ).stdout.split()
        if "typst" in formats:
            typst_compile = "import typst; typst.compile('out.typ', output='out-typst.pdf')"
            script = f'pandoc {bare.name} -t typst -s -o out.typ && "{PYTHON}" -c "{typst_compile}"'
            rows.append(
                measure(
                    "pandoc -> typst -> pdf (typst package)",
                    ["sh", "-c", script],
                    runs=runs,
                    cwd=base,
                )
            )
        else:
            print("  (this pandoc cannot write Typst: no pandoc -> typst row)")
    sphinx_src = base / "sphinx"
    sphinx_src.mkdir()
    shutil.copy(SEED, sphinx_src / "index.md")
    (sphinx_src / "conf.py").write_text(
        'extensions = ["myst_parser"]\nhtml_theme = "sphinx_book_theme"\nproject = "Korean War"\n'
    )
    # `-M` runs a builder the way `make` would: latexpdf is the LaTeX builder plus latexmk
    plain = [
        measure(
            f"plain sphinx-build -M {builder}",
            [PYTHON, "-m", "sphinx", "-M", builder, str(sphinx_src), str(base / builder), "-q"],
            runs=runs,
            before=lambda b=builder: shutil.rmtree(base / b, ignore_errors=True),
        )
        for builder in ("html", "epub", "latexpdf")
    ]
    rows += plain

    full = rows[0].seconds
    by_name = {row.name: row.seconds for row in rows}
    by_name[f"{DEFAULT_PDF_ENGINE}: {full_build}"] = full
    pandoc_total = sum(row.seconds for row in pandoc_rows)
    sphinx_total = sum(row.seconds for row in plain)
    lines = [
        "# Benchmark results",
        "",
        (
            f"Machine: {platform.node() or 'unknown'}, {os.cpu_count()} cores, "
            f"{platform.machine()}, Python {platform.python_version()}, {platform.platform()}."
        ),
        (
            f"Medians of {runs} runs (scaled articles: 1 run); wall time of the whole process; "
            "peak RSS of the largest process of the tree."
        ),
        "",
        "| row | median s | peak MB | note |",
        "|---|---:|---:|---|",
        *(f"| {r.name} | {r.seconds:.2f} | {r.peak_mb:.0f} | {r.note} |" for r in rows),
        "",
        "## Ratios",
        "",
    ]
    if pandoc_total:
        lines.append(
            f"- clean full build / pandoc HTML+EPUB+PDF ({pandoc_total:.2f} s): "
            f"**{full / pandoc_total:.2f}x**"
        )
    if pandoc_total:
        for engine in ENGINES:
            engine_full = by_name[f"{engine}: {full_build}"]
            lines.append(
                f"- {engine}: clean full build / pandoc HTML+EPUB+PDF: "
                f"**{engine_full / pandoc_total:.2f}x**"
            )
    lines.append(
        f"- clean full build / plain Sphinx HTML, EPUB and LaTeX PDF one after the other "
        f"({sphinx_total:.2f} s): **{full / sphinx_total:.2f}x**"
    )
    for fmt in ("html", "pdf"):
        alone = next(r.seconds for r in rows if r.name == f"{fmt} alone, clean")
        scaled = {r.name.split("x")[0]: r.seconds for r in rows if f"article, {fmt}" in r.name}
        for factor, seconds in sorted(scaled.items(), key=lambda item: int(item[0])):
            lines.append(
                f"- {factor}x article {fmt.upper()} / 1x {fmt.upper()}: **{seconds / alone:.1f}x**"
            )
    text = "\n".join(lines) + "\n"
    # the analysis below the marker is written by hand: a new run keeps it
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if ANALYSIS in previous:
        text += "\n" + ANALYSIS + previous.split(ANALYSIS, 1)[1]
    args.out.write_text(text, encoding="utf-8")
    print(text)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
