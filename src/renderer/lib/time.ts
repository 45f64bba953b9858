// Age of an alert, split into the units the queue shows. Formatting words live in the locales.

export type AgeParts =
  | { unit: 'seconds'; count: number }
  | { unit: 'minutes'; count: number }
  | { unit: 'hours'; hours: number; minutes: number }
  | { unit: 'days'; count: number };

/** Negative ages (source clock ahead of ours) count as zero. */
export function ageParts(fromMs: number, nowMs: number): AgeParts {
  const s = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (s < 60) return { unit: 'seconds', count: s };
  const m = Math.floor(s / 60);
  if (m < 60) return { unit: 'minutes', count: m };
  const h = Math.floor(m / 60);
  if (h < 48) return { unit: 'hours', hours: h, minutes: m % 60 };
  return { unit: 'days', count: Math.floor(h / 24) };
}
