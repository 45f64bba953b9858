// The Network tab's charts: the link's capacity against its budget, then each channel against its
// own budget, over one window with a shared time axis; below-budget periods shaded on every chart;
// one hover line across all of them with the values at that moment. Plain SVG.
import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { budgetTotal, CHANNELS, type Budget, type Channel } from '../../../shared/school-health';
import { axisMax, bandPath, linePath, nearestPoint, type ChartPoint, type Span } from './chart-model';

const W = 720;
const LEFT = 40;
const RIGHT = 8;
const TOP = 8;

export interface LinkChartsProps {
  points: readonly ChartPoint[];
  spans: readonly Span[];
  budget: Budget;
  from: number;
  to: number;
}

export function LinkCharts({ points, spans, budget, from, to }: LinkChartsProps) {
  const { t, i18n } = useTranslation();
  const [hoverAt, setHoverAt] = useState<number | null>(null);
  const x = (at: number) => LEFT + ((at - from) / Math.max(1, to - from)) * (W - LEFT - RIGHT);
  const hovered = hoverAt === null ? null : nearestPoint(points, hoverAt);
  const time = (at: number, seconds = false) => new Date(at).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) });
  const mbps = (v: number) => t('net.mbps', { mbps: Math.round(v * 10) / 10 });

  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const vx = ((e.clientX - box.left) / Math.max(1, box.width)) * W;
    setHoverAt(from + ((vx - LEFT) / (W - LEFT - RIGHT)) * (to - from));
  };
  const common = { x, from, to, spans, hovered, onMove, onLeave: () => setHoverAt(null), time };

  return (
    <div className="net-charts" data-testid="net-charts">
      <Chart
        {...common}
        name="capacity"
        title={t('net.chart.capacity', { budget: budgetTotal(budget) })}
        height={150}
        budgetMbps={budgetTotal(budget)}
        points={points}
        value={(p) => p.mean}
        band
        axisLabels
      />
      {CHANNELS.map((c) => (
        <Chart key={c} {...common} name={c} title={t(`net.chart.${c}`, { budget: budget[c] })} height={70} budgetMbps={budget[c]} points={points} value={(p) => p[c]} axisLabels={c === 'education'} />
      ))}
      {hovered && (
        <div className="net-tooltip" data-testid="net-tooltip" role="status">
          <strong>{time(hovered.at, hovered.spanMs < 60_000)}</strong>
          <span>
            {t('net.tip.capacity')}: {hovered.min === hovered.max ? mbps(hovered.mean) : t('net.tip.range', { min: mbps(hovered.min), mean: mbps(hovered.mean), max: mbps(hovered.max) })}
          </span>
          {CHANNELS.map((c: Channel) => (
            <span key={c} className={hovered[c] > budget[c] ? 'over' : undefined}>
              {t(`net.channel.${c}`)}: {mbps(hovered[c])} / {budget[c]}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

interface ChartProps {
  name: string;
  title: string;
  height: number;
  budgetMbps: number;
  points: readonly ChartPoint[];
  value(p: ChartPoint): number;
  band?: boolean;
  axisLabels?: boolean;
  x(at: number): number;
  from: number;
  to: number;
  spans: readonly Span[];
  hovered: ChartPoint | null;
  onMove(e: MouseEvent<SVGSVGElement>): void;
  onLeave(): void;
  time(at: number): string;
}

function Chart(p: ChartProps) {
  const bottom = p.axisLabels ? 18 : 4;
  const h = p.height;
  const top = axisMax(
    p.points.map((q) => (p.band ? q.max : p.value(q))),
    p.budgetMbps,
  );
  const y = (v: number) => TOP + (1 - Math.min(v, top) / top) * (h - TOP - bottom);
  const worst = p.points.reduce((m, q) => Math.min(m, p.band ? q.min : p.value(q)), Infinity);
  const ticks = Array.from({ length: 5 }, (_, i) => p.from + (i * (p.to - p.from)) / 4);
  return (
    <figure className="net-chart" data-testid={`net-chart-${p.name}`} data-points={p.points.length} data-worst={Number.isFinite(worst) ? Math.round(worst * 10) / 10 : ''}>
      <figcaption>{p.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${h}`} width="100%" onMouseMove={p.onMove} onMouseLeave={p.onLeave} role="img" aria-label={p.title}>
        {p.spans.map((s) => (
          <rect key={s.from} className="net-below" data-testid="net-below-span" x={p.x(Math.max(s.from, p.from))} width={Math.max(2, p.x(Math.min(s.to, p.to)) - p.x(Math.max(s.from, p.from)))} y={TOP} height={h - TOP - bottom} />
        ))}
        <line className="net-axis" x1={LEFT} x2={W - RIGHT} y1={h - bottom} y2={h - bottom} />
        <text className="net-label" x={LEFT - 4} y={y(top) + 8} textAnchor="end">
          {top}
        </text>
        <text className="net-label" x={LEFT - 4} y={h - bottom} textAnchor="end">
          0
        </text>
        <line className="net-budget" x1={LEFT} x2={W - RIGHT} y1={y(p.budgetMbps)} y2={y(p.budgetMbps)} />
        <text className="net-label net-budget-label" x={LEFT - 4} y={y(p.budgetMbps) + 3} textAnchor="end">
          {p.budgetMbps}
        </text>
        {p.band && <path className="net-band" d={bandPath(p.points, p.x, y)} />}
        <path className={`net-line net-line-${p.name}`} d={linePath(p.points, p.x, y, p.value)} />
        {p.axisLabels &&
          ticks.map((at, i) => (
            <text key={at} className="net-label" x={p.x(at)} y={h - 4} textAnchor={i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}>
              {p.time(at)}
            </text>
          ))}
        {p.hovered && (
          <>
            <line className="net-hover" x1={p.x(p.hovered.at + p.hovered.spanMs / 2)} x2={p.x(p.hovered.at + p.hovered.spanMs / 2)} y1={TOP} y2={h - bottom} />
            <circle className="net-dot" cx={p.x(p.hovered.at + p.hovered.spanMs / 2)} cy={y(p.value(p.hovered))} r={3} />
          </>
        )}
      </svg>
    </figure>
  );
}
