/** Sends mutations one at a time; exposes the last failure and whether one is in flight. */

import { useCallback, useState } from "react";

import { useConsole } from "./context";
import type { ApiError } from "./graphql";

export interface MutationState {
  /** Sends `mutation`; resolves to its data, or null when it failed (see `failure`). */
  run: <T = unknown>(mutation: string, variables: Record<string, unknown>) => Promise<T | null>;
  failure: ApiError | null;
  busy: boolean;
}

export function useMutation(): MutationState {
  const { api } = useConsole();
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(mutation: string, variables: Record<string, unknown>): Promise<T | null> => {
      setBusy(true);
      setFailure(null);
      try {
        return await api.request<T>(mutation, variables);
      } catch (caught) {
        setFailure(caught as ApiError);
        return null;
      } finally {
        setBusy(false);
      }
    },
    [api],
  );
  return { run, failure, busy };
}
