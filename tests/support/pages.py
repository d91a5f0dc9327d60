"""Reading the figures back out of a rendered report page."""

from __future__ import annotations

from html.parser import HTMLParser


class PageTables(HTMLParser):
    """Every report table cell: (section id, row label, column) -> text, as a reader sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str, str], str] = {}
        self.section = ""
        self.columns: list[str] = []
        self.row: list[str] = []
        self.text: list[str] | None = None
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.section = dict(attrs).get("id") or ""
        elif tag == "thead":
            self.in_head, self.columns = True, []
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td"):
            self.text = []

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.text is not None:
            value = "".join(self.text).strip()
            (self.columns if self.in_head else self.row).append(value)
            self.text = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "tr" and not self.in_head and self.row:
            label, *values = self.row
            for column, value in zip(self.columns[1:], values, strict=True):
                self.cells[(self.section, label, column)] = "" if value == "—" else value


def page_cells(html: str) -> dict[tuple[str, str, str], str]:
    parser = PageTables()
    parser.feed(html)
    return parser.cells
