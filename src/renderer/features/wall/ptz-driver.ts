// Turns a stream of wanted PTZ velocities (a drag, held keys) into the fewest console API calls:
// one call in flight at a time, intermediate wishes collapsed to the latest, a stop always sent
// after a move, and a held move renewed before the services' dead-man stops the camera.

export interface PtzVelocity {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface PtzSender {
  move(v: PtzVelocity): Promise<void>;
  stop(): Promise<void>;
}

export interface PtzDriver {
  /** Move at this velocity (all zero: stop). */
  set(v: PtzVelocity): void;
  stop(): void;
  dispose(): void;
}

/** Well inside the services' 10 s dead-man. */
export const PTZ_RENEW_MS = 4_000;
const STEP = 0.05;

function quantize(v: PtzVelocity): PtzVelocity | null {
  const q = (x: number) => Number(Math.max(-1, Math.min(1, Math.round(x / STEP) * STEP)).toFixed(2)) || 0;
  const out = { pan: q(v.pan), tilt: q(v.tilt), zoom: q(v.zoom) };
  return out.pan === 0 && out.tilt === 0 && out.zoom === 0 ? null : out;
}

function same(a: PtzVelocity | null, b: PtzVelocity | null): boolean {
  if (a === null || b === null) return a === b;
  return a.pan === b.pan && a.tilt === b.tilt && a.zoom === b.zoom;
}

export function createPtzDriver(sender: PtzSender, opts: { renewMs?: number; onError?: (e: unknown) => void } = {}): PtzDriver {
  const renewMs = opts.renewMs ?? PTZ_RENEW_MS;
  let want: PtzVelocity | null = null;
  /** What the camera was last told; null: stopped. */
  let told: PtzVelocity | null = null;
  let busy = false;
  let renewTimer: ReturnType<typeof setInterval> | null = null;

  const send = async (target: PtzVelocity | null) => {
    try {
      if (target) await sender.move(target);
      else await sender.stop();
    } catch (e) {
      opts.onError?.(e);
    }
    // Even a failed call counts as told: retrying in a loop would hammer a refusing camera.
    told = target;
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (!same(want, told)) await send(want);
    } finally {
      busy = false;
    }
  };

  const armRenew = () => {
    if (renewTimer) clearInterval(renewTimer);
    renewTimer = null;
    if (!want) return;
    renewTimer = setInterval(() => {
      if (want && !busy) {
        busy = true;
        void send(want).finally(() => {
          busy = false;
          void pump();
        });
      }
    }, renewMs);
  };

  return {
    set(v) {
      const next = quantize(v);
      if (same(next, want)) return;
      want = next;
      armRenew();
      void pump();
    },
    stop() {
      want = null;
      armRenew();
      void pump();
    },
    dispose() {
      want = null;
      armRenew();
      void pump();
    },
  };
}
