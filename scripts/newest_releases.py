"""Try DATAHUB on the newest releases of everything, and name the release that broke a test.

    .venv/bin/python scripts/newest_releases.py [PYTEST ARGS...]

For people, not for CI (CI runs on the lock). In a scratch virtual environment it installs the
newest releases that setup.cfg's ranges admit, runs the suite (or the pytest arguments given),
and for the tests that fail there but not on the lock, finds which upgraded package breaks
them: it bisects over the upgrades, the locked versions first, running only those tests. The
answer is a list of package upgrades, each with the tests it broke; then refresh the lock with
``scripts/lock --upgrade`` once they are fixed, or hold the package back in setup.cfg with the
reason beside the pin.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

try:
    from check_lock import locked  # run as a script, from scripts/
except ImportError:
    from scripts.check_lock import locked

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "dev.txt"
UV = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))


@dataclass(frozen=True)
class Upgrade:
    """A package whose newest release differs from the locked one."""

    name: str
    locked: str | None
    newest: str

    def __str__(self) -> str:
        return f"{self.name} {self.locked or '(new)'} -> {self.newest}"


def run(*command: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """A command in the repository's root; its output is captured, failure raises."""
    return subprocess.run(command, cwd=ROOT, text=True, capture_output=True, check=True, **kwargs)  # type: ignore[call-overload]


def newest(scratch: Path) -> dict[str, str]:
    """The newest versions setup.cfg admits (dev extra, Python 3.11), as a lock would pin them."""
    output = scratch / "newest.txt"
    run(UV, "pip", "compile", "--quiet", "--upgrade", "--python-version", "3.11",
        "--extra", "dev", "setup.cfg", "-o", str(output))  # fmt: skip
    return locked(output)


def upgrades(lock: dict[str, str], latest: dict[str, str]) -> list[Upgrade]:
    """Every package whose newest version is not the locked one, by name."""
    return [
        Upgrade(name, lock.get(name), version)
        for name, version in sorted(latest.items())
        if lock.get(name) != version
    ]


class Scratch:
    """A virtual environment outside the repository, set to versions on demand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.python = folder / "venv" / "bin" / "python"
        run(UV, "venv", "--quiet", "--python", "3.11", str(folder / "venv"))

    def install(self, pins: dict[str, str]) -> None:
        """Exactly these versions (no resolution: a bisection step may mix releases)."""
        requirements = self.folder / "pins.txt"
        requirements.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())))
        run(UV, "pip", "install", "--quiet", "--python", str(self.python), "--no-deps",
            "-r", str(requirements))  # fmt: skip
        run(UV, "pip", "install", "--quiet", "--python", str(self.python), "--no-deps", "-e", ".")

    def failing(self, pytest_args: list[str]) -> set[str]:
        """The test ids that fail (or error) under pytest with ``pytest_args``."""
        report = self.folder / "report.xml"
        subprocess.run(
            [str(self.python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={report}", *pytest_args],
            cwd=ROOT, text=True, capture_output=True, check=False,
        )  # fmt: skip
        if not report.exists():
            return {"(pytest did not run)"}
        failed = set()
        for case in ElementTree.parse(report).iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                path = case.get("classname", "").replace(".", "/")
                failed.add(f"{path}.py::{case.get('name')}")
        return failed


def culprit(scratch: Scratch, base: dict[str, str], ups: list[Upgrade], tests: set[str]) -> int:
    """The index of the first upgrade that, applied over ``base`` with those before it, makes
    ``tests`` fail (bisection: assumes that once broken, more upgrades keep it broken)."""
    low, high = 0, len(ups) - 1
    while low < high:
        middle = (low + high) // 2
        scratch.install({**base, **{u.name: u.newest for u in ups[: middle + 1]}})
        if scratch.failing(sorted(tests)):
            high = middle
        else:
            low = middle + 1
    return low


def main(pytest_args: list[str]) -> int:
    lock = locked(LOCK)
    with tempfile.TemporaryDirectory(prefix="datahub-newest-") as folder:
        scratch = Scratch(Path(folder))
        latest = newest(scratch.folder)
        ups = upgrades(lock, latest)
        print(f"{len(ups)} package(s) have newer releases than the lock:")
        for upgrade in ups:
            print(f"  {upgrade}")
        if not ups:
            return 0
        scratch.install(latest)
        broken = scratch.failing(pytest_args)
        print(f"on the newest releases: {len(broken)} test(s) fail")
        if not broken:
            return 0
        scratch.install({n: v for n, v in lock.items() if n in latest})
        broken -= scratch.failing(sorted(broken))  # those that fail on the lock too are ours
        base = {n: v for n, v in lock.items() if n in latest}
        held: list[Upgrade] = []
        while broken:
            remaining = [u for u in ups if u not in held]
            if not remaining:
                break
            found = remaining[culprit(scratch, base, remaining, broken)]
            held.append(found)
            scratch.install({**latest, **{u.name: u.locked for u in held if u.locked}})
            still = scratch.failing(sorted(broken))
            print(f"{found} breaks: {', '.join(sorted(broken - still)) or '(with others)'}")
            broken = still
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
