"""Printable worksheets and teacher keys: one XeLaTeX (or Typst) document each, split per chapter.

Teachers print one worksheet per chapter with its review exercises, and a
matching teacher key. What they say is decided once, for both engines, by
:mod:`build_tools.classroom.worksheet_content` (numbers and letters agree with
the book); this module writes it as LaTeX (:class:`LatexMarkup`),
:mod:`build_tools.classroom.worksheets_typst` as Typst.

- :func:`render_worksheets_tex` makes one complete document holding every
  chapter's worksheet (or key), each chapter from a new page. At each chapter's
  first page the document writes ``<chapter> <page>`` to ``<jobname>.chapters``
  (the Typst route queries the same lines from its document);
- :func:`~build_tools.classroom.cutting.split_by_chapter` cuts the compiled PDF
  into one PDF per chapter;
- :func:`write_sources` and :func:`collect` are the pipeline's two calls:
  write the ``.tex`` (or ``.typ``) files before latexmk (or Typst), gather the
  finished PDFs after it.

Every text from the exercises and the article is data: :func:`escape_tex`
escapes it. The documents need one LaTeX pass (``\\nofiles``, no cross-references),
and their PDF bytes are reproducible when ``SOURCE_DATE_EPOCH`` is set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from build_tools.classroom.cutting import split_by_chapter
from build_tools.classroom.worksheet_content import (
    INVISIBLE,
    chapters_of,
    check_input,
    document_title,
    exercise_texts,
)
from build_tools.exercises.model import Exercise
from build_tools.util.fileio import write_if_changed

#: The paper sizes, as geometry's options.
PAPERS: Final = {"a4": "a4paper", "letter": "letterpaper"}
#: What the pipeline needs to know after LaTeX (or Typst): the book's title and chapters.
META_FILE: Final = "worksheets.json"
#: Space between two ruled writing lines.
LINE_SPACING: Final = "9mm"
_MARGINS: Final = "hmargin=18mm,top=16mm,bottom=22mm,footskip=10mm"

# -- escaping ---------------------------------------------------------------------------------

_SPECIALS: Final = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "[": "{[}",
    "]": "{]}",
}
_SPECIAL_TABLE: Final = str.maketrans(_SPECIALS)
# as build_tools.sphinx_ext.scripts: right-to-left runs and emoji need fonts of their own
_HEBREW: Final = "\u0590-\u05ff\ufb1d-\ufb4f"
_ARABIC: Final = "\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufefe"
_NEUTRAL: Final = r"\s\d.,:;!?()-"
_EMOJI: Final = "\u2600-\u27bf\U0001f000-\U0001faff"
_SEGMENT: Final = re.compile(
    rf"(?P<hebrew>[{_HEBREW}](?:[{_HEBREW}{_NEUTRAL}]*[{_HEBREW}])?)"
    rf"|(?P<arabic>[{_ARABIC}](?:[{_ARABIC}{_NEUTRAL}]*[{_ARABIC}])?)"
    rf"|(?P<emoji>[{_EMOJI}]+)"
    r"|(?P<long>\S{30,})"
)
_CJK: Final = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)
_CHUNK: Final = 12


def _plain(text: str) -> str:
    return text.translate(_SPECIAL_TABLE)


def escape_tex(text: str) -> str:
    """Turn any text into LaTeX that prints it literally (fonts are set without TeX ligatures).

    Whitespace is collapsed, invisible characters are dropped; right-to-left runs
    (Hebrew, Arabic) are set right to left (``\\wsrtl``), their letters and emoji in
    fonts of their own (``\\wshebrew``, ``\\wsarabic``, ``\\wsemoji``); very long
    words get break points.

    :param text: text from the article or an exercise file
    :return: LaTeX
    """
    text = " ".join(INVISIBLE.sub(" ", text).split())
    parts: list[str] = []
    position = 0
    for match in _SEGMENT.finditer(text):
        parts.append(_plain(text[position : match.start()]))
        word = match.group()
        script = match.lastgroup
        if script in ("hebrew", "arabic"):
            # right to left; the letters in the script's font, digits and punctuation in ours
            letters = _HEBREW if script == "hebrew" else _ARABIC
            inner = re.sub(f"[{letters}]+", rf"\\ws{script}{{\g<0>}}", _plain(word))
            parts.append(rf"\wsrtl{{{inner}}}")
        elif match.group("emoji"):
            parts.append(rf"\wsemoji{{{_plain(word)}}}")
        else:
            chunks = (_plain(word[start : start + _CHUNK]) for start in range(0, len(word), _CHUNK))
            parts.append(r"\wsbreak{}".join(chunks))
        position = match.end()
    parts.append(_plain(text[position:]))
    return "".join(parts)


def _pdf_text(text: str) -> str:
    """A PDF text string (UTF-16 in hex) for the document information."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# -- the document -----------------------------------------------------------------------------

