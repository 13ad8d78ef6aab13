/** Where the console finds its API and user pool: `/config.json`, written at deploy time. */

export interface CognitoConfig {
  /** The pool's region (also the prefix of its id). */
  region?: string;
  userPoolId: string;
  clientId: string;
  /** Cognito's endpoint when it is not AWS's own (the local moto server in `datahubctl up`). */
  endpoint?: string;
}

export interface ConsoleConfig {
  graphqlUrl: string;
  cognito: CognitoConfig;
}

export class ConfigError extends Error {}

/** Reads and checks `/config.json`; a missing field is an error shown to the user. */
export async function loadConfig(fetcher: typeof fetch = fetch): Promise<ConsoleConfig> {
  const response = await fetcher("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new ConfigError(`The console configuration could not be loaded (${response.status}).`);
  }
  return parseConfig(await response.json());
}

export function parseConfig(raw: unknown): ConsoleConfig {
  const value = raw as Partial<ConsoleConfig> | null;
  const cognito = value?.cognito as Partial<CognitoConfig> | undefined;
  if (!value?.graphqlUrl || !cognito?.userPoolId || !cognito?.clientId) {
    throw new ConfigError("The console configuration lacks graphqlUrl or the Cognito ids.");
  }
  return {
    graphqlUrl: value.graphqlUrl,
    cognito: {
      region: cognito.region || undefined,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      endpoint: cognito.endpoint || undefined,
    },
  };
}
