"""``datahubctl templates new|check|upload|bundles``: the kit, an offline check, an upload."""

from __future__ import annotations

from pathlib import Path

from tests.datahubctl.cli.test_cli import datahubctl

__all__ = ["datahubctl"]


async def test_a_new_template_checks_clean_uploads_and_is_listed(
    datahubctl, tmp_path: Path
) -> None:
    made = await datahubctl("templates", "new", "team-setting", "--into", str(tmp_path))
    assert made.exit_code == 0, made.output
    root = tmp_path / "team-setting"
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert written == [
        "README.md",
        "pyproject.toml",
        "team_setting_template/__init__.py",
        "team_setting_template/stack.py",
        "tests/test_team_setting_template.py",
    ]

    checked = await datahubctl("templates", "check", str(root))
    assert checked.exit_code == 0, checked.output
    assert "team-setting 1.0.0: 0 finding(s)" in checked.output
    assert "cfn-lint: 0 error(s)" in checked.output
    assert "ready to upload" in checked.output

    uploaded = await datahubctl("templates", "upload", str(root))
    assert uploaded.exit_code == 0, uploaded.output
    assert "team-setting@1.0.0 (draft" in uploaded.output
    listed = await datahubctl("templates", "bundles")
    assert listed.exit_code == 0, listed.output
    assert "team_setting_template" in listed.output

    again = await datahubctl("templates", "new", "team-setting", "--into", str(tmp_path))
    assert again.exit_code != 0 and "exists already" in again.output


async def test_check_fails_with_the_code_upload_would_answer(datahubctl, tmp_path: Path) -> None:
    assert (await datahubctl("templates", "new", "broken", "--into", str(tmp_path))).exit_code == 0
    init = tmp_path / "broken" / "broken_template" / "__init__.py"
    init.write_text(init.read_text() + "\nimport missing_helpers\n")
    checked = await datahubctl("templates", "check", str(tmp_path / "broken"))
    assert checked.exit_code == 1
    assert "bundle_missing_packages" in checked.output and "missing_helpers" in checked.output
