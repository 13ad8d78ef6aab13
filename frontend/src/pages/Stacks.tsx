/** The stacks the caller may see (their teams'; all for admins), newest first. */

import { useState } from "react";
import { Link } from "react-router-dom";

import { Empty, ErrorBanner, Loading, StatusBadge } from "../components/Status";
import { STACKS } from "../lib/queries";
import { useQuery } from "../lib/useQuery";

interface StacksData {
  stacks: {
    edges: {
      node: {
        id: string;
        name: string;
        team: string;
        status: string;
        templateName: string;
        templateVersion: string;
        updatedAt: string;
      };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export function Stacks() {
  const [after, setAfter] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const { data, error, loading } = useQuery<StacksData>(STACKS, {
    first: 25,
    after,
    status: status || null,
  });
  const stacks = data?.stacks.edges.map((e) => e.node) ?? [];
  return (
    <>
      <h1>Stacks</h1>
      <label>
        Status{" "}
        <select value={status} onChange={(e) => (setStatus(e.target.value), setAfter(null))}>
          <option value="">any</option>
          {["active", "deploying", "updating", "pending_approval", "failed", "destroyed"].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <ErrorBanner error={error} />
      {loading && !data && <Loading what="stacks" />}
      {data && stacks.length === 0 && (
        <Empty>
          No stacks yet. <Link to="/catalog">Request one from the catalog.</Link>
        </Empty>
      )}
      {stacks.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Stack</th>
              <th scope="col">Team</th>
              <th scope="col">Template</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {stacks.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/stacks/${s.id}`}>{s.name}</Link>
                </td>
                <td>{s.team}</td>
                <td>
                  {s.templateName} {s.templateVersion}
                </td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td>{new Date(s.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data?.stacks.pageInfo.hasNextPage && (
        <button type="button" onClick={() => setAfter(data.stacks.pageInfo.endCursor)}>
          Next page
        </button>
      )}
    </>
  );
}
