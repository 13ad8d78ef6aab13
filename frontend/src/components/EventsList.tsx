/** A deployment's CloudFormation events, followed live until the deployment ends.
 *
 * `onStatusChange` hears each new status (the page around it shows the deployment's state too). */

import { useEffect, useRef, useState } from "react";

import { useConsole } from "../lib/context";
import type { ApiError } from "../lib/graphql";
import { DEPLOYMENT_EVENTS } from "../lib/queries";
import type { StackEvent } from "../lib/types";
import { ErrorBanner, StatusBadge } from "./Status";

export const FINAL = new Set(["succeeded", "failed", "cancelled"]);
const POLL_MS = 1500;

interface EventsData {
  deployment: {
    status: string;
    error: { code: string; message: string } | null;
    events: { edges: { cursor: string; node: StackEvent }[] };
  };
}

interface Props {
  deploymentId: string;
  /** The status the page shows already: a different one is a change. */
  knownStatus?: string;
  onStatusChange?: (status: string) => void;
}

export function EventsList({ deploymentId, knownStatus, onStatusChange }: Props) {
  const known = useRef(knownStatus ?? null);
  known.current = knownStatus ?? null; // read when the effect (re)starts for a deployment
  const { api } = useConsole();
  const [events, setEvents] = useState<StackEvent[]>([]);
  const [status, setStatus] = useState<string>("queued");
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let cursor: string | null = null;
    let seen = known.current;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    setEvents([]);
    async function poll() {
      try {
        const data: EventsData = await api.request<EventsData>(DEPLOYMENT_EVENTS, { id: deploymentId, after: cursor });
        const edges = data.deployment.events.edges;
        if (edges.length) {
          cursor = edges[edges.length - 1].cursor;
          setEvents((known) => [...known, ...edges.map((e) => e.node)]);
        }
        const now = data.deployment.status;
        setStatus(now);
        setFailure(data.deployment.error);
        if (seen !== null && now !== seen) onStatusChange?.(now);
        seen = now;
        if (FINAL.has(now)) return;
      } catch (caught) {
        setError(caught as ApiError);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, deploymentId, onStatusChange]);

  return (
    <section aria-label="Deployment events">
      <p aria-live="polite">
        Deployment <StatusBadge status={status} />
      </p>
      {failure && (
        <div role="alert" className="error">
          {failure.message} <span className="muted">({failure.code})</span>
        </div>
      )}
      <ErrorBanner error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Resource</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.timestamp).toLocaleTimeString()}</td>
              <td>
                {e.logicalId} <span className="muted">{e.resourceType}</span>
              </td>
              <td>{e.status}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
