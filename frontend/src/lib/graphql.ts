/** The Backend GraphQL API: one POST per operation, errors turned into `ApiError`. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string };
}

export type TokenSource = () => Promise<string | null>;

/** Calls the API with the caller's id token; `ApiError` carries the server's stable code.
 * `onUnauthenticated` hears when the gateway refuses the token (the session is over). */
export class GraphQLClient {
  constructor(
    private readonly url: string,
    private readonly token: TokenSource,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly onUnauthenticated: () => void = () => {},
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const token = await this.token();
    let response: Response;
    try {
      response = await this.fetcher(this.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(token ? { Authorization: token } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw new ApiError("The DATAHUB API cannot be reached. Check your connection.", "unreachable");
    }
    if (response.status === 401 || response.status === 403) {
      this.onUnauthenticated();
      throw new ApiError("Your session has ended: sign in again.", "unauthenticated");
    }
    let body: { data?: T; errors?: GraphQLErrorBody[] };
    try {
      body = await response.json();
    } catch {
      throw new ApiError(`The API answered ${response.status} without a GraphQL body.`, "bad_response");
    }
    const first = body.errors?.[0];
    if (first) {
      throw new ApiError(
        first.message,
        first.extensions?.code ?? "error",
        first.extensions?.field ?? undefined,
      );
    }
    if (body.data === undefined) {
      throw new ApiError("The API answered without data.", "bad_response");
    }
    return body.data;
  }
}
