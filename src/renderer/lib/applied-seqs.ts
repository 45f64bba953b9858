// A set of sequence numbers of one stream, kept per window: backend-client.ts keeps two, what the
// window has shown (applied to its stores) and what it has journaled (append resolved).
//
// The journal is shared: in browser mode every window of the console host, in Electron every wall
// window, journals the same stream into the same store. Whichever window journals an event first
// gets it back as `inserted`; the others get a duplicate. So "inserted" cannot decide what a window
// shows: a window shows an event it has not shown itself. And it resubscribes from what it has
// journaled itself (inserted or duplicate), not from the shared journal cursor, or it would skip
// what another window journaled while it was disconnected.
export class AppliedSeqs {
  private above = new Set<number>();

  /** Everything up to and including `contiguous` is reflected (e.g. loaded from alerts.list). */
  constructor(private floor = 0) {}

  get contiguous(): number {
    return this.floor;
  }

  has(seq: number): boolean {
    return seq <= this.floor || this.above.has(seq);
  }

  /** Applied numbers above a missing one: events arrived out of order or one was lost. */
  get hasGap(): boolean {
    return this.above.size > 0;
  }

  /**
   * Forgets applied numbers above what the backend says it has: they came from outside its log
   * (a raw injection, another instance) and would otherwise hold a gap open forever.
   */
  dropAbove(latestSeq: number): void {
    for (const seq of this.above) if (seq > latestSeq) this.above.delete(seq);
  }

  /** Marks a sequence number applied; false when it already was. */
  add(seq: number): boolean {
    if (this.has(seq)) return false;
    this.above.add(seq);
    while (this.above.delete(this.floor + 1)) this.floor++;
    return true;
  }
}
