"""A shelf of books: every article of a folder built as its own book, in parallel, with an index.

``python -m build_tools shelf`` builds each ``<seeds>/<name>.md`` into
``<out>/<name>/`` (the layout of one ``build``: ``html/``, ``epub/``,
``pdf/``, the offline zip...) in worker processes, ``-j`` at a time. A book
that fails is reported with its message and the others go on; each book
leaves ``<out>/<name>/shelf.json`` (its title, chapters, files or error),
from which ``<out>/index.html`` lists the shelf. CI builds one book a job
(``--only``) and writes the index from the collected books (``--index-only``).
"""

from __future__ import annotations

import concurrent.futures
import html
import json
import multiprocessing
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from build_tools.pipeline.bundle import bundle_name
from build_tools.util.errors import BuildError

ENTRY = "shelf.json"


@dataclass(frozen=True)
class ShelfBook:
    """One book of the shelf: what the index says of it.

    :param slug: the article's name, the book's folder in the shelf
    :param title: the book's title (the slug when the article could not be read)
    :param chapters: how many chapters it has
    :param files: (label, path relative to the shelf) of each download, in order
    :param error: why it did not build ("" when it did)
    :param seconds: how long its build took
    """

    slug: str
    title: str
    chapters: int = 0
    files: tuple[tuple[str, str], ...] = ()
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the book built."""
        return not self.error


def find_articles(seeds: Path, only: Sequence[str] = ()) -> list[Path]:
    """The articles of a folder: its ``*.md`` files, by name.

    :param seeds: the folder
    :param only: article names (stems) to keep; empty: all
    :return: the articles
    :raises BuildError: if the folder has none, or a name asked for is not there
    """
    articles = sorted(path for path in seeds.glob("*.md") if path.name != "README.md")
    if missing := sorted(set(only) - {path.stem for path in articles}):
        raise BuildError(f"no article named {', '.join(missing)} in the folder", path=str(seeds))
    if only:
        articles = [path for path in articles if path.stem in only]
    if not articles:
        raise BuildError("no article (*.md) in the folder", path=str(seeds))
    return articles


def build_book(seed: Path, shelf: Path, formats: tuple[str, ...], paper: str) -> ShelfBook:
    """Build one book of the shelf (in a worker process); never raises.

    :param seed: the article
    :param shelf: the shelf's folder (the book goes to ``<shelf>/<stem>/``)
    :param formats: the formats to build
    :param paper: the PDF paper size
    :return: the book, with its error if it failed (also written to its ``shelf.json``)
    """
    from build_tools.pipeline.build import run_build
    from build_tools.pipeline.config import BuildConfig, StageError
    from build_tools.pipeline.inputs import load_article

    started = time.perf_counter()
    slug = seed.stem
    title, chapters, error = slug, 0, ""
    files: tuple[tuple[str, str], ...] = ()
    try:
        article = load_article(seed)
        title, chapters = article.title, len(article.chapters)
        config = BuildConfig(seed=seed, out=shelf / slug, formats=formats, paper=paper)
        run_build(config)
        files = _downloads(shelf, slug)
    except BuildError as err:
        error = str(err)
    except StageError as failure:
        error = "\n".join([f"the {failure.stage} stage failed:", *failure.lines[:10]])
    except Exception as err:  # noqa: BLE001 (a bug of ours: this book fails, the shelf goes on)
        error = f"internal error: {type(err).__name__}: {err}"
    book = ShelfBook(slug, title, chapters, files, error, time.perf_counter() - started)
    folder = shelf / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ENTRY).write_text(json.dumps(asdict(book), indent=2) + "\n", encoding="utf-8")
    return book


def _downloads(shelf: Path, slug: str) -> tuple[tuple[str, str], ...]:
    """The book's files the index links, those that exist."""
    candidates = (
        ("Read online", f"{slug}/html/index.html"),
        ("EPUB", f"{slug}/epub/{slug}.epub"),
        ("PDF", f"{slug}/pdf/{slug}.pdf"),
        ("Teacher's PDF", f"{slug}/pdf/{slug}-teacher.pdf"),
        ("Offline site (zip)", f"{slug}/{bundle_name(slug)}"),
    )
    return tuple((label, path) for label, path in candidates if (shelf / path).is_file())


