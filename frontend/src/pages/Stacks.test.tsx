import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { STACK_FILTERS, STACKS } from "../lib/queries";
import { fakeApi, renderSignedIn } from "../test/api";
import { PAGE_SIZE, Stacks } from "./Stacks";

const TEAMS = [
  { slug: "analytics", name: "Analytics" },
  { slug: "finance", name: "Finance" },
];
const TEMPLATES = [{ name: "ingestion-queue", title: "Ingestion queue" }];

function stack(n: number, team = "analytics") {
  return {
    id: `s-${n}`,
    name: `orders-${n}`,
    team,
    status: "active",
    templateName: "ingestion-queue",
    templateVersion: "1.0.0",
    updatedAt: "2026-11-29T01:00:00+00:00",
  };
}

/** The stacks list of a user whose `teams` query answers `teams` (an admin's: every team). */
function renderStacks(teams: typeof TEAMS, groups: string[]) {
  const { api, sent } = fakeApi((query, variables) => {
    if (query === STACK_FILTERS) return { teams, templates: { edges: TEMPLATES.map((node) => ({ node })) } };
    // Two pages whatever the filters: the second after the cursor "c-1".
    const [nodes, next] = variables.after === "c-1" ? [[stack(2)], null] : [[stack(1)], "c-1"];
    return { stacks: { edges: nodes.map((node) => ({ node })), pageInfo: { hasNextPage: next !== null, endCursor: next } } };
  });
  renderSignedIn(<Stacks />, api, { groups });
  return () => sent.filter((s) => s.query === STACKS).map((s) => s.variables);
}

describe("Stacks", () => {
  it("offers an admin every team and sends the team and template chosen", async () => {
    const lists = renderStacks(TEAMS, ["admins"]);
    const team = screen.getByRole("combobox", { name: "Team" });
    await waitFor(() => expect(screen.getByRole("option", { name: "Finance" })).toBeInTheDocument());
    await userEvent.selectOptions(team, "finance");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Template" }), "ingestion-queue");
    await waitFor(() =>
      expect(lists().at(-1)).toEqual({ team: "finance", template: "ingestion-queue", status: null, first: PAGE_SIZE, after: null }),
    );
  });

  it("offers a member their own teams", async () => {
    renderStacks(TEAMS.slice(0, 1), ["analytics"]);
    expect(await screen.findByRole("option", { name: "Analytics" })).toBeInTheDocument();
    expect(screen.queryByRole("option", { name: "Finance" })).not.toBeInTheDocument();
  });

  it("pages forward and back, and a new filter starts from the first page", async () => {
    const lists = renderStacks(TEAMS, ["admins"]);
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Status" }), "failed");
    await userEvent.click(await screen.findByRole("button", { name: "Next page" }));
    expect(await screen.findByRole("link", { name: "orders-2" })).toBeInTheDocument();
    expect(lists().at(-1)).toMatchObject({ status: "failed", after: "c-1" });

    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByRole("link", { name: "orders-1" })).toBeInTheDocument();
    expect(lists().at(-1)).toMatchObject({ status: "failed", after: null });

    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    await screen.findByRole("link", { name: "orders-2" });
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Team" }), "analytics");
    await waitFor(() => expect(lists().at(-1)).toMatchObject({ team: "analytics", status: "failed", after: null }));
  });
});
