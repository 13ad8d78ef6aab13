/** Paging forward and back through a Relay connection whose cursors only lead forward. */

import { useState } from "react";

export interface Pages {
  /** The cursor to send as `after` (null: the first page). */
  after: string | null;
  /** The page shown, from 1. */
  number: number;
  next: (endCursor: string) => void;
  previous: () => void;
}

/** The cursors of the pages opened so far: back is the one before. Another `filtersKey`
 * (what the list is narrowed by) starts again from the first page. */
export function usePages(filtersKey: string): Pages {
  const [opened, setOpened] = useState({ key: filtersKey, cursors: [null] as (string | null)[] });
  // Cursors of other filters are never sent: a new key reads as the first page at once.
  const cursors = opened.key === filtersKey ? opened.cursors : [null];
  return {
    after: cursors[cursors.length - 1],
    number: cursors.length,
    next: (endCursor) => setOpened({ key: filtersKey, cursors: [...cursors, endCursor] }),
    previous: () => setOpened({ key: filtersKey, cursors: cursors.slice(0, -1) }),
  };
}
