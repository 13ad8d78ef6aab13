/** Every operation the console sends is valid against the Backend API's stored schema snapshot. */

import { operationErrors, variableErrors } from "../test/api";
import * as queries from "./queries";
import {
  REQUEST_STACK,
  requestStackVariables,
  SEARCH,
  searchVariables,
  STACKS,
  stacksVariables,
  UPDATE_DATASET,
} from "./queries";

const operations = Object.entries(queries as Record<string, unknown>).filter(
  (entry): entry is [string, string] => typeof entry[1] === "string",
);

describe("console operations", () => {
  it("are all checked", () => {
    expect(operations.map(([name]) => name)).toEqual(expect.arrayContaining(["STACK", "SEARCH", "REQUEST_STACK"]));
  });

  it.each(operations)("%s is valid against the Backend schema", (_, text) => {
    expect(operationErrors(text)).toEqual([]);
  });

  it("the check refuses a field the schema does not have", () => {
    expect(operationErrors("query { stack(id: 1) { nickname } }")).toEqual([
      expect.stringContaining('Cannot query field "nickname" on type "Stack"'),
    ]);
  });

  it("search sends its facet filters as the schema's FacetFilter, and a page", () => {
    const variables = { ...searchVariables("orders", { team: "analytics", kind: "stack" }), first: 20, after: "c1" };
    expect(variableErrors(SEARCH, variables)).toEqual([]);
    expect(variableErrors(SEARCH, { query: "", first: 20, filters: [{ name: "team", value: "x" }] })).not.toEqual([]);
  });

  it("the stack list sends its filters, an empty one as none", () => {
    const variables = stacksVariables({ team: "analytics", template: "", status: "failed" }, 25, "c1");
    expect(variables).toEqual({ team: "analytics", template: null, status: "failed", first: 25, after: "c1" });
    expect(variableErrors(STACKS, variables)).toEqual([]);
  });

  it("a dataset change sends a DatasetChangesInput with its revision", () => {
    const input = {
      description: "Orders",
      tags: ["sales"],
      classification: "confidential",
      columns: [{ name: "order_id", type: "string", description: "", pii: false }],
      revision: 3,
    };
    expect(variableErrors(UPDATE_DATASET, { id: "d-1", input })).toEqual([]);
    expect(variableErrors(UPDATE_DATASET, { id: "d-1", input: { glue_database: "x" } })).not.toEqual([]);
  });

  it("a stack request sends a RequestStackInput", () => {
    const request = { template: "ingestion-queue", version: "1.0.0", team: "analytics", name: "orders" };
    const variables = requestStackVariables({ ...request, params: { queue_name: "orders" } });
    expect(variableErrors(REQUEST_STACK, variables)).toEqual([]);
  });
});
