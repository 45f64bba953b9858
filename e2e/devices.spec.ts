// The Devices panel in browser mode against the project's ONVIF emulator on loopback. Discovery is
// confined to a unicast probe of 127.0.0.3 (multicast unticked first): nothing leaves loopback.
import { startEmulator, type Emulator } from '../src/services/onvif/emulator/emulator';
import { test, expect } from './fixtures';
import { ConsolePage, LoginPage } from './pages';

let cam: Emulator | null = null;
let unavailable = '';

test.beforeAll(async () => {
  try {
    cam = await startEmulator({
      username: 'admin',
      password: 'secret',
      manufacturer: 'Hikvision',
      model: 'DS-2CD2143G2-I',
      firmware: 'V5.7.3',
      auth: 'digest',
      // An address of its own on loopback, so Vitest's emulators never answer this test's probe.
      host: '127.0.0.3',
      discovery: { interfaceAddress: '127.0.0.3' },
    });
  } catch (e) {
    unavailable = `UDP 3702 on loopback unavailable: ${String(e)}`;
  }
});

test.afterAll(async () => {
  await cam?.close();
});

test('an operator finds a camera, is told a wrong password plainly, then sees what the camera answers', async ({ openConsole }) => {
  test.skip(!cam, unavailable);
  test.setTimeout(300_000);
  const page = await openConsole();
  // The duty officer's screen plays no wall video, which keeps this test light on a 2-core machine.
  await new LoginPage(page).loginAs('duty_officer');
  await new ConsolePage(page).live();

  await page.getByTestId('devices-open').click();
  const panel = page.getByTestId('devices-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('devices-vault')).toHaveAttribute('data-persistent', 'false');
  await page.getByTestId('devices-multicast').uncheck();
  await expect(page.getByTestId('devices-multicast')).not.toBeChecked();
  await page.getByTestId('devices-range').fill('127.0.0.3/32');
  await page.getByTestId('devices-discover').click();

  const row = page.locator('[data-testid="device-row"][data-address="127.0.0.3"]');
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByTestId('device-reconciliation')).toHaveAttribute('data-state', 'unregistered');
  await expect(row.getByTestId('device-state')).toHaveAttribute('data-state', 'unchecked');
  await row.click();

  await page.getByTestId('device-username').fill('admin');
  await page.getByTestId('device-password').fill('wrong');
  await page.getByTestId('device-check').click();
  await expect(page.getByTestId('device-result')).toHaveAttribute('data-state', 'unauthorized');
  await expect(row.getByTestId('device-state')).toHaveAttribute('data-state', 'unauthorized');

  await page.getByTestId('device-password').fill('secret');
  await page.getByTestId('device-check').click();
  await expect(page.getByTestId('device-result')).toHaveAttribute('data-state', 'ok');
  await expect(row.getByTestId('device-model')).toHaveText('Hikvision DS-2CD2143G2-I');
  await expect(page.getByTestId('device-profile').first()).toContainText('rtsp://127.0.0.3:554/');

  // The language switch reaches the panel.
  await page.getByTestId('lang-select').selectOption('ru');
  await expect(row.getByTestId('device-state')).toHaveText('Подключено');
  // The choice is saved for the whole console host, which later spec files share: put it back.
  await page.getByTestId('lang-select').selectOption('en');
  await expect(row.getByTestId('device-state')).not.toHaveText('Подключено');
});
