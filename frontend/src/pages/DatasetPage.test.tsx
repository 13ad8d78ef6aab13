import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { ApiError } from "../lib/graphql";
import { DATASET, DATASET_HISTORY, UPDATE_DATASET } from "../lib/queries";
import type { Dataset } from "../lib/types";
import { fakeApi, renderSignedIn } from "../test/api";
import { DatasetPage } from "./DatasetPage";

const ORDERS: Dataset = {
  id: "d-1",
  name: "orders",
  team: "analytics",
  description: "Every order",
  location: "s3://analytics-orders/data/",
  glueDatabase: null,
  glueTable: null,
  format: "parquet",
  classification: "internal",
  tags: ["sales"],
  topics: [],
  revision: 3,
  access: "owner",
  columns: [{ name: "order_id", type: "string", description: "", pii: false }],
};
const CREATED = { revision: 1, action: "created", changedAt: "2026-11-29T01:00:00+00:00", changedBy: "alan", changes: {} };

/** The dataset page over `dataset`; an update answers `updated` (a function may throw). */
function renderDataset(dataset: Dataset, updated: () => object = () => ({ updateDataset: { id: "d-1", revision: 4 } })) {
  let current = dataset;
  const { api, sent } = fakeApi((query) => {
    if (query === DATASET) return { dataset: current };
    if (query === DATASET_HISTORY) return { dataset: { id: current.id, history: { edges: [{ node: CREATED }] } } };
    if (query === UPDATE_DATASET) return updated();
    throw new Error("unexpected operation");
  });
  renderSignedIn(<DatasetPage />, api, { route: "/datasets/:id", path: "/datasets/d-1" });
  return {
    sent,
    updates: () => sent.filter((s) => s.query === UPDATE_DATASET).map((s) => s.variables),
    /** Someone else's change: the next read answers it. */
    changeTo: (next: Dataset) => (current = next),
  };
}

async function openForm() {
  await userEvent.click(await screen.findByRole("button", { name: "Edit dataset" }));
  return screen.findByRole("form", { name: "Edit dataset" });
}

/** Replaces what a field holds (pasted: typing each key is slow). */
async function retype(label: string | RegExp, text: string) {
  await userEvent.clear(screen.getByLabelText(label));
  if (text) await userEvent.paste(text);
}

describe("DatasetPage", () => {
  it("shows another team's dataset without the edit action or the history", async () => {
    const { sent } = renderDataset({ ...ORDERS, access: "metadata", location: null });
    expect(await screen.findByRole("heading", { name: "orders" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit dataset" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "History" })).not.toBeInTheDocument();
    expect(sent.map((s) => s.query)).not.toContain(DATASET_HISTORY);
  });

  it("sends only the changed fields with the revision they were read at, then shows the new revision", async () => {
    const { sent, updates } = renderDataset(ORDERS);
    expect(await screen.findByText(/created by alan/)).toBeInTheDocument();
    await openForm();
    await retype("Description", "Every order placed in the shop");
    await retype(/Tags/, "sales, gold");
    await userEvent.selectOptions(screen.getByLabelText("Classification"), "confidential");
    await userEvent.click(screen.getByRole("button", { name: "Add column" }));
    await retype("Column 2 name", "email");
    await retype("Column 2 type", "string");
    await userEvent.click(screen.getByLabelText("Column 2 holds PII"));
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Saved as revision 4.");
    expect(updates()).toEqual([
      {
        id: "d-1",
        input: {
          description: "Every order placed in the shop",
          classification: "confidential",
          tags: ["sales", "gold"],
          columns: [ORDERS.columns[0], { name: "email", type: "string", description: "", pii: true }],
          revision: 3,
        },
      },
    ]);
    expect(screen.queryByRole("form", { name: "Edit dataset" })).not.toBeInTheDocument();
    // The dataset and its history are read again.
    await waitFor(() => expect(sent.filter((s) => s.query === DATASET_HISTORY)).toHaveLength(2));
    expect(sent.filter((s) => s.query === DATASET)).toHaveLength(2);
  }, 15_000);

  it("shows each field the API refused next to it, with the error's code", async () => {
    // As the service answers an invalid change (fields in its snake_case).
    const details = [
      { field: "location", message: "String should match pattern '^s3://...'" },
      { field: "glue_database", message: "String should match pattern '^[A-Za-z0-9_-]{1,255}$'" },
      { field: "tags.1", message: "String should have at most 64 characters" },
      { field: "columns.0.type", message: "String should have at least 1 character" },
    ];
    renderDataset(ORDERS, () => {
      throw new ApiError("invalid request body: location: ...", "invalid_request", "location", details);
    });
    await openForm();
    await retype("Location", "nowhere");
    await retype("Glue database", "no spaces");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Some values were refused: see the marked fields.");
    expect(alert).toHaveTextContent("(invalid_request)");
    expect(screen.getByLabelText("Location")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Location")).toHaveAccessibleDescription(/should match pattern '\^s3/);
    expect(screen.getByLabelText("Glue database")).toHaveAccessibleDescription(/A-Za-z0-9_-/);
    expect(screen.getByLabelText(/Tags/)).toHaveAccessibleDescription("tag 2: String should have at most 64 characters");
    expect(screen.getByLabelText("Column 1 type")).toHaveAccessibleDescription(/column 1 type: String should have at least 1 character/);
    expect(screen.getByLabelText("Description")).not.toHaveAttribute("aria-invalid");
  });

  it("says when someone changed the dataset meanwhile and starts again from the latest revision", async () => {
    const { changeTo } = renderDataset(ORDERS, () => {
      throw new ApiError("dataset d-1 is at revision 4, not 3", "stale_revision", "revision", { revision: 4 });
    });
    await openForm();
    await retype("Description", "mine");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/Someone changed this dataset after you opened it.*\(stale_revision\)/);

    changeTo({ ...ORDERS, description: "theirs", revision: 4 });
    await userEvent.click(screen.getByRole("button", { name: /Load the latest revision/ }));
    await waitFor(() => expect(screen.getByLabelText("Description")).toHaveValue("theirs"));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("sends nothing when nothing changed, and a null for an emptied location, which clears it", async () => {
    const { updates } = renderDataset(ORDERS);
    await openForm();
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(screen.getByRole("status")).toHaveTextContent("Nothing changed");
    expect(updates()).toEqual([]);

    await retype("Location", "");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(updates()).toEqual([{ id: "d-1", input: { location: null, revision: ORDERS.revision } }]));
  });
});