_FONTS: Final = r"""
\setmainfont{texgyrepagella}[Extension=.otf, UprightFont=*-regular, BoldFont=*-bold,
  ItalicFont=*-italic, BoldItalicFont=*-bolditalic, Ligatures=TeXOff]
\setsansfont{texgyreheros}[Extension=.otf, UprightFont=*-regular, BoldFont=*-bold,
  ItalicFont=*-italic, BoldItalicFont=*-bolditalic, Scale=MatchLowercase, Ligatures=TeXOff]
"""

_CJK_FONTS: Final = r"""
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK KR}
\setCJKsansfont{Noto Sans CJK KR}
\xeCJKsetup{CJKspace=true, CJKecglue={}}
\xeCJKDeclareCharClass{Default}{"2013, "2014, "2018, "2019, "201C, "201D, "2026, "00B7}
"""

_SCRIPT_FONTS: Final = r"""
\IfFontExistsTF{Noto Naskh Arabic}{\newfontfamily\wsarabicfont{Noto Naskh Arabic}[Script=Arabic]}
  {\let\wsarabicfont\relax}
\IfFontExistsTF{Noto Serif Hebrew}{\newfontfamily\wshebrewfont{Noto Serif Hebrew}[Script=Hebrew]}
  {\let\wshebrewfont\relax}
\IfFontExistsTF{Symbola}{\newfontfamily\wsemojifont{Symbola}}{\let\wsemojifont\relax}
\TeXXeTstate=1
\renewcommand{\wsrtl}[1]{{\beginR #1\endR}}
\renewcommand{\wsarabic}[1]{{\wsarabicfont #1}}
\renewcommand{\wshebrew}[1]{{\wshebrewfont #1}}
\renewcommand{\wsemoji}[1]{{\wsemojifont #1}}
"""

