/** Loading, error and empty states, the same on every page. */

import type { ReactNode } from "react";

import type { ApiError } from "../lib/graphql";

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** The error's message and stable code; `hints` may say, by code, what it means for the user. */
export function ErrorBanner({ error, hints }: { error: ApiError | Error | null; hints?: Record<string, string> }) {
  if (!error) return null;
  const code = "code" in error ? (error as ApiError).code : undefined;
  const hint = code ? hints?.[code] : undefined;
  return (
    <div role="alert" className="error">
      {hint && <strong>{hint} </strong>}
      {error.message}
      {code && <span className="muted"> ({code})</span>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status.toLowerCase().replace(/_/g, " ")}</span>;
}
