/** Every operation the console sends is valid against the Backend API's stored schema snapshot. */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { buildSchema, getVariableValues, type OperationDefinitionNode, parse, validate } from "graphql";

import * as queries from "./queries";
import { REQUEST_STACK, requestStackVariables, SEARCH, searchVariables } from "./queries";

// The snapshot the Backend's own tests keep equal to the live schema.
const SNAPSHOT = resolve(__dirname, "../../../tests/api_lambdas/backend/snapshots/backend.graphql");
const schema = buildSchema(readFileSync(SNAPSHOT, "utf8"));
const operations = Object.entries(queries as Record<string, unknown>).filter(
  (entry): entry is [string, string] => typeof entry[1] === "string",
);

function errorsOf(text: string): string[] {
  return validate(schema, parse(text)).map((error) => error.message);
}

/** The errors of coercing `variables` to the operation's variable types (as the server does). */
function variableErrors(text: string, variables: Record<string, unknown>): string[] {
  const operation = parse(text).definitions[0] as OperationDefinitionNode;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return (coerced.errors ?? []).map((error) => error.message);
}

describe("console operations", () => {
  it("are all checked", () => {
    expect(operations.map(([name]) => name)).toEqual(expect.arrayContaining(["STACK", "SEARCH", "REQUEST_STACK"]));
  });

  it.each(operations)("%s is valid against the Backend schema", (_, text) => {
    expect(errorsOf(text)).toEqual([]);
  });

  it("the check refuses a field the schema does not have", () => {
    expect(errorsOf("query { stack(id: 1) { nickname } }")).toEqual([
      expect.stringContaining('Cannot query field "nickname" on type "Stack"'),
    ]);
  });

  it("search sends its facet filters as the schema's FacetFilter", () => {
    const variables = searchVariables("orders", { team: "analytics", kind: "stack" });
    expect(variableErrors(SEARCH, variables)).toEqual([]);
    expect(variableErrors(SEARCH, { query: "", filters: [{ name: "team", value: "x" }] })).not.toEqual([]);
  });

  it("a stack request sends a RequestStackInput", () => {
    const request = { template: "ingestion-queue", version: "1.0.0", team: "analytics", name: "orders" };
    const variables = requestStackVariables({ ...request, params: { queue_name: "orders" } });
    expect(variableErrors(REQUEST_STACK, variables)).toEqual([]);
  });
});
