import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { SEARCH } from "../lib/queries";
import { fakeApi, renderSignedIn } from "../test/api";
import { PAGE_SIZE, Search } from "./Search";

const hits = [
  { kind: "template", id: "7c1e", title: "Ingestion queue", team: null, template: "ingestion-queue", status: "published", highlight: null },
  { kind: "stack", id: "s-1", title: "orders", team: "analytics", template: "ingestion-queue", status: "active", highlight: "<mark>orders</mark> queue" },
];
const facets = [{ name: "kind", values: [{ value: "stack", count: 1 }, { value: "template", count: 1 }] }];

/** One page of hits; `next` is the cursor of the page after it (null: the last page). */
function page(nodes: object[], next: string | null, totalCount = nodes.length) {
  return { search: { edges: nodes.map((node) => ({ node })), facets, pageInfo: { hasNextPage: next !== null, endCursor: next }, totalCount } };
}

function renderSearch(answer: (variables: Record<string, unknown>) => object = () => page(hits, null)) {
  const { api, request, sent } = fakeApi((_, variables) => answer(variables));
  renderSignedIn(<Search />, api);
  return { request, searches: () => sent.filter((s) => s.query === SEARCH).map((s) => s.variables) };
}

describe("Search", () => {
  it("links a template by its name and a stack by its id, with the match marked", async () => {
    renderSearch();
    expect(await screen.findByRole("link", { name: "Ingestion queue" })).toHaveAttribute("href", "/catalog/ingestion-queue");
    expect(screen.getByRole("link", { name: "orders" })).toHaveAttribute("href", "/stacks/s-1");
    expect(screen.getByText("orders", { selector: "mark" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Results 1–2 of 2");
    expect(screen.queryByRole("navigation", { name: "Result pages" })).not.toBeInTheDocument();
  });

  it("shows a highlight's escaped text as the text it stands for, never as markup", async () => {
    // As the service sends it: HTML-escaped (OpenSearch's html encoder also escapes ' and /).
    const highlight =
      "<mark>orders</mark> &amp; refunds: &lt;img src=x onerror=alert(1)&gt; it&#x27;s &quot;<mark>Tom &amp; Jerry</mark>&quot; &#47;&#x2F; &bogus;";
    renderSearch(() => page([{ ...hits[1], highlight }], null));
    const marks = await screen.findAllByText(/./, { selector: "mark" });

    expect(marks.map((mark) => mark.textContent)).toEqual(["orders", "Tom & Jerry"]);
    const shown = marks[0].parentElement!;
    expect(shown).toHaveTextContent(
      `orders & refunds: <img src=x onerror=alert(1)> it's "Tom & Jerry" // &bogus;`,
    );
    expect(shown.querySelector("img")).toBeNull();
  });

  it("sends a chosen facet value as a FacetFilter", async () => {
    const { request } = renderSearch();
    await userEvent.click(await screen.findByRole("checkbox", { name: /stack/ }));
    await waitFor(() =>
      expect(request).toHaveBeenLastCalledWith(expect.any(String), {
        query: "",
        filters: [{ name: "kind", values: ["stack"] }],
        first: PAGE_SIZE,
        after: null,
      }),
    );
  });

  it("pages forward and back with the facets kept, and shows where it is in the total", async () => {
    // 20 + 2 stacks: the second page starts after the first page's cursor.
    const stack = (n: number) => ({ ...hits[1], id: `s-${n}`, title: `orders-${n}` });
    const first = Array.from({ length: PAGE_SIZE }, (_, n) => stack(n + 1));
    const { searches } = renderSearch((variables) =>
      variables.after === "after-20" ? page([stack(21), stack(22)], null, 22) : page(first, "after-20", 22),
    );
    await userEvent.click(await screen.findByRole("checkbox", { name: /stack/ }));
    expect(await screen.findByRole("status")).toHaveTextContent(`Results 1–${PAGE_SIZE} of 22`);

    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(await screen.findByRole("link", { name: "orders-22" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Results 21–22 of 22");
    expect(screen.getByRole("button", { name: "Next page" })).toBeDisabled();
    expect(screen.getByRole("checkbox", { name: /stack/ })).toBeChecked();
    const kind = [{ name: "kind", values: ["stack"] }];
    expect(searches().at(-1)).toEqual({ query: "", filters: kind, first: PAGE_SIZE, after: "after-20" });

    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByRole("link", { name: "orders-1" })).toBeInTheDocument();
    expect(searches().at(-1)).toEqual({ query: "", filters: kind, first: PAGE_SIZE, after: null });
  });

  it("starts again from the first page when the words change", async () => {
    const { searches } = renderSearch((variables) => page(hits, variables.after ? null : "after-2", 4));
    await userEvent.click(await screen.findByRole("button", { name: "Next page" }));
    await waitFor(() => expect(searches().at(-1)?.after).toBe("after-2"));
    await userEvent.type(screen.getByRole("searchbox"), "orders{Enter}");
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: "orders", after: null }));
    expect(await screen.findByText("Page 1")).toBeInTheDocument();
  });
});
