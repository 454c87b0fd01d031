"""docs/benchmarks.md, one section per benchmark: a run rewrites its own section and keeps the others."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, heading: str, lines: list[str]) -> None:
    """Replace the section that starts with `heading` (up to the next `## `), or append it."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    head, found, rest = old.partition(heading)
    tail = ""
    if found:
        after = rest.find("\n## ")
        tail = rest[after + 1 :] if after >= 0 else ""
    body = "\n".join([heading, *lines]) if lines and lines[0] != heading else "\n".join(lines)
    path.write_text(head.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n" + ("\n" + tail if tail else ""), "utf-8")
