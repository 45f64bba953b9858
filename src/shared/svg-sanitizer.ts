/**
 * A strict allow-list sanitizer for floor plans drawn as SVG. The file is parsed by a small XML
 * tokenizer of our own (no DTDs, no entities beyond XML's five and character references), and a new
 * document is written from the elements and attributes on the lists below: what is not understood
 * is not copied. The console then shows the result only as an <img>, where an SVG never runs script
 * nor loads anything: two independent defences.
 *
 *   const { svg, width, height, removed } = sanitizeSvg(text);   // throws SvgRejected
 *   removed;   // ['script element', 'event handler attribute onload', 'external reference', ...]
 */

export class SvgRejected extends Error {
  override name = 'SvgRejected';
}

export interface SanitizedSvg {
  svg: string;
  /** The drawing's size in its own units (viewBox, else width/height). */
  width: number;
  height: number;
  /** What was taken out, in words, each once. */
  removed: string[];
}

const MAX_DEPTH = 64;
const MAX_ELEMENTS = 100_000;
const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

const ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker', 'image',
]);

const ATTRIBUTES = new Set([
  'id', 'class', 'transform', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'width', 'height',
  'viewBox', 'preserveAspectRatio', 'd', 'points', 'pathLength',
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'opacity', 'visibility', 'display', 'color',
  'clip-path', 'clip-rule', 'clipPathUnits', 'mask', 'maskUnits', 'maskContentUnits',
  'marker-start', 'marker-mid', 'marker-end', 'markerWidth', 'markerHeight', 'markerUnits', 'refX', 'refY', 'orient',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'letter-spacing',
  'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust',
  'offset', 'stop-color', 'stop-opacity', 'gradientUnits', 'gradientTransform', 'spreadMethod',
  'patternUnits', 'patternContentUnits', 'patternTransform', 'vector-effect', 'shape-rendering', 'version', 'xml:space',
  'href', 'xlink:href', 'style',
]);

/** CSS properties a style attribute may keep: the presentation attributes above. */
const STYLE_PROPERTIES = new Set([...ATTRIBUTES].filter((a) => /^[a-z-]+$/.test(a) && !['id', 'class', 'transform', 'href', 'style', 'd', 'points', 'version'].includes(a)));

const LOCAL_REF = /^#[A-Za-z_][\w.:-]{0,200}$/;
const DATA_RASTER = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$/;
const URL_FN = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;

interface Frame {
  name: string;
  keep: boolean;
}

