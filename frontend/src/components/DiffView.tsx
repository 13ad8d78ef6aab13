/** A deployment preview: resources added, modified and removed, replacements flagged. */

import type { Action, PropertyChange, ResourceDiff, TemplateDiff } from "../lib/types";

const ACTION_LABEL: Record<Action, string> = { add: "added", modify: "modified", remove: "removed" };

function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function PropertyRow({ change }: { change: PropertyChange }) {
  return (
    <tr>
      <td>
        <code>{change.path}</code>
        {change.replacement && <span className="badge danger"> forces replacement</span>}
      </td>
      <td>
        <code>{show(change.old)}</code>
      </td>
      <td>
        <code>{show(change.new)}</code>
      </td>
    </tr>
  );
}

function ResourceItem({ resource }: { resource: ResourceDiff }) {
  const label = ACTION_LABEL[resource.action] ?? resource.action;
  return (
    <li className={`diff-${label}`} aria-label={`${resource.logical_id} ${label}`}>
      <strong>{resource.logical_id}</strong> <span className="muted">{resource.resource_type}</span>{" "}
      <span className={`badge ${label}`}>{label}</span>
      {resource.replacement && <span className="badge danger">replacement</span>}
      {resource.changes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Property</th>
              <th scope="col">Deployed</th>
              <th scope="col">New</th>
            </tr>
          </thead>
          <tbody>
            {resource.changes.map((change) => (
              <PropertyRow key={change.path} change={change} />
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

export function DiffView({ diff }: { diff: TemplateDiff | null | undefined }) {
  if (!diff || (diff.resources.length === 0 && diff.outputs.length === 0)) {
    return <p className="empty">No changes: the stack already matches.</p>;
  }
  const replacements = diff.resources.filter((r) => r.replacement).length;
  return (
    <section aria-label="Preview">
      <p>
        {diff.resources.length} resource{diff.resources.length === 1 ? "" : "s"} change
        {replacements > 0 && (
          <strong className="danger">
            {" "}
            ({replacements} replaced: their data may be lost)
          </strong>
        )}
      </p>
      <ul className="diff">
        {diff.resources.map((resource) => (
          <ResourceItem key={resource.logical_id} resource={resource} />
        ))}
      </ul>
      {diff.outputs.length > 0 && (
        <>
          <h4>Outputs</h4>
          <ul>
            {diff.outputs.map((output) => (
              <li key={output.name}>
                {output.name}: {ACTION_LABEL[output.action] ?? output.action}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
