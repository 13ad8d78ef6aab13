"""A team's stack flow through the Backend handler: request, read, preview, approve, destroy."""

from __future__ import annotations

from uuid import UUID

from cdk_service.db.models import DeploymentStatus
from tests.api_lambdas.backend.conftest import data_of, error_of
from tests.api_lambdas.service_fixtures import ADMIN, ANALYST, FINANCE
from tests.cdk_service.stacks.conftest import preview_and_hold

REQUEST = """
mutation Request($input: RequestStackInput!) {
  requestStack(input: $input) {
    replayed
    stack { id name team status templateName templateVersion params }
    deployment { id kind status gate stack { id } }
  }
}"""
STACK = """
query Stack($id: ID!) {
  stack(id: $id) {
    id status template { name }
    activeDeployment { id status }
    deployments(first: 5) { edges { cursor node { id kind status } } pageInfo { hasNextPage } }
  }
}"""
ORDER = {
    "name": "sandbox",
    "team": "analytics",
    "template": "bucket",
    "version": "1.0.0",
    "params": {"bucket_name": "sandbox-data"},
}


async def request(ask, identity=ANALYST, **overrides) -> dict:
    """Request a stack as ``identity``; the requestStack payload."""
    answer = data_of(*await ask(identity, REQUEST, {"input": {**ORDER, **overrides}}))
    return answer["requestStack"]


async def test_a_member_requests_a_stack_and_reads_it_back(ask) -> None:
    accepted = await request(ask, idempotencyKey="first-try")
    stack = accepted["stack"]
    assert (stack["name"], stack["team"]) == ("sandbox", "analytics")
    assert stack["templateName"] == "bucket"
    assert stack["params"]["bucket_name"] == "sandbox-data"
    assert accepted["deployment"]["kind"] == "create"
    assert accepted["deployment"]["stack"] == {"id": stack["id"]}

    again = await request(ask, idempotencyKey="first-try")
    assert again["replayed"] is True and again["stack"]["id"] == stack["id"]

    read = data_of(*await ask(ANALYST, STACK, {"id": stack["id"]}))["stack"]
    assert read["template"] == {"name": "bucket"}
    assert read["activeDeployment"]["id"] == accepted["deployment"]["id"]
    [edge] = read["deployments"]["edges"]
    assert edge["node"]["id"] == accepted["deployment"]["id"]


async def test_stacks_page_with_cursors(ask) -> None:
    for name in ("one", "two", "three"):
        await request(ask, name=name)
    query = """query($after: String) { stacks(first: 2, after: $after) {
        edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }"""

    first = data_of(*await ask(ANALYST, query))["stacks"]
    assert [e["node"]["name"] for e in first["edges"]] == ["three", "two"]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    second = data_of(*await ask(ANALYST, query, {"after": after}))["stacks"]
    assert [e["node"]["name"] for e in second["edges"]] == ["one"]
    assert second["pageInfo"]["hasNextPage"] is False


async def test_total_count_is_every_page_of_the_stacks_the_caller_may_see_filtered(ask) -> None:
    for name in ("one", "two", "three"):
        await request(ask, name=name)
    queue = {"template": "queue", "version": "0.1.0", "params": {"queue_name": "events"}}
    await request(ask, name="events", **queue)
    await request(ask, FINANCE, name="ledger", team="finance")
    cancel = "mutation($id: ID!) { cancelDeployment(id: $id) { deployment { status } } }"
    gone = await request(ask, name="gone")
    data_of(*await ask(ANALYST, cancel, {"id": gone["deployment"]["id"]}))
    query = """query($after: String, $template: String, $status: String) {
        stacks(first: 2, after: $after, template: $template, status: $status) {
        totalCount edges { node { name } } pageInfo { endCursor } } }"""

    def counted(identity=ANALYST, **variables):
        return ask(identity, query, variables)

    first = data_of(*await counted())["stacks"]
    assert (first["totalCount"], len(first["edges"])) == (4, 2)  # live stacks of analytics
    after = first["pageInfo"]["endCursor"]
    assert data_of(*await counted(after=after))["stacks"]["totalCount"] == 4
    assert data_of(*await counted(template="bucket"))["stacks"]["totalCount"] == 3
    cancelled = data_of(*await counted(status="cancelled"))["stacks"]
    assert (cancelled["totalCount"], cancelled["edges"]) == (1, [{"node": {"name": "gone"}}])
    assert data_of(*await counted(FINANCE))["stacks"]["totalCount"] == 1
    assert data_of(*await counted(ADMIN))["stacks"]["totalCount"] == 5
    assert data_of(*await counted(ADMIN, template="nothing-here"))["stacks"] == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"endCursor": None},
    }
    through_fragment = """{ stacks(first: 1) { ... on StackConnection { ...Counted } } }
        fragment Counted on StackConnection { total: totalCount }"""
    assert data_of(*await ask(ANALYST, through_fragment))["stacks"] == {"total": 4}


async def test_a_version_needing_approval_waits_for_an_admin(ask) -> None:
    accepted = await request(
        ask, template="queue", version="0.1.0", params={"queue_name": "events"}
    )
    deployment = accepted["deployment"]
    assert (deployment["gate"], deployment["status"]) == ("approval", "queued")
    assert await preview_and_hold(UUID(deployment["id"])) is DeploymentStatus.PENDING_APPROVAL
    pending = """{ deployments(status: "pending_approval", first: 10) {
        edges { node { id requester stack { name team } } } } }"""
    listed = data_of(*await ask(ADMIN, pending))["deployments"]["edges"]
    assert [e["node"]["id"] for e in listed] == [deployment["id"]]
    assert listed[0]["node"]["stack"] == {"name": "sandbox", "team": "analytics"}

    approve = """mutation($id: ID!) { approveDeployment(id: $id) {
        deployment { id status approvedBy } } }"""
    _, body = await ask(ANALYST, approve, {"id": deployment["id"]})
    assert error_of(body)["extensions"]["code"] == "forbidden"
    approved = data_of(*await ask(ADMIN, approve, {"id": deployment["id"]}))
    assert approved["approveDeployment"]["deployment"]["approvedBy"] == "ada"


async def test_cancel_and_destroy_answer_with_the_deployment(ask) -> None:
    accepted = await request(ask)
    cancel = """mutation($id: ID!) { cancelDeployment(id: $id) {
        stack { status } deployment { status } } }"""
    cancelled = data_of(*await ask(ANALYST, cancel, {"id": accepted["deployment"]["id"]}))
    assert cancelled["cancelDeployment"]["deployment"]["status"] == "cancelled"

    destroy = "mutation($id: ID!) { destroyStack(id: $id) { deployment { kind } } }"
    _, body = await ask(ANALYST, destroy, {"id": accepted["stack"]["id"]})
    assert error_of(body)["extensions"]["code"] == "stack_gone"
    assert cancelled["cancelDeployment"]["stack"]["status"] == "cancelled"


async def test_events_page_by_event_id(ask) -> None:
    accepted = await request(ask)
    query = """query($id: ID!) { deployment(id: $id) { events(first: 50) {
        edges { cursor node { id } } pageInfo { hasNextPage } finished } } }"""
    events = data_of(*await ask(ANALYST, query, {"id": accepted["deployment"]["id"]}))
    page = events["deployment"]["events"]
    assert page == {"edges": [], "pageInfo": {"hasNextPage": False}, "finished": False}
