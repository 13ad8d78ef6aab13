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

export function ErrorBanner({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  const code = "code" in error ? (error as ApiError).code : undefined;
  return (
    <div role="alert" className="error">
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
