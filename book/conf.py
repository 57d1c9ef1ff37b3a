"""Sphinx configuration of the classroom book.

Everything that depends on the article (title, author, slug, dates) comes
from ``_generated/book.json``, written by ``python -m build_tools build``:
that file is the one place the book's metadata is set.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from build_tools.sphinx_ext.latex import latex_text

_HERE = Path(__file__).parent
BOOK = json.loads((_HERE / "_generated" / "book.json").read_text(encoding="utf-8"))

project = BOOK["title"]
author = BOOK["author"]
copyright = f"{BOOK['date'][:4]}, {BOOK['publisher']}"  # noqa: A001
version = BOOK["version"]
release = "Classroom edition"
language = BOOK["language"]
today = BOOK["date"]

root_doc = "index"
extensions = ["myst_parser", "sphinx_exercise", "build_tools.sphinx_ext"]
exclude_patterns = ["_build", "**/README.md", "_generated/front.md"]
templates_path = ["_templates"]
myst_enable_extensions = ["colon_fence", "attrs_inline", "attrs_block"]
myst_heading_anchors = 0
smartquotes = False  # show the text exactly as the author typed it
numfig = True
numfig_secnum_depth = 1
nitpicky = True

# -- HTML --------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = html.escape(BOOK["title"])  # the theme prints it unescaped
html_static_path = ["_static"]
html_css_files = ["book.css", "glossary.css", "review.css"]
html_js_files = [  # term tooltips, review answers checked in the page; EPUB gets no scripts
    ("glossary.js", {"defer": "defer"}),
    ("review.js", {"defer": "defer"}),
]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
        "downloads.html",
    ]
}
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_context = {"book_slug": BOOK["slug"]}

# -- EPUB --------------------------------------------------------------------
epub_title = BOOK["title"]
epub_author = BOOK["author"]
epub_publisher = BOOK["publisher"]
epub_contributor = BOOK["publisher"]
epub_copyright = copyright
epub_identifier = BOOK["identifier"]
epub_scheme = "URL"
epub_uid = "BookId"
epub_description = BOOK["description"]
epub_basename = BOOK["slug"]
epub_cover = ("_images/cover.png", "")
epub_show_urls = "no"
epub_use_index = False
epub_exclude_files = ["search.html", ".buildinfo", ".buildinfo.bak"]
epub_tocdepth = 2

# -- LaTeX / PDF -------------------------------------------------------------
latex_engine = "xelatex"
# two editions from one source: `-t teacher` adds the answer key (see build_tools.pipeline.config)
_TEACHER = tags.has("teacher")  # type: ignore[name-defined]  # noqa: F821
latex_documents = [
    (
        root_doc,
        f"{BOOK['slug']}-teacher.tex" if _TEACHER else f"{BOOK['slug']}.tex",
        # LaTeX markup (Sphinx puts these into \title and \author as they are): escaped
        latex_text(f"{BOOK['title']}: Teacher's Edition" if _TEACHER else BOOK["title"]),
        latex_text(BOOK["author"]),
        "manual",
        True,
    )
]
# Typst (build_tools.sphinx_ext.typst) writes both editions from one read of the
# teacher's source: the student's leaves out the pages marked `editions: teacher`
typst_documents = [
    (root_doc, f"{BOOK['slug']}.pdf", BOOK["title"], BOOK["author"], "student"),
    (root_doc, f"{BOOK['slug']}-teacher.pdf", f"{BOOK['title']}: Teacher's Edition", BOOK["author"], "teacher"),
]
latex_show_urls = "no"
latex_show_pagerefs = False
latex_domain_indices = False
latex_table_style = ["booktabs", "colorrows"]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "releasename": r"\relax",
    "fontpkg": r"""
\setmainfont{texgyrepagella}[Extension=.otf, UprightFont=*-regular, BoldFont=*-bold,
  ItalicFont=*-italic, BoldItalicFont=*-bolditalic]
\setsansfont{texgyreheros}[Extension=.otf, UprightFont=*-regular, BoldFont=*-bold,
  ItalicFont=*-italic, BoldItalicFont=*-bolditalic, Scale=MatchLowercase]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase]
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK KR}
\setCJKsansfont{Noto Sans CJK KR}
\setCJKmonofont{Noto Sans CJK KR}
\xeCJKsetup{CJKspace=true}  % Korean separates words with spaces: keep them
% Western punctuation stays in the Latin font
\xeCJKDeclareCharClass{Default}{"2013, "2014, "2018, "2019, "201C, "201D, "2026, "00B7}
""",
    "fncychap": r"\usepackage[Sonny]{fncychap}",
    "sphinxsetup": "hmargin={2.4cm,2.4cm}, vmargin={2.6cm,2.6cm}, TitleColor={rgb}{0.10,0.20,0.35}",
    "preamble": r"""
\usepackage{ragged2e}
\usepackage{etoolbox}
% table cells: ragged right, never stretched word gaps in narrow columns
\AtBeginEnvironment{varwidth}{\RaggedRight\small}
% a word after a hyphen may be hyphenated too (narrow table columns)
\renewcommand{\sphinxhyphen}{-\hskip0pt\relax}
\setlength{\emergencystretch}{3em}
\sloppy
""",
}
# a list of figures after the contents (roman-numbered front matter), when the book has
# figures: maps and charts (build_tools.figures.plan), the timeline (build_tools.figures.timeline)
if any((_HERE / "_generated").rglob("*.pdf")):
    latex_elements["tableofcontents"] = (
        r"\apptocmd{\tableofcontents}{\listoffigures}{}{}\sphinxtableofcontents"
    )
