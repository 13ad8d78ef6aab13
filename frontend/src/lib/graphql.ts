/** The Backend GraphQL API: one POST per operation, errors turned into `ApiError`. */

/** What the console says when DATAHUB does not answer at all: it may be starting, or restarting. */
export const UNREACHABLE = "Cannot reach DATAHUB right now; try again in a moment.";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
    /** Structured extras, e.g. each bad field of an invalid request (see `problemsByField`). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string; details?: unknown };
}

const camelCase = (path: string) => path.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** An error's messages by the input they are about, paths in the API's camelCase
 * (`columns.0.name`): the service lists an invalid request's fields in `details` (snake_case);
 * another error may name one `field`. */
export function problemsByField(error: ApiError | null): Record<string, string[]> {
  if (!error) return {};
  const listed = (Array.isArray(error.details) ? error.details : []).filter(
    (p): p is { field: string; message: string } => typeof p?.field === "string" && typeof p?.message === "string",
  );
  const problems = listed.length ? listed : error.field ? [{ field: error.field, message: error.message }] : [];
  const byField: Record<string, string[]> = {};
  for (const { field, message } of problems) (byField[camelCase(field)] ??= []).push(message);
  return byField;
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
      throw new ApiError(UNREACHABLE, "unreachable");
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
        first.extensions?.details,
      );
    }
    if (body.data === undefined) {
      throw new ApiError("The API answered without data.", "bad_response");
    }
    return body.data;
  }
}
