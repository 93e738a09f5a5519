"""Reading the annual report's PDFs in tests, with pypdf only (CI has no
poppler): text per page, the table of contents, bookmarks, fonts and every
stream of the file."""

import io
import re
from collections import Counter
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

# A table-of-contents line: the title, a leader of dots, the page number.
TOC_LINE = re.compile(r"(?P<title>.+?) ?(?:\. ?){3,}(?P<page>\d+)")
FOOTER_PAGE = re.compile(r"Sida (\d+) av (\d+)")


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read(pdf).pages]


def flat(text: str) -> str:
    """The text with every run of white space (line breaks too) as one space."""
    return " ".join(text.split())


def toc_entries(text: str) -> dict[str, int]:
    """Title → page number for each line of the contents page."""
    entries = {}
    for line in text.splitlines():
        match = TOC_LINE.fullmatch(line.strip())
        if match:
            entries[match["title"]] = int(match["page"])
    return entries


def first_page_starting_with(pages: list[str], heading: str) -> int:
    """The 1-based number of the first page whose text begins with the heading."""
    for number, text in enumerate(pages, start=1):
        if flat(text).startswith(heading):
            return number
    raise AssertionError(f"No page begins with {heading!r}.")


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """The top-level bookmarks: (title, 1-based page number)."""
    return [
        (item.title, reader.get_destination_page_number(item) + 1)
        for item in reader.outline
        if not isinstance(item, list)
    ]


def xobject_kinds(reader: PdfReader) -> Counter[str]:
    """How many XObjects of each subtype (/Form, /Image) the pages draw,
    also inside other XObjects."""
    kinds: Counter[str] = Counter()

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        for xobject in (resources or {}).get("/XObject", {}).values():
            xobject = xobject.get_object()
            kinds[str(xobject.get("/Subtype"))] += 1
            visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return kinds


def fonts(reader: PdfReader) -> list[DictionaryObject]:
    """Every font the pages use, also inside form XObjects (the SVG charts);
    for a composite (Type0) font its descendant, which holds the program."""
    found: dict[tuple[int, int], DictionaryObject] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for reference in resources.get("/Font", {}).values():
            font = reference.get_object()
            parts = font.get("/DescendantFonts", [reference])
            for part in parts:
                found[(part.idnum, part.generation)] = part.get_object()
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                visit(xobject["/Resources"])

    for page in reader.pages:
        visit(page.get("/Resources"))
    return list(found.values())


def font_is_embedded(font: DictionaryObject) -> bool:
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def streams(reader: PdfReader) -> Iterator[bytes]:
    """The decoded data of every stream reachable from the trailer."""
    seen: set[tuple[int, int]] = set()
    pending = [reader.trailer]
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, StreamObject):
            yield node.get_data()
        if isinstance(node, DictionaryObject):
            pending.extend(value for key, value in node.items() if key != "/Parent")
        elif isinstance(node, ArrayObject):
            pending.extend(node)


def structure_kinds(reader: PdfReader) -> Counter[str]:
    """How many structure elements of each type (/H1, /P, /Figure...) the
    tagged PDF's structure tree holds."""
    kinds: Counter[str] = Counter()
    pending = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop()
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, ArrayObject):
            pending.extend(node)
        elif isinstance(node, DictionaryObject):  # integers are marked-content ids
            if "/S" in node:
                kinds[str(node["/S"])] += 1
            if "/K" in node:
                pending.append(node["/K"])
    return kinds
