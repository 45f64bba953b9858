// Police dispatch in browser mode against the embedded simulator (issue 7): verify on video,
// dispatch the nearest crew, follow it to the school on the map and in the incident's timeline; a
// crew that rejects and a second dispatch; a drill never dispatches.
import { randomUUID } from 'node:crypto';
import { test, expect, type Instructor } from './fixtures';
import { ConsolePage, LoginPage } from './pages';

/**
 * Raises an alert of its own at GYM1. The console process and its simulator are shared by every spec
 * file, and the queue folds repeats of one type from one device: a scenario's alert could land in
 * another test's row. These alerts name no device, so each keeps a row of its own.
 */
async function raise(instructor: Instructor, alertType: string, extra: Record<string, unknown> = {}): Promise<string> {
  const alertId = `E2E-${randomUUID().slice(0, 8)}`;
  await instructor.inject({
    type: 'alert.raised',
    v: 1,
    schoolId: 'GYM1',
    payload: { alertId, alertType, schoolId: 'GYM1', cameraIds: [], title: `${alertType.replace(/_/g, ' ')} (dispatch test)`, ...extra },
  });
  return alertId;
}

test.beforeEach(async ({ instructor }) => {
  // Crews drive 1000x faster than real time (the most the instructor allows): a 5 km trip takes
  // under a second; answering the radio stays real.
  await instructor.post('/api/instructor/crews/time-scale', { scale: 1000 });
});

