// Render time of one component's updates, for the benchmarks (bench/board.ts). Off unless the paint
// probe is on (localStorage 'kuzet.paintProbe' = '1'); then every commit of the component pushes to
// globalThis.__kuzetRender[name]: `render` = from the component's render starting to its layout
// effects (its subtree rendered and the DOM changed), `toPaint` = from the render starting to the
// end of the frame that painted it.
import { useLayoutEffect } from 'react';
import { probeEnabled } from './paint-probe';

interface RenderSamples {
  render: number[];
  toPaint: number[];
}

function renderStart(): number {
  return performance.now();
}

export function useRenderProbe(name: string): void {
  const t0 = probeEnabled ? renderStart() : 0;
  useLayoutEffect(() => {
    if (!probeEnabled) return;
    const g = globalThis as { __kuzetRender?: Record<string, RenderSamples> };
    const samples = ((g.__kuzetRender ??= {})[name] ??= { render: [], toPaint: [] });
    samples.render.push(performance.now() - t0);
    requestAnimationFrame(() => setTimeout(() => samples.toPaint.push(performance.now() - t0), 0));
  });
}
