/** A dataset: where it lives, its columns, tags, classification and change history. */

import { useParams } from "react-router-dom";

import { ErrorBanner, Loading } from "../components/Status";
import { DATASET } from "../lib/queries";
import { useQuery } from "../lib/useQuery";

interface DatasetData {
  dataset: {
    id: string;
    name: string;
    team: string;
    description: string | null;
    location: string | null;
    classification: string;
    tags: string[];
    format: string | null;
    columns: { name: string; type: string; description: string | null; pii: boolean }[];
    history: {
      edges: {
        node: { revision: number; action: string; changedAt: string; changedBy: string; changes: Changes };
      }[];
    };
  } | null;
}

type Changes = Record<string, { before: unknown; after: unknown }>;

const shown = (value: unknown) => (value === null || value === undefined ? "—" : JSON.stringify(value));

/** A revision's changed fields, each as before → after (fields left as they were are not shown). */
function ChangedFields({ changes }: { changes: Changes }) {
  const changed = Object.entries(changes ?? {}).filter(([, c]) => shown(c.before) !== shown(c.after));
  if (!changed.length) return <span className="muted">no field changed</span>;
  return (
    <ul>
      {changed.map(([field, c]) => (
        <li key={field}>
          {field}: <code>{shown(c.before)}</code> → <code>{shown(c.after)}</code>
        </li>
      ))}
    </ul>
  );
}

export function DatasetPage() {
  const { id = "" } = useParams();
  const { data, error, loading } = useQuery<DatasetData>(DATASET, { id });
  if (loading && !data) return <Loading what="the dataset" />;
  const dataset = data?.dataset;
  if (!dataset) return <ErrorBanner error={error ?? new Error("This dataset does not exist or is not visible to you.")} />;
  return (
    <>
      <h1>{dataset.name}</h1>
      <p className="muted">
        Team {dataset.team} · <span className="badge">{dataset.classification}</span>
        {dataset.format && <> · {dataset.format}</>}
      </p>
      <p>{dataset.description || <span className="empty">No description.</span>}</p>
      {dataset.location && (
        <p>
          Location <code>{dataset.location}</code>
        </p>
      )}
      <p>
        Tags:{" "}
        {dataset.tags.length ? dataset.tags.map((t) => <span key={t} className="badge">{t}</span>) : "none"}
      </p>
      <h2>Columns</h2>
      {dataset.columns.length === 0 ? (
        <p className="empty">No columns recorded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
              <th scope="col">PII</th>
            </tr>
          </thead>
          <tbody>
            {dataset.columns.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>
                  <code>{c.type}</code>
                </td>
                <td>{c.description}</td>
                <td>{c.pii ? <span className="badge danger">PII</span> : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>History</h2>
      <ul>
        {dataset.history.edges.map(({ node }) => (
          <li key={node.revision}>
            {new Date(node.changedAt).toLocaleString()} {node.action} by {node.changedBy}
            <ChangedFields changes={node.changes} />
          </li>
        ))}
      </ul>
    </>
  );
}
