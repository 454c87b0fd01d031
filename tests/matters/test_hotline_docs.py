"""docs/webhooks.md shows a gateway author what `hotline.result` and `hotline.extension` carry; its examples must
name the fields matters.loop sends, no more and no fewer, and its field table must describe each of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from wangge.matters.loop import hotline_result
from wangge.matters.models import Matter

DOC = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text(encoding="utf-8")


def _examples() -> dict[str, dict]:
    found = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", DOC, re.S)]
    return {e["topic"]: e for e in found if e.get("topic", "").startswith("hotline.")}


def test_the_examples_carry_what_the_hotline_events_carry():
    sent = set(hotline_result(Matter()))
    examples = _examples()
    assert set(examples) == {"hotline.result", "hotline.extension"}
    assert set(examples["hotline.result"]["data"]) == sent
    assert set(examples["hotline.extension"]["data"]) == sent | {"kind", "until"}  # loop.tell_hotline adds them
    for example in examples.values():
        assert set(example) == {"id", "topic", "occurred_at", "data"}  # the body every topic has


def test_every_field_is_described():
    first_cells = re.findall(r"^\| ([^|]*) \|", DOC, re.M)  # a field table's first column: `name` or `a`, `b`
    described = {name for cell in first_cells for name in re.findall(r"`(\w+)`", cell)}
    assert set(hotline_result(Matter())) | {"kind", "until"} <= described