# Everything below is fixed LaTeX; only escaped text (escape_tex) goes into its arguments.
_PREAMBLE: Final = r"""
\usepackage{xcolor}
\makeatletter
\nofiles
\setlength{\parindent}{0pt}
\setlength{\parskip}{0pt}
\setlength{\emergencystretch}{3em}
\hyphenpenalty=10000
\raggedright
\sloppy
\newcommand{\wsbreak}{\hspace{0pt}}
\newcommand{\wsrtl}[1]{#1}
\newcommand{\wsarabic}[1]{#1}
\newcommand{\wshebrew}[1]{#1}
\newcommand{\wsemoji}[1]{#1}
% footer: the chapter on the left, its own page numbers on the right
\newcommand{\wsfootleft}{}
\def\ps@worksheet{\let\@mkboth\@gobbletwo\def\@oddhead{}\let\@evenhead\@oddhead
  \def\@oddfoot{\footnotesize\sffamily\color{black!75}%
    \parbox[t]{0.8\textwidth}{\raggedright\wsfootleft}\hfill Page~\thepage}%
  \let\@evenfoot\@oddfoot}
\pagestyle{worksheet}
% where each chapter starts: "<chapter> <physical page>" lines, read by split_by_chapter
\newwrite\wschapters
\immediate\openout\wschapters=\jobname.chapters\relax
\newcommand{\wschapter}[2]{\clearpage\setcounter{page}{1}\renewcommand{\wsfootleft}{#2}%
  \immediate\write\wschapters{#1 \the\numexpr\ReadonlyShipoutCounter+1\relax}}
\AtEndDocument{\clearpage\immediate\closeout\wschapters}
% the chapter's header box
\newcommand{\wsheader}[3]{\par\noindent
  \fboxsep=4mm\fboxrule=0.8pt\fbox{\begin{minipage}{\dimexpr\linewidth-8mm-1.6pt\relax}
    \raggedright{\sffamily\small\color{black!75}#1}\par\smallskip
    {\sffamily\bfseries\Large #2}\par\medskip
    #3
  \end{minipage}}\par\bigskip}
\newcommand{\wsblank}[2]{#1\ \leaders\hrule\hskip 0pt plus #2fill\relax}
\newcommand{\wsnamelines}{\rule{0pt}{7mm}\hbox to \linewidth{\wsblank{Name}{3}\quad
  \wsblank{Class}{1}\quad\wsblank{Date}{1}}}
% one exercise: kept on one page when it fits, allowed to break when it cannot
\newsavebox{\wsexbox}
\newenvironment{wsexercise}[2]{\par\addvspace{5mm}%
  \setbox\wsexbox\vbox\bgroup\hsize=\linewidth\color@begingroup
  \noindent{\fboxsep=1.5mm\colorbox{black!10}{\parbox{\dimexpr\linewidth-2\fboxsep\relax}{%
    \raggedright\sffamily\bfseries #1\enspace\mdseries\small #2}}}\par
  \nobreak\medskip}
  {\par\color@endgroup\egroup
  \ifdim\dimexpr\ht\wsexbox+\dp\wsexbox\relax>0.9\textheight\unvbox\wsexbox
  \else\box\wsexbox\fi}
\newcommand{\wstick}{\raisebox{-0.2ex}{\fboxsep=0pt\fbox{\rule{0pt}{3.2mm}\rule{3.2mm}{0pt}}}}
\newcommand{\wsitem}[2]{\par\hangindent=#1\hangafter=1\noindent
  \makebox[#1][l]{#2}\ignorespaces}
\newcommand{\wsnote}[1]{\par\smallskip{\small\itshape #1}\par}
\newcount\wscount
\newcommand{\wslines}[1]{\par\nobreak\wscount=#1\relax
  \loop\ifnum\wscount>0 \vskip WSLINE{\color{black!55}\hrule height 0.5pt}\nobreak
  \advance\wscount by -1\repeat\par}
\newcommand{\wsboxes}[1]{\par\nobreak\medskip\noindent\wscount=0
  \loop\ifnum\wscount<#1\advance\wscount by 1
    \mbox{\raisebox{3mm}{\sffamily\small\the\wscount}\,\fbox{\rule{0pt}{8mm}\rule{9mm}{0pt}}}%
    \hspace{4mm}\repeat
  \par}
\newcommand{\wsquote}[1]{\par\smallskip\begingroup\leftskip=6mm\rightskip=6mm plus 1fil
  \noindent\itshape #1\par\endgroup\smallskip}
\newcommand{\wslabel}[1]{{\sffamily\bfseries\small #1}}
\newcommand{\wstruefalse}{\par\medskip\noindent Circle one:\qquad{\sffamily\bfseries True}%
  \qquad/\qquad{\sffamily\bfseries False}}
% a matching row: box, term, definition; rows may break across pages (a table could not)
\newcommand{\wsrow}[3]{\par\nointerlineskip\vskip 1.8mm\noindent
  \parbox[t]{9mm}{\vspace{0pt}#1\hfill}\hspace{2mm}%
  \parbox[t]{0.3\linewidth}{\vspace{0pt}\raggedright #2}\hspace{3mm}%
  \parbox[t]{\dimexpr0.7\linewidth-14mm\relax}{\vspace{0pt}\raggedright #3}\par
  \nointerlineskip\vskip 1.8mm{\color{black!60}\hrule}}
\newcommand{\wsgridbox}{\fboxsep=0pt\fbox{\rule{0pt}{7mm}\rule{7mm}{0pt}}}
\newcommand{\wskeynote}{\colorbox{black}{\color{white}\sffamily\bfseries
  Teacher key — not for students}}
\makeatother
""".replace("WSLINE", LINE_SPACING)


def _preamble(paper: str, *, title: str, texts: Sequence[str]) -> str:
    """The document's preamble: paper, fonts (CJK and other scripts only when used)."""
    joined = " ".join(texts)
    parts = [
        "% generated by build_tools.classroom.worksheets: do not edit",
        r"\documentclass[11pt]{article}",
        rf"\usepackage[{PAPERS[paper]},{_MARGINS}]{{geometry}}",
        r"\usepackage{fontspec}",
        _FONTS.strip(),
    ]
    if _CJK.search(joined):
        parts.append(_CJK_FONTS.strip())
    parts.append(_PREAMBLE.strip())
    if re.search(f"[{_HEBREW}{_ARABIC}{_EMOJI}]", joined):
        parts.append(_SCRIPT_FONTS.strip())
    parts.append(
        rf"\AtBeginDocument{{\special{{pdf:docinfo <</Title {_pdf_text(title)} "
        r"/Creator (build_tools.worksheets)>>}}"
    )
    return "\n".join(parts) + "\n"


