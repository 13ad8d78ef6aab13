/** The published catalog: one line per template with its newest version. */

import { Link } from "react-router-dom";

import { Empty, ErrorBanner, Loading, StatusBadge } from "../components/Status";
import { TEMPLATES } from "../lib/queries";
import { useQuery } from "../lib/useQuery";

interface TemplatesData {
  templates: {
    edges: {
      node: {
        name: string;
        title: string;
        description: string;
        latestVersion: { version: string; status: string } | null;
      };
    }[];
  };
}

export function Catalog() {
  const { data, error, loading } = useQuery<TemplatesData>(TEMPLATES);
  const templates = data?.templates.edges.map((e) => e.node) ?? [];
  return (
    <>
      <h1>Catalog</h1>
      <ErrorBanner error={error} />
      {loading && !data && <Loading what="the catalog" />}
      {data && templates.length === 0 && <Empty>No template is published yet.</Empty>}
      {templates.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Description</th>
              <th scope="col">Newest version</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.name}>
                <td>
                  <Link to={`/catalog/${t.name}`}>{t.title}</Link> <code className="muted">{t.name}</code>
                </td>
                <td>{t.description}</td>
                <td>
                  {t.latestVersion ? (
                    <>
                      {t.latestVersion.version} <StatusBadge status={t.latestVersion.status} />
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
