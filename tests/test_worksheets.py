"""Printable worksheets and teacher keys: the LaTeX, the compiled PDFs and their split."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_tools.checks.pdf import check_pdf_fonts
from build_tools.classroom import cutting, worksheets
from build_tools.exercises.answers import (
    render_solution as _answer,  # the book's own answer text: the key must give the same letters
)
from build_tools.exercises.model import KIND_NAMES, Exercise, Option, OrderItem, Pair, Place
from build_tools.pipeline.processes import latex_command, relevant_lines

EPOCH = "1700000000"
BOOK = "A Small War"
CHAPTERS = ((1, "The Campaign"), (2, "The Aftermath"), (3, "No Exercises Here"))
PLACE = Place(label="sec-opening-moves", title="Opening Moves")
HOSTILE = r"\input{/etc/passwd} $x$ & % # _ ^ ~ {}"
HANGUL = "한국 전쟁은 1950년에 시작되었다"

# every answer text holds a word found nowhere else: the student's sheet must not show it
ANSWER_WORDS = ("Quagmire", "Xylophone", "Marmalade", "Ptarmigan", "Gazebo", "Fjordland")


def _exercise(kind: str, number: int, chapter: int = 1, **fields: object) -> Exercise:
    values: dict[str, object] = {
        "id": f"ex-{chapter}-{number}",
        "kind": kind,
        "chapter": chapter,
        "chapter_title": dict(CHAPTERS)[chapter],
        "section": "Opening Moves",
        "section_label": "sec-opening-moves",
        "level": "remember",
        "prompt": f"Prompt of exercise {chapter}.{number}, a {KIND_NAMES[kind].lower()} question?",
        "source": f"The quoted source sentence of exercise {chapter}.{number}.",
        "place": PLACE,
        "number": number,
    }
    return Exercise(**{**values, **fields})  # type: ignore[arg-type]


def small_set(chapter_two_prompt: str = "Why did the guns fall silent?") -> tuple[Exercise, ...]:
    """One exercise of each kind in chapter 1, one short answer in chapter 2."""
    options = (
        Option("25 June 1950"),
        Option("28 June 1950", correct=True),
        Option("15 September 1950"),
        Option("28 September 1950"),
    )
    items = tuple(
        OrderItem(
            text=f"Event number {n}", date=f"1950-0{n}-01", date_text=f"1 May 195{n}", source=""
        )
        for n in range(1, 5)
    )
    pairs = tuple(
        Pair(term=f"Term{n}", definition=f"Definition of term {n}.", source=f"Source {n}.")
        for n in range(1, 5)
    )
    return (
        _exercise(
            "multiple-choice",
            1,
            options=options,
            explanation=f"Seoul fell after three days ({ANSWER_WORDS[0]}).",
        ),
        _exercise(
            "true-false",
            2,
            answer=False,
            correction=f"He landed at Inchon ({ANSWER_WORDS[1]}).",
        ),
        _exercise("matching", 3, pairs=pairs, shown=(2, 0, 3, 1), generated=True),
        _exercise("ordering", 4, items=items, shown=(3, 1, 0, 2), generated=True),
        _exercise(
            "short-answer",
            5,
            model_answer=f"It lost Seoul ({ANSWER_WORDS[2]}).",
            marking_points=(f"Seoul fell ({ANSWER_WORDS[3]})", "Pusan was held"),
            lines=3,
        ),
        _exercise(
            "source-analysis",
            6,
            model_answer=f"Only the start ({ANSWER_WORDS[4]}).",
            guidance=f"Ask who counted ({ANSWER_WORDS[5]}).",
            lines=4,
        ),
        _exercise(
            "short-answer",
            1,
            chapter=2,
            prompt=chapter_two_prompt,
            model_answer="The armistice.",
            marking_points=("Armistice", "1953"),
            lines=2,
        ),
    )


def _flat(text: str) -> str:
    """Text without whitespace (line breaks in the PDF fall anywhere) or ligatures (ﬁ)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdftotext(pdf: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def compile_tex(folder: Path, name: str) -> Path:
    """Compile as the pipeline does: latexmk -pdfxe in the folder, reproducibly."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run(
        latex_command(name), cwd=folder, capture_output=True, text=True, env=env, check=False
    )
    log = folder / name.replace(".tex", ".log")
    if result.returncode:
        text = log.read_text(errors="replace") if log.exists() else result.stdout
        pytest.fail("\n".join(relevant_lines(text)))
    return folder / name.replace(".tex", ".pdf")


ENGINES = [pytest.param("latex", marks=pytest.mark.requires_tex), "typst"]


def compile_sources(folder: Path, names: list[str], engine: str) -> None:
    """Compile as the pipeline does: latexmk, or Typst in a process of its own, reproducibly."""
    if engine == "latex":
        for name in names:
            compile_tex(folder, name)
        return
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "build_tools.classroom.worksheets_typst", str(folder)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def write(
    folder: Path, exercises: tuple[Exercise, ...], engine: str, paper: str = "a4"
) -> list[str]:
    return worksheets.write_sources(
        folder, exercises, book_title=BOOK, chapters=CHAPTERS, paper=paper, engine=engine
    )


def build(
    folder: Path, exercises: tuple[Exercise, ...], engine: str = "latex", paper: str = "a4"
) -> dict[str, bytes]:
    names = write(folder, exercises, engine, paper)
    suffix = ".tex" if engine == "latex" else ".typ"
    assert names == [f"worksheets{suffix}", f"worksheets-key{suffix}"]
    compile_sources(folder, names, engine)
    return worksheets.collect(folder, "small")


@pytest.fixture(scope="module", params=ENGINES)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, bytes]]:
    folder = tmp_path_factory.mktemp(f"worksheets-{request.param}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return folder, build(folder, small_set(), request.param)


def _engine(folder: Path) -> str:
    """The engine a built folder's PDFs come from."""
    return "typst" if (folder / "worksheets.typ").exists() else "latex"


def pdffonts(pdf: Path) -> list[str]:
    return subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]


