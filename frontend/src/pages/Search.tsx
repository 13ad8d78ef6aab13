/** Full-text search over stacks, datasets and templates, narrowed by facets, a page at a time. */

import { type FormEvent, useState } from "react";
import { Link } from "react-router-dom";

import { Pager } from "../components/Pager";
import { Empty, ErrorBanner, Loading, StatusBadge } from "../components/Status";
import { highlightParts } from "../lib/highlight";
import { SEARCH, searchVariables } from "../lib/queries";
import { usePages } from "../lib/usePages";
import { useQuery } from "../lib/useQuery";

export const PAGE_SIZE = 20;

interface Hit {
  kind: string;
  id: string;
  title: string;
  team: string | null;
  /** The template's name (a template hit's id is the catalog's internal id). */
  template: string | null;
  status: string | null;
  highlight: string | null;
  sharedWithYou?: boolean;
}

interface SearchData {
  search: {
    edges: { node: Hit }[];
    facets: { name: string; values: { value: string; count: number }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
}

function linkTo(hit: Hit): string {
  if (hit.kind === "stack") return `/stacks/${hit.id}`;
  if (hit.kind === "dataset") return `/datasets/${hit.id}`;
  return `/catalog/${hit.template}`;
}

/** A highlight's text with its matches in <mark> elements, made of React nodes (never set as HTML). */
export function Highlight({ text }: { text: string }) {
  return (
    <>
      {highlightParts(text).map((part, i) =>
        part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}

export function Search() {
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  const [filters, setFilters] = useState<Record<string, string>>({});
  // Paging keeps the words and facets; new words or facets start from the first page.
  const wanted = searchVariables(query, filters);
  const pages = usePages(JSON.stringify(wanted));
  const { data, error, loading } = useQuery<SearchData>(SEARCH, { ...wanted, first: PAGE_SIZE, after: pages.after });

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
  const first = (pages.number - 1) * PAGE_SIZE + 1;
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
        <section aria-label="Results" aria-busy={loading}>
          {/* The list of another page or other facets is not shown while the next one loads. */}
          {loading && <Loading what="results" />}
          {data && !loading && (
            <>
              {hits.length === 0 ? (
                <Empty>Nothing matches. Try fewer words or remove a facet.</Empty>
              ) : (
                <p role="status">
                  Results {first}–{first + hits.length - 1} of {data.search.totalCount}
                </p>
              )}
              <ol start={first}>
                {hits.map((hit) => (
                  <li key={`${hit.kind}:${hit.id}`}>
                    <Link to={linkTo(hit)}>{hit.title}</Link> <span className="badge">{hit.kind}</span>
                    {hit.team && <span className="muted"> · {hit.team}</span>}
                    {hit.sharedWithYou && <span className="badge"> shared with you</span>}
                    {hit.kind === "stack" && hit.status && <StatusBadge status={hit.status} />}
                    {hit.highlight && (
                      <div>
                        <Highlight text={hit.highlight} />
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            </>
          )}
          <Pager label="Result pages" pages={pages} pageInfo={data?.search.pageInfo} loading={loading} />
        </section>
      </div>
    </>
  );
}
