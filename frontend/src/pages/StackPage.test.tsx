import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { GraphQLClient } from "../lib/graphql";
import { APPROVE, DEPLOYMENT_EVENTS, DESTROY_STACK, STACK, TEMPLATE } from "../lib/queries";
import { fakeApi, renderSignedIn } from "../test/api";
import { StackPage } from "./StackPage";

const awaiting = {
  id: "d-2",
  kind: "update",
  status: "awaiting_execution",
  createdAt: "2026-11-29T01:00:00+00:00",
  finishedAt: null,
  requester: "demo-analyst",
  error: null,
  preview: {
    diff: {
      resources: [
        {
          logical_id: "Queue",
          resource_type: "AWS::SQS::Queue",
          action: "modify",
          replacement: false,
          changes: [{ path: "Properties.RedrivePolicy.maxReceiveCount", old: 5, new: 7, replacement: false }],
        },
      ],
      outputs: [],
      parameters: [],
    },
  },
};

function stack(deployments: object[]) {
  return {
    id: "s-1",
    name: "orders",
    team: "analytics",
    status: "active",
    params: { queue_name: "orders" },
    outputs: {},
    templateName: "ingestion-queue",
    templateVersion: "1.0.0",
    expiresAt: null,
    driftStatus: "not_checked",
    deployments: { edges: deployments.map((node) => ({ node })) },
  };
}

const versions = ["1.1.0", "1.0.0", "0.9.0"].map((version) => ({
  version,
  status: "published",
  paramsSchema: { type: "object", properties: {} },
}));

/** A fake API answering the page's queries; mutations are recorded. */
function stackApi(deployments: object[]) {
  return fakeApi((query) => {
    if (query === STACK) return { stack: stack(deployments) };
    if (query === TEMPLATE) return { template: { versions } };
    if (query === DEPLOYMENT_EVENTS) {
      const status = (deployments[0] as { status: string }).status;
      return { deployment: { status, error: null, events: { edges: [] } } };
    }
    return { ok: { deployment: { id: "d-3", status: "queued" } } };
  });
}

function renderPage(api: GraphQLClient) {
  renderSignedIn(<StackPage />, api, { route: "/stacks/:id", path: "/stacks/s-1" });
}

describe("StackPage", () => {
  it("shows a previewed change's diff and deploys it by approving that deployment", async () => {
    const { api, sent } = stackApi([awaiting]);
    renderPage(api);
    expect(await screen.findByLabelText("Queue modified")).toHaveTextContent("maxReceiveCount");
    await userEvent.click(screen.getByRole("button", { name: "Deploy this change" }));
    await waitFor(() => expect(sent.some((s) => s.query === APPROVE)).toBe(true));
    expect(sent.find((s) => s.query === APPROVE)?.variables).toEqual({ id: "d-2" });
  });

  it("offers upgrades only to newer published versions", async () => {
    const { api } = stackApi([{ ...awaiting, status: "succeeded", preview: null }]);
    renderPage(api);
    await userEvent.click(await screen.findByRole("button", { name: "Upgrade" }));
    expect(screen.getByRole("button", { name: "Preview upgrade to 1.1.0" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /upgrade to 0.9.0/ })).not.toBeInTheDocument();
  });

  it("destroys only once the stack's name is typed", async () => {
    const { api, sent } = stackApi([{ ...awaiting, status: "succeeded", preview: null }]);
    renderPage(api);
    await userEvent.click(await screen.findByRole("button", { name: "Destroy" }));
    const destroy = screen.getByRole("button", { name: "Destroy stack" });
    expect(destroy).toBeDisabled();
    await userEvent.type(screen.getByLabelText("Type the stack name to confirm"), "orders");
    await userEvent.click(destroy);
    await waitFor(() => expect(sent.find((s) => s.query === DESTROY_STACK)?.variables).toEqual({ id: "s-1" }));
  });
});
