/** Previous and next page buttons under a list (hidden when everything fits on one page). */

import type { Pages } from "../lib/usePages";

interface Props {
  label: string;
  pages: Pages;
  pageInfo: { hasNextPage: boolean; endCursor: string | null } | undefined;
  /** A page is on its way: the buttons wait for it. */
  loading: boolean;
}

export function Pager({ label, pages, pageInfo, loading }: Props) {
  const endCursor = pageInfo?.hasNextPage ? pageInfo.endCursor : null;
  if (pages.number === 1 && !endCursor) return null;
  return (
    <nav aria-label={label} className="pager">
      <button type="button" disabled={loading || pages.number === 1} onClick={pages.previous}>
        Previous page
      </button>
      <span>Page {pages.number}</span>
      <button type="button" disabled={loading || !endCursor} onClick={() => endCursor && pages.next(endCursor)}>
        Next page
      </button>
    </nav>
  );
}
