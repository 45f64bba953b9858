// Floor plans and the city overview in browser mode, against the embedded simulator.
import { test, expect } from './fixtures';
import { ConsolePage, LoginPage } from './pages';

test('a guard sees the school drawn floor by floor, with layers, zoom and the alert in focus', async ({ openConsole, instructor }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('guard');
  const c = new ConsolePage(page);
  await c.live();
  const plan = page.getByTestId('floor-plan');
  await expect(plan).toBeVisible();
  const devices = page.getByTestId('plan-device');
  expect(await devices.count()).toBeGreaterThan(10);
  expect(await page.locator('[data-testid="plan-device"][data-kind="camera"]').count()).toBeGreaterThan(0);

  // Another floor.
  const firstFloor = await plan.getAttribute('data-floor-id');
  await page.locator('[data-testid="plan-floor"]:not([aria-pressed="true"])').first().click();
  await expect(plan).not.toHaveAttribute('data-floor-id', firstFloor!);

  // Layers: cameras off and on.
  await page.getByTestId('plan-layer-camera').locator('input').uncheck();
  await expect(page.locator('[data-testid="plan-device"][data-kind="camera"]')).toHaveCount(0);
  await page.getByTestId('plan-layer-camera').locator('input').check();
  await expect(page.locator('[data-testid="plan-device"][data-kind="camera"]').first()).toBeVisible();

  // Zoom in from the toolbar changes the scale; Fit brings it back.
  const svg = page.locator('.floor-plan-svg');
  const fitted = Number(await svg.getAttribute('data-scale'));
  await page.getByTestId('plan-zoom-in').click();
  await expect.poll(async () => Number(await svg.getAttribute('data-scale'))).toBeGreaterThan(fitted);
  await page.getByTestId('plan-fit').click();
  await expect.poll(async () => Number(await svg.getAttribute('data-scale'))).toBeCloseTo(fitted, 2);

  // An alert centres the plan on its floor and marks the cameras that see it.
  const { alertIds } = await instructor.scenario('intruder', 'GYM1');
  await c.alert(alertIds[0]!).getByTestId('alert-select').click();
  await expect(page.locator('[data-testid="plan-floor"][data-alert="true"]')).toHaveAttribute('aria-pressed', 'true');
  const focused = page.locator('[data-testid="plan-device"][data-focus="true"]');
  await expect(focused.first()).toBeVisible();

  // Live state: a camera that goes offline shows it on the plan.
  const outage = await instructor.scenario('camera_outage', 'GYM1');
  await c.alert(outage.alertIds[0]!).getByTestId('alert-select').click();
  const offline = page.locator('[data-testid="plan-device"][data-kind="camera"][data-focus="true"][data-state="offline"]');
  await expect(offline.first()).toBeVisible();
  await c.alert(alertIds[0]!).getByTestId('alert-select').click();

  // Clicking a device lists its alerts.
  await focused.first().click();
  await expect(page.getByTestId('plan-device-alerts').locator(`[data-testid="plan-device-alert"][data-alert-id="${alertIds[0]}"]`)).toBeVisible();
});

test('a dispatcher sees every school on the city map and drills down to a school', async ({ openConsole, instructor }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('dispatcher');
  const c = new ConsolePage(page);
  await c.live();
  await expect(page.getByTestId('city-map')).toBeVisible();
  // Every school is on the map, alone or in a cluster.
  await expect
    .poll(() =>
      page.getByTestId('city-map').evaluate(
        (map) => map.querySelectorAll('[data-testid="city-school"]').length + Array.from(map.querySelectorAll('[data-testid="city-cluster"]')).reduce((n, el) => n + Number(el.getAttribute('data-cluster')), 0),
      ),
    )
    .toBe(268);
  expect(await page.locator('.district').count()).toBe(5);

  await instructor.scenario('weapon', 'GYM1');
  await page.getByTestId('plan-view-list').click();
  const row = page.locator('[data-testid="plan-school-row"][data-school-id="GYM1"]');
  await expect(row).not.toHaveAttribute('data-open', '0');
  await row.getByRole('button').click();
  await expect(page.getByTestId('plan-school-name')).toContainText('Gymnasium No. 1');
  await expect(page.getByTestId('floor-plan')).toBeVisible();
  await page.getByTestId('plan-back-to-city').click();
  await expect(page.getByTestId('plan-school-list')).toBeVisible();
});
