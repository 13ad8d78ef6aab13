"""Exit 1, with one line naming the differences, when this environment is not the lock.

    python scripts/check_lock.py requirements/dev.txt

Every package the lock names must be installed at its locked version, and nothing else may be
installed beside them but DATAHUB itself and the installer's own tools.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
NOT_LOCKED = {"datahub-platform", "pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(lock: Path) -> dict[str, str]:
    """Package name to version, from a pip-compile style lock file."""
    pins = (PINNED.match(line) for line in lock.read_text().splitlines())
    return {canonical(m[1]): m[2] for m in pins if m}


def installed() -> dict[str, str]:
    """Package name to version, for every distribution this interpreter sees."""
    return {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}


def differences(wanted: dict[str, str], have: dict[str, str]) -> list[str]:
    """What stands between ``have`` and ``wanted``, one short phrase each."""
    found = []
    for name, version in sorted(wanted.items()):
        if name not in have:
            found.append(f"{name} missing (locked {version})")
        elif have[name] != version:
            found.append(f"{name} {have[name]} (locked {version})")
    extra = sorted(set(have) - set(wanted) - NOT_LOCKED)
    found += [f"{name} {have[name]} (not in the lock)" for name in extra]
    return found


def main(lock: str) -> int:
    found = differences(locked(Path(lock)), installed())
    if found:
        print(f"installed packages differ from {lock}: {'; '.join(found)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
