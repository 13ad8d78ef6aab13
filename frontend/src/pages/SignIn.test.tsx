import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Auth } from "../lib/auth";
import { SignIn } from "./SignIn";

const POOL = { region: "us-east-1", userPoolId: "us-east-1_pool", clientId: "client-1", endpoint: "http://127.0.0.1:5050/" };

/** A JWT with `claims` (Cognito's signature is not checked in the browser). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "");
  return `${part({ alg: "RS256", kid: "dummy" })}.${part(claims)}.signature`;
}

/** Cognito's answer to InitiateAuth (USER_PASSWORD_AUTH) for the demo analyst. */
function signedIn(): Response {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const result = {
    AuthenticationResult: {
      IdToken: jwt({ "cognito:username": "demo-analyst", "cognito:groups": ["analytics"], exp }),
      AccessToken: jwt({ username: "demo-analyst", exp }),
      RefreshToken: "refresh",
      ExpiresIn: 3600,
      TokenType: "Bearer",
    },
  };
  return new Response(JSON.stringify(result), { status: 200 });
}

/** Fills the form and sends it, as a person does. */
async function submit(username = "demo-analyst", password = "Datahub-demo-analyst-1") {
  const user = userEvent.setup();
  await user.click(screen.getByLabelText("Username"));
  await user.paste(username);
  await user.click(screen.getByLabelText("Password"));
  await user.paste(password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  return user;
}

// Each test signs in through amazon-cognito-identity-js itself, only `fetch` stood in for: seconds
// on a busy machine.
describe("SignIn", { timeout: 20_000 }, () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it("says DATAHUB cannot be reached, not NetworkError, and signs in when tried again", async () => {
    // What the browser's fetch does when the request never gets an answer it may read (the
    // endpoint not listening, or an answer without the CORS headers).
    const fetcher = vi
      .fn()
      .mockRejectedValueOnce(new TypeError("Failed to fetch"))
      .mockResolvedValueOnce(signedIn());
    vi.stubGlobal("fetch", fetcher);
    const onSignedIn = vi.fn();
    render(<SignIn auth={new Auth(POOL)} onSignedIn={onSignedIn} />);

    const user = await submit();

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Cannot reach DATAHUB right now; try again in a moment.");
    expect(alert).not.toHaveTextContent(/network ?error/i);
    expect(screen.getByLabelText("Username")).toHaveValue("demo-analyst");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
    expect(onSignedIn).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1));
    expect(onSignedIn.mock.calls[0][0]).toMatchObject({ username: "demo-analyst", groups: ["analytics"] });
    expect(screen.queryByRole("alert")).toBeNull();
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it("says DATAHUB failed when Cognito answers with an error of its own side", async () => {
    const failure = { __type: "InternalErrorException", message: "AssertionError" };
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response(JSON.stringify(failure), { status: 500 })));
    render(<SignIn auth={new Auth(POOL)} onSignedIn={vi.fn()} />);

    await submit();

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "DATAHUB could not sign you in just now; try again in a moment.",
    );
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("still says a wrong password is wrong", async () => {
    const refusal = { __type: "NotAuthorizedException", message: "Incorrect username or password." };
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response(JSON.stringify(refusal), { status: 400 })));
    render(<SignIn auth={new Auth(POOL)} onSignedIn={vi.fn()} />);

    await submit("demo-analyst", "wrong");

    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password.");
  });
});
