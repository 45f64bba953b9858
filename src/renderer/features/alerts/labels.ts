// How an alert is named on screen; shared by the queue, the notices and the wall.
import type { TFunction } from 'i18next';
import type { AlertView } from '../../../shared/alerts';
import type { AlertType } from '../../../shared/domain';
import { inlineText } from '../../lib/text';

export function alertTypeName(t: TFunction, alert: Pick<AlertView, 'type' | 'recognized'>): string {
  return alert.recognized ? t(`alertType.${alert.type as AlertType}`) : t('alertType.unrecognized', { type: inlineText(alert.type, 64) });
}
