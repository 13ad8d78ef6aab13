/** Full-text search over stacks, datasets and templates, narrowed by facets. */

import { type FormEvent, useState } from "react";
import { Link } from "react-router-dom";

import { Empty, ErrorBanner, Loading, StatusBadge } from "../components/Status";
import { SEARCH, searchVariables } from "../lib/queries";
import { useQuery } from "../lib/useQuery";

interface Hit {
  kind: string;
  id: string;
  title: string;
  team: string | null;
  /** The template's name (a template hit's id is the catalog's internal id). */
  template: string | null;
  status: string | null;
  highlight: string | null;
}

interface SearchData {
  search: {
    edges: { node: Hit }[];
    facets: { name: string; values: { value: string; count: number }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

function linkTo(hit: Hit): string {
  if (hit.kind === "stack") return `/stacks/${hit.id}`;
  if (hit.kind === "dataset") return `/datasets/${hit.id}`;
  return `/catalog/${hit.template}`;
}

/** Highlights come back with <mark> around matches: render only those marks, as text. */
export function Highlight({ text }: { text: string }) {
  const parts = text.split(/(<mark>.*?<\/mark>)/g);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith("<mark>") ? <mark key={i}>{part.slice(6, -7)}</mark> : <span key={i}>{part}</span>,
      )}
    </>
  );
}

export function Search() {
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  const [filters, setFilters] = useState<Record<string, string>>({});
  const { data, error, loading } = useQuery<SearchData>(SEARCH, searchVariables(query, filters));

  function submit(event: FormEvent) {
    event.preventDefault();
    setQuery(typed);
  }

  function toggle(name: string, value: string) {
    setFilters((current) => {
      const next = { ...current };
      if (next[name] === value) delete next[name];
      else next[name] = value;
      return next;
    });
  }

  const hits = data?.search.edges.map((e) => e.node) ?? [];
  return (
    <>
      <h1>Search</h1>
      <form onSubmit={submit} role="search">
        <label>
          Search stacks, datasets and templates{" "}
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorBanner error={error} />
      <div className="layout-2">
        <aside aria-label="Facets">
          {data?.search.facets
            .filter((f) => f.values.length)
            .map((facet) => (
              <fieldset key={facet.name}>
                <legend>{facet.name}</legend>
                {facet.values.map((v) => (
                  <label key={v.value}>
                    <input
                      type="checkbox"
                      checked={filters[facet.name] === v.value}
                      onChange={() => toggle(facet.name, v.value)}
                    />{" "}
                    {v.value} ({v.count})
                  </label>
                ))}
              </fieldset>
            ))}
        </aside>
        <section aria-label="Results">
          {loading && !data && <Loading what="results" />}
          {data && hits.length === 0 && <Empty>Nothing matches. Try fewer words or remove a facet.</Empty>}
          <ol>
            {hits.map((hit) => (
              <li key={`${hit.kind}:${hit.id}`}>
                <Link to={linkTo(hit)}>{hit.title}</Link> <span className="badge">{hit.kind}</span>
                {hit.team && <span className="muted"> · {hit.team}</span>}
                {hit.kind === "stack" && hit.status && <StatusBadge status={hit.status} />}
                {hit.highlight && (
                  <div>
                    <Highlight text={hit.highlight} />
                  </div>
                )}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </>
  );
}
