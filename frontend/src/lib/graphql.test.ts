import { ApiError, GraphQLClient, problemsByField, UNREACHABLE } from "./graphql";

function answering(status: number, body: unknown): typeof fetch {
  return vi.fn(async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
}

describe("GraphQLClient", () => {
  it("sends the id token and returns the data", async () => {
    const fetcher = answering(200, { data: { me: { user: "demo-analyst" } } });
    const client = new GraphQLClient("/graphql", async () => "id-token", fetcher);
    expect(await client.request("{ me { user } }")).toEqual({ me: { user: "demo-analyst" } });
    const [, init] = (fetcher as unknown as ReturnType<typeof vi.fn>).mock.calls[0];
    expect(init.headers.Authorization).toBe("id-token");
  });

  it("turns the first GraphQL error into an ApiError with its stable code and field", async () => {
    const errors = [{ message: "name taken", extensions: { code: "stack_exists", field: "name" } }];
    const client = new GraphQLClient("/graphql", async () => "t", answering(400, { errors }));
    await expect(client.request("mutation { x }")).rejects.toMatchObject({
      message: "name taken",
      code: "stack_exists",
      field: "name",
    });
  });

  it("keeps an invalid request's problems, by field in the API's camelCase", async () => {
    const details = [
      { field: "glue_database", message: "bad name" },
      { field: "columns.0.name", message: "too short" },
      { field: "columns.0.name", message: "not unique" },
    ];
    const errors = [{ message: "invalid request body", extensions: { code: "invalid_request", field: "glue_database", details } }];
    const client = new GraphQLClient("/graphql", async () => "t", answering(200, { errors }));
    const error = await client.request("mutation { x }").catch((caught: ApiError) => caught);
    expect(problemsByField(error as ApiError)).toEqual({
      glueDatabase: ["bad name"],
      "columns.0.name": ["too short", "not unique"],
    });
  });

  it("takes an error without a list of problems as one about its field", () => {
    const stale = new ApiError("at revision 4, not 3", "stale_revision", "revision", { revision: 4 });
    expect(problemsByField(stale)).toEqual({ revision: ["at revision 4, not 3"] });
    expect(problemsByField(new ApiError("gone", "dataset_not_found"))).toEqual({});
    expect(problemsByField(null)).toEqual({});
  });

  it("ends the session when the gateway refuses the token", async () => {
    const ended = vi.fn();
    const client = new GraphQLClient("/graphql", async () => "old", answering(401, { message: "Unauthorized" }), ended);
    await expect(client.request("{ me { user } }")).rejects.toBeInstanceOf(ApiError);
    expect(ended).toHaveBeenCalledOnce();
  });

  it("says when the API cannot be reached", async () => {
    const fetcher = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    const client = new GraphQLClient("/graphql", async () => null, fetcher);
    await expect(client.request("{ me { user } }")).rejects.toMatchObject({ code: "unreachable", message: UNREACHABLE });
  });
});