# -- the LaTeX (no TeX needed) ----------------------------------------------------------------


def test_escape_tex_prints_specials_literally() -> None:
    assert worksheets.escape_tex(HOSTILE) == (
        r"\textbackslash{}input\{/etc/passwd\} \$x\$ \& \% \# \_ \textasciicircum{} "
        r"\textasciitilde{} \{\}"
    )
    assert worksheets.escape_tex("a\n\n  b\x00c\u200d") == "a b c"
    assert worksheets.escape_tex("[x]") == "{[}x{]}"
    assert worksheets.escape_tex("abc" * 12).count(r"\wsbreak{}") == 2
    assert (
        worksheets.escape_tex("see שלום עולם, now")
        == r"see \wsrtl{\wshebrew{שלום} \wshebrew{עולם}}, now"
    )
    assert worksheets.escape_tex("سلام") == r"\wsrtl{\wsarabic{سلام}}"
    assert worksheets.escape_tex("ok 👍") == r"ok \wsemoji{👍}"


def test_typst_text_goes_through_the_one_escape() -> None:
    from build_tools.classroom.worksheets_typst import TypstMarkup
    from build_tools.util.markup import typst_text

    text = TypstMarkup().text
    assert text(TYPST_SYNTAX) == typst_text(TYPST_SYNTAX)
    assert text("a\u202eb #c\u200d") == "a b \\#c "  # no direction override, no joiner
    assert text("abc" * 12).count("\u200b") == 2  # a very long word may break


def test_student_tex_holds_no_answers() -> None:
    exercises = small_set()
    tex = worksheets.render_worksheets_tex(
        exercises, book_title=BOOK, chapters=CHAPTERS, paper="a4", key=False
    )
    key = worksheets.render_worksheets_tex(
        exercises, book_title=BOOK, chapters=CHAPTERS, paper="a4", key=True
    )
    for word in ANSWER_WORDS:
        assert word not in tex
        assert word in key
    assert "Chapter 3" not in tex  # no exercises, no worksheet
    assert "xeCJK" not in tex  # only loaded when the text needs it
    assert tex.count(r"\begin{wsexercise}") == len(exercises)
    assert r"\usepackage[a4paper," in tex


