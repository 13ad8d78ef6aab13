/** The stacks the caller may see (their teams'; all for admins), newest first, by team,
 * template and status, a page at a time. */

import { useState } from "react";
import { Link } from "react-router-dom";

import { Pager } from "../components/Pager";
import { Empty, ErrorBanner, Loading, StatusBadge } from "../components/Status";
import { STACK_FILTERS, STACKS, type StackFilters, stacksVariables } from "../lib/queries";
import { usePages } from "../lib/usePages";
import { useQuery } from "../lib/useQuery";

export const PAGE_SIZE = 25;
// Without a status the API lists live stacks: neither destroyed nor cancelled.
const STATUSES = [
  "requested",
  "pending_approval",
  "deploying",
  "active",
  "updating",
  "failed",
  "destroying",
  "destroyed",
  "cancelled",
];
const NO_FILTERS: StackFilters = { team: "", template: "", status: "" };

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

interface FilterChoices {
  teams: { slug: string; name: string }[];
  templates: { edges: { node: { name: string; title: string } }[] };
}

interface Choice {
  value: string;
  label: string;
}

interface FilterProps {
  label: string;
  value: string;
  /** What the empty choice (no filter) means. */
  any: string;
  choices: Choice[];
  onChange: (value: string) => void;
}

function Filter({ label, value, any, choices, onChange }: FilterProps) {
  return (
    <label>
      {label}{" "}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Stacks() {
  const [filters, setFilters] = useState(NO_FILTERS);
  const pages = usePages(JSON.stringify(filters));
  const { data, error, loading } = useQuery<StacksData>(STACKS, stacksVariables(filters, PAGE_SIZE, pages.after));
  const choices = useQuery<FilterChoices>(STACK_FILTERS);
  const stacks = data?.stacks.edges.map((e) => e.node) ?? [];
  const filtered = Object.values(filters).some(Boolean);
  const choose = (name: keyof StackFilters) => (value: string) => setFilters({ ...filters, [name]: value });
  const teams = choices.data?.teams.map((t) => ({ value: t.slug, label: t.name })) ?? [];
  const templates = choices.data?.templates.edges.map(({ node }) => ({ value: node.name, label: node.title })) ?? [];
  return (
    <>
      <h1>Stacks</h1>
      <div className="filters" role="group" aria-label="Filters">
        <Filter label="Team" value={filters.team} any="all" choices={teams} onChange={choose("team")} />
        <Filter label="Template" value={filters.template} any="any" choices={templates} onChange={choose("template")} />
        <Filter
          label="Status"
          value={filters.status}
          any="live (not destroyed)"
          choices={STATUSES.map((s) => ({ value: s, label: s.replace(/_/g, " ") }))}
          onChange={choose("status")}
        />
      </div>
      <ErrorBanner error={error ?? choices.error} />
      {loading && !data && <Loading what="stacks" />}
      {data && stacks.length === 0 && (
        <Empty>
          {filtered ? (
            "No stack matches these filters."
          ) : (
            <>
              No stacks yet. <Link to="/catalog">Request one from the catalog.</Link>
            </>
          )}
        </Empty>
      )}
      {stacks.length > 0 && (
        <table aria-busy={loading}>
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
      <Pager label="Stack pages" pages={pages} pageInfo={data?.stacks.pageInfo} loading={loading} />
    </>
  );
}
