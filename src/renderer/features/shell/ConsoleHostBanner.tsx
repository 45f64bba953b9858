import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { consoleClient } from '../../lib/console-api';

/** Browser mode only: the WebSocket to the console host dropped and is being re-established. */
export function ConsoleHostBanner() {
  const { t } = useTranslation();
  const client = consoleClient();
  const status = useSyncExternalStore(client.onTransportStatus, client.transportStatus);
  if (status !== 'closed') return null;
  return (
    <div className="host-banner" role="alert" data-testid="console-host-lost">
      {t('app.consoleHostLost')}
    </div>
  );
}
