/** Test doubles of the Backend API, held to its schema snapshot, and a signed-in render. */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { render } from "@testing-library/react";
import { buildSchema, getVariableValues, type OperationDefinitionNode, parse, validate } from "graphql";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { expect, onTestFinished, vi } from "vitest";

import { Console } from "../lib/context";
import type { GraphQLClient } from "../lib/graphql";

// The snapshot the Backend's own tests keep equal to the live schema.
const SNAPSHOT = resolve(__dirname, "../../../tests/api_lambdas/backend/snapshots/backend.graphql");
const schema = buildSchema(readFileSync(SNAPSHOT, "utf8"));

/** What is wrong with an operation's text against the Backend schema. */
export function operationErrors(text: string): string[] {
  return validate(schema, parse(text)).map((error) => error.message);
}

/** The errors of coercing `variables` to the operation's variable types (as the server does). */
export function variableErrors(text: string, variables: Record<string, unknown>): string[] {
  const operation = parse(text).definitions[0] as OperationDefinitionNode;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return (coerced.errors ?? []).map((error) => error.message);
}

export interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

/** An API answering with `answer`; every request it gets must be valid against the schema,
 * variables included (checked when the test ends, so a mistake fails the test by name). */
export function fakeApi(answer: (query: string, variables: Record<string, unknown>) => unknown) {
  const sent: Sent[] = [];
  const mistakes: string[] = [];
  const request = vi.fn(async (query: string, variables: Record<string, unknown> = {}) => {
    sent.push({ query, variables });
    mistakes.push(...operationErrors(query), ...variableErrors(query, variables));
    return answer(query, variables);
  });
  onTestFinished(() => expect(mistakes).toEqual([]));
  return { api: { request } as unknown as GraphQLClient, request, sent };
}

/** `page` rendered for a signed-in user of `groups`, at `path` of the route `route`. */
export function renderSignedIn(
  page: ReactElement,
  api: GraphQLClient,
  { groups = ["analytics"], route = "/", path = "/" }: { groups?: string[]; route?: string; path?: string } = {},
) {
  const session = { username: "demo-analyst", groups, idToken: "t" };
  return render(
    <Console.Provider value={{ session, api, signOut: () => {} }}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={page} />
        </Routes>
      </MemoryRouter>
    </Console.Provider>,
  );
}
