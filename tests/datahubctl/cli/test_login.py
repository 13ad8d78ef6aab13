"""``datahubctl login`` against the local Cognito pool on moto: the stored token is a real one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.settings import LambdaSettings
from datahubctl.cli import main
from datahubctl.local.cognito import DEMO_ANALYST, LocalCognito, remember_local_pool


def login(state: Path, *args: str, typed: str | None = None, **env: str) -> Result:
    """``datahubctl login`` with the state directory, extra environment and ``typed`` input."""
    variables = {"DATAHUB_STATE_DIR": str(state), "DATAHUB_COGNITO_CLIENT_ID": "", **env}
    return CliRunner().invoke(main, ["login", *args], env=variables, input=typed)


@pytest.fixture
def state(tmp_path: Path, cognito: LocalCognito, moto_url: str) -> Path:
    """A state directory in which ``datahubctl up`` recorded the local pool."""
    remember_local_pool(tmp_path, cognito, moto_url)
    return tmp_path


def test_login_stores_an_id_token_the_authorizer_accepts(
    state: Path, lambda_settings: LambdaSettings
):
    result = login(state, "--username", DEMO_ANALYST.username, typed=f"{DEMO_ANALYST.password}\n")

    assert result.exit_code == 0, result.output
    token = (state / "id-token").read_text()
    assert token not in result.output
    assert stat.S_IMODE((state / "id-token").stat().st_mode) == 0o600
    policy = Authorizer(lambda_settings)({"methodArn": "arn", "headers": {"Authorization": token}})
    assert policy["context"] == {"user": "demo-analyst", "groups": "analytics"}


def test_an_older_readable_token_file_is_made_private(state: Path):
    old = state / "id-token"
    old.write_text("an old token")
    old.chmod(0o644)

    result = login(state, "--username", DEMO_ANALYST.username, "--password", DEMO_ANALYST.password)

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(old.stat().st_mode) == 0o600 and old.read_text() != "an old token"


def test_a_wrong_password_is_a_clean_error_and_stores_nothing(state: Path):
    result = login(state, "--username", DEMO_ANALYST.username, "--password", "not-it-at-all")

    assert result.exit_code == 1
    assert "error [sign_in_refused]: wrong username or password" in result.output
    assert "Traceback" not in result.output and not (state / "id-token").exists()


def test_an_unknown_user_reads_the_same_as_a_wrong_password(state: Path):
    result = login(state, "--username", "nobody-here", "--password", "Whatever-1")
    assert result.exit_code == 1 and "sign_in_refused" in result.output


def test_without_a_pool_login_says_what_to_do(tmp_path: Path):
    result = login(tmp_path, "--username", "x", "--password", "y")
    assert result.exit_code == 1 and "[no_user_pool]" in result.output


def test_a_local_pool_whose_up_is_stopped_says_to_start_it(tmp_path: Path, cognito: LocalCognito):
    remember_local_pool(tmp_path, cognito, "http://127.0.0.1:9")  # nothing listens there

    result = login(tmp_path, "--username", DEMO_ANALYST.username, "--password", "Whatever-1")

    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "error [upstream_failure]: Cognito cannot be reached" in said
    assert "the moto server of `datahubctl up`: is it running?" in said


def test_a_configured_app_client_is_used_over_the_local_one(
    tmp_path: Path, cognito: LocalCognito, moto_url: str
):
    result = login(
        tmp_path,
        "--username",
        DEMO_ANALYST.username,
        "--password",
        DEMO_ANALYST.password,
        DATAHUB_COGNITO_CLIENT_ID=cognito.client_id,
        DATAHUB_AWS_ENDPOINT_URL=moto_url,
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "id-token").exists()
