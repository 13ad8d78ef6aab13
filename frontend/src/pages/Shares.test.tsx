import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { ShareRequest } from "../components/ShareRequest";
import {
  APPROVE_SHARE,
  DATASET_SHARES,
  PREVIEW_SHARE,
  REQUEST_SHARE,
  SHARE_PREVIEW,
} from "../lib/queries";
import type { Dataset, DatasetShare, TemplateDiff } from "../lib/types";
import { fakeApi, renderSignedIn } from "../test/api";
import { Shares } from "./Shares";

const REQUESTED: DatasetShare = {
  id: "s-1",
  datasetId: "d-1",
  datasetName: "orders",
  ownerTeam: "analytics",
  requesterTeam: "finance",
  principalArn: "arn:aws:iam::123456789012:role/finance-reader",
  reason: "month end",
  status: "requested",
  needsAdmin: false,
  requestedBy: "rita",
  ownerApprovedBy: null,
  adminApprovedBy: null,
  decidedBy: null,
  deploymentId: null,
  error: null,
  createdAt: "2026-12-08T01:00:00+00:00",
};
const DIFF: TemplateDiff = {
  resources: [
    {
      logical_id: "ConsumerRole",
      resource_type: "AWS::IAM::Role",
      action: "modify",
      replacement: false,
      changes: [{ path: "AssumeRolePolicyDocument", old: "root", new: REQUESTED.principalArn, replacement: false }],
    },
  ],
  outputs: [],
  parameters: [],
};
const ORDERS: Dataset = {
  id: "d-1",
  name: "orders",
  team: "analytics",
  description: "",
  location: null,
  glueDatabase: null,
  glueTable: null,
  format: "parquet",
  classification: "internal",
  tags: [],
  topics: [],
  revision: 1,
  access: "metadata",
  columns: [],
};

test("the owner previews a request's grant, sees the diff, and approves it", async () => {
  let status = "requested";
  const { api, sent } = fakeApi((query, variables) => {
    if (query === DATASET_SHARES)
      return {
        datasetShares: {
          edges: variables.direction === "incoming" ? [{ cursor: "c", node: { ...REQUESTED, status } }] : [],
        },
      };
    if (query === PREVIEW_SHARE) return { previewDatasetShare: { deployment: { id: "dep-1", status: "queued" } } };
    if (query === SHARE_PREVIEW) return { deployment: { id: "dep-1", status: "awaiting_execution", preview: { diff: DIFF }, error: null } };
    if (query === APPROVE_SHARE) {
      status = "granting";
      return { approveDatasetShare: { ...REQUESTED, status } };
    }
    throw new Error("unexpected operation");
  });
  renderSignedIn(<Shares />, api, { route: "/shares", path: "/shares" });

  await userEvent.click(await screen.findByRole("button", { name: "Preview orders for finance" }));
  const preview = await screen.findByRole("region", { name: "Preview" });
  await waitFor(() => expect(preview).toHaveTextContent("ConsumerRole"));
  await userEvent.click(screen.getByRole("button", { name: "Approve orders for finance" }));

  await screen.findByText("granting");
  expect(sent.filter((s) => s.query === APPROVE_SHARE).map((s) => s.variables)).toEqual([{ id: "s-1", note: "" }]);
});

test("another team's member requests access for one of its teams' roles", async () => {
  let mine: DatasetShare[] = [];
  const { api, sent } = fakeApi((query) => {
    if (query === DATASET_SHARES) return { datasetShares: { edges: mine.map((node) => ({ cursor: "c", node })) } };
    if (query === REQUEST_SHARE) {
      mine = [REQUESTED];
      return { requestDatasetShare: REQUESTED };
    }
    throw new Error("unexpected operation");
  });
  renderSignedIn(<ShareRequest dataset={ORDERS} />, api, { groups: ["finance"] });

  await userEvent.click(await screen.findByRole("button", { name: "Request access" }));
  await userEvent.type(screen.getByLabelText("Role ARN"), REQUESTED.principalArn);
  await userEvent.type(screen.getByLabelText("Reason"), "month end");
  await userEvent.click(screen.getByRole("button", { name: "Send request" }));

  await screen.findByText("requested");
  expect(sent.filter((s) => s.query === REQUEST_SHARE).map((s) => s.variables)).toEqual([
    { input: { datasetId: "d-1", team: "finance", principalArn: REQUESTED.principalArn, reason: "month end" } },
  ]);
});

test("the dataset's own team is not offered a request", async () => {
  const { api } = fakeApi(() => ({ datasetShares: { edges: [] } }));
  renderSignedIn(<ShareRequest dataset={ORDERS} />, api, { groups: ["analytics"] });
  await waitFor(() => expect(screen.queryByRole("button", { name: "Request access" })).toBeNull());
});
