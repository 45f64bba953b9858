import { useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../lib/clock';
import { useScrollViewport, windowRange } from '../../lib/use-scroll-window';
import { useLinkStore } from '../link/store';
import { AlertDetail } from './AlertDetail';
import { AlertRow, ROW_HEIGHT } from './AlertRow';
import { AlertSound } from './AlertSound';
import { BurstRow } from './BurstRow';
import { filterQueue, useQueueFilter } from './filters';
import { QueueFilters } from './QueueFilters';
import { queueRows } from './queue-rows';
import { selectOrder, selectSelectedId, useAlertsStore } from './store';
import { useCatalogStore } from '../catalog/store';
import { useSessionStore } from '../session/store';
import './alerts.css';

/**
 * Up to this many rows are all in the DOM; beyond, only the visible ones (plus overscan) are.
 * Low, because mounting rows is what a filter change costs (bench:alerts --filters): 200 rows
 * took ~70 ms on 2 busy cores, a window of ~30 a few.
 */
export const WINDOW_THRESHOLD = 60;
const OVERSCAN = 6;

export function AlertQueue() {
  const { t } = useTranslation();
  // Rendered every frame under a flood: the fixed labels are translated once per language.
  const labels = useMemo(
    () => ({ title: t('alerts.title'), outboxTitle: t('alerts.outboxTitle'), gap: t('link.gap'), empty: t('alerts.empty'), noMatch: t('filters.noMatch'), list: t('alerts.listLabel') }),
    [t],
  );
  // One array, changed in place: orderVersion says when (store.ts).
  const order = useAlertsStore(selectOrder);
  const orderVersion = useAlertsStore((s) => s.orderVersion);
  const selectedId = useAlertsStore(selectSelectedId);
  const select = useAlertsStore((s) => s.select);
  const outboxWaiting = useLinkStore((s) => s.outboxWaiting);
  const gap = useLinkStore((s) => s.gap);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, measureViewport] = useScrollViewport(scrollRef);
  const focusPending = useRef<string | null>(null);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const filter = useQueueFilter((s) => s.filter);
  const me = useSessionStore((s) => s.session?.login.user.id ?? null);
  const schools = useCatalogStore((s) => s.index?.schools ?? null);
  // Filtering and grouping depend on the queue's members and, for the owner and status filters,
  // on workflow fields: with such a filter on, every alert change re-filters (one cheap pass).
  const workflowVersion = useAlertsStore((s) => (filter.owner !== 'all' || filter.status !== 'all' ? s.version : 0));
  // The age filter moves with the clock, in 10-second steps; without it the clock changes nothing.
  const clock = useNow();
  const now = filter.age === 'all' ? 0 : clock - (clock % 10_000);
  const view = useMemo(
    () => filterQueue(order, useAlertsStore.getState().byId, filter, { me, schools, now }),
    // workflowVersion: with an owner or status filter, a claim or an acknowledgement re-filters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [order, orderVersion, workflowVersion, filter, me, schools, now],
  );
  // Grouping depends only on fields an alert never changes (type, device, school, time), so it is
  // updated when alerts enter or leave the view, not on every status change. The queue's own order
  // is followed frame by frame from what entered and left (queue-rows.ts), also while a filter
  // shows another list, so clearing the filter costs nothing; a filtered or re-sorted list is
  // grouped in one pass (correlate.ts).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const all = useMemo(() => queueRows(order, useAlertsStore.getState().byId, expanded), [order, orderVersion, expanded]);
  const rows = useMemo(() => (view.ids === order ? all : queueRows(view.ids, useAlertsStore.getState().byId, expanded)), [view, order, all, expanded]);
  const toggle = useCallback(
    (groupId: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(groupId)) next.add(groupId);
        return next;
      }),
    [],
  );
  const windowed = rows.length > WINDOW_THRESHOLD;
  const { first, last } = windowed ? windowRange(viewport, { rowHeight: ROW_HEIGHT, count: rows.length, overscan: OVERSCAN }) : { first: 0, last: rows.length };
  const visible: number[] = [];
  for (let j = first; j < last; j++) visible.push(j);
  const selectedRow = useMemo(() => (selectedId !== null ? rows.indexOf(selectedId) : -1), [rows, selectedId]);
  const tabStopId = selectedRow >= 0 ? selectedId : rows.length > 0 ? rows.idAt(0) : null;

  const onSelect = useCallback((id: string) => select(id), [select]);

  // Keyboard selection moves focus to the newly selected row once it is rendered.
  useLayoutEffect(() => {
    const id = focusPending.current;
    if (!id || !scrollRef.current) return;
    const button = [...scrollRef.current.querySelectorAll<HTMLButtonElement>('button.alert-main')].find((b) => b.dataset.alertId === id);
    if (button) {
      focusPending.current = null;
      button.focus({ preventScroll: true });
    }
  });

  const moveTo = (index: number) => {
    const el = scrollRef.current;
    if (!el || rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const id = rows.idAt(i);
    const top = i * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    focusPending.current = id;
    select(id);
    measureViewport();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).classList.contains('btn-ack')) return;
    const current = selectedRow;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const target =
      e.key === 'ArrowDown' ? current + 1
      : e.key === 'ArrowUp' ? (current < 0 ? 0 : current - 1)
      : e.key === 'PageDown' ? current + page
      : e.key === 'PageUp' ? current - page
      : e.key === 'Home' ? 0
      : e.key === 'End' ? rows.length - 1
      : null;
    if (e.key === 'Escape' && selectedId) {
      e.preventDefault();
      select(null);
      return;
    }
    if (target === null) return;
    e.preventDefault();
    moveTo(target);
  };

  return (
    <div className="alert-queue">
      <div className="area-header">
        <h2 className="area-title" id="alert-queue-title">
          {labels.title}
        </h2>
        <span className="alert-count-slot">
          <span className="area-meta alert-count" data-testid="alert-count" data-count={order.length}>
            {t('alerts.count', { count: order.length })}
          </span>
        </span>
        {outboxWaiting > 0 && (
          <span className="area-meta outbox-waiting" data-testid="outbox-waiting" data-count={outboxWaiting} title={labels.outboxTitle}>
            {t('alerts.outbox', { count: outboxWaiting })}
          </span>
        )}
        {gap && (
          <span className="area-meta link-gap" data-testid="link-gap">
            {labels.gap}
          </span>
        )}
        <AlertSound />
      </div>
      <QueueFilters shown={view.ids.length} total={order.length} hiddenCritical={view.hiddenCritical} />
      <div className="alert-scroll" ref={scrollRef} onKeyDown={onKeyDown} data-testid="alert-scroll">
        {order.length === 0 ? (
          <p className="empty" data-testid="alert-empty">
            {labels.empty}
          </p>
        ) : rows.length === 0 ? (
          <p className="empty" data-testid="alert-none-match">
            {labels.noMatch}
          </p>
        ) : (
          <ol className="alert-list" aria-label={labels.list} data-windowed={String(windowed)} data-rows={rows.length} style={{ height: rows.length * ROW_HEIGHT }}>
            {first > 0 && <li className="alert-spacer" aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
            {visible.map((j) => {
              const row = rows.row(j);
              return row.kind === 'burst' ? (
                <BurstRow key={row.id} row={row} onToggle={toggle} />
              ) : (
                <AlertRow key={row.id} id={row.id} count={row.count} selected={row.id === selectedId} tabStop={row.id === tabStopId} onSelect={onSelect} />
              );
            })}
            {last < rows.length && <li className="alert-spacer" aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }} />}
          </ol>
        )}
      </div>
      <AlertDetail />
    </div>
  );
}
