"""The newest-releases script's arithmetic: which upgrades there are, and which one breaks."""

from __future__ import annotations

from scripts.newest_releases import Upgrade, culprit, upgrades


def test_upgrades_are_the_packages_whose_newest_release_is_not_locked() -> None:
    lock = {"boto3": "1.44.13", "botocore": "1.44.13", "click": "8.5.0"}
    latest = {"boto3": "1.44.18", "botocore": "1.44.18", "click": "8.5.0", "uv": "0.13.10"}

    assert upgrades(lock, latest) == [
        Upgrade("boto3", "1.44.13", "1.44.18"),
        Upgrade("botocore", "1.44.13", "1.44.18"),
        Upgrade("uv", None, "0.13.10"),
    ]


class FakeScratch:
    """An environment where the tests fail once ``breaking`` is at its newest version."""

    def __init__(self, breaking: str, newest: str) -> None:
        self.breaking, self.newest = breaking, newest
        self.pins: dict[str, str] = {}
        self.runs = 0

    def install(self, pins: dict[str, str]) -> None:
        self.pins = pins

    def failing(self, tests: list[str]) -> set[str]:
        self.runs += 1
        return set(tests) if self.pins.get(self.breaking) == self.newest else set()


def test_bisection_names_the_upgrade_that_breaks_in_few_runs() -> None:
    ups = [Upgrade(f"package-{n:02}", "1.0", "2.0") for n in range(20)]
    base = {u.name: "1.0" for u in ups}
    scratch = FakeScratch("package-13", "2.0")

    found = culprit(scratch, base, ups, {"tests/x.py::test_y"})  # type: ignore[arg-type]

    assert ups[found].name == "package-13"
    assert scratch.runs <= 5  # log2(20), not 20
