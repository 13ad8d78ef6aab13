/** Deployments waiting for an admin, each with its preview diff. */

import { useEffect } from "react";
import { Link } from "react-router-dom";

import { DiffView } from "../../components/DiffView";
import { Empty, ErrorBanner, Loading } from "../../components/Status";
import { APPROVE, PENDING_APPROVALS } from "../../lib/queries";
import type { Preview } from "../../lib/types";
import { useMutation } from "../../lib/useMutation";
import { useQuery } from "../../lib/useQuery";

const REFRESH_MS = 10000;

interface PendingData {
  deployments: {
    edges: {
      node: {
        id: string;
        kind: string;
        requester: string;
        stack: { id: string; name: string; team: string };
        preview: Preview | null;
      };
    }[];
  };
}

export function Approvals() {
  const { data, error, loading, reload } = useQuery<PendingData>(PENDING_APPROVALS);
  const { run, failure, busy } = useMutation();
  const pending = data?.deployments.edges.map((e) => e.node) ?? [];
  // Requests arrive while the page is open: look again now and then.
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  async function approve(id: string) {
    if (await run(APPROVE, { id })) reload();
  }
  return (
    <section aria-label="Pending approvals">
      <h2>Pending approvals</h2>
      <ErrorBanner error={error ?? failure} />
      {loading && !data && <Loading what="pending deployments" />}
      {data && pending.length === 0 && <Empty>Nothing waits for approval.</Empty>}
      {pending.map((d) => (
        <article key={d.id}>
          <h3>
            <Link to={`/stacks/${d.stack.id}`}>{d.stack.name}</Link> ({d.stack.team}), {d.kind} by {d.requester}
          </h3>
          {d.preview?.diff ? <DiffView diff={d.preview.diff} /> : <p className="muted">Preview not ready yet.</p>}
          <button type="button" disabled={busy} onClick={() => approve(d.id)}>
            Approve {d.stack.name}
          </button>
        </article>
      ))}
    </section>
  );
}