def test_render_checks_its_input() -> None:
    exercises = small_set()
    with pytest.raises(ValueError, match="paper"):
        worksheets.render_worksheets_tex(
            exercises, book_title=BOOK, chapters=CHAPTERS, paper="a5", key=False
        )
    with pytest.raises(ValueError, match="unknown chapters: 2"):
        worksheets.render_worksheets_tex(
            exercises, book_title=BOOK, chapters=CHAPTERS[:1], paper="a4", key=False
        )
    with pytest.raises(ValueError, match="no exercises"):
        worksheets.render_worksheets_tex(
            (), book_title=BOOK, chapters=CHAPTERS, paper="a4", key=False
        )


def test_key_letters_agree_with_the_book() -> None:
    key = worksheets.render_worksheets_tex(
        small_set(), book_title=BOOK, chapters=CHAPTERS, paper="a4", key=True
    )
    for exercise in small_set():
        book = _answer(exercise, teacher=True)
        if exercise.kind in ("ordering", "matching"):
            answer = re.search(r"\*\*Answer:\*\* (.+)", book)
            assert answer is not None
            assert rf"\textbf{{Answer: {answer.group(1)}}}" in key
        if exercise.kind == "multiple-choice":
            assert r"\textbf{Answer: B.} 28 June 1950" in key
            assert r"**Answer:** B\. 28 June 1950" in book


def test_worksheet_names() -> None:
    assert worksheets.worksheet_name("kw", 1, key=False) == "kw-ch01-worksheet.pdf"
    assert worksheets.worksheet_name("kw", 12, key=True) == "kw-ch12-key.pdf"
    assert worksheets.worksheet_name("kw", None, key=False) == "kw-worksheets.pdf"
    assert worksheets.worksheet_name("kw", None, key=True) == "kw-worksheets-key.pdf"


def test_sources_are_written_only_when_changed(tmp_path: Path) -> None:
    def write(paper: str) -> list[str]:
        return worksheets.write_sources(
            tmp_path, small_set(), book_title=BOOK, chapters=CHAPTERS, paper=paper
        )

    assert (
        worksheets.write_sources(tmp_path, (), book_title=BOOK, chapters=CHAPTERS, paper="a4") == []
    )
    assert write("a4") == ["worksheets.tex", "worksheets-key.tex"]
    tex = tmp_path / "worksheets.tex"
    os.utime(tex, ns=(0, 0))
    write("a4")
    assert tex.stat().st_mtime_ns == 0
    write("letter")
    assert tex.stat().st_mtime_ns != 0


def test_chapter_starts_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "x.chapters"
    path.write_text("1 1\n2 4\n", encoding="ascii")
    assert cutting.read_chapter_starts(path) == {1: 1, 2: 4}
    for bad in ("1 1\n2 1\n", "1 2\n", "1 one\n", ""):
        path.write_text(bad, encoding="ascii")
        with pytest.raises(ValueError, match=r"x\.chapters"):
            cutting.read_chapter_starts(path)


# -- the PDFs ---------------------------------------------------------------------------------

#: The worksheets and keys of the small book, by file name (either engine).
SMALL_OUTPUTS = [
    "small-ch01-key.pdf",
    "small-ch01-worksheet.pdf",
    "small-ch02-key.pdf",
    "small-ch02-worksheet.pdf",
    "small-worksheets-key.pdf",
    "small-worksheets.pdf",
]


def test_outputs_by_name(built: tuple[Path, dict[str, bytes]]) -> None:
    _, outputs = built
    assert sorted(outputs) == SMALL_OUTPUTS


