/** Every template's versions with their status and constraints: publish, deprecate, retire. */

import { useState } from "react";

import { Empty, ErrorBanner, Loading, StatusBadge } from "../../components/Status";
import { ADMIN_TEMPLATES, DEPRECATE_VERSION, PUBLISH_VERSION, RETIRE_VERSION } from "../../lib/queries";
import { useMutation } from "../../lib/useMutation";
import { useQuery } from "../../lib/useQuery";
import { type Constraints, ConstraintsForm, NO_CONSTRAINTS } from "./ConstraintsForm";

interface Version {
  version: string;
  status: string;
  constraints: Partial<Constraints>;
  codeChanged: boolean;
  codeAvailable: boolean;
  publishedAt: string | null;
  publishedBy: string | null;
}

interface TemplatesData {
  templates: { edges: { node: { name: string; title: string; versions: Version[] } }[] };
}

function summary(constraints: Partial<Constraints>): string {
  const parts = [
    constraints.requires_approval && "approval",
    constraints.quota_per_team && `quota ${constraints.quota_per_team}`,
    constraints.default_ttl_hours && `TTL ${constraints.default_ttl_hours} h`,
    ...Object.keys(constraints.allowed_values ?? {}).map((name) => `${name} restricted`),
  ];
  return parts.filter(Boolean).join(", ") || "none";
}

export function Versions() {
  const { data, error, loading, reload } = useQuery<TemplatesData>(ADMIN_TEMPLATES);
  const { run, failure, busy } = useMutation();
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function change(mutation: string, name: string, version: string, what: string, extra = {}) {
    setDone(null);
    if (await run(mutation, { name, version, ...extra })) {
      setEditing(null);
      setDone(`${name} ${version} ${what}.`);
      reload();
    }
  }

  const templates = data?.templates.edges.map((e) => e.node) ?? [];
  return (
    <section aria-label="Template versions">
      <h2>Template versions</h2>
      <ErrorBanner error={error ?? failure} />
      {done && <p role="status">{done}</p>}
      {loading && !data && <Loading what="the catalog" />}
      {data && templates.length === 0 && <Empty>No template is registered.</Empty>}
      {templates.map((template) => (
        <table key={template.name} aria-label={template.name}>
          <caption>
            {template.title} <code className="muted">{template.name}</code>
          </caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Constraints</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {template.versions.map((v) => {
              const key = `${template.name}@${v.version}`;
              const live = v.status === "published" || v.status === "deprecated";
              return (
                <tr key={key}>
                  <td>
                    {v.version}
                    {v.codeChanged && <span className="badge danger">code changed</span>}
                    {!v.codeAvailable && <span className="badge danger">code missing</span>}
                  </td>
                  <td>
                    <StatusBadge status={v.status} />
                    {v.publishedBy && <span className="muted"> by {v.publishedBy}</span>}
                  </td>
                  <td>{summary(v.constraints)}</td>
                  <td>
                    {v.status !== "retired" && (
                      <button type="button" onClick={() => setEditing(editing === key ? null : key)}>
                        {v.status === "published" ? "Change constraints" : "Publish"}
                      </button>
                    )}{" "}
                    {v.status === "published" && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => change(DEPRECATE_VERSION, template.name, v.version, "deprecated")}
                      >
                        Deprecate
                      </button>
                    )}{" "}
                    {live && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          window.confirm(`Retire ${template.name} ${v.version} for good?`) &&
                          change(RETIRE_VERSION, template.name, v.version, "retired")
                        }
                      >
                        Retire
                      </button>
                    )}
                    {editing === key && (
                      <ConstraintsForm
                        label={`Publish ${v.version}`}
                        initial={{ ...NO_CONSTRAINTS, ...v.constraints }}
                        busy={busy}
                        onSubmit={(constraints) =>
                          change(PUBLISH_VERSION, template.name, v.version, "published", { constraints })
                        }
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </section>
  );
}
