/** On another team's dataset: "Request access" for one of the caller's teams' roles, and where
 * the caller's teams' requests for it stand. */

import { type FormEvent, useState } from "react";

import { useConsole } from "../lib/context";
import { DATASET_SHARES, REQUEST_SHARE } from "../lib/queries";
import type { Dataset, DatasetShare } from "../lib/types";
import { useMutation } from "../lib/useMutation";
import { useQuery } from "../lib/useQuery";
import { ErrorBanner, StatusBadge } from "./Status";

interface SharesData {
  datasetShares: { edges: { node: DatasetShare }[] };
}

export function ShareRequest({ dataset, onGranted }: { dataset: Dataset; onGranted?: () => void }) {
  const { session } = useConsole();
  const teams = session.groups.filter((g) => g !== "admins" && g !== dataset.team);
  const mine = useQuery<SharesData>(DATASET_SHARES, { direction: "outgoing", datasetId: dataset.id });
  const { run, failure, busy } = useMutation();
  const [open, setOpen] = useState(false);
  const [team, setTeam] = useState(teams[0] ?? "");
  const [principalArn, setPrincipalArn] = useState("");
  const [reason, setReason] = useState("");
  if (!teams.length || dataset.classification === "restricted") return null;
  const shares = mine.data?.datasetShares.edges.map((e) => e.node) ?? [];

  async function send(event: FormEvent) {
    event.preventDefault();
    const input = { datasetId: dataset.id, team, principalArn, reason };
    if (await run(REQUEST_SHARE, { input })) {
      setOpen(false);
      mine.reload();
    }
  }

  function refresh() {
    mine.reload();
    onGranted?.();
  }

  return (
    <section aria-label="Access">
      <h2>Access</h2>
      <ErrorBanner error={mine.error} />
      {shares.length > 0 && (
        <ul>
          {shares.map((s) => (
            <li key={s.id}>
              {s.requesterTeam} for <code>{s.principalArn}</code>: <StatusBadge status={s.status} />
              {s.error?.message && <span className="danger"> {s.error.message}</span>}
            </li>
          ))}
        </ul>
      )}
      {shares.some((s) => ["approved", "granting", "revoking", "requested"].includes(s.status)) && (
        <button type="button" onClick={refresh}>
          Refresh status
        </button>
      )}
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          Request access
        </button>
      ) : (
        <form onSubmit={send} aria-label="Request access">
          <label>
            Team
            <select value={team} onChange={(e) => setTeam(e.target.value)}>
              {teams.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Role ARN
            <input value={principalArn} onChange={(e) => setPrincipalArn(e.target.value)} required />
          </label>
          <label>
            Reason
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <ErrorBanner error={failure} />
          <button type="submit" disabled={busy}>
            Send request
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}