def test_student_pdf_has_questions_and_no_answers(built: tuple[Path, dict[str, bytes]]) -> None:
    folder, _ = built
    # in the order of the page's content: pdftotext's layout reads Typst's aligned item marks
    # as a column of their own
    text = pdftotext(folder / "worksheets.pdf", "-raw")
    flat = _flat(text)
    for exercise in small_set():
        assert _flat(exercise.title) in flat
        assert _flat(exercise.prompt) in flat
    assert _flat("Chapter 1: The Campaign — Review worksheet") in flat
    assert "Name" in text and "Class" in text and "Date" in text
    for word in ANSWER_WORDS:
        assert word not in text
    for answer in ("Answer:", "Model answer", "Marking points", "Source:", "Teacher key"):
        assert answer not in text
    # options lettered, ordering and matching as the book shows them
    assert _flat("B. 28 June 1950") in flat
    assert _flat("A. Event number 4") in flat  # shown order: (3, 1, 0, 2)
    assert _flat("1. Term1") in flat and _flat("A. Definition of term 3.") in flat
    assert _flat("The quoted source sentence of exercise 1.6.") in flat  # source analysis
    assert _flat("The quoted source sentence of exercise 1.5.") not in flat  # short answer


def test_key_pdf_has_answers(built: tuple[Path, dict[str, bytes]]) -> None:
    folder, _ = built
    flat = _flat(pdftotext(folder / "worksheets-key.pdf"))
    assert _flat("Teacher key — not for students") in flat
    for exercise in small_set():
        assert _flat(exercise.title) in flat
        assert _flat(exercise.prompt) in flat
    for word in ANSWER_WORDS:
        assert word in flat
    assert _flat("Answer: B. 28 June 1950") in flat
    assert _flat("Answer: False. He landed at Inchon") in flat
    assert _flat("Answer: C, B, D, A") in flat  # ordering: the letters in time order
    assert _flat("Answer: 1–B, 2–D, 3–A, 4–C") in flat  # matching: each term's letter
    assert (
        _flat("Source: “The quoted source sentence of exercise 1.1.” (Section: Opening Moves)")
        in flat
    )


