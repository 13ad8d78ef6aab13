"""The platform's configuration: one typed file, and bad input said plainly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datahub_platform.config import REPOSITORY_ROOT, PlatformConfig

from service_contract.errors import InvalidInput
from tests.platform.conftest import CONFIG


def test_the_example_file_is_a_valid_configuration() -> None:
    config = PlatformConfig.from_file(REPOSITORY_ROOT / "platform" / "platform.example.yaml")
    assert config.prefix == "datahub"
    assert config.sizing.worker_max_tasks == 6
    assert config.custom_domain is None


def test_yaml_and_json_files_give_the_same_configuration(tmp_path: Path) -> None:
    import yaml

    as_json = tmp_path / "platform.json"
    as_json.write_text(json.dumps(CONFIG))
    as_yaml = tmp_path / "platform.yaml"
    as_yaml.write_text(yaml.safe_dump(CONFIG))
    assert PlatformConfig.from_file(as_json) == PlatformConfig.from_file(as_yaml)


def test_the_first_admin_defaults_to_the_alarm_address() -> None:
    config = PlatformConfig.from_mapping(CONFIG)
    assert config.admin_email == CONFIG["alarm_email"]
    other = PlatformConfig.from_mapping({**CONFIG, "first_admin_email": "admin@example.com"})
    assert other.admin_email == "admin@example.com"


def test_allowed_ranges_are_split_by_ip_version() -> None:
    config = PlatformConfig.from_mapping(CONFIG)
    assert config.ipv4_ranges() == ["203.0.113.0/24"]
    assert config.ipv6_ranges() == ["2001:db8::/32"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"allowed_ip_ranges": ["203.0.113.7/24"]}, "allowed_ip_ranges"),
        ({"allowed_ip_ranges": []}, "allowed_ip_ranges"),
        ({"prefix": "Data_Hub"}, "prefix"),
        ({"account": "12345"}, "account"),
        ({"alarm_email": "nobody"}, "alarm_email"),
        ({"service_image": "not an image"}, "service_image"),
        ({"sizing": {"availability_zones": 1}}, "sizing.availability_zones"),
        ({"sizing": {"search_master_nodes": 2}}, "sizing.search_master_nodes"),
        ({"sizing": {"log_retention_days": 10}}, "sizing.log_retention_days"),
        ({"sizing": {"aurora_engine_version": "15.8"}}, "sizing.aurora_engine_version"),
        (
            {
                "custom_domain": {
                    "name": "datahub.example.com",
                    "certificate_arn": "arn:aws:acm:eu-west-1:111122223333:certificate/x",
                }
            },
            "custom_domain.certificate_arn",
        ),
        ({"console_origin": "https://d1234.cloudfront.net/"}, "console_origin"),
        ({"console_origin": "d1234.cloudfront.net"}, "console_origin"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_values_are_named_with_a_stable_code(change: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        PlatformConfig.from_mapping({**CONFIG, **change})
    assert caught.value.code == "invalid_platform_config"
    assert caught.value.field == field
    assert field in caught.value.message


def test_a_missing_field_is_named() -> None:
    raw = {key: value for key, value in CONFIG.items() if key != "alarm_email"}
    with pytest.raises(InvalidInput) as caught:
        PlatformConfig.from_mapping(raw)
    assert caught.value.field == "alarm_email"


def test_a_file_that_is_not_yaml_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "platform.yaml"
    path.write_text("prefix: [unclosed\n")
    with pytest.raises(InvalidInput) as caught:
        PlatformConfig.from_file(path)
    assert caught.value.code == "config_unparsable"
    assert "not valid YAML" in caught.value.message


def test_a_missing_file_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        PlatformConfig.from_file(tmp_path / "absent.json")
    assert caught.value.code == "config_unreadable"
    assert "absent.json" in caught.value.message


def test_data_nodes_must_fill_every_zone() -> None:
    sizing = {"availability_zones": 3, "search_data_nodes": 4}
    with pytest.raises(InvalidInput) as caught:
        PlatformConfig.from_mapping({**CONFIG, "sizing": sizing})
    assert caught.value.field == "sizing"
    assert "multiple of availability_zones" in caught.value.message