export function sanitizeSvg(input: string, maxChars = 4 * 1024 * 1024): SanitizedSvg {
  if (input.length > maxChars) throw new SvgRejected(`the SVG is larger than ${Math.round(maxChars / 1024)} KB`);
  const text = input.replace(/^\uFEFF/, '');
  // Entity expansion ("billion laughs") and external entities both need a DTD: refuse any.
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new SvgRejected('the SVG declares a document type (DTD); such files are refused because their entities can expand without limit or read other files');
  }
  const removed = new Set<string>();
  const out: string[] = [];
  const stack: Frame[] = [];
  let root: { width: number; height: number } | null = null;
  let rootClosed = false;
  let elements = 0;
  let pos = 0;

  const fail = (why: string): never => {
    const line = text.slice(0, pos).split('\n').length;
    throw new SvgRejected(`the SVG is not well-formed XML (line ${line}: ${why})`);
  };
  const keeping = () => stack.every((f) => f.keep);

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt === -1 || lt > pos) {
      const end = lt === -1 ? text.length : lt;
      const raw = text.slice(pos, end);
      if (stack.length === 0) {
        if (raw.trim()) fail('text outside the root element');
      } else if (keeping()) out.push(escapeText(decodeEntities(raw, fail)));
      pos = end;
      continue;
    }
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end === -1) fail('unterminated comment');
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end === -1) fail('unterminated CDATA section');
      if (stack.length === 0) fail('CDATA outside the root element');
      if (keeping()) out.push(escapeText(text.slice(pos + 9, end)));
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end === -1) fail('unterminated processing instruction');
      const target = /^<\?([^\s?]+)/.exec(text.slice(pos, end))?.[1] ?? '';
      // <?xml-stylesheet?> would load a style sheet; every instruction but the declaration is dropped.
      if (target.toLowerCase() !== 'xml') removed.add(`processing instruction ${target.slice(0, 40)}`);
      pos = end + 2;
      continue;
    }
    if (text.startsWith('<!', pos)) fail('unsupported declaration');
    if (text.startsWith('</', pos)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(pos, pos + 300));
      if (!m) fail('malformed end tag');
      const frame = stack.pop();
      if (!frame || frame.name !== m![1]) fail(`end tag </${m![1]}> does not match the open element`);
      if (frame!.keep && keeping()) out.push(`</${frame!.name}>`);
      if (stack.length === 0) rootClosed = true;
      pos += m![0].length;
      continue;
    }
    // A start tag.
    const tag = readStartTag(text, pos, fail);
    pos = tag.end;
    if (rootClosed) fail('a second root element');
    if (++elements > MAX_ELEMENTS) throw new SvgRejected(`the SVG has more than ${MAX_ELEMENTS} elements`);
    if (stack.length >= MAX_DEPTH) throw new SvgRejected(`the SVG nests elements deeper than ${MAX_DEPTH} levels`);
    const parentKeeps = keeping();
    const isRoot = stack.length === 0;
    if (isRoot && tag.name !== 'svg') throw new SvgRejected(`the file is not an SVG image (its root element is <${tag.name.slice(0, 40)}>)`);
    let keep = ELEMENTS.has(tag.name);
    if (!keep && parentKeeps) removed.add(`${tag.name.slice(0, 40)} element`);
    let attrs: string[] = [];
    if (keep && parentKeeps) {
      const kept = filterAttributes(tag.name, tag.attrs, removed);
      if (kept === null) {
        keep = false;
      } else {
        attrs = kept;
        if (isRoot) root = drawingSize(tag.attrs);
      }
    }
    if (keep && parentKeeps) {
      const nsDecl = isRoot ? ` xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}"` : '';
      out.push(`<${tag.name}${nsDecl}${attrs.join('')}${tag.selfClosing ? '/>' : '>'}`);
    }
    if (!tag.selfClosing) stack.push({ name: tag.name, keep });
    else if (isRoot) rootClosed = true;
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed (the file may be cut short)`);
  if (!root) throw new SvgRejected('the file has no <svg> element');
  const size = root as { width: number; height: number };
  if (!(size.width > 0 && size.height > 0)) throw new SvgRejected('the SVG has no usable size: give its <svg> element a viewBox or a width and height');
  return { svg: out.join(''), width: size.width, height: size.height, removed: [...removed] };
}

function readStartTag(text: string, start: number, fail: (why: string) => never): { name: string; attrs: Map<string, string>; selfClosing: boolean; end: number } {
  const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(start, start + 300));
  if (!nameMatch) fail('malformed start tag');
  const name = nameMatch![1]!;
  let pos = start + nameMatch![0].length;
  const attrs = new Map<string, string>();
  const attrRe = /\s+([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
  for (;;) {
    attrRe.lastIndex = pos;
    const m = attrRe.exec(text);
    if (!m) break;
    const attrName = m[1]!;
    if (attrs.has(attrName)) fail(`attribute ${attrName} given twice`);
    attrs.set(attrName, decodeEntities(m[2] ?? m[3] ?? '', fail));
    pos = attrRe.lastIndex;
  }
  const close = /^\s*(\/?)>/.exec(text.slice(pos, pos + 200));
  if (!close) fail(`malformed attributes in <${name}>`);
  return { name, attrs, selfClosing: close![1] === '/', end: pos + close![0].length };
}

function decodeEntities(raw: string, fail: (why: string) => never): string {
  return raw.replace(/&([^;\s&]{0,12});?/g, (all, ent: string) => {
    if (!all.endsWith(';')) fail('a bare & (write &amp;)');
    switch (ent) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ent);
    if (num) {
      const code = num[1] ? parseInt(num[1], 16) : Number(num[2]);
      if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) return String.fromCodePoint(code);
    }
    return fail(`unknown entity &${ent.slice(0, 12)};`);
  });
}

/** The attributes to write, or null when the element itself must go (an image from elsewhere). */
function filterAttributes(element: string, attrs: Map<string, string>, removed: Set<string>): string[] | null {
  const kept: string[] = [];
  for (const [name, value] of attrs) {
    if (/^on/i.test(name)) {
      removed.add(`event handler attribute ${name.toLowerCase().slice(0, 40)}`);
      continue;
    }
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue; // written afresh on the root
    if (!ATTRIBUTES.has(name)) {
      removed.add(`attribute ${name.slice(0, 40)}`);
      continue;
    }
    let v = value;
    if (/javascript:|vbscript:|data:text|expression\s*\(/i.test(v) && !(element === 'image' && (name === 'href' || name === 'xlink:href'))) {
      removed.add('script in an attribute');
      continue;
    }
    if (name === 'href' || name === 'xlink:href') {
      if (element === 'image') {
        if (!DATA_RASTER.test(v)) {
          removed.add('external reference');
          return null;
        }
      } else if (!LOCAL_REF.test(v.trim())) {
        removed.add('external reference');
        continue;
      }
    }
    if (name === 'style') {
      const css = cleanStyle(v, removed);
      if (!css) continue;
      v = css;
    } else if (/url\(/i.test(v) && !onlyLocalUrls(v)) {
      removed.add('external reference');
      continue;
    }
    kept.push(` ${name}="${escapeAttr(v)}"`);
  }
  if (element === 'image' && !attrs.has('href') && !attrs.has('xlink:href')) return null;
  return kept;
}

function onlyLocalUrls(value: string): boolean {
  let ok = true;
  for (const m of value.matchAll(URL_FN)) if (!LOCAL_REF.test(m[2]!.trim())) ok = false;
  // An unbalanced or escaped url( the regex did not read is not trusted either.
  return ok && (value.match(/url\(/gi)?.length ?? 0) === [...value.matchAll(URL_FN)].length;
}

/** Keeps declarations of presentation properties with harmless values; drops the rest. */
function cleanStyle(style: string, removed: Set<string>): string {
  if (/[\\@<>]|\/\*|expression\s*\(|javascript:/i.test(style)) {
    removed.add('style attribute');
    return '';
  }
  const out: string[] = [];
  for (const decl of style.split(';')) {
    const i = decl.indexOf(':');
    if (i === -1) continue;
    const prop = decl.slice(0, i).trim().toLowerCase();
    const value = decl.slice(i + 1).trim();
    if (!STYLE_PROPERTIES.has(prop) || !value) {
      if (prop) removed.add(`style property ${prop.slice(0, 40)}`);
      continue;
    }
    if (/url\(/i.test(value) && !onlyLocalUrls(value)) {
      removed.add('external reference');
      continue;
    }
    out.push(`${prop}:${value}`);
  }
  return out.join(';');
}

function drawingSize(attrs: Map<string, string>): { width: number; height: number } {
  const box = attrs.get('viewBox')?.trim().split(/[\s,]+/).map(Number);
  if (box && box.length === 4 && box.every(Number.isFinite) && box[2]! > 0 && box[3]! > 0) return { width: box[2]!, height: box[3]! };
  const len = (v: string | undefined) => {
    const m = /^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$/.exec(v ?? '');
    return m ? Number(m[1]) : 0;
  };
  return { width: len(attrs.get('width')), height: len(attrs.get('height')) };
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
