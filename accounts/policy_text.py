"""The policy's text as sections, for the policy page's table of contents and
anchors (§N links land on them).

The text is kept as adopted, plain; its structure is read from it: a section
starts on a line of its own with its number, "5. Kontoansvarig" or
"§ 5 Kontoansvarig" ("§5. Kontoansvarig"), numbered 1, 2, 3 … in order, so a
numbered list inside a section is not taken for a heading. Paragraphs are
separated by blank lines; lines starting with a bullet ("•", "-", "*") are list
items. What comes before the first section is the preamble (title, decision).
"""

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^(?:§\s*(?P<p>\d{1,2})\.?|(?P<n>\d{1,2})\.)\s+(?P<heading>\S.{0,119})$")
BULLET = re.compile(r"^[•\-*–]\s+")
# "§5", "§ 5" is a decision's paragraph (KF 2014-11-12 § 145), never a section of ours.
SECTION_REFERENCE = re.compile(r"(?<![\w§])§(\d{1,2})(?!\d)")


def anchor(number: int) -> str:
    """The fragment of a section on the policy page."""
    return f"avsnitt-{number}"


@dataclass
class Block:
    """A paragraph (``items`` empty) or a bulleted list (``text`` empty)."""

    text: str = ""
    items: list[str] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return bool(self.items)


@dataclass
class Section:
    number: int
    heading: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(self.number)

    @property
    def plain_text(self) -> str:
        return "\n".join(b.text or "\n".join(b.items) for b in self.blocks)


@dataclass
class PolicyDocument:
    preamble: list[Block]
    sections: list[Section]

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)


def _heading(line: str, expected: int) -> tuple[int, str] | None:
    match = HEADING.match(line)
    if match is None:
        return None
    number = int(match.group("p") or match.group("n"))
    if number != expected:
        return None
    return number, match.group("heading").strip()


def parse(text: str) -> PolicyDocument:
    preamble: list[Block] = []
    sections: list[Section] = []
    blocks = preamble
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Block(text=" ".join(paragraph)))
            paragraph.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            end_paragraph()
            continue
        found = _heading(line, len(sections) + 1)
        if found is not None:
            end_paragraph()
            sections.append(Section(number=found[0], heading=found[1]))
            blocks = sections[-1].blocks
            continue
        if BULLET.match(line):
            end_paragraph()
            item = BULLET.sub("", line)
            if blocks and blocks[-1].is_list:
                blocks[-1].items.append(item)
            else:
                blocks.append(Block(items=[item]))
            continue
        paragraph.append(line)
    end_paragraph()
    return PolicyDocument(preamble=preamble, sections=sections)
