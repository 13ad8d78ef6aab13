"""Reading the platform's cloud assembly: stacks in STACK_ORDER, with their regions and assets."""

from __future__ import annotations

from pathlib import Path

import pytest
from datahub_platform.config import PlatformConfig

from bootstrap.assembly import PlatformAssembly, read_assembly
from bootstrap.synthesis import read
from service_contract.errors import InvalidInput
from tests.aws import ACCOUNT
from tests.bootstrap.conftest import HOME_REGION, make_options, staged_from, synthesized
from tests.bootstrap.standin_app import STACK_ORDER


def test_the_stand_in_assembly_lists_stacks_in_order_with_regions_and_assets(
    standin_assembly: PlatformAssembly,
) -> None:
    stacks = {stack.artifact_id: stack for stack in standin_assembly.stacks}

    assert [stack.artifact_id for stack in standin_assembly.stacks] == list(STACK_ORDER)
    assert stacks["Functions"].depends_on == ("Storage",)
    assert stacks["Functions"].file_asset_count == 1, "the Lambda bundle"
    assert stacks["Storage"].file_asset_count == 0
    assert standin_assembly.regions() == [HOME_REGION, "us-east-1"]
    assert standin_assembly.qualifiers() == {"hnb659fds"}
    assert stacks["Edge"].account == ACCOUNT


def test_a_stack_missing_from_stack_order_is_refused(standin_assembly: PlatformAssembly) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_assembly(standin_assembly.directory, ("Storage", "Functions"), default_account=ACCOUNT)

    assert refused.value.code == "platform_stack_unordered"
    assert "Edge" in refused.value.message


def test_a_stack_ordered_before_what_it_needs_is_refused(
    standin_assembly: PlatformAssembly,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_assembly(
            standin_assembly.directory, ("Functions", "Storage", "Edge"), default_account=ACCOUNT
        )

    assert refused.value.code == "platform_stack_order"


def test_an_assembly_for_another_account_is_refused(
    config: PlatformConfig, standin_assembly: PlatformAssembly, tmp_path: Path
) -> None:
    elsewhere = config.model_copy(update={"account": "210987654321"})
    with pytest.raises(InvalidInput) as refused:
        read(make_options(elsewhere, tmp_path), standin_assembly.directory)

    assert refused.value.code == "assembly_account_mismatch"


def test_a_folder_synthesized_into_again_in_one_process_gets_its_assets_again(
    config: PlatformConfig, tmp_path: Path
) -> None:
    # A second run in the same process (same workdir): CDK remembers the assets it staged in
    # that folder, which the second synth empties first.
    synthesized(config, tmp_path / "work")

    again = synthesized(config, tmp_path / "work")

    sources = staged_from(again)
    assert sources and all(source.exists() for source in sources)