def test_split_by_chapter(built: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    folder, outputs = built
    whole = PdfReader(folder / "worksheets.pdf")
    pages = 0
    for number, title in CHAPTERS[:2]:
        path = tmp_path / f"ch{number}.pdf"
        path.write_bytes(outputs[f"small-ch{number:02d}-worksheet.pdf"])
        reader = PdfReader(path)
        pages += len(reader.pages)
        assert reader.metadata is not None
        assert reader.metadata.title == f"{BOOK} — Chapter {number} worksheet"
        first = _flat(pdftotext(path, "-f", "1", "-l", "1"))
        assert _flat(f"Chapter {number}: {title} — Review worksheet") in first
        assert _flat(f"Exercise {number}.1") in first
        assert "Page1" in first
        fonts = pdffonts(path)
        assert fonts
        assert all(line.split()[-5] == "yes" for line in fonts), fonts
    assert pages == len(whole.pages)
    assert _flat("Exercise 2.1") not in _flat(pdftotext(tmp_path / "ch1.pdf"))
    key = tmp_path / "key2.pdf"
    key.write_bytes(outputs["small-ch02-key.pdf"])
    assert _flat("Chapter 2: The Aftermath — Teacher key") in _flat(pdftotext(key))


def test_reproducible(built: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    folder, first = built
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        second = build(tmp_path, small_set(), _engine(folder))
    assert second.keys() == first.keys()
    for name, data in first.items():
        assert second[name] == data, name
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "worksheets.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Nov 14" in info  # the date of SOURCE_DATE_EPOCH, not today's


def test_letter_paper(tmp_path: Path, built: tuple[Path, dict[str, bytes]]) -> None:
    folder, _ = built
    build(tmp_path, small_set(), _engine(folder), paper="letter")
    letter = tmp_path / "worksheets.pdf"

    def size(pdf: Path) -> str:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        return next(line for line in info.stdout.splitlines() if line.startswith("Page size"))

    assert "612 x 792 pts (letter)" in size(letter)
    assert "(A4)" in size(folder / "worksheets.pdf")
    for name in ("small-ch01-key.pdf", "small-ch02-worksheet.pdf"):  # the split keeps the size
        (tmp_path / name).write_bytes(worksheets.collect(tmp_path, "small")[name])
        assert "612 x 792 pts (letter)" in size(tmp_path / name)


#: Typst's own syntax (and LaTeX's), as an exercise could hold it: printed, never evaluated.
TYPST_SYNTAX = (
    '#import "/etc/passwd": * #read("/etc/passwd") #panic("boom") $x^2$ @ref <label> '
    "*strong* _emph_ `code` a \\ b -- c ... 1. item [a] {b} // not a comment = heading"
)


@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_and_hangul_text(tmp_path: Path, engine: str) -> None:
    exercises = small_set(chapter_two_prompt=f"{HOSTILE} {HANGUL} and שלום, سلام 👍?")
    if engine == "latex":
        tex = worksheets.render_worksheets_tex(
            exercises, book_title=BOOK, chapters=CHAPTERS, paper="a4", key=False
        )
        assert "xeCJK" in tex
        assert r"\input{" not in tex
    build(tmp_path, exercises, engine)
    text = pdftotext(tmp_path / "worksheets.pdf")
    assert HOSTILE in " ".join(text.split())
    assert HANGUL in " ".join(text.split())
    # other scripts in fonts of their own (the order a PDF reader extracts right-to-left
    # letters in varies; shaped Arabic does not extract letter for letter)
    for letters in ("שלום", "👍"):
        assert set(letters) <= set(text), letters
    fonts = "\n".join(pdffonts(tmp_path / "worksheets.pdf"))
    for font in ("NotoSerifCJK", "NotoSerifHebrew", "NotoNaskhArabic", "Symbola"):
        assert font in fonts


@pytest.mark.parametrize("engine", ENGINES)
def test_typst_syntax_prints_literally(tmp_path: Path, engine: str) -> None:
    exercises = list(small_set(chapter_two_prompt=TYPST_SYNTAX))
    exercises[0] = replace(exercises[0], explanation=TYPST_SYNTAX, section=TYPST_SYNTAX)
    build(tmp_path, tuple(exercises), engine)
    for name in ("worksheets.pdf", "worksheets-key.pdf"):
        text = " ".join(pdftotext(tmp_path / name).split())
        assert TYPST_SYNTAX in text, name
        assert "root:" not in text  # /etc/passwd was not read
    assert text.count(TYPST_SYNTAX) == 3  # the prompt, the explanation and the section


@pytest.mark.parametrize("engine", ENGINES)
def test_exercise_taller_than_a_page_breaks(tmp_path: Path, engine: str) -> None:
    """An exercise is kept on one page when it fits; one that cannot fit may break."""
    exercises = list(small_set())
    long = " ".join(["A definition that goes on and on about nothing in particular."] * 16)
    matching = exercises[2]
    exercises[2] = replace(
        matching, pairs=tuple(replace(p, definition=long) for p in matching.pairs)
    )
    build(tmp_path, tuple(exercises), engine)
    pdf = tmp_path / "worksheets.pdf"
    if engine == "latex":
        log = (tmp_path / "worksheets.log").read_text(errors="replace")
        assert "Overfull \\vbox" not in log
    first, second = (_flat(pdftotext(pdf, "-f", str(n), "-l", str(n))) for n in (1, 2))
    assert "Exercise1.3" in first and "1.Term1" in first  # it starts under exercise 1.2
    assert "Exercise1.3" not in second and "Term3" in second  # and goes on


@pytest.mark.parametrize("engine", ENGINES)
def test_real_book(tmp_path: Path, engine: str) -> None:
    """The book's own exercises: every chapter, one page break per chapter, no overfull lines."""
    from build_tools.chronology.extract import extract_chronology
    from build_tools.chronology.overrides import load_overrides
    from build_tools.exercises.part import make_exercise_part
    from build_tools.glossary.part import make_glossary_part
    from build_tools.pipeline.config import ROOT
    from build_tools.pipeline.inputs import load_article, read_text

    seed = ROOT / "seeds" / "korean-war.md"
    article = load_article(seed)
    glossary = make_glossary_part(
        read_text(seed.with_name("korean-war.glossary.yaml")),
        path="glossary",
        article=article,
        title=article.title,
    )
    overrides = load_overrides(
        read_text(seed.with_name("korean-war.chronology.yaml")), path="chronology"
    )
    part = make_exercise_part(
        [
            (read_text(path), path.name)
            for path in sorted((ROOT / "exercises/korean-war").glob("*.yaml"))
        ],
        article=article,
        chronology=extract_chronology(article, overrides=overrides),
        glossary=glossary,
    )
    chapters = [(chapter.number, chapter.title) for chapter in article.chapters]
    names = worksheets.write_sources(
        tmp_path,
        part.exercises,
        book_title=article.title,
        chapters=chapters,
        paper="letter",
        engine=engine,
    )
    if engine == "typst":
        from build_tools.classroom.worksheets_typst import compile_worksheets

        assert compile_worksheets(tmp_path, names) == []  # no warning: every font is there
    for name in names if engine == "latex" else ():
        compile_tex(tmp_path, name)
        log = (tmp_path / name.replace(".tex", ".log")).read_text(errors="replace")
        overfull = [float(pt) for pt in re.findall(r"Overfull \\hbox \(([\d.]+)pt", log)]
        assert all(pt <= 5 for pt in overfull), overfull
        assert "Missing character" not in log
    outputs = worksheets.collect(tmp_path, "korean-war")
    for number, _ in chapters:
        assert f"korean-war-ch{number:02d}-worksheet.pdf" in outputs
        assert f"korean-war-ch{number:02d}-key.pdf" in outputs
    text = _flat(pdftotext(tmp_path / "worksheets.pdf"))
    for exercise in part.exercises:
        assert _flat(exercise.prompt) in text, exercise.title
        if exercise.model_answer:
            assert _flat(exercise.model_answer) not in text, exercise.title
    for name in ("worksheets.pdf", "worksheets-key.pdf"):
        assert check_pdf_fonts(tmp_path / name) == [], name
        printed = pdftotext(tmp_path / name)
        for markup in ("#ws-", "#strong", "#text(", "\\textbf", "\\ws", "\\u"):
            assert markup not in printed, (name, markup)


def test_typst_failure_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from build_tools.classroom.worksheets_typst import main

    write(tmp_path, small_set(), "typst")
    (tmp_path / "worksheets-key.typ").write_text("#ws-exercise(\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("ERROR: Typst failed on worksheets-key.typ")


def test_pipeline_runs_typst_without_tex_and_skips_when_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from build_tools.pipeline.config import BuildConfig
    from build_tools.pipeline.runners import Runners, worksheet_files

    # no TeX Live binary can run: PATH holds only the virtualenv's tools
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = BuildConfig(out=tmp_path / "out", formats=("html",), pdf_engine="typst")
    names = write(config.worksheet_folder, small_set(), "typst")
    notes: list[tuple[str, str]] = []
    for _ in range(2):
        Runners(config, lambda name, started, note="": notes.append((name, note))).build([], names)
    assert notes == [("worksheets (typst)", ""), ("worksheets (typst)", "unchanged")]
    finished = worksheet_files(config, "small")
    assert sorted(path.name for path in finished.iterdir()) == SMALL_OUTPUTS
    info = subprocess.run(
        ["/usr/bin/pdfinfo", str(finished / "small-worksheets.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Creator:         Typst" in info
    # a changed exercise compiles again
    write(config.worksheet_folder, small_set("What ended it?"), "typst")
    Runners(config, lambda name, started, note="": notes.append((name, note))).build([], names)
    assert notes[-1] == ("worksheets (typst)", "")
