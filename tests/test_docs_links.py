"""Every link in the README and the manual (``docs/``) leads somewhere: a file of the repository
and, when it names one, a heading in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "cdk.out", ".datahub", "build", "dist"}
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def markdown_files() -> list[Path]:
    """The repository's own Markdown files, dependencies' and build output left out."""
    return sorted(
        path
        for path in REPOSITORY.rglob("*.md")
        if not SKIPPED_FOLDERS & set(path.relative_to(REPOSITORY).parts)
    )


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (code blocks left out)."""
    text = FENCE.sub("", path.read_text())
    return {slug(heading) for heading in HEADING.findall(text)}


def broken_links(path: Path) -> list[str]:
    """The links of one file that lead nowhere, each with the reason."""
    broken = []
    for target in LINK.findall(FENCE.sub("", path.read_text())):
        if re.match(r"[a-z]+:", target):  # https:, mailto: — outside the repository
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no such heading in {file_part or path.name}")
    return broken


def test_the_manual_is_there_and_the_readme_is_a_front_door() -> None:
    readme = (REPOSITORY / "README.md").read_text()
    assert len(readme.splitlines()) <= 250
    for page in (REPOSITORY / "docs").glob("*.md"):
        assert f"](docs/{page.name})" in readme, f"the README does not link {page.name}"


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(REPOSITORY)))
def test_every_link_leads_somewhere(path: Path) -> None:
    assert broken_links(path) == []


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n[fine](other.md#other-page) [self](#page) [gone](missing.md) "
        "[no heading](other.md#nowhere) [web](https://example.com)\n"
        "```\n[in code](ignored.md)\n```\n"
    )
    assert broken_links(page) == [
        "missing.md: no such file",
        "other.md#nowhere: no such heading in other.md",
    ]
