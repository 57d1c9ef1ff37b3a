"""Make an article N times the size of a seed, with unique headings.

Usage: python benchmarks/scale.py SEED FACTOR OUT.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def scale_article(text: str, factor: int) -> str:
    """Repeat a seed's chapters ``factor`` times, numbering every heading.

    :param text: the seed article
    :param factor: how many copies of its chapters
    :return: the scaled article (same title and lead)
    """
    head, _, body = text.partition("\n## ")
    body = "## " + body
    copies = [
        re.sub(r"(?m)^(#{2,3}) (.+)$", rf"\1 \2 (part {copy})", body)
        for copy in range(1, factor + 1)
    ]
    return head.rstrip("\n") + "\n\n" + "\n".join(copy.rstrip("\n") + "\n" for copy in copies)


def main(argv: list[str]) -> int:
    """Write the scaled article."""
    seed, factor, out = Path(argv[0]), int(argv[1]), Path(argv[2])
    out.write_text(scale_article(seed.read_text(encoding="utf-8"), factor), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
