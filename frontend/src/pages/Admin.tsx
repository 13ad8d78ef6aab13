/** Admins: approve pending deployments, publish / deprecate / retire versions, teams and accounts. */

import { type FormEvent, useState } from "react";
import { Link } from "react-router-dom";

import { DiffView } from "../components/DiffView";
import { Empty, ErrorBanner, Loading } from "../components/Status";
import { isAdmin, useConsole } from "../lib/context";
import type { ApiError } from "../lib/graphql";
import {
  APPROVE,
  DEPRECATE_VERSION,
  PENDING_APPROVALS,
  PUBLISH_VERSION,
  RETIRE_VERSION,
  TEAMS,
} from "../lib/queries";
import type { Preview } from "../lib/types";
import { useQuery } from "../lib/useQuery";

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

interface TeamsData {
  teams: { slug: string; name: string }[];
  targetAccounts: { account: string; region: string; name: string }[];
}

function Approvals() {
  const { api } = useConsole();
  const { data, error, loading, reload } = useQuery<PendingData>(PENDING_APPROVALS);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const pending = data?.deployments.edges.map((e) => e.node) ?? [];
  async function approve(id: string) {
    try {
      await api.request(APPROVE, { id });
      reload();
    } catch (caught) {
      setFailure(caught as ApiError);
    }
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
          <button type="button" onClick={() => approve(d.id)}>
            Approve {d.stack.name}
          </button>
        </article>
      ))}
    </section>
  );
}

function Versions() {
  const { api } = useConsole();
  const [name, setName] = useState("");
  const [version, setVersion] = useState("");
  const [approval, setApproval] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);

  async function run(query: string, label: string, variables: Record<string, unknown>) {
    setFailure(null);
    setMessage(null);
    try {
      await api.request(query, variables);
      setMessage(`${name} ${version} ${label}.`);
    } catch (caught) {
      setFailure(caught as ApiError);
    }
  }
  const publish = (event: FormEvent) => {
    event.preventDefault();
    run(PUBLISH_VERSION, "published", { name, version, constraints: { requires_approval: approval } });
  };
  return (
    <section aria-label="Template versions">
      <h2>Template versions</h2>
      <form onSubmit={publish}>
        <label>
          Template <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Version <input required value={version} onChange={(e) => setVersion(e.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} /> Requires
          approval
        </label>
        <button type="submit">Publish</button>{" "}
        <button type="button" onClick={() => run(DEPRECATE_VERSION, "deprecated", { name, version })}>
          Deprecate
        </button>{" "}
        <button type="button" onClick={() => run(RETIRE_VERSION, "retired", { name, version })}>
          Retire
        </button>
      </form>
      {message && <p role="status">{message}</p>}
      <ErrorBanner error={failure} />
    </section>
  );
}

function Tenancy() {
  const { data, error } = useQuery<TeamsData>(TEAMS);
  return (
    <section aria-label="Teams and accounts">
      <h2>Teams</h2>
      <ErrorBanner error={error} />
      {data && (data.teams.length ? <ul>{data.teams.map((t) => <li key={t.slug}>{t.name} ({t.slug})</li>)}</ul> : <Empty>No team is registered.</Empty>)}
      <h2>Target accounts</h2>
      {data &&
        (data.targetAccounts.length ? (
          <ul>
            {data.targetAccounts.map((a) => (
              <li key={`${a.account}/${a.region}`}>
                {a.name}: {a.account} {a.region}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No target account is registered.</Empty>
        ))}
    </section>
  );
}

export function Admin() {
  const { session } = useConsole();
  if (!isAdmin(session)) return <p role="alert">This page is for platform admins.</p>;
  return (
    <>
      <h1>Admin</h1>
      <Approvals />
      <Versions />
      <Tenancy />
    </>
  );
}