def build_shelf(
    articles: Sequence[Path],
    shelf: Path,
    *,
    jobs: int = 1,
    formats: tuple[str, ...] = ("html", "epub", "pdf"),
    paper: str = "a4",
    done: Callable[[ShelfBook], None] | None = None,
) -> list[ShelfBook]:
    """Build every article as its own book, ``jobs`` at a time, then write the index.

    :param articles: the articles
    :param shelf: the shelf's folder
    :param jobs: how many books build at once (worker processes)
    :param formats: the formats of every book
    :param paper: the PDF paper size
    :param done: called as each book finishes, in the order they finish
    :return: the books, in the articles' order
    """
    shelf.mkdir(parents=True, exist_ok=True)
    # fresh interpreters: no state of this process (threads, docutils) in the workers
    context = multiprocessing.get_context("spawn")
    books: dict[Path, ShelfBook] = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(build_book, seed, shelf, formats, paper): seed for seed in articles}
        try:
            for future in concurrent.futures.as_completed(futures):
                books[futures[future]] = book = future.result()
                if done:
                    done(book)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise
    ordered = [books[seed] for seed in articles]
    write_index(shelf)
    return ordered


def read_shelf(shelf: Path) -> list[ShelfBook]:
    """The books of a shelf's folder, from each book's ``shelf.json``, by name.

    A file the entry lists but the folder no longer holds is left out (CI
    publishes the student's PDF, not the teacher's).

    :param shelf: the shelf's folder
    :return: the books
    """
    books = []
    for entry in sorted(shelf.glob(f"*/{ENTRY}")):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["files"] = tuple(
            (label, path) for label, path in data["files"] if (shelf / path).is_file()
        )
        books.append(ShelfBook(**data))
    return books


def write_index(shelf: Path) -> Path:
    """Write ``<shelf>/index.html`` from the books in the folder.

    :param shelf: the shelf's folder
    :return: the index
    """
    index = shelf / "index.html"
    index.write_text(render_index(read_shelf(shelf)), encoding="utf-8")
    return index


def render_index(books: Sequence[ShelfBook]) -> str:
    """The shelf's index page: each book's title, chapters and downloads, or its error.

    :param books: the books
    :return: a standalone HTML page (no script, no remote resource)
    """
    items = []
    for book in books:
        title = html.escape(book.title)
        if book.ok:
            links = "".join(
                f'<li><a href="{html.escape(path, quote=True)}">{html.escape(label)}</a></li>'
                for label, path in book.files
            )
            count = f"{book.chapters} chapter{'s' if book.chapters != 1 else ''}"
            body = f'<p class="meta">{count}</p>\n<ul class="files">{links}</ul>'
        else:
            body = (
                '<p class="meta failed">This book did not build:</p>\n'
                f'<pre class="error">{html.escape(book.error)}</pre>'
            )
        items.append(f'<li class="book" id="{html.escape(book.slug, quote=True)}">\n'
                     f"<h2>{title}</h2>\n{body}\n</li>")  # fmt: skip
    built = sum(book.ok for book in books)
    summary = f"{built} of {len(books)} book{'s' if len(books) != 1 else ''} built"
    return INDEX_PAGE.format(summary=summary, books="\n".join(items))


INDEX_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Classroom books</title>
<style>
:root {{ color-scheme: light; }}
body {{ font: 1.0625rem/1.55 "Noto Sans", "DejaVu Sans", system-ui, sans-serif; margin: 0;
  color: #1d2430; background: #f6f2e8; }}
header, main {{ max-width: 46rem; margin: 0 auto; padding: 0 1rem; }}
header {{ padding-top: 1.5rem; }}
h1 {{ font-size: 1.75rem; margin: 0 0 .25rem; color: #182740; }}
header p {{ margin: 0 0 1rem; color: #4a5466; }}
ol.shelf {{ list-style: none; margin: 0; padding: 0 0 2rem; }}
li.book {{ background: #fff; border-left: 6px solid #182740; border-radius: 4px;
  padding: .75rem 1rem 1rem; margin: 0 0 1rem; box-shadow: 0 1px 2px #0002; }}
li.book h2 {{ font-size: 1.3rem; margin: 0; overflow-wrap: anywhere; }}
p.meta {{ margin: .15rem 0 .6rem; color: #4a5466; }}
p.failed {{ color: #9b1c1c; font-weight: 600; }}
ul.files {{ list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: .5rem; }}
ul.files a {{ display: inline-block; padding: .45rem .8rem; border-radius: 4px;
  background: #182740; color: #fff; text-decoration: none; min-height: 1.5rem; }}
ul.files a:hover, ul.files a:focus-visible {{ background: #b03a2e; outline: 2px solid #b03a2e;
  outline-offset: 2px; }}
pre.error {{ white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: .6rem;
  background: #fdf2f2; border-left: 4px solid #9b1c1c; font-size: .9rem; }}
</style>
</head>
<body>
<header>
<h1>Classroom books</h1>
<p>{summary}. Each book: read it online, download the EPUB or the PDF, or take the
whole site offline as one zip.</p>
</header>
<main>
<ol class="shelf">
{books}
</ol>
</main>
</body>
</html>
"""
