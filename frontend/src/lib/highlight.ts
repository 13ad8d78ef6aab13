/** A search highlight as the service sends it (HTML-escaped text, matches in <mark>), read as plain text. */

export interface HighlightPart {
  text: string;
  marked: boolean;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
const ENTITY = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g;
const MARK_TAG = /(<mark>|<\/mark>)/;

function character(entity: string): string | undefined {
  if (!entity.startsWith("#")) return NAMED[entity];
  const hex = entity[1] === "x" || entity[1] === "X";
  const code = Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10);
  const usable = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return usable ? String.fromCodePoint(code) : undefined;
}

/** The text an HTML-escaped string stands for; an entity it does not know stays as it is. */
export function unescapeHtml(escaped: string): string {
  return escaped.replace(ENTITY, (whole, entity: string) => character(entity) ?? whole);
}

/** The highlight's runs of text, each marked or not; nothing in it is ever read as markup but <mark>. */
export function highlightParts(highlight: string): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let marked = false;
  for (const piece of highlight.split(MARK_TAG)) {
    if (piece === "<mark>" || piece === "</mark>") marked = piece === "<mark>";
    else if (piece) parts.push({ text: unescapeHtml(piece), marked });
  }
  return parts;
}
