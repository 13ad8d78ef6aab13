/** Signing in with the Cognito user pool (username and password); tokens refresh themselves. */

import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  CognitoUserSession,
} from "amazon-cognito-identity-js";

import type { CognitoConfig } from "./config";
import { UNREACHABLE } from "./graphql";

export interface Session {
  username: string;
  groups: string[];
  idToken: string;
}

export class SignInError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const MESSAGES: Record<string, string> = {
  NotAuthorizedException: "Wrong username or password.",
  UserNotFoundException: "Wrong username or password.",
  PasswordResetRequiredException: "Your password must be reset by an administrator.",
  UserNotConfirmedException: "Your account is not confirmed yet.",
};
/** Cognito's own failures: nothing the user did, worth trying again shortly. */
const FAILED_ON_OUR_SIDE = "DATAHUB could not sign you in just now; try again in a moment.";
const SERVER_ERRORS = new Set(["InternalErrorException", "InternalFailure", "ServiceUnavailable"]);

/** What the user reads for a failed sign-in, with a code that says what happened. The library
 * reports a request that got no readable answer (the endpoint unreachable, or an answer without
 * the CORS headers) as `NetworkError`, "Network error". */
export function signInError(error: { code?: string; message?: string; statusCode?: number }): SignInError {
  const code = error.code ?? "SignInFailed";
  if (code === "NetworkError") return new SignInError(UNREACHABLE, "unreachable");
  if (SERVER_ERRORS.has(code) || (error.statusCode ?? 0) >= 500) return new SignInError(FAILED_ON_OUR_SIDE, code);
  return new SignInError(MESSAGES[code] ?? error.message ?? "Sign-in failed.", code);
}

function sessionOf(user: CognitoUser, session: CognitoUserSession): Session {
  const idToken = session.getIdToken();
  const groups = (idToken.payload["cognito:groups"] as string[] | undefined) ?? [];
  return { username: user.getUsername(), groups, idToken: idToken.getJwtToken() };
}

/** The user pool: signs in, returns the current session (refreshed when expired), signs out. */
export class Auth {
  private readonly pool: CognitoUserPool;

  constructor(config: CognitoConfig) {
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.clientId,
      endpoint: config.endpoint,
    });
  }

  signIn(username: string, password: string): Promise<Session> {
    const user = new CognitoUser({ Username: username, Pool: this.pool });
    user.setAuthenticationFlowType("USER_PASSWORD_AUTH");
    const details = new AuthenticationDetails({ Username: username, Password: password });
    return new Promise((resolve, reject) => {
      user.authenticateUser(details, {
        onSuccess: (session) => resolve(sessionOf(user, session)),
        onFailure: (error: { code?: string; message?: string; statusCode?: number }) => reject(signInError(error)),
        newPasswordRequired: () =>
          reject(
            new SignInError(
              "A new password is required: set it with `datahubctl login` first.",
              "NewPasswordRequired",
            ),
          ),
      });
    });
  }

  /** The stored session, refreshed with the refresh token when the id token has expired. */
  current(): Promise<Session | null> {
    const user = this.pool.getCurrentUser();
    if (!user) return Promise.resolve(null);
    return new Promise((resolve) => {
      user.getSession((error: Error | null, session: CognitoUserSession | null) => {
        resolve(error || !session?.isValid() ? null : sessionOf(user, session));
      });
    });
  }

  signOut(): void {
    this.pool.getCurrentUser()?.signOut();
  }
}
