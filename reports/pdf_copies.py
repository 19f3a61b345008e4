"""Copies of one form that differ only in their page margins, from one layout.

The four copies of the 全程纪实表 print the same body; only the top margins differ (the copy's
label, and the running title on continuation pages). Laying out and drawing the body four times
was three quarters of a PDF's time, so the body is laid out once, with its page numbers (counted
within a copy, so the same in every copy). Small documents lay out, for each copy, the margins of
a first page (the same for every record, so once for a batch) and of a continuation page, under
the same @page rules and named strings as a whole copy, so into the same boxes. Each page of the
PDF is a page of the body with its copy's margin boxes; the body's drawing is recorded on the
first copy and replayed on the others.

This reaches into WeasyPrint's page boxes (pinned in pyproject.toml). When it was written, every
page of the demo's records was compared, pixel for pixel, with the copies rendered as whole
documents (the earlier code): identical. tests/reports/test_record_pages.py and
test_record_batch.py check each page's label, running title and number.
"""

from weasyprint.document import Page
from weasyprint.draw import draw_page
from weasyprint.formatting_structure.boxes import MarginBox


class _CopyPage(Page):
    """A page of the body with one copy's margin boxes; the body's drawing is shared."""

    def __init__(self, body_box, margins_box, drawn, index):
        margins = tuple(child for child in margins_box.children if isinstance(child, MarginBox))
        super().__init__(body_box.copy_with_children((*body_box.children, *margins)))
        self._body = body_box
        self._margins = body_box.copy_with_children(margins)
        self._drawn, self._index = drawn, index

    def paint(self, stream, scale=1):
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            operators = self._drawn.get(self._index)
            if operators is None:
                start = len(stream.stream)
                # In its own graphics state, so that what follows starts from the same state
                # whether the body was drawn here or replayed.
                with stream.stacked():
                    draw_page(self._body, stream)
                self._drawn[self._index] = stream.stream[start:]
            else:
                stream.stream.extend(operators)
            draw_page(self._margins, stream)


def join_copies(body, first_pages, continued_pages=None):
    """One document of all the copies: page k of `first_pages` holds the margins of copy k's first
    page, page k of `continued_pages` those of its continuation pages (needed if the body runs over
    more than one page)."""
    drawn, pages = {}, []
    for copy, first in enumerate(first_pages.pages):
        for index, page in enumerate(body.pages):
            margins = first if index == 0 else continued_pages.pages[copy]
            pages.append(_CopyPage(page._page_box, margins._page_box, drawn, index))
    return body.copy(pages)