test('an intruder alert: verified on video, nearest crew dispatched, its map mark moves to the school and arrives', async ({ openConsole, instructor }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('dispatcher');
  const c = new ConsolePage(page);
  await c.live();
  const alertId = await raise(instructor, 'intrusion', { confidence: 0.81 });
  await c.alert(alertId).getByTestId('alert-select').click();
  const panel = page.getByTestId('dispatch-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('dispatch-none')).toBeVisible();

  // Not verified: dispatch needs a stated reason, so the buttons wait.
  await expect(panel.getByTestId('dispatch-verification')).toHaveAttribute('data-verified', 'false');
  await expect(panel.getByTestId('dispatch-nearest-button')).toBeDisabled();
  await expect(panel.getByTestId('dispatch-crew')).toHaveCount(5);

  // Confirmed on video: recorded with the operator; dispatch is open.
  await page.getByTestId('detail-confirm').click();
  await expect(panel.getByTestId('dispatch-verification')).toHaveAttribute('data-verified', 'true');
  await expect(panel.getByTestId('dispatch-verification')).toContainText('Aidos Nurlanov');
  const nearest = panel.getByTestId('dispatch-nearest-button');
  await expect(nearest).toBeEnabled();
  const crewId = (await nearest.getAttribute('data-crew-id'))!;

  // Where the crew is on the city map before it moves (the map shows when no alert is selected).
  const select = () => c.alert(alertId).getByTestId('alert-select').click();
  await page.getByTestId('plan-clear-selection').click();
  const mark = page.locator(`[data-testid="crew-mark"][data-crew-id="${crewId}"]`);
  await expect(mark).toHaveAttribute('data-crew-status', 'available');
  const before = await mark.getAttribute('transform');

  await select();
  await panel.getByTestId('dispatch-nearest-button').click();
  const attempt = panel.locator(`[data-testid="dispatch-attempt"][data-crew-id="${crewId}"]`);
  await expect(attempt.getByTestId('stage-dispatched')).toBeVisible();
  await expect(attempt.getByTestId('stage-accepted')).toBeVisible({ timeout: 15_000 });

  // On the map the crew drives to the school and arrives.
  await page.getByTestId('plan-clear-selection').click();
  await expect(mark).toHaveAttribute('data-crew-status', /en_route|on_scene/, { timeout: 15_000 });
  await expect(mark).toHaveAttribute('data-crew-status', 'on_scene', { timeout: 30_000 });
  expect(await mark.getAttribute('transform')).not.toBe(before);
  // The crew list says the same.
  await page.getByTestId('crews-toggle').click();
  await page.getByTestId('crews-search').fill((await page.locator(`[data-testid="crew-row"][data-crew-id="${crewId}"] bdi`).textContent())!);
  await expect(page.getByTestId('crew-row')).toHaveCount(1);
  await expect(page.getByTestId('crew-row')).toHaveAttribute('data-crew-status', 'on_scene');

  // The incident's timeline: every stage with its time, and the time to dispatch and to scene.
  await select();
  await expect(attempt.getByTestId('stage-on_scene')).toBeVisible();
  await expect(panel.getByTestId('time-to-dispatch')).toBeVisible();
  await expect(panel.getByTestId('time-to-scene')).toBeVisible();
});

test('a crew that rejects: the timeline shows it, and a second crew is sent', async ({ openConsole, instructor }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('dispatcher');
  const c = new ConsolePage(page);
  await c.live();
  const alertId = await raise(instructor, 'alarm_button');
  await c.alert(alertId).getByTestId('alert-select').click();
  const panel = page.getByTestId('dispatch-panel');
  // An alarm button is not an AI detection: no video verification needed.
  await expect(panel.getByTestId('dispatch-verification')).toHaveCount(0);
  const first = (await panel.getByTestId('dispatch-nearest-button').getAttribute('data-crew-id'))!;
  await instructor.post('/api/instructor/crews/reject-next', { crewId: first });
  await panel.getByTestId('dispatch-nearest-button').click();
  await expect(panel.locator(`[data-testid="dispatch-attempt"][data-crew-id="${first}"]`)).toHaveAttribute('data-outcome', 'rejected', { timeout: 15_000 });

  // The dispatcher picks the next crew in the list.
  const rows = panel.getByTestId('dispatch-crew');
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-crew-id')));
  const other = ids.find((id) => id !== first)!;
  await panel.locator(`[data-testid="dispatch-crew"][data-crew-id="${other}"]`).getByTestId('dispatch-crew-button').click();
  await expect(panel.locator(`[data-testid="dispatch-attempt"][data-crew-id="${other}"]`).getByTestId('stage-accepted')).toBeVisible({ timeout: 15_000 });
  await expect(panel.getByTestId('dispatch-attempt')).toHaveCount(2);
});

test('a drill is shown as one and never offers to dispatch a crew', async ({ openConsole, instructor }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('dispatcher');
  const c = new ConsolePage(page);
  await c.live();
  const drill = await raise(instructor, 'alarm_button', { drill: true });
  await c.alert(drill).getByTestId('alert-select').click();
  const panel = page.getByTestId('dispatch-panel');
  await expect(panel.getByTestId('dispatch-drill')).toBeVisible();
  await expect(panel.getByTestId('dispatch-nearest')).toHaveCount(0);
});

test('the report lists the period’s incidents with their times, marks drills, and exports them as CSV', async ({ openConsole, instructor }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('dispatcher');
  const c = new ConsolePage(page);
  await c.live();
  const alertId = await raise(instructor, 'alarm_button');
  const drill = await raise(instructor, 'alarm_button', { drill: true });
  await c.alert(alertId).getByTestId('alert-select').click();
  const panel = page.getByTestId('dispatch-panel');
  await panel.getByTestId('dispatch-nearest-button').click();
  await expect(panel.getByTestId('stage-on_scene')).toBeVisible({ timeout: 30_000 });
  // Resolved and reloaded: the queue starts with active alerts only, the report reads the journal.
  await page.getByTestId('resolve-note').fill('crew on scene, pupil had pressed it by mistake');
  await page.getByTestId('detail-resolve').click();
  await expect(c.alert(alertId)).toHaveCount(0);
  await page.reload();
  await c.live();

  await page.getByTestId('report-open').click();
  const report = page.getByTestId('report-panel');
  await report.getByTestId('report-period-day').check();
  const row = report.locator(`[data-testid="report-row"][data-alert-id="${alertId}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('report-dispatched')).not.toHaveText('—');
  await expect(row.getByTestId('report-on-scene')).not.toHaveText('—');
  await expect(report.locator(`[data-testid="report-row"][data-alert-id="${drill}"]`)).toHaveAttribute('data-drill', 'true');
  expect(Number(await report.getByTestId('report-drills').textContent())).toBeGreaterThanOrEqual(1);

  const [download] = await Promise.all([page.waitForEvent('download'), report.getByTestId('report-csv').click()]);
  const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(csv.split('\r\n')[0]).toContain('alertId,type,priority,schoolId');
  const [header, ...rows] = csv.replace(/^\ufeff/, '').trimEnd().split('\r\n').map(csvFields);
  const record = Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[0] === alertId)![i]]));
  expect(record).toMatchObject({ type: 'alarm_button', schoolId: 'GYM1', drill: 'false' });
  expect(record.dispatchedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(record.onSceneAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});

/** One CSV line (no embedded line breaks in these rows) into its fields, RFC 4180 quoting. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

test('a shared incident: the guard hands a note to the dispatcher, who sees it marked for them', async ({ openConsole, instructor, browser }) => {
  const guardPage = await openConsole(await browser.newContext());
  await new LoginPage(guardPage).loginAs('guard');
  const dispatcherPage = await openConsole(await browser.newContext());
  await new LoginPage(dispatcherPage).loginAs('dispatcher');
  const guard = new ConsolePage(guardPage);
  const dispatcher = new ConsolePage(dispatcherPage);
  await guard.live();
  await dispatcher.live();
  const alertId = await raise(instructor, 'alarm_button');

  await guard.alert(alertId).getByTestId('alert-select').click();
  await guardPage.getByTestId('note-text').fill('East gate is locked: come in by the north entrance');
  await guardPage.getByTestId('note-to').selectOption('dispatcher');
  await guardPage.getByTestId('note-add').click();
  await expect(guardPage.getByTestId('incident-note')).toHaveCount(1);

  await dispatcher.alert(alertId).getByTestId('alert-select').click();
  const note = dispatcherPage.getByTestId('incident-note');
  await expect(note).toContainText('north entrance');
  await expect(note).toHaveAttribute('data-for-me', 'true');
  // The guard's console also shows the crew the dispatcher sends (the same incident).
  await dispatcherPage.getByTestId('dispatch-nearest-button').click();
  await expect(guardPage.getByTestId('dispatch-attempt')).toHaveCount(1, { timeout: 15_000 });
});
