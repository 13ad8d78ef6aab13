/** The share inbox: requests for the caller's teams' datasets (admins: every team's), each with
 * the preview of its grant before it is approved; and the caller's teams' own requests. */

import { useEffect, useState } from "react";
import { Link } from "react-router-dom";

import { DiffView } from "../components/DiffView";
import { Empty, ErrorBanner, StatusBadge } from "../components/Status";
import { APPROVE_SHARE, DATASET_SHARES, PREVIEW_SHARE, REJECT_SHARE, REVOKE_SHARE, SHARE_PREVIEW } from "../lib/queries";
import type { DatasetShare, Preview } from "../lib/types";
import { useMutation } from "../lib/useMutation";
import { useQuery } from "../lib/useQuery";

const POLL_MS = 1500;

interface SharesData {
  datasetShares: { edges: { node: DatasetShare }[] };
}

interface PreviewData {
  deployment: { id: string; status: string; preview: Preview | null; error: { message: string } | null } | null;
}

/** The held preview of a share's grant: what approving would change in the owner's stack. */
function GrantPreview({ deploymentId }: { deploymentId: string }) {
  const { data, error, reload } = useQuery<PreviewData>(SHARE_PREVIEW, { id: deploymentId });
  const deployment = data?.deployment;
  const ready = deployment?.status === "awaiting_execution" && deployment.preview?.diff;
  const settled = ready || ["failed", "cancelled", "succeeded"].includes(deployment?.status ?? "");
  // The worker previews in a few seconds: look again until the diff (or an end) is there.
  useEffect(() => {
    if (settled) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [settled, data, error, reload]);
  return (
    <section aria-label="Preview">
      <ErrorBanner error={error} />
      {ready ? (
        <DiffView diff={deployment.preview!.diff!} />
      ) : (
        <p>
          Preview {deployment?.status ?? "queued"}{" "}
          <button type="button" onClick={reload}>
            Refresh preview
          </button>
        </p>
      )}
    </section>
  );
}

function ShareRow({ share, incoming, onChanged }: { share: DatasetShare; incoming: boolean; onChanged: () => void }) {
  const { run, failure, busy } = useMutation();
  const [previewId, setPreviewId] = useState<string | null>(null);
  const what = `${share.datasetName} for ${share.requesterTeam}`;

  async function act(mutation: string) {
    if (await run(mutation, { id: share.id, note: "" })) onChanged();
  }

  async function preview() {
    const answer = await run<{ previewDatasetShare: { deployment: { id: string } } }>(PREVIEW_SHARE, { id: share.id });
    if (answer) setPreviewId(answer.previewDatasetShare.deployment.id);
  }

  return (
    <li>
      <Link to={`/datasets/${share.datasetId}`}>{share.datasetName}</Link> ({share.ownerTeam}) for{" "}
      {share.requesterTeam}, role <code>{share.principalArn}</code>: <StatusBadge status={share.status} />
      {share.needsAdmin && <span className="badge">confidential: admin approval too</span>}
      <p className="muted">
        “{share.reason}” — {share.requestedBy}
      </p>
      {share.error?.message && <p className="danger">{share.error.message}</p>}
      <ErrorBanner error={failure} />
      {incoming && share.status === "requested" && (
        <>
          <button type="button" disabled={busy} onClick={preview}>
            Preview {what}
          </button>
          <button type="button" disabled={busy} onClick={() => act(APPROVE_SHARE)}>
            Approve {what}
          </button>
          <button type="button" disabled={busy} onClick={() => act(REJECT_SHARE)}>
            Reject {what}
          </button>
        </>
      )}
      {share.status === "granted" && (
        <button type="button" disabled={busy} onClick={() => act(REVOKE_SHARE)}>
          Revoke {what}
        </button>
      )}
      {previewId && <GrantPreview deploymentId={previewId} />}
    </li>
  );
}

function ShareList({ direction }: { direction: "incoming" | "outgoing" }) {
  const { data, error, reload } = useQuery<SharesData>(DATASET_SHARES, { direction });
  const shares = data?.datasetShares.edges.map((e) => e.node) ?? [];
  return (
    <section aria-label={direction === "incoming" ? "Incoming requests" : "Your requests"}>
      <h2>{direction === "incoming" ? "Requests for your datasets" : "Your teams' requests"}</h2>
      <ErrorBanner error={error} />
      <button type="button" onClick={reload}>
        Refresh {direction}
      </button>
      {shares.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul>
          {shares.map((s) => (
            <ShareRow key={s.id} share={s} incoming={direction === "incoming"} onChanged={reload} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function Shares() {
  return (
    <>
      <h1>Shares</h1>
      <ShareList direction="incoming" />
      <ShareList direction="outgoing" />
    </>
  );
}
