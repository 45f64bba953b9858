import { useTranslation } from 'react-i18next';
import { DevicesPanel } from './DevicesPanel';
import { useDevicesStore } from './store';

/** Header button that opens the local Devices panel (installers and guards at a school). */
export function DevicesButton() {
  const { t } = useTranslation();
  const open = useDevicesStore((s) => s.open);
  const setOpen = useDevicesStore((s) => s.setOpen);
  return (
    <>
      <button type="button" className="btn btn-quiet" data-testid="devices-open" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('devices.open')}
      </button>
      {open && <DevicesPanel />}
    </>
  );
}
