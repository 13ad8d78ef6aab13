import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";

import { Console } from "../lib/context";
import type { GraphQLClient } from "../lib/graphql";
import { Search } from "./Search";

const hits = [
  { kind: "template", id: "7c1e", title: "Ingestion queue", team: null, template: "ingestion-queue", status: "published", highlight: null },
  { kind: "stack", id: "s-1", title: "orders", team: "analytics", template: "ingestion-queue", status: "active", highlight: "<mark>orders</mark> queue" },
];

function renderSearch() {
  const request = vi.fn(async () => ({
    search: {
      edges: hits.map((node) => ({ node })),
      facets: [{ name: "kind", values: [{ value: "stack", count: 1 }, { value: "template", count: 1 }] }],
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  }));
  const session = { username: "demo-analyst", groups: ["analytics"], idToken: "t" };
  const api = { request } as unknown as GraphQLClient;
  render(
    <Console.Provider value={{ session, api, signOut: () => {} }}>
      <MemoryRouter>
        <Search />
      </MemoryRouter>
    </Console.Provider>,
  );
  return request;
}

describe("Search", () => {
  it("links a template by its name and a stack by its id, with the match marked", async () => {
    renderSearch();
    expect(await screen.findByRole("link", { name: "Ingestion queue" })).toHaveAttribute("href", "/catalog/ingestion-queue");
    expect(screen.getByRole("link", { name: "orders" })).toHaveAttribute("href", "/stacks/s-1");
    expect(screen.getByText("orders", { selector: "mark" })).toBeInTheDocument();
  });

  it("sends a chosen facet value as a FacetFilter", async () => {
    const request = renderSearch();
    await userEvent.click(await screen.findByRole("checkbox", { name: /stack/ }));
    await waitFor(() =>
      expect(request).toHaveBeenLastCalledWith(expect.any(String), {
        query: "",
        filters: [{ name: "kind", values: ["stack"] }],
      }),
    );
  });
});
