// A school's link as the console's own monitor sees it now (features/telemetry: LinkMonitor over
// the live samples): within budget, or below it since when, for how long, how far, and the worst
// value of the period. Shown in the Network tab and in a below-budget alert's detail, so the
// operator reads the duration and the deficit live rather than the figures the alert was raised with.
import { useTranslation } from 'react-i18next';
import { budgetTotal, DEFAULT_BUDGET } from '../../../shared/school-health';
import { formatDuration } from '../dispatch/crews-model';
import { useTelemetryStore } from '../telemetry/store';

export function LinkStatus({ schoolId }: { schoolId: string }) {
  const { t, i18n } = useTranslation();
  const link = useTelemetryStore((s) => s.links.get(schoolId));
  const budget = budgetTotal(DEFAULT_BUDGET);
  const state = link?.state;
  const now = link?.history.at(-1)?.linkMbps;
  if (!state || state.state === 'unknown' || now === undefined) {
    return (
      <p className="net-status unknown" data-testid="net-link-state" data-state="unknown">
        {t('net.state.unknown')}
      </p>
    );
  }
  if (state.state === 'ok') {
    return (
      <p className="net-status ok" data-testid="net-link-state" data-state="ok">
        {t('net.state.ok', { mbps: Math.round(now), budget })}
      </p>
    );
  }
  return (
    <p className="net-status below" data-testid="net-link-state" data-state="below_budget" data-deficit={Math.round(state.deficitMbps)} data-worst={state.worstMbps}>
      {t('net.state.below', {
        duration: formatDuration(state.forMs ?? 0),
        since: state.since !== undefined ? new Date(state.since).toLocaleTimeString(i18n.language) : '—',
        mbps: Math.round(now),
        deficit: Math.round(state.deficitMbps),
        budget,
        worst: Math.round(state.worstMbps ?? now),
      })}
    </p>
  );
}
