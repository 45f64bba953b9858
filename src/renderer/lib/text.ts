// Text from the backend is data, not markup: React renders it as text, and this strips what could
// still mislead an operator — control characters and bidi overrides that reorder a title.

// C0 and C1 controls, DEL, and the bidi embedding/override/isolate marks (LRE..RLO, LRI..PDI, LRM/RLM/ALM).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/g;

/** One line of inert text: controls become single spaces, runs of whitespace collapse, length is capped. */
export function inlineText(text: string, max = 300): string {
  const clean = text.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
