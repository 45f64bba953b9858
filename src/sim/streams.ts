/**
 * Streams, routing and publishing. Every event goes to the city stream; an event of a known
 * school also goes to that school's stream. Each stream has its own sequence, and each envelope
 * gets its own id:
 *
 *   stream  `${backendId}/city`            id `${backendId}:city:${seq}`
 *           `${backendId}/school:${id}`    id `${backendId}:school:${id}:${seq}`
 *
 * So one incident in GYM1 is two envelopes (city seq 812, school:GYM1 seq 40) with different ids;
 * ids are unique across streams and instances, and stable (derived from the persisted seq).
 * Injected events that bring their own id keep it in every stream they reach.
 *
 *   const publisher = new Publisher({ backendId, log, state, knownSchool, deliver, now });
 *   publisher.publish([{ type: 'device.status', v: 1, schoolId: 'GYM1', payload }]);
 */
import { EventEnvelope } from '../shared/protocol';
import type { Scope } from '../shared/domain';
import type { EventLog, AppendItem } from './event-log';
import type { SimState } from './state';

export function cityStream(backendId: string): string {
  return `${backendId}/city`;
}

export function schoolStream(backendId: string, schoolId: string): string {
  return `${backendId}/school:${schoolId}`;
}

export function streamForScope(backendId: string, scope: Scope): string {
  return scope.kind === 'city' ? cityStream(backendId) : schoolStream(backendId, scope.schoolId);
}

export interface EventDraft {
  type: string;
  v: number;
  payload: unknown;
  /** The envelope's top-level schoolId (omitted when undefined). */
  schoolId?: string;
  /** The school whose stream also gets the event; defaults to schoolId. */
  routeSchoolId?: string;
  /** Explicit target streams, instead of routing by school. */
  streams?: string[];
  id?: string;
  ts?: string;
}

export interface PublisherDeps {
  backendId: string;
  log: EventLog;
  state: SimState;
  knownSchool: (schoolId: string) => boolean;
  /** Sends envelopes (in seq order) to the live subscribers of a stream. */
  deliver: (stream: string, events: EventEnvelope[]) => void;
  now: () => number;
}

/**
 * Live events go out at most once per this window, so a flood reaches each console as a few large
 * 'events' batches instead of thousands of messages. The window only holds events back while it is
 * open: the first events after a quiet spell go out at the end of the turn that published them
 * (everything published in that turn together), so a lone alert is not delayed 10 ms for nothing.
 */
export const DELIVERY_WINDOW_MS = 10;
const DELIVERY_BATCH = 500;

export class Publisher {
  private readonly pending = new Map<string, EventEnvelope[]>();
  /** Cancels the scheduled delivery, if one is scheduled. */
  private timer: (() => void) | null = null;
  /** When the last delivery went out (performance.now()). */
  private deliveredAt = -Infinity;

  constructor(private readonly deps: PublisherDeps) {}

  /**
   * Sends everything still pending. The hub calls this before replaying to a new socket, so the
   * replay (from the log) and the live room never overlap or leave a gap.
   */
  flush(): void {
    this.timer?.();
    this.timer = null;
    this.deliveredAt = performance.now();
    for (const [stream, events] of this.pending) {
      for (let i = 0; i < events.length; i += DELIVERY_BATCH) this.deps.deliver(stream, events.slice(i, i + DELIVERY_BATCH));
    }
    this.pending.clear();
  }

  routes(draft: Pick<EventDraft, 'schoolId' | 'routeSchoolId' | 'streams'>): string[] {
    if (draft.streams) return draft.streams;
    const city = cityStream(this.deps.backendId);
    const school = draft.routeSchoolId ?? draft.schoolId;
    return school !== undefined && this.deps.knownSchool(school) ? [city, schoolStream(this.deps.backendId, school)] : [city];
  }

  /** Builds the envelope a draft gets in a stream; used to validate before publishing. */
  envelope(draft: EventDraft, stream: string, seq: number): EventEnvelope {
    const key = stream.startsWith(`${this.deps.backendId}/`) ? stream.slice(this.deps.backendId.length + 1) : stream;
    const e: EventEnvelope = {
      id: draft.id ?? `${this.deps.backendId}:${key}:${seq}`,
      stream,
      seq,
      ts: draft.ts ?? new Date(this.deps.now()).toISOString(),
      type: draft.type,
      v: draft.v,
      payload: draft.payload,
    };
    if (draft.schoolId !== undefined) e.schoolId = draft.schoolId;
    return e;
  }

  /** Appends durably and updates state now, delivers shortly; returns every envelope (all streams) in order. */
  publish(drafts: readonly EventDraft[]): EventEnvelope[] {
    const items: AppendItem[] = [];
    for (const draft of drafts) {
      for (const stream of this.routes(draft)) {
        // Checked before anything is appended, so a bad draft never leaves half an incident behind.
        if (!EventEnvelope.safeParse(this.envelope(draft, stream, 1)).success) throw new Error(`refusing to publish an invalid ${draft.type} envelope`);
        items.push({ stream, make: (seq) => this.envelope(draft, stream, seq) });
      }
    }
    const envelopes = this.deps.log.append(items);
    for (const e of envelopes) {
      this.deps.state.apply(e);
      const list = this.pending.get(e.stream);
      if (list) list.push(e);
      else this.pending.set(e.stream, [e]);
    }
    // Real time on purpose: delivery must not wait for a test's ManualClock.
    if (envelopes.length > 0 && !this.timer) {
      const wait = this.deliveredAt + DELIVERY_WINDOW_MS - performance.now();
      if (wait > 0) {
        const t = setTimeout(() => this.flush(), wait);
        this.timer = () => clearTimeout(t);
      } else {
        const t = setImmediate(() => this.flush());
        this.timer = () => clearImmediate(t);
      }
    }
    return envelopes;
  }
}