_JOIN: Final = "\n\\par\\nobreak\\smallskip\n"


class LatexMarkup:
    """The worksheets' pieces as LaTeX, for the commands of :data:`_PREAMBLE`."""

    def text(self, text: str) -> str:
        return escape_tex(text)

    def bold(self, body: str) -> str:
        return rf"\textbf{{{body}}}"

    def emph(self, body: str) -> str:
        return rf"\emph{{{body}}}"

    def aside(self, body: str) -> str:
        return rf"{{\small\itshape {body}}}"

    def gap(self) -> str:
        return r"\par\smallskip"

    def item(self, mark: str, body: str, width: str) -> str:
        return rf"\wsitem{{{width}}}{{{mark}}}{body}"

    def tick(self, letter: str) -> str:
        return rf"\wstick\enspace\textbf{{{letter}.}}"

    def ordered(self, number: int, letter: str) -> str:
        return rf"{number}.\enspace\textbf{{{letter}}}"

    def quote(self, body: str) -> str:
        return rf"\wsquote{{{body}}}"

    def note(self, body: str) -> str:
        return rf"\wsnote{{{body}}}"

    def lines(self, count: int) -> str:
        return rf"\wslines{{{count}}}"

    def boxes(self, count: int) -> str:
        return rf"\wsboxes{{{count}}}"

    def true_false(self) -> str:
        return r"\wstruefalse"

    def grid(self, rows: Sequence[tuple[str, str]]) -> str:
        head = r"\wsrow{}{\wslabel{Term}}{\wslabel{Definition}}"
        return _JOIN.join([head, *(rf"\wsrow{{\wsgridbox}}{{{t}}}{{{d}}}" for t, d in rows)])

    def sub_source(self, body: str) -> str:
        return rf"{{\small\wsitem{{11mm}}{{}}{body}\par}}"

    def exercise(self, title: str, note: str, parts: Sequence[str]) -> str:
        return "\n".join(
            [rf"\begin{{wsexercise}}{{{title}}}{{{note}}}", _JOIN.join(parts), r"\end{wsexercise}"]
        )

    def chapter(self, number: int, foot: str, head: str, heading: str, key: bool) -> str:
        if key:
            lines = (
                r"\wskeynote\par\smallskip{\small Answers, marking points and the passage of the "
                r"article behind each answer.}"
            )
        else:
            lines = r"{\small Answer every exercise in the space provided.}\par\wsnamelines"
        return (
            rf"\wschapter{{{number}}}{{{foot}}}"
            "\n\n"
            rf"\wsheader{{{head}}}{{{heading}}}{{{lines}}}"
        )


def render_worksheets_tex(
    exercises: Sequence[Exercise],
    *,
    book_title: str,
    chapters: Sequence[tuple[int, str]],
    paper: str,
    key: bool,
) -> str:
    """One XeLaTeX document with every chapter's worksheet (or teacher key).

    Each chapter starts on a new page, with page numbers of its own; a chapter
    without exercises gets no worksheet. At each chapter's first page the
    document writes ``<chapter> <page>`` to ``<jobname>.chapters``
    (:func:`~build_tools.classroom.cutting.read_chapter_starts`).

    :param exercises: the numbered exercises, in book order
    :param book_title: the book's title
    :param chapters: each chapter's number and title, in book order
    :param paper: ``a4`` or ``letter``
    :param key: the teacher key (answers) instead of the student's worksheet
    :return: the document
    :raises ValueError: for an unknown paper size, no exercises, or an exercise of
        a chapter not in ``chapters``
    """
    check_input(exercises, chapters=chapters, paper=paper)
    texts = [book_title, *(name for _, name in chapters)]
    texts += [text for exercise in exercises for text in exercise_texts(exercise)]
    body = chapters_of(LatexMarkup(), exercises, book_title=book_title, chapters=chapters, key=key)
    return (
        _preamble(paper, title=document_title(book_title, key=key), texts=texts)
        + "\\begin{document}\n\n"
        + "\n\n".join(body)
        + "\n\n\\end{document}\n"
    )


