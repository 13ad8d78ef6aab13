/** Runs a GraphQL query when its variables change; exposes data, error, loading and reload.
 * With `skip`, nothing is sent (e.g. while what the variables come from is still loading). */

import { useCallback, useEffect, useState } from "react";

import { useConsole } from "./context";
import type { ApiError } from "./graphql";

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<T>(
  query: string,
  variables: Record<string, unknown> = {},
  { skip = false }: { skip?: boolean } = {},
): QueryState<T> {
  const { api } = useConsole();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);

  useEffect(() => {
    if (skip) return;
    let current = true;
    setLoading(true);
    api
      .request<T>(query, JSON.parse(key))
      .then((result) => current && (setData(result), setError(null)))
      .catch((failure: ApiError) => current && setError(failure))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, query, key, generation, skip]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}
