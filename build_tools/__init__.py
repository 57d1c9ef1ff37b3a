"""Classroom publishing pipeline: one Markdown article to an HTML, EPUB and PDF book."""

__version__ = "0.1.0"
