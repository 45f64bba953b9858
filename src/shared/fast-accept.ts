/**
 * A quick "is this already exactly what the schema would output?" for the protocol's hot schemas.
 *
 * The renderer's CSP forbids eval, so zod cannot compile its validators there and interprets them
 * instead: about 3 KB of garbage per event at 1,000 events a second, the largest allocator on the
 * alert path. `fastAcceptor(schema)` walks the schema once and builds a plain predicate for the
 * subset of zod the event schemas use (strict objects, strings with length and pattern checks,
 * finite numbers with bounds and integer format, booleans, enums, literals, arrays, optional,
 * unknown). It answers true only when the value is valid *and* zod's output would be a deep copy of
 * it (nothing to default, strip or transform), so the caller may use the value itself. Anything
 * else, including every invalid value, gets false, and the caller asks zod, whose answer (and error
 * text) stays the only verdict on a bad message. Schemas outside the subset get no predicate (null).
 *
 * protocol.fuzz.test.ts checks against zod: whenever the predicate says true, zod accepts and its
 * output deep-equals the value.
 */
import type { z } from 'zod';

export type Acceptor = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  options?: z.ZodType[];
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** The predicate for `schema`, or null when it uses anything outside the subset. */
export function fastAcceptor(schema: z.ZodType): Acceptor | null {
  let accept: Acceptor;
  try {
    accept = build(schema);
  } catch {
    return null;
  }
  // Never throws, whatever the value (a getter, a proxy): an error is a "no", and zod decides.
  return (value) => {
    try {
      return accept(value);
    } catch {
      return false;
    }
  };
}

class Unsupported extends Error {}

function build(schema: z.ZodType): Acceptor {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringAcceptor(def);
    case 'number':
      return numberAcceptor(def);
    case 'boolean':
      if (def.checks?.length) throw new Unsupported();
      return (v) => typeof v === 'boolean';
    case 'unknown':
      return () => true;
    case 'enum': {
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (v) => (typeof v === 'string' || typeof v === 'number') && allowed.has(v);
    }
    case 'literal': {
      const allowed = new Set(def.values ?? []);
      return (v) => allowed.has(v);
    }
    case 'array':
      return arrayAcceptor(def);
    case 'object':
      return objectAcceptor(def);
    case 'union': {
      // Sound only without defaults: then whichever option zod picks outputs the value unchanged.
      if (def.options!.some(hasDefault)) throw new Unsupported('union with defaults');
      const options = def.options!.map(build);
      return (v) => options.some((accept) => accept(v));
    }
    default:
      throw new Unsupported(def.type);
  }
}

function hasDefault(schema: z.ZodType): boolean {
  const def = defOf(schema);
  if (def.type === 'default' || def.type === 'prefault') return true;
  if (def.type === 'optional') return hasDefault(def.innerType!);
  if (def.type === 'array') return hasDefault(def.element!);
  if (def.type === 'union') return def.options!.some(hasDefault);
  if (def.type === 'object') return Object.values(def.shape ?? {}).some(hasDefault);
  return false;
}

/**
 * `schema.safeParse`, answered without zod when the acceptor takes the value (the value itself is
 * the data then). For validators on hot paths; the result is zod's whenever the value is not taken.
 */
export function fastSafeParse<S extends z.ZodType>(schema: S): (value: unknown) => z.ZodSafeParseResult<z.output<S>> {
  const accept = fastAcceptor(schema);
  if (!accept) return (value) => schema.safeParse(value);
  return (value) => (accept(value) ? { success: true, data: value as z.output<S> } : schema.safeParse(value));
}

/** fastSafeParse for each schema of a table (event payloads by type, API outputs by method). */
export function fastSafeParsers<K extends string>(schemas: Record<K, z.ZodType>): Record<K, (value: unknown) => z.ZodSafeParseResult<unknown>> {
  return Object.fromEntries(Object.entries<z.ZodType>(schemas).map(([key, schema]) => [key, fastSafeParse(schema)])) as Record<K, (value: unknown) => z.ZodSafeParseResult<unknown>>;
}

function stringAcceptor(def: Def): Acceptor {
  let min = 0;
  let max = Infinity;
  let pattern: RegExp | null = null;
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'min_length') min = Math.max(min, c.minimum!);
    else if (c.check === 'max_length') max = Math.min(max, c.maximum!);
    else if (c.check === 'string_format' && c.format === 'regex' && c.pattern && !pattern && !c.pattern.global && !c.pattern.sticky) pattern = c.pattern;
    else throw new Unsupported(c.check);
  }
  return (v) => typeof v === 'string' && v.length >= min && v.length <= max && (pattern === null || pattern.test(v));
}

function numberAcceptor(def: Def): Acceptor {
  let int = false;
  let lo = -Infinity;
  let loOpen = false;
  let hi = Infinity;
  let hiOpen = false;
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'number_format' && c.format === 'safeint') int = true;
    else if (c.check === 'greater_than' && c.value! >= lo) [lo, loOpen] = [c.value!, !c.inclusive];
    else if (c.check === 'less_than' && c.value! <= hi) [hi, hiOpen] = [c.value!, !c.inclusive];
    else throw new Unsupported(c.check);
  }
  // No closures or arrays per call: this runs for every number of every event.
  return (v) =>
    typeof v === 'number' && Number.isFinite(v) && (!int || Number.isSafeInteger(v)) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
}

function arrayAcceptor(def: Def): Acceptor {
  let min = 0;
  let max = Infinity;
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'min_length') min = Math.max(min, c.minimum!);
    else if (c.check === 'max_length') max = Math.min(max, c.maximum!);
    else throw new Unsupported(c.check);
  }
  const element = build(def.element!);
  return (v) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) return false;
    for (let i = 0; i < v.length; i++) if (!(i in v) || !element(v[i])) return false;
    return true;
  };
}

function objectAcceptor(def: Def): Acceptor {
  // Only strict objects: zod strips unknown keys of the others, so its output would differ.
  if (def.checks?.length || !def.catchall || defOf(def.catchall).type !== 'never') throw new Unsupported('object');
  const fields: Array<{ key: string; accept: Acceptor; optional: boolean }> = [];
  for (const [key, field] of Object.entries(def.shape ?? {})) {
    const f = defOf(field);
    // A default: fine when the value is there; when it is missing zod adds it, so only zod will do.
    if (f.type === 'optional') fields.push({ key, accept: build(f.innerType!), optional: true });
    else if (f.type === 'default') fields.push({ key, accept: build(f.innerType!), optional: false });
    else fields.push({ key, accept: build(field), optional: false });
  }
  const known = new Set(fields.map((f) => f.key));
  return (v) => {
    if (!isPlainObject(v)) return false;
    let present = 0;
    for (const { key, accept, optional } of fields) {
      if (!Object.hasOwn(v, key)) {
        if (optional) continue;
        return false;
      }
      // An explicit undefined is left to zod (its output may drop the key).
      const value = v[key];
      if (value === undefined || !accept(value)) return false;
      present++;
    }
    // No other keys. for-in (no array allocated, unlike Object.keys) sees the enumerable string
    // keys, which is all a parsed JSON message or a structured clone can have.
    let seen = 0;
    for (const k in v) {
      if (!known.has(k)) return false;
      seen++;
    }
    if (seen !== present) return false;
    return true;
  };
}
