/** Loads the configuration, restores or asks for a session, then shows the console. */

import { useCallback, useEffect, useMemo, useState } from "react";
import { BrowserRouter } from "react-router-dom";

import { App } from "./App";
import { ErrorBanner, Loading } from "./components/Status";
import { Auth, type Session } from "./lib/auth";
import { type ConsoleConfig, loadConfig } from "./lib/config";
import { Console } from "./lib/context";
import { GraphQLClient } from "./lib/graphql";
import { SignIn } from "./pages/SignIn";

export function Root() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  useEffect(() => {
    loadConfig().then(setConfig, setFailure);
  }, []);
  if (failure) return <ErrorBanner error={failure} />;
  if (!config) return <Loading what="the console" />;
  return <Signed config={config} />;
}

function Signed({ config }: { config: ConsoleConfig }) {
  const auth = useMemo(() => new Auth(config.cognito), [config]);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    auth.current().then(setSession);
  }, [auth]);
  const signOut = useCallback(() => {
    auth.signOut();
    setSession(null);
  }, [auth]);
  const api = useMemo(
    // Each call asks for the current session, so an expired id token is refreshed first; a
    // token the API refuses all the same ends the session, back to the sign-in form.
    () =>
      new GraphQLClient(
        config.graphqlUrl,
        async () => (await auth.current())?.idToken ?? null,
        undefined,
        signOut,
      ),
    [auth, config, signOut],
  );
  if (session === undefined) return <Loading what="your session" />;
  if (session === null) return <SignIn auth={auth} onSignedIn={setSession} />;
  return (
    <Console.Provider value={{ session, api, signOut }}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </Console.Provider>
  );
}
