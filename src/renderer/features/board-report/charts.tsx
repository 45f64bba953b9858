// Chart images for the duty officer's report: plain SVG with its colours in attributes (no CSS), so
// the same element prints, saves as an .svg file that stands alone, and rasterises to PNG.
import { forwardRef, type ReactNode } from 'react';

const W = 560;
const INK = '#111827';
const GRID = '#d1d5db';

function scoreColour(v: number): string {
  return v >= 85 ? '#15803d' : v >= 60 ? '#b45309' : '#b91c1c';
}

export interface Bar {
  label: string;
  value: number | null;
}

/** A white chart of the report's width with its title; the chart draws below y = 34. */
const ChartFrame = forwardRef<SVGSVGElement, { title: string; testId: string; height: number; children: ReactNode }>(function ChartFrame({ title, testId, height, children }, ref) {
  return (
    <svg ref={ref} xmlns="http://www.w3.org/2000/svg" width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img" aria-label={title} data-testid={testId} fontFamily="sans-serif" fontSize={12}>
      <rect width={W} height={height} fill="#ffffff" />
      <text x={10} y={20} fontSize={14} fontWeight="bold" fill={INK}>
        {title}
      </text>
      {children}
    </svg>
  );
});

/** Horizontal bars on a 0..100 scale, one per label (district names can be long). */
export const ScoreBars = forwardRef<SVGSVGElement, { title: string; bars: readonly Bar[]; testId: string }>(function ScoreBars({ title, bars, testId }, ref) {
  const row = 26;
  const left = 170;
  const top = 34;
  const width = W - left - 50;
  const h = top + bars.length * row + 26;
  const x = (v: number) => left + (width * v) / 100;
  return (
    <ChartFrame ref={ref} title={title} testId={testId} height={h}>
      {[0, 25, 50, 75, 100].map((v) => (
        <g key={v}>
          <line x1={x(v)} x2={x(v)} y1={top - 4} y2={h - 22} stroke={GRID} />
          <text x={x(v)} y={h - 8} textAnchor="middle" fill={INK}>
            {v}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y = top + i * row;
        return (
          <g key={`${b.label}-${i}`} data-label={b.label} data-value={b.value ?? ''}>
            <text x={left - 8} y={y + row / 2 + 4} textAnchor="end" fill={INK}>
              {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
            </text>
            {b.value !== null && (
              <>
                <rect x={left} y={y + 4} width={Math.max(1, x(b.value) - left)} height={row - 8} fill={scoreColour(b.value)} />
                <text x={x(b.value) + 4} y={y + row / 2 + 4} fill={INK}>
                  {b.value}
                </text>
              </>
            )}
          </g>
        );
      })}
    </ChartFrame>
  );
});

/** Columns for the count of schools per tenth of the score (0-9 ... 90-100). */
export const ScoreHistogram = forwardRef<SVGSVGElement, { title: string; counts: readonly number[]; testId: string }>(function ScoreHistogram({ title, counts, testId }, ref) {
  const h = 220;
  const top = 34;
  const bottom = h - 24;
  const left = 36;
  const slot = (W - left - 10) / counts.length;
  const max = Math.max(1, ...counts);
  const y = (n: number) => bottom - ((bottom - top) * n) / max;
  return (
    <ChartFrame ref={ref} title={title} testId={testId} height={h}>
      <line x1={left} x2={W - 10} y1={bottom} y2={bottom} stroke={INK} />
      <text x={left - 6} y={top + 4} textAnchor="end" fill={INK}>
        {max}
      </text>
      {counts.map((n, i) => (
        <g key={i} data-bucket={i * 10} data-count={n}>
          <rect x={left + i * slot + 3} y={y(n)} width={slot - 6} height={bottom - y(n)} fill={scoreColour(i * 10 + 5)} />
          {n > 0 && (
            <text x={left + i * slot + slot / 2} y={y(n) - 4} textAnchor="middle" fill={INK}>
              {n}
            </text>
          )}
          <text x={left + i * slot + slot / 2} y={h - 8} textAnchor="middle" fill={INK}>
            {i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`}
          </text>
        </g>
      ))}
    </ChartFrame>
  );
});

/** The chart as a standalone SVG document. */
export function svgText(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

/** The chart drawn at twice its size into a PNG. */
export function svgToPng(svg: SVGSVGElement): Promise<Blob> {
  const w = svg.width.baseVal.value;
  const h = svg.height.baseVal.value;
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  return new Promise<Blob>((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = w * 2;
      canvas.height = h * 2;
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2d canvas'));
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, w, h);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the chart could not be encoded as PNG'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the chart image could not be drawn'));
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}
