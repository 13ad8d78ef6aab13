"""The shares routes: both teams see a share, any other team nothing, for every route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cdk_service.db.models import DatasetShare, Deployment, ShareStatus
from service_contract.identity import Identity
from tests.cdk_service.api.conftest import Caller
from tests.cdk_service.shares.conftest import OUTSIDER, OWNER, READER, REQUESTER, Sharing

Users = Callable[[Identity], Caller]
DECISIONS = ("approve", "reject", "revoke")


@pytest.fixture
async def requested(sharing: Sharing, as_user: Users) -> dict[str, Any]:
    """A request by the finance team for the analytics team's orders, through the API."""
    dataset = await sharing.dataset()
    body = {
        "dataset_id": str(dataset.id),
        "team": "finance",
        "principal_arn": READER,
        "reason": "month end",
    }
    status, share = await as_user(REQUESTER)("POST", "/v1/shares", body)
    assert status == 201, share
    return dict(share)


async def test_both_teams_see_the_request_in_their_lists(
    requested: dict[str, Any], as_user: Users
) -> None:
    _, incoming = await as_user(OWNER)("GET", "/v1/shares?direction=incoming")
    _, outgoing = await as_user(REQUESTER)("GET", "/v1/shares?direction=outgoing")
    _, theirs = await as_user(REQUESTER)("GET", "/v1/shares?direction=incoming")

    assert [s["id"] for s in incoming["shares"]] == [requested["id"]]
    assert [s["id"] for s in outgoing["shares"]] == [requested["id"]]
    assert theirs["shares"] == []
    assert incoming["shares"][0]["dataset_name"] == "orders"


async def test_another_team_sees_nothing_and_can_do_nothing(
    requested: dict[str, Any], as_user: Users
) -> None:
    outsider, path = as_user(OUTSIDER), f"/v1/shares/{requested['id']}"

    for direction in ("incoming", "outgoing"):
        status, page = await outsider("GET", f"/v1/shares?direction={direction}")
        assert (status, page["shares"]) == (200, [])
    status, page = await outsider("GET", "/v1/shares?team=analytics")
    assert (status, page["shares"]) == (200, [])
    for method, suffix, body in [
        ("GET", "", None),
        ("GET", "/history", None),
        ("POST", "/preview", None),
        *[("POST", f"/{decision}", {"note": "mine now"}) for decision in DECISIONS],
    ]:
        status, answer = await outsider(method, path + suffix, body)
        assert (status, answer["error"]["code"]) == (404, "share_not_found"), (suffix, answer)
    share = await DatasetShare.get(id=requested["id"])
    assert share.status is ShareStatus.REQUESTED and share.owner_approved_by is None
    assert not await Deployment.filter(params__contains={"consumer_principal_arns": [READER]})


async def test_an_outsider_cannot_request_for_a_team_it_is_not_in(
    sharing: Sharing, as_user: Users
) -> None:
    dataset = await sharing.dataset()
    body = {"dataset_id": str(dataset.id), "team": "finance", "principal_arn": READER}
    body["reason"] = "x"

    status, answer = await as_user(OUTSIDER)("POST", "/v1/shares", body)

    assert (status, answer["error"]["code"]) == (403, "not_team_member")


async def test_the_requester_cannot_approve_or_preview_its_own_request(
    requested: dict[str, Any], as_user: Users
) -> None:
    path = f"/v1/shares/{requested['id']}"
    for suffix, body in (("/approve", {}), ("/preview", None), ("/reject", {})):
        status, answer = await as_user(REQUESTER)("POST", path + suffix, body)
        assert (status, answer["error"]["code"]) == (403, "not_share_owner")


async def test_owner_approves_over_http_and_both_read_the_history(
    requested: dict[str, Any], as_user: Users, sharing: Sharing
) -> None:
    path = f"/v1/shares/{requested['id']}"
    status, approved = await as_user(OWNER)("POST", path + "/approve", {"note": "ok"})
    assert (status, approved["status"]) == (200, "granting")
    await sharing.deploy_last()

    _, granted = await as_user(REQUESTER)("GET", path)
    _, history = await as_user(REQUESTER)("GET", path + "/history")

    assert granted["status"] == "granted"
    assert [e["action"] for e in history["events"]][-1] == "share.granted"
    status, answer = await as_user(OWNER)("POST", path + "/approve", {})
    assert (status, answer["error"]["code"]) == (409, "share_not_approveable")


async def test_lists_page_with_cursors_and_filter_by_status(
    sharing: Sharing, as_user: Users
) -> None:
    for name in ("orders", "refunds", "returns"):
        await sharing.request(await sharing.dataset(name))
    owner = as_user(OWNER)

    _, first = await owner("GET", "/v1/shares?limit=2")
    _, rest = await owner("GET", f"/v1/shares?limit=2&cursor={first['next_cursor']}")
    _, none_granted = await owner("GET", "/v1/shares?status=granted")

    names = [s["dataset_name"] for s in first["shares"] + rest["shares"]]
    assert names == ["returns", "refunds", "orders"] and rest["next_cursor"] is None
    assert none_granted["shares"] == []
