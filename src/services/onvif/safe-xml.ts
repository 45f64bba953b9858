/**
 * Parsing XML that came off the network. Documents with a DTD are refused before the parser sees
 * them (entity expansion), sizes are bounded, and the parser's result is plain data.
 *
 *   const doc = parseUntrustedXml(text);   // throws XmlRejected
 *   const el = firstDescendant(doc, 'ProbeMatch');
 */
import xml2js from 'xml2js';

export class XmlRejected extends Error {
  override name = 'XmlRejected';
}

export type XmlNode = { [name: string]: XmlNode[] | string | Record<string, string> | undefined; _?: string; $?: Record<string, string> };

export function parseUntrustedXml(text: string, maxBytes = 64 * 1024): XmlNode {
  if (text.length > maxBytes) throw new XmlRejected(`document larger than ${maxBytes} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlRejected('document type declarations are not accepted');
  let out: XmlNode | null = null;
  let failure: unknown = null;
  // xml2js calls back synchronously when `async` is off.
  xml2js.parseString(
    text,
    { explicitArray: true, explicitRoot: true, strict: true, async: false, tagNameProcessors: [xml2js.processors.stripPrefix], attrNameProcessors: [xml2js.processors.stripPrefix] },
    (err, result) => {
      if (err) failure = err;
      else out = result as XmlNode;
    },
  );
  if (failure !== null) throw new XmlRejected(`not well-formed XML: ${String((failure as Error).message ?? failure).split('\n')[0]}`);
  if (out === null || typeof out !== 'object') throw new XmlRejected('empty document');
  return out;
}

/** Children named `name` (namespace prefixes already stripped). */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  // The root element is an object, not a list, in xml2js's output.
  if (v && typeof v === 'object' && !Array.isArray(v) && name !== '$') return [v as XmlNode];
  if (!Array.isArray(v)) return [];
  return v.map((c) => (typeof c === 'string' ? { _: c } : c));
}

/** Depth-first search for elements named `name`, bounded in depth and count. */
export function descendants(node: XmlNode | undefined, name: string, maxDepth = 12, limit = 64): XmlNode[] {
  const found: XmlNode[] = [];
  const walk = (n: XmlNode, depth: number) => {
    if (depth > maxDepth || found.length >= limit) return;
    for (const [key, value] of Object.entries(n)) {
      if (key === '$' || key === '_' || !Array.isArray(value)) continue;
      for (const child of value) {
        const c: XmlNode = typeof child === 'string' ? { _: child } : child;
        if (key === name) found.push(c);
        if (found.length >= limit) return;
        walk(c, depth + 1);
      }
    }
  };
  if (node) walk(node, 0);
  return found;
}

export function textOf(node: XmlNode | undefined, maxLength = 4096): string {
  if (!node) return '';
  const t = typeof node._ === 'string' ? node._ : '';
  return t.trim().slice(0, maxLength);
}

export function firstText(node: XmlNode | undefined, name: string, maxLength = 4096): string {
  return textOf(descendants(node, name, 12, 1)[0], maxLength);
}
