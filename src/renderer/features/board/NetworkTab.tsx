// The school detail panel's Network tab (issue 8, network budget monitor): the link now (live
// monitor), and charts of capacity and each channel against their budgets over a chosen window,
// from the backend's history joined with the live samples, updating every second.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LINK_HISTORY_BUCKET_MS } from '../../../shared/protocol-network';
import { CHANNELS, DEFAULT_BUDGET } from '../../../shared/school-health';
import { describeErrorRef } from '../../lib/errors';
import { useThrottledStore } from '../../lib/use-throttled';
import { formatDuration } from '../dispatch/crews-model';
import { belowBudgetSpans, CHART_WINDOWS, joinSeries, summarize, WINDOW_MS, type ChartWindow } from '../network/chart-model';
import { LinkCharts } from '../network/LinkCharts';
import { LinkStatus } from '../network/LinkStatus';
import { useLinkHistory } from '../network/use-link-history';
import { useTelemetryStore } from '../telemetry/store';
import '../network/network.css';

const NO_SAMPLES: never[] = [];

export function NetworkTab({ schoolId }: { schoolId: string }) {
  const { t } = useTranslation();
  const [win, setWin] = useState<ChartWindow>('live');
  const windowMs = WINDOW_MS[win];
  const { history, loading, error } = useLinkHistory(schoolId, windowMs);
  const live = useThrottledStore(useTelemetryStore, (s) => s.links.get(schoolId)?.history ?? NO_SAMPLES, 1000);
  const lastAt = useTelemetryStore((s) => s.lastAt);
  const budget = history?.budget ?? DEFAULT_BUDGET;
  const to = live.at(-1)?.at ?? lastAt ?? history?.to ?? 0;
  const chart = useMemo(() => {
    const points = joinSeries(history?.points ?? [], live, { to, windowMs, bucketMs: history?.bucketMs ?? LINK_HISTORY_BUCKET_MS, perSample: win === 'live' });
    const spans = belowBudgetSpans(points, budget);
    return { points, spans, summary: summarize(points, spans, budget) };
  }, [history, live, to, windowMs, win, budget]);
  const shownError = error ? describeErrorRef(t, error) : null;

  return (
    <div className="net-tab" data-testid="net-tab" data-window={win}>
      <LinkStatus schoolId={schoolId} />
      <div className="net-tools" role="group" aria-label={t('net.window')}>
        {CHART_WINDOWS.map((w) => (
          <button key={w} type="button" className={`btn btn-quiet${w === win ? ' active' : ''}`} aria-pressed={w === win} data-testid={`net-window-${w}`} onClick={() => setWin(w)}>
            {t(`net.windows.${w}`)}
          </button>
        ))}
        {loading && <span className="net-loading">{t('net.loading')}</span>}
      </div>
      {shownError && (
        <p className="net-error" role="alert" data-testid="net-history-error" title={shownError.detail ?? undefined}>
          {t('net.historyError', { reason: shownError.message })}
        </p>
      )}
      <p className="net-summary" data-testid="net-summary" data-below-ms={chart.summary.belowMs}>
        {chart.points.length === 0
          ? t('net.noData')
          : [
              chart.summary.belowMs === 0
                ? t('net.summary.within')
                : win === 'live'
                  ? t('net.summary.below', { duration: formatDuration(chart.summary.belowMs) })
                  : // A minute point says the minute was mostly below, not for how many seconds.
                    t('net.summary.belowMinutes', { count: Math.round(chart.summary.belowMs / 60_000) }),
              chart.summary.worstMbps !== null ? t('net.summary.worst', { mbps: Math.round(chart.summary.worstMbps) }) : null,
              ...CHANNELS.filter((c) => chart.summary.peak[c].over).map((c) => t('net.summary.channelOver', { channel: t(`net.channel.${c}`), mbps: Math.round(chart.summary.peak[c].mbps), budget: budget[c] })),
            ]
              .filter(Boolean)
              .join(' · ')}
      </p>
      <LinkCharts points={chart.points} spans={chart.spans} budget={budget} from={to - windowMs} to={to} />
    </div>
  );
}
