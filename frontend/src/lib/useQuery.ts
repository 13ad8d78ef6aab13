/** Runs a GraphQL query when its variables change; exposes data, error, loading and reload. */

import { useCallback, useEffect, useState } from "react";

import { useConsole } from "./context";
import type { ApiError } from "./graphql";

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<T>(query: string, variables: Record<string, unknown> = {}): QueryState<T> {
  const { api } = useConsole();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);

  useEffect(() => {
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
  }, [api, query, key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}
