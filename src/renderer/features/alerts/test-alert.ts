// An alert view for unit tests of the queue's logic: a recognized, new alert at a fixed time.
import { WORKFLOW_DEFAULTS, type AlertView } from '../../../shared/alerts';

export const T0 = Date.parse('2026-03-02T08:00:00.000Z');

export function testAlert(id: string, over: Partial<AlertView> = {}): AlertView {
  return {
    id,
    type: 'intrusion',
    recognized: true,
    priority: 2,
    status: 'new',
    schoolId: 'S1',
    title: id,
    details: null,
    cameraIds: [],
    deviceId: null,
    sourceTs: '',
    badTimestamp: false,
    receivedAt: '',
    at: new Date(T0).toISOString(),
    ackBy: null,
    ackAt: null,
    drill: false,
    lastSeq: 1,
    ...WORKFLOW_DEFAULTS,
    ...over,
  };
}

export const byIdOf = (alerts: AlertView[]) => new Map(alerts.map((a) => [a.id, a]));
