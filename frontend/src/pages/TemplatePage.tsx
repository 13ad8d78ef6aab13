/** A template: its versions, outputs, and the request form built from the chosen version's schema. */

import type { RJSFSchema } from "@rjsf/utils";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";

import { SchemaForm } from "../components/SchemaForm";
import { ErrorBanner, Loading, StatusBadge } from "../components/Status";
import { useConsole } from "../lib/context";
import { REQUEST_STACK, requestStackVariables, TEMPLATE } from "../lib/queries";
import { useMutation } from "../lib/useMutation";
import { useQuery } from "../lib/useQuery";

interface Version {
  version: string;
  status: string;
  title: string;
  description: string;
  paramsSchema: RJSFSchema;
  outputs: Record<string, string>;
  requiresApproval: boolean;
}

interface TemplateData {
  template: { name: string; title: string; description: string; versions: Version[] } | null;
}

interface RequestData {
  requestStack: { stack: { id: string } };
}

export function TemplatePage() {
  const { name = "" } = useParams();
  const { session } = useConsole();
  const navigate = useNavigate();
  const { data, error, loading } = useQuery<TemplateData>(TEMPLATE, { name });
  const [chosen, setChosen] = useState<string | null>(null);
  const [team, setTeam] = useState<string>("");
  const [stackName, setStackName] = useState("");
  const { run, failure, busy } = useMutation();

  if (loading && !data) return <Loading what="the template" />;
  if (!data?.template) return <ErrorBanner error={error ?? new Error(`No template named ${name}.`)} />;
  const template = data.template;
  // Versions come newest first: the newest published one is offered first.
  const published = template.versions.filter((v) => v.status === "published");
  const version = published.find((v) => v.version === chosen) ?? published[0];
  const teams = session.groups.filter((g) => g !== "admins");
  const owner = team || teams[0] || "";

  async function request(params: Record<string, unknown>) {
    const request = { template: name, version: version.version, team: owner, name: stackName, params };
    const result = await run<RequestData>(REQUEST_STACK, requestStackVariables(request));
    if (result) navigate(`/stacks/${result.requestStack.stack.id}`);
  }

  return (
    <>
      <h1>{template.title}</h1>
      <p>{template.description}</p>
      <h2>Versions</h2>
      <ul>
        {template.versions.map((v) => (
          <li key={v.version}>
            {v.version} <StatusBadge status={v.status} /> {v.description}
            {v.requiresApproval && <span className="badge">needs approval</span>}
          </li>
        ))}
      </ul>
      {!version ? (
        <p className="empty">No version is published: nothing can be requested yet.</p>
      ) : (
        <section aria-label="Request a stack">
          <h2>Request a stack</h2>
          <label>
            Version
            <select value={version.version} onChange={(e) => setChosen(e.target.value)}>
              {published.map((v) => (
                <option key={v.version}>{v.version}</option>
              ))}
            </select>
          </label>
          <label>
            Team
            <select value={owner} onChange={(e) => setTeam(e.target.value)}>
              {teams.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Stack name
            <input
              required
              pattern="[a-z][a-z0-9-]{2,62}"
              value={stackName}
              onChange={(e) => setStackName(e.target.value)}
            />
          </label>
          {Object.keys(version.outputs ?? {}).length > 0 && (
            <details>
              <summary>Outputs of this version</summary>
              <ul>
                {Object.entries(version.outputs).map(([key, text]) => (
                  <li key={key}>
                    <code>{key}</code>: {text}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <ErrorBanner error={failure} />
          <SchemaForm
            key={version.version /* a new form: the other version's values may not fit */}
            schema={version.paramsSchema}
            submitLabel="Request stack"
            busy={busy}
            onSubmit={request}
          />
        </section>
      )}
    </>
  );
}
