"""The README's screenshots exist, and each is one a browser journey saves (so remaking them keeps
the README whole)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOURNEYS = ROOT / "tests" / "browser" / "test_user_journeys.py"


def _linked() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"\]\(docs/screenshots/([^)]+\.png)\)", readme))


def test_every_screenshot_in_the_readme_exists_and_a_journey_makes_it():
    linked = _linked()
    assert linked, "the README shows no screenshots"
    saved = set(re.findall(r"_screenshot\([^,]+, \"([^\"]+)\"\)", JOURNEYS.read_text(encoding="utf-8")))
    saved |= set(re.findall(r"screenshot=\"([^\"]+)\"", JOURNEYS.read_text(encoding="utf-8")))
    for name in sorted(linked):
        assert (ROOT / "docs" / "screenshots" / name).is_file(), name
        assert name.removesuffix(".png") in saved, f"{name} is not made by a journey"


def test_every_committed_screenshot_is_shown_and_small():
    files = sorted((ROOT / "docs" / "screenshots").glob("*.png"))
    assert {f.name for f in files} == _linked()
    assert sum(f.stat().st_size for f in files) < 3_000_000
