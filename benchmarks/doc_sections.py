"""Writing one benchmark's section into docs/benchmarks.md: the text between its begin/end markers is replaced (or
appended when the file has none); the other benchmarks' sections are left as they are."""
from __future__ import annotations

from pathlib import Path

HEADER = "# Benchmarks\n\nEvery figure here is written by the command above it.\n\n"


def write_section(path: Path, name: str, body: str) -> None:
    """`body` between `<!-- name:begin -->` and `<!-- name:end -->` in the markdown file at `path`."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    section = f"{begin}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
