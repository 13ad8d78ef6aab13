/** A dataset: where it lives, its columns, tags, classification and change history; its team
 * edits the metadata here. */

import { lazy, Suspense, useState } from "react";
import { useParams } from "react-router-dom";

import { ShareRequest } from "../components/ShareRequest";
import { ErrorBanner, Loading } from "../components/Status";
import { DATASET, DATASET_HISTORY } from "../lib/queries";
import type { Dataset } from "../lib/types";
import { useQuery } from "../lib/useQuery";

// Only the dataset's team edits, and only sometimes: the form loads when first opened.
const DatasetForm = lazy(() => import("./DatasetForm").then((m) => ({ default: m.DatasetForm })));

interface DatasetData {
  dataset: Dataset | null;
}

interface HistoryData {
  dataset: {
    history: {
      edges: { node: { revision: number; action: string; changedAt: string; changedBy: string; changes: Changes } }[];
    } | null;
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

/** What the dataset holds and where, as the caller may see it. */
function Details({ dataset }: { dataset: Dataset }) {
  return (
    <>
      <p>{dataset.description || <span className="empty">No description.</span>}</p>
      {dataset.location && (
        <p>
          Location <code>{dataset.location}</code>
        </p>
      )}
      {dataset.glueDatabase && (
        <p>
          Glue <code>{[dataset.glueDatabase, dataset.glueTable].filter(Boolean).join(".")}</code>
        </p>
      )}
      <p>
        Tags:{" "}
        {dataset.tags.length ? dataset.tags.map((t) => <span key={t} className="badge">{t}</span>) : "none"}
      </p>
      {dataset.topics.length > 0 && <p>Topics: {dataset.topics.join(", ")}</p>}
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
    </>
  );
}

export function DatasetPage() {
  const { id = "" } = useParams();
  const { data, error, loading, reload } = useQuery<DatasetData>(DATASET, { id });
  const owner = data?.dataset?.access === "owner";
  const history = useQuery<HistoryData>(DATASET_HISTORY, { id }, { skip: !owner });
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  if (loading && !data) return <Loading what="the dataset" />;
  const dataset = data?.dataset;
  if (!dataset) return <ErrorBanner error={error ?? new Error("This dataset does not exist or is not visible to you.")} />;

  function edit() {
    setSaved(null);
    setEditing(true);
  }

  function done(revision: number) {
    setEditing(false);
    setSaved(revision);
    reload();
    history.reload();
  }

  return (
    <>
      <h1>{dataset.name}</h1>
      <p className="muted">
        Team {dataset.team} · <span className="badge">{dataset.classification}</span>
        {dataset.format && <> · {dataset.format}</>} · revision {dataset.revision}
      </p>
      {/* The API says who may change it: its team (and admins). Others are refused anyway. */}
      {owner && !editing && (
        <button type="button" onClick={edit}>
          Edit dataset
        </button>
      )}
      {saved !== null && <p role="status">Saved as revision {saved}.</p>}
      {editing ? (
        <section>
          <h2>Edit dataset</h2>
          <Suspense fallback={<Loading what="the form" />}>
            <DatasetForm
              key={dataset.revision /* a newer revision starts the form again */}
              dataset={dataset}
              onSaved={done}
              onCancel={() => setEditing(false)}
              onReload={reload}
            />
          </Suspense>
        </section>
      ) : (
        <Details dataset={dataset} />
      )}
      {dataset.access === "shared" && <p role="note">Shared with you.</p>}
      {!owner && <ShareRequest dataset={dataset} onGranted={reload} />}
      {owner && (
        <>
          <h2>History</h2>
          <ErrorBanner error={history.error} />
          <ul>
            {history.data?.dataset?.history?.edges.map(({ node }) => (
              <li key={node.revision}>
                {new Date(node.changedAt).toLocaleString()} {node.action} by {node.changedBy}
                <ChangedFields changes={node.changes} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
