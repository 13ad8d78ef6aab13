/** One stack: params, outputs, preview, live events, history; update, upgrade, destroy. */

import { useCallback, useState } from "react";
import { useParams } from "react-router-dom";

import { DiffView } from "../components/DiffView";
import { EventsList, FINAL } from "../components/EventsList";
import { SchemaForm } from "../components/SchemaForm";
import { ErrorBanner, Loading, StatusBadge } from "../components/Status";
import { isAdmin, useConsole } from "../lib/context";
import { APPROVE, CANCEL, DESTROY_STACK, PREVIEW_STACK, STACK, TEMPLATE } from "../lib/queries";
import type { Preview } from "../lib/types";
import { useMutation } from "../lib/useMutation";
import { useQuery } from "../lib/useQuery";

// A deployment can be cancelled until it starts executing.
const CANCELLABLE = new Set(["queued", "pending_approval", "previewing", "awaiting_execution"]);

interface Deployment {
  id: string;
  kind: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  requester: string;
  error: { code: string; message: string } | null;
  preview: Preview | null;
}

interface StackData {
  stack: {
    id: string;
    name: string;
    team: string;
    status: string;
    params: Record<string, unknown>;
    outputs: Record<string, string>;
    templateName: string;
    templateVersion: string;
    expiresAt: string | null;
    driftStatus: string;
    deployments: { edges: { node: Deployment }[] };
  } | null;
}

interface TemplateData {
  template: { versions: { version: string; status: string; paramsSchema: object }[] } | null;
}

function KeyValues({ values, empty }: { values: Record<string, unknown>; empty: string }) {
  const entries = Object.entries(values ?? {});
  if (!entries.length) return <p className="empty">{empty}</p>;
  return (
    <table>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>
              <code>{typeof value === "string" ? value : JSON.stringify(value)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StackPage() {
  const { id = "" } = useParams();
  const { session } = useConsole();
  const { data, error, loading, reload } = useQuery<StackData>(STACK, { id });
  const stack = data?.stack;
  const template = useQuery<TemplateData>(TEMPLATE, { name: stack?.templateName ?? "" }, { skip: !stack });
  const { run, failure } = useMutation();
  const [mode, setMode] = useState<"none" | "update" | "upgrade" | "destroy">("none");
  const [confirmName, setConfirmName] = useState("");
  const changed = useCallback(() => reload(), [reload]);

  if (loading && !data) return <Loading what="the stack" />;
  if (!stack) return <ErrorBanner error={error ?? new Error("This stack does not exist or is not yours.")} />;

  const deployments = stack.deployments.edges.map((e) => e.node);
  const current = deployments[0];
  const active = current && !FINAL.has(current.status) ? current : null;
  // Versions come newest first: those before the stack's own are the upgrades.
  const versions = template.data?.template?.versions ?? [];
  const own = versions.findIndex((v) => v.version === stack.templateVersion);
  const schema = versions[own]?.paramsSchema;
  const newer = versions.slice(0, Math.max(own, 0)).filter((v) => v.status === "published");

  async function act(mutation: string, variables: Record<string, unknown>) {
    if (await run(mutation, variables)) {
      setMode("none");
      reload();
    }
  }

  return (
    <>
      <h1>
        {stack.name} <StatusBadge status={stack.status} />
      </h1>
      <p className="muted">
        Team {stack.team} · {stack.templateName} {stack.templateVersion} · drift {stack.driftStatus}
        {stack.expiresAt && <> · expires {new Date(stack.expiresAt).toLocaleString()}</>}
      </p>
      <ErrorBanner error={failure} />
      <div role="group" aria-label="Actions">
        <button type="button" disabled={!!active} onClick={() => setMode("update")}>
          Update parameters
        </button>{" "}
        <button type="button" disabled={!!active || !newer.length} onClick={() => setMode("upgrade")}>
          Upgrade
        </button>{" "}
        <button type="button" disabled={!!active} onClick={() => setMode("destroy")}>
          Destroy
        </button>
      </div>
      {mode === "update" && schema && (
        <section aria-label="Update parameters">
          <h2>Update parameters</h2>
          <p>The change is previewed first; nothing changes until you deploy it.</p>
          <SchemaForm
            schema={schema}
            initial={stack.params}
            submitLabel="Preview change"
            onSubmit={(params) => act(PREVIEW_STACK, { id: stack.id, params })}
          />
        </section>
      )}
      {mode === "upgrade" && (
        <section aria-label="Upgrade">
          <h2>Upgrade</h2>
          {newer.map((v) => (
            <button key={v.version} type="button" onClick={() => act(PREVIEW_STACK, { id: stack.id, version: v.version })}>
              Preview upgrade to {v.version}
            </button>
          ))}
        </section>
      )}
      {mode === "destroy" && (
        <section aria-label="Destroy">
          <h2>Destroy {stack.name}</h2>
          <p className="danger">This deletes the stack's resources (resources with a retain policy are kept and listed).</p>
          <label>
            Type the stack name to confirm
            <input value={confirmName} onChange={(e) => setConfirmName(e.target.value)} />
          </label>
          <button
            type="button"
            disabled={confirmName !== stack.name}
            onClick={() => act(DESTROY_STACK, { id: stack.id })}
          >
            Destroy stack
          </button>
        </section>
      )}
      {current && (
        <section aria-label="Current deployment">
          <h2>
            {current.kind} deployment <StatusBadge status={current.status} />
          </h2>
          {current.preview?.diff && <DiffView diff={current.preview.diff} />}
          {current.status === "awaiting_execution" && (
            <button type="button" onClick={() => act(APPROVE, { id: current.id })}>
              Deploy this change
            </button>
          )}
          {current.status === "pending_approval" && isAdmin(session) && (
            <button type="button" onClick={() => act(APPROVE, { id: current.id })}>
              Approve
            </button>
          )}
          {CANCELLABLE.has(current.status) && (
            <button type="button" onClick={() => act(CANCEL, { id: current.id })}>
              Cancel
            </button>
          )}
          <EventsList deploymentId={current.id} knownStatus={current.status} onStatusChange={changed} />
        </section>
      )}
      <h2>Parameters</h2>
      <KeyValues values={stack.params} empty="No parameters." />
      <h2>Outputs</h2>
      <KeyValues values={stack.outputs} empty="No outputs yet." />
      <h2>History</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">By</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {deployments.map((d) => (
            <tr key={d.id}>
              <td>{new Date(d.createdAt).toLocaleString()}</td>
              <td>{d.kind}</td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>{d.requester}</td>
              <td>{d.error?.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