# -- the pipeline's calls ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Document:
    stem: str
    key: bool


_DOCUMENTS: Final = (_Document("worksheets", key=False), _Document("worksheets-key", key=True))
#: The worksheets' engines: the suffix of their sources.
ENGINES: Final = {"latex": ".tex", "typst": ".typ"}


def typst_sources() -> list[str]:
    """The Typst documents :func:`write_sources` writes (``engine="typst"``)."""
    return [f"{document.stem}.typ" for document in _DOCUMENTS]


def worksheet_name(slug: str, chapter_number: int | None, key: bool) -> str:
    """The file name of a worksheet or key, for the outputs and the pages linking them.

    :param slug: the book's slug
    :param chapter_number: the chapter, or None for the whole book's document
    :param key: the teacher key instead of the student's worksheet
    :return: ``<slug>-ch01-worksheet.pdf``, ``<slug>-ch01-key.pdf``,
        ``<slug>-worksheets.pdf`` or ``<slug>-worksheets-key.pdf``
    """
    if chapter_number is None:
        return f"{slug}-worksheets{'-key' if key else ''}.pdf"
    return f"{slug}-ch{chapter_number:02d}-{'key' if key else 'worksheet'}.pdf"


def write_sources(
    folder: Path,
    exercises: Sequence[Exercise],
    *,
    book_title: str,
    chapters: Sequence[tuple[int, str]],
    paper: str,
    engine: str = "latex",
) -> list[str]:
    """Write the worksheets' and the key's LaTeX or Typst (and what :func:`collect` needs).

    A file is written only when its bytes change, so the stamps see what changed.
    LaTeX: compile each returned file in ``folder`` with
    :func:`build_tools.pipeline.processes.latex_command`; Typst: with
    :func:`build_tools.classroom.worksheets_typst.compile_worksheets` (which
    writes the same files); then call :func:`collect`.

    :param folder: the LaTeX or Typst folder (created if missing)
    :param exercises: the numbered exercises, in book order
    :param book_title: the book's title
    :param chapters: each chapter's number and title, in book order
    :param paper: ``a4`` or ``letter``
    :param engine: ``latex`` or ``typst``
    :return: the ``.tex`` or ``.typ`` file names to compile (none when there are no exercises)
    :raises ValueError: for an unknown engine
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    if not exercises:
        return []
    from build_tools.classroom import worksheets_typst

    render = (
        render_worksheets_tex if engine == "latex" else worksheets_typst.render_worksheets_typst
    )
    names = [document.stem + ENGINES[engine] for document in _DOCUMENTS]
    for document, name in zip(_DOCUMENTS, names, strict=True):
        text = render(
            exercises, book_title=book_title, chapters=chapters, paper=paper, key=document.key
        )
        write_if_changed(folder / name, text)
    if engine == "typst":
        template = worksheets_typst.TEMPLATE
        write_if_changed(folder / template.name, template.read_bytes())
    meta = {"title": book_title, "chapters": [[number, name] for number, name in chapters]}
    write_if_changed(folder / META_FILE, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return names


def collect(folder: Path, slug: str) -> dict[str, bytes]:
    """The finished PDFs, by file name: both whole documents and each chapter's two.

    :param folder: the folder given to :func:`write_sources`, after LaTeX ran
    :param slug: the book's slug (:func:`worksheet_name`)
    :return: file contents by name
    :raises FileNotFoundError: if a document was not compiled
    """
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    book_title = str(meta["title"])
    outputs: dict[str, bytes] = {}
    for document in _DOCUMENTS:
        pdf = folder / f"{document.stem}.pdf"
        outputs[worksheet_name(slug, None, document.key)] = pdf.read_bytes()
        kind = "teacher key" if document.key else "worksheet"
        titles = {
            int(number): f"{book_title} — Chapter {number} {kind}" for number, _ in meta["chapters"]
        }
        chapters = split_by_chapter(pdf, folder / f"{document.stem}.chapters", titles=titles)
        for number, data in chapters.items():
            outputs[worksheet_name(slug, number, document.key)] = data
    return outputs
