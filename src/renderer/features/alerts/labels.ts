// How an alert is named on screen; shared by the queue, the notices and the wall.
import type { TFunction } from 'i18next';
import { unreadableKind, type AlertView } from '../../../shared/alerts';
import type { AlertType } from '../../../shared/domain';
import { inlineText } from '../../lib/text';

export function alertTypeName(t: TFunction, alert: Pick<AlertView, 'id' | 'type' | 'recognized'>): string {
  const unreadable = unreadableKind(alert);
  if (unreadable === null) return t(`alertType.${alert.type as AlertType}`);
  return t(unreadable === 'rejected' ? 'alertType.rejected' : 'alertType.unrecognized', { type: inlineText(alert.type, 64) });
}
