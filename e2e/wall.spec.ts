// The video wall end to end in browser mode: real hls.js playing the simulator's live HLS.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { emptyWall, test, expect, watchConsoleErrors } from './fixtures';
import { ConsolePage, LoginPage } from './pages';
import { WallPage } from './wall-page';

const GYM1 = 'GYM1';
/** Video under a loaded 2-core machine can take a while to start; the state, not a sleep, is awaited. */
const PLAY_TIMEOUT = 45_000;

test.describe.configure({ timeout: 240_000 });

async function openWall(openConsole: () => Promise<Page>, role: 'dispatcher' | 'guard' = 'dispatcher'): Promise<WallPage> {
  await closeSharedWall();
  const page = await openConsole();
  await new LoginPage(page).loginAs(role);
  await new ConsolePage(page).live();
  // The console process (and its saved UI language) is shared by the spec files: these tests read
  // English text, so they choose it.
  await new ConsolePage(page).languageSelect().selectOption('en');
  await expect(new ConsolePage(page).logout()).toHaveText('Log out');
  const wall = new WallPage(page);
  await wall.grid().waitFor();
  return wall;
}

/**
 * The dispatcher's wall most tests use: one page, signed in once and shared by them in file order
 * (signing in, going live and loading the city's catalog is a few seconds a test). Each test finds
 * the wall empty and the search cleared; the page's console errors are checked after each test.
 */
let shared: { context: BrowserContext; wall: WallPage; errors: () => string[] } | null = null;

async function dispatcherWall(browser: Browser, url: string): Promise<WallPage> {
  if (!shared) {
    await emptyWall(url);
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto(url);
    shared = { context, wall: await openWall(async () => page), errors };
    return shared.wall;
  }
  const { wall } = shared;
  // Emptied through the console host: the page follows (settings.changed). Retried in case a save
  // the page had pending from the test before lands after it.
  await expect(async () => {
    await emptyWall(url);
    expect((await cameraIdsOf(wall)).every((id) => id === '')).toBe(true);
  }).toPass();
  await wall.search().fill('');
  return wall;
}

test.afterEach(() => {
  if (shared) expect(shared.errors().splice(0), 'unexpected console errors').toEqual([]);
});

/**
 * Closes the shared page before a test that opens a wall of its own: the shared page would follow
 * that wall's layout (every window shows the live layout) and play the same cameras alongside.
 */
async function closeSharedWall(): Promise<void> {
  if (!shared) return;
  const { context, errors } = shared;
  shared = null;
  await context.close();
  expect(errors(), 'unexpected console errors').toEqual([]);
}

test.afterAll(closeSharedWall);

/** A wall in a browser context of its own (for routes), with the console errors it expects. */
async function wallOfItsOwn(browser: Browser, url: string, allowed: RegExp[]): Promise<{ context: BrowserContext; wall: WallPage; errors: () => string[] }> {
  await closeSharedWall();
  await emptyWall(url);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchConsoleErrors(page, allowed);
  await page.goto(url);
  return { context, wall: await openWall(async () => page), errors };
}

/** Every tile shows new frames: each count rises above what it was once all were live. */
async function expectAllPlaying(wall: WallPage, count: number): Promise<void> {
  await expect(wall.tiles()).toHaveCount(count);
  // Every tile has started, then shows new frames.
  await expect.poll(async () => (await wall.frames()).every((f) => f > 0), { timeout: PLAY_TIMEOUT, message: 'a first frame in every tile' }).toBe(true);
  const before = await wall.frames();
  await expect
    .poll(async () => (await wall.frames()).every((f, i) => f > before[i]! + 2), { timeout: PLAY_TIMEOUT, message: `frames advance in all ${count} tiles` })
    .toBe(true);
}

/**
 * HTML5 drag and drop onto a tile, retried: under load (tiles playing on two cores) a drag can start
 * on an element that is being re-rendered and never begin. Passes at once if the drop happened.
 */
async function dragUntil(source: Locator, tile: Locator, cameraId: string): Promise<void> {
  await expect(async () => {
    if ((await tile.getAttribute('data-camera-id')) !== cameraId) await source.dragTo(tile);
    await expect(tile).toHaveAttribute('data-camera-id', cameraId, { timeout: 3_000 });
  }).toPass({ timeout: 45_000 });
}

let gym1District: string | null = null;

/** Opens the camera tree down to Gymnasium No. 1 (its district only: five are slow to render at once). */
async function openGym1(wall: WallPage, backendUrl: string): Promise<void> {
  if (!gym1District) {
    const accounts = (await (await fetch(`${backendUrl}/api/demo-accounts`)).json()) as { accounts: Array<{ username: string; password: string; role: string }> };
    const d = accounts.accounts.find((a) => a.role === 'dispatcher')!;
    const { token } = (await (
      await fetch(`${backendUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: d.username, password: d.password }) })
    ).json()) as { token: string };
    const catalog = (await (await fetch(`${backendUrl}/api/catalog`, { headers: { authorization: `Bearer ${token}` } })).json()) as { schools: Array<{ id: string; districtId: string }> };
    gym1District = catalog.schools.find((s) => s.id === GYM1)!.districtId;
  }
  await wall.page.locator(`[data-testid="tree-district"][data-district-id="${gym1District}"] > button`).click();
  await wall.treeSchool(GYM1).waitFor();
}

async function cameraIdsOf(wall: WallPage): Promise<string[]> {
  return wall.tiles().evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id') ?? ''));
}

async function injectStatus(backendUrl: string, schoolId: string, deviceId: string, status: 'offline' | 'normal'): Promise<void> {
  const res = await fetch(`${backendUrl}/api/instructor/inject`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: { type: 'device.status', v: 1, schoolId, payload: { deviceId, status } } }),
  });
  if (!res.ok) throw new Error(`inject answered ${res.status}`);
}

test('a 3x3 layout built by drag and drop plays in every tile; tiles swap by drag', async ({ consoleProcess, browser }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  await wall.kind('9').click();
  await expect(wall.tiles()).toHaveCount(9);

  // A whole school dropped on the first tile fills the layout from there.
  await openGym1(wall, consoleProcess.backendUrl);
  await wall.treeSchool(GYM1).dragTo(wall.tile(0));
  const filled = await cameraIdsOf(wall);
  expect(filled.every((id) => id.startsWith(`${GYM1}-`))).toBe(true);

  // One camera from the search results onto the middle tile.
  await wall.search().fill('pushkin');
  const pick = wall.results().nth(20);
  const pickedId = (await pick.getAttribute('data-camera-id'))!;
  await dragUntil(pick, wall.tile(4), pickedId);

  // Tile 1 dragged onto tile 9 swaps them. Under load a drag can start on a tile that is being
  // re-rendered and never begin; the check is retried, and passes at once if the swap happened.
  await dragUntil(wall.tile(0), wall.tile(8), filled[0]!);
  await expect(wall.tile(0)).toHaveAttribute('data-camera-id', filled[8]!);

  await expect(wall.tile(0)).toHaveAttribute('data-variant', 'sub');
  await expectAllPlaying(wall, 9);
  await expect(wall.tile(0).getByTestId('wall-tile-stats')).toContainText(/fps/);
});

test('a tile maximizes on double-click with the main stream and restores with Escape', async ({ browser, consoleProcess }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  await wall.kind('4').click();
  await wall.search().fill('pushkin');
  await wall.results().nth(0).dragTo(wall.tile(0));
  await wall.results().nth(1).dragTo(wall.tile(1));
  await wall.tile(1).dblclick();
  await expect(wall.tile(1)).toHaveAttribute('data-maximized', 'true');
  await expect(wall.tile(1)).toHaveAttribute('data-variant', 'main');
  // The hidden tiles hold no player.
  await expect(wall.tile(0)).toBeHidden();
  await expect(wall.tile(0)).toHaveAttribute('data-state', 'paused');
  await expect(wall.tile(1)).toHaveAttribute('data-state', 'live', { timeout: PLAY_TIMEOUT });
  await wall.page.keyboard.press('Escape');
  await expect(wall.tile(1)).toHaveAttribute('data-maximized', 'false');
  await expect(wall.tile(1)).toHaveAttribute('data-variant', 'sub');
  await expect(wall.tile(0)).toBeVisible();
});

test('a named layout is saved in the local store and survives a reload', async ({ browser, consoleProcess }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  await wall.kind('1+5').click();
  await wall.search().fill('pushkin stairwell');
  await wall.tile(2).click();
  await wall.results().first().dragTo(wall.tile(2));
  const cells = await cameraIdsOf(wall);
  await wall.layoutName().fill('E2E stairs');
  await wall.layoutSave().click();
  await expect(wall.layoutSelect().locator('option', { hasText: 'E2E stairs' })).toHaveCount(1);

  // The live layout comes back after a reload; the named one is offered.
  await wall.page.reload();
  await new ConsolePage(wall.page).live();
  await expect(wall.wall()).toHaveAttribute('data-kind', '1+5');
  expect(await cameraIdsOf(wall)).toEqual(cells);
  await wall.kind('4').click();
  await expect(wall.tiles()).toHaveCount(4);
  await wall.layoutSelect().selectOption('E2E stairs');
  await expect(wall.wall()).toHaveAttribute('data-kind', '1+5');
  expect(await cameraIdsOf(wall)).toEqual(cells);
});

test('a camera killed in the simulator goes stale or offline with its last frame, then recovers; other tiles play on', async ({ browser, consoleProcess }) => {
  // The browser itself logs each refused playlist request (HTTP 503) as a console error: expected here.
  const { context, wall, errors } = await wallOfItsOwn(browser, consoleProcess.url, [/status of 503/]);
  await wall.kind('4').click();
  await openGym1(wall, consoleProcess.backendUrl);
  await wall.treeSchool(GYM1).dragTo(wall.tile(0));
  for (let i = 0; i < 4; i++) await expect(wall.tile(i)).toHaveAttribute('data-state', 'live', { timeout: PLAY_TIMEOUT });
  const victim = (await wall.tile(0).getAttribute('data-camera-id'))!;
  // The camera tree's dot follows the camera: live while it plays, offline once the backend says so.
  await wall.search().fill(victim);
  await expect(wall.cameraDot(victim)).toHaveAttribute('data-health', 'live');

  await injectStatus(consoleProcess.backendUrl, GYM1, victim, 'offline');
  await expect(wall.cameraDot(victim)).toHaveAttribute('data-health', 'offline');
  await expect(wall.tile(0)).toHaveAttribute('data-state', /stale|offline/, { timeout: 20_000 });
  await expect(wall.status(wall.tile(0))).toContainText(/(Stale|Offline) since \d\d:\d\d:\d\d/);
  await expect(wall.tile(0).getByTestId('wall-tile-last-frame')).toBeVisible();
  // The last frame is the camera's picture, not an empty canvas: many distinct colours.
  const lastFrameColours = () =>
    wall
      .tile(0)
      .getByTestId('wall-tile-last-frame')
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0) seen.add((d[i]! >> 4) * 256 + (d[i + 1]! >> 4) * 16 + (d[i + 2]! >> 4));
        return seen.size;
      });
  await expect.poll(lastFrameColours).toBeGreaterThan(16);
  await expect(wall.tile(0)).toHaveAttribute('data-state', 'offline', { timeout: 20_000 });
  await expect(wall.reason(wall.tile(0))).toContainText('HTTP 503');
  for (let i = 1; i < 4; i++) await expect(wall.tile(i)).toHaveAttribute('data-state', 'live');

  await injectStatus(consoleProcess.backendUrl, GYM1, victim, 'normal');
  await expect(wall.tile(0)).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
  await expect(wall.tile(0).getByTestId('wall-tile-last-frame')).toBeHidden();
  await expect(wall.cameraDot(victim)).toHaveAttribute('data-health', 'live');
  await context.close();
  expect(errors(), 'unexpected console errors').toEqual([]);
});

test('a stream outside the backend media origin or not http(s) is refused with its reason, and never fetched', async ({ browser, openConsole, consoleProcess }) => {
  const context = await browser.newContext();
  const fetched: string[] = [];
  context.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1')) fetched.push(r.url());
  });
  // A backend (or anything between) that hands out bad stream URLs.
  await context.route('**/api/catalog', async (route) => {
    const response = await route.fetch();
    const catalog = (await response.json()) as {
      schools: Array<{ id: string; buildings: Array<{ floors: Array<{ id: string }> }> }>;
      devices: Array<{ id: string; kind: string; schoolId: string; floorId: string; streams?: { main: string; sub: string } }>;
    };
    // In the order a dropped school fills the tiles: building by building, floor by floor (a plan
    // edited by another spec file can move a floor's cameras within the catalog's list).
    const floors = catalog.schools.find((s) => s.id === GYM1)!.buildings.flatMap((b) => b.floors.map((f) => f.id));
    const cams = catalog.devices.filter((d) => d.kind === 'camera' && d.schoolId === GYM1).sort((a, b) => floors.indexOf(a.floorId) - floors.indexOf(b.floorId));
    cams[0]!.streams = { main: 'file:///etc/passwd', sub: 'file:///etc/passwd' };
    cams[1]!.streams = { main: 'http://media.evil.example/live.m3u8', sub: 'http://media.evil.example/live.m3u8' };
    await route.fulfill({ response, json: catalog });
  });
  const wall = await openWall(() => openConsole(context));
  await wall.kind('4').click();
  await openGym1(wall, consoleProcess.backendUrl);
  await wall.treeSchool(GYM1).dragTo(wall.tile(0));
  await expect(wall.tile(0)).toHaveAttribute('data-state', 'refused');
  await expect(wall.reason(wall.tile(0))).toContainText('Only http(s) streams are played, not “file”');
  await expect(wall.tile(1)).toHaveAttribute('data-state', 'refused');
  await expect(wall.reason(wall.tile(1))).toContainText('not on the backend');
  await expect(wall.tile(2)).toHaveAttribute('data-state', 'live', { timeout: PLAY_TIMEOUT });
  expect(fetched.filter((u) => u.includes('evil') || u.startsWith('file:'))).toEqual([]);
});

test('the wall is driven from the keyboard alone, with the shortcuts on screen', async ({ browser, consoleProcess }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  const kb = wall.page.keyboard;
  await expect(wall.shortcuts()).toContainText('select tile');
  await wall.kind('9').click();
  await wall.grid().focus();

  await kb.press('5');
  await expect(wall.tile(4)).toHaveAttribute('data-selected', 'true');
  await kb.press('ArrowRight');
  await expect(wall.tile(5)).toHaveAttribute('data-selected', 'true');
  await kb.press('ArrowDown');
  await expect(wall.tile(8)).toHaveAttribute('data-selected', 'true');

  // "/" opens the search; Enter puts the highlighted result on the selected tile.
  await kb.press('/');
  await expect(wall.search()).toBeFocused();
  await kb.type('pushkin gym');
  await expect(wall.results().nth(1)).toBeVisible();
  await kb.press('ArrowDown');
  await expect(wall.results().nth(1)).toHaveAttribute('aria-selected', 'true');
  const chosen = (await wall.results().nth(1).getAttribute('data-camera-id'))!;
  await kb.press('Enter');
  await expect(wall.tile(8)).toHaveAttribute('data-camera-id', chosen);
  await kb.press('Escape');
  await kb.press('Escape');
  await expect(wall.grid()).toBeFocused();

  await kb.press('PageDown');
  await expect(wall.tile(8)).not.toHaveAttribute('data-camera-id', chosen);
  await kb.press('PageUp');
  await expect(wall.tile(8)).toHaveAttribute('data-camera-id', chosen);

  await kb.press('Enter');
  await expect(wall.tile(8)).toHaveAttribute('data-maximized', 'true');
  await kb.press('Escape');
  await expect(wall.tile(8)).toHaveAttribute('data-maximized', 'false');

  await kb.press('t');
  await expect(wall.wall()).toHaveAttribute('data-touring', 'true');
  await expect(wall.tourToggle()).toHaveAttribute('aria-pressed', 'true');
  await kb.press('t');
  await expect(wall.wall()).toHaveAttribute('data-touring', 'false');
});

test('a tour is built from the wall, edited, saved with the layout, run and stopped from the keyboard, and deleted', async ({ browser, consoleProcess }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  await wall.kind('4').click();
  // The console (and its live layout) is shared by the tests: empty the wall first (Del per tile).
  for (let i = 0; i < 4; i++) {
    await wall.tile(i).click();
    await wall.page.keyboard.press('Delete');
    await expect(wall.tile(i)).toHaveAttribute('data-camera-id', '');
  }
  await wall.search().fill('pushkin');
  // The results render after the search settles: read the ids once they are there.
  await expect.poll(() => wall.results().count()).toBeGreaterThanOrEqual(3);
  const ids = await wall.results().evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-camera-id') ?? ''));
  await dragUntil(wall.results().nth(0), wall.tile(0), ids[0]!);
  await wall.tourEdit().click();
  // The console (and its live layout) is shared by the tests: start from a layout without a tour.
  if ((await wall.tourDelete().count()) > 0) await wall.tourDelete().click();
  await expect(wall.tourEmpty()).toBeVisible();
  await wall.tourAddStep().click();
  await expect(wall.tourSteps()).toHaveCount(1);
  await expect(wall.tourSteps().nth(0)).toHaveAttribute('data-cameras', ids[0]!);

  // A second step: other cameras on the wall, added; then moved to the front.
  await dragUntil(wall.results().nth(1), wall.tile(0), ids[1]!);
  await dragUntil(wall.results().nth(2), wall.tile(1), ids[2]!);
  await wall.tourAddStep().click();
  await expect(wall.tourSteps()).toHaveCount(2);
  await wall.tourSteps().nth(1).getByTestId('tour-step-up').click();
  await expect(wall.tourSteps().nth(0)).toHaveAttribute('data-cameras', `${ids[1]} ${ids[2]}`);
  await expect(wall.tourSteps().nth(1)).toHaveAttribute('data-cameras', ids[0]!);
  await wall.tourDwell().selectOption('5');

  // Saved with the layout: a named layout brings the tour back after a reload.
  await wall.layoutName().fill('E2E tour');
  await wall.layoutSave().click();
  await expect(wall.layoutSelect().locator('option', { hasText: 'E2E tour' })).toHaveCount(1);
  await wall.page.reload();
  await new ConsolePage(wall.page).live();
  await wall.grid().waitFor();
  await wall.kind('9').click();
  await wall.layoutSelect().selectOption('E2E tour');
  await expect(wall.wall()).toHaveAttribute('data-kind', '4');
  await wall.tourEdit().click();
  await expect(wall.tourSteps()).toHaveCount(2);
  await expect(wall.tourDwell()).toHaveValue('5');

  // T starts the tour on its first step; after the dwell time the wall shows the next one.
  await wall.grid().focus();
  await wall.page.keyboard.press('t');
  await expect(wall.wall()).toHaveAttribute('data-touring', 'true');
  await expect(wall.tile(0)).toHaveAttribute('data-camera-id', ids[1]!);
  await expect(wall.tile(1)).toHaveAttribute('data-camera-id', ids[2]!);
  await expect(wall.tile(0)).toHaveAttribute('data-camera-id', ids[0]!, { timeout: 20_000 });
  await expect(wall.tile(1)).toHaveAttribute('data-camera-id', '');
  await expect(wall.tourToggle()).toContainText('(2/2)');
  await wall.page.keyboard.press('t');
  await expect(wall.wall()).toHaveAttribute('data-touring', 'false');

  await wall.tourSteps().nth(0).getByTestId('tour-step-remove').click();
  await expect(wall.tourSteps()).toHaveCount(1);
  await wall.tourDelete().click();
  await expect(wall.tourEmpty()).toBeVisible();
  await expect(wall.tourDwell()).toBeDisabled();
});

test('a layout is shared as a file: exported, imported back, and a bad file is refused with its reason', async ({ browser, consoleProcess }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  await wall.kind('1+7').click();
  await wall.search().fill('pushkin');
  const id = (await wall.results().nth(3).getAttribute('data-camera-id'))!;
  await dragUntil(wall.results().nth(3), wall.tile(2), id);
  const cells = await cameraIdsOf(wall);
  await wall.layoutName().fill('E2E shared');
  const [download] = await Promise.all([wall.page.waitForEvent('download'), wall.layoutExport().click()]);
  expect(download.suggestedFilename()).toBe('E2E shared.kuzet-layout.json');
  const text = readFileSync((await download.path())!, 'utf8');
  const file = JSON.parse(text) as { layout: { kind: string } };
  expect(file).toMatchObject({ format: 'kuzet.wall-layout', version: 1, name: 'E2E shared', layout: { kind: '1+7', cells: cells.map((c) => c || null) } });

  // Another wall, then the file brings the shared one back.
  await wall.kind('4').click();
  await wall.layoutImportFile().setInputFiles({ name: 'shared.kuzet-layout.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(wall.wall()).toHaveAttribute('data-kind', '1+7');
  expect(await cameraIdsOf(wall)).toEqual(cells);
  await expect(wall.notice()).toContainText('E2E shared');

  // A file that is not a layout changes nothing and says why.
  const bad = JSON.stringify({ ...file, layout: { ...file.layout, kind: '7' } });
  await wall.layoutImportFile().setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await expect(wall.notice()).toContainText('not a valid layout: layout.kind');
  await wall.layoutImportFile().setInputFiles({ name: 'text.json', mimeType: 'application/json', buffer: Buffer.from('hello') });
  await expect(wall.notice()).toContainText('not a layout (not JSON)');
  await expect(wall.wall()).toHaveAttribute('data-kind', '1+7');
});

test('the wall opened on a second display follows the operator\'s layout, both ways', async ({ browser, consoleProcess }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  await wall.kind('4').click();
  const [popup] = await Promise.all([wall.page.context().waitForEvent('page'), wall.secondDisplay().click()]);
  expect(new URL(popup.url()).searchParams.get('view')).toBe('wall');
  // A new window of the browser console signs in on its own when it has no session.
  await popup.locator('html[data-kuzet-ready="login"], html[data-kuzet-ready="live"]').waitFor({ state: 'attached' });
  if ((await popup.locator('html').getAttribute('data-kuzet-ready')) === 'login') await new LoginPage(popup).loginAs('dispatcher');
  await popup.locator('html[data-kuzet-ready="live"]').waitFor({ state: 'attached' });
  const second = new WallPage(popup);
  await expect(popup.getByTestId('wall-window')).toBeVisible();
  await expect(second.wall()).toHaveAttribute('data-kind', '4');
  // The second display is the wall alone: no camera tree, no layout editing by name.
  await expect(popup.getByTestId('camera-tree')).toHaveCount(0);

  await wall.kind('9').click();
  await expect(second.wall()).toHaveAttribute('data-kind', '9');
  await wall.search().fill('pushkin');
  const id = (await wall.results().nth(5).getAttribute('data-camera-id'))!;
  await dragUntil(wall.results().nth(5), wall.tile(4), id);
  await expect(second.tile(4)).toHaveAttribute('data-camera-id', id);
  await expect(second.tile(4)).toHaveAttribute('data-state', 'live', { timeout: PLAY_TIMEOUT });

  // An operator at the second display changes the layout kind: the first window follows.
  await second.kind('1+5').click();
  await expect(wall.wall()).toHaveAttribute('data-kind', '1+5');
  await popup.close();
});

test('a snapshot is saved to evidence from the keyboard, listed with camera, time, operator and SHA-256, and opens checked', async ({ consoleProcess, browser }) => {
  const wall = await dispatcherWall(browser, consoleProcess.url);
  await wall.kind('4').click();
  await wall.search().fill('pushkin');
  const id = (await wall.results().nth(6).getAttribute('data-camera-id'))!;
  await dragUntil(wall.results().nth(6), wall.tile(3), id);
  await expect(wall.tile(3)).toHaveAttribute('data-state', 'live', { timeout: PLAY_TIMEOUT });
  await wall.tile(3).click();
  await wall.grid().focus();
  await wall.page.keyboard.press('s');
  await expect(wall.notice()).toContainText('Snapshot saved to evidence');

  await wall.evidenceToggle().click();
  const row = wall.evidenceRows().and(wall.page.locator(`[data-camera-id="${id}"]`)).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText('Aidos Nurlanov');
  await row.getByTestId('evidence-open').click();
  await expect(wall.evidenceViewer()).toBeVisible();
  // The frame of the 360p sub stream, as a PNG the console re-hashed on opening.
  await expect.poll(() => wall.evidenceViewer().getByTestId('evidence-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
  const sha = (await wall.evidenceViewer().getByTestId('evidence-sha256').textContent())!.trim();
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  await expect(wall.evidenceViewer().getByTestId('evidence-integrity')).toHaveAttribute('data-intact', 'true');

  // The file on disk is the PNG with that hash; altered, the viewer says so.
  const file = join(consoleProcess.dataDir, 'evidence', (await wall.evidenceViewer().locator('dd').nth(3).textContent())!.trim());
  const bytes = readFileSync(file);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(file, bytes);
  await wall.page.getByTestId('evidence-viewer-close').click();
  await row.getByTestId('evidence-open').click();
  await expect(wall.evidenceViewer().getByTestId('evidence-integrity')).toHaveAttribute('data-intact', 'false');
});

test('garbage segments, a 404 and a source that never answers each show their own tile state; the other tile plays on', async ({ browser, consoleProcess }) => {
  // The browser logs each failed media request as a console error: expected here.
  const { context, wall, errors } = await wallOfItsOwn(browser, consoleProcess.url, [/status of 404/]);
  await wall.kind('4').click();
  await wall.search().fill('pushkin');
  await expect.poll(() => wall.results().count()).toBeGreaterThanOrEqual(14);
  const ids = await wall.results().evaluateAll((els) => els.slice(10, 14).map((e) => e.getAttribute('data-camera-id') ?? ''));
  // Between the console and the media server: the first camera's segments are garbage, the
  // second's playlist is gone (404), the third's playlist never answers. The fourth is left alone.
  await context.route(`**/media/${ids[0]}/sub/seg/*`, (route) => route.fulfill({ status: 200, contentType: 'video/iso.segment', body: Buffer.alloc(40_000, 0x5a) }));
  await context.route(`**/media/${ids[1]}/sub/index.m3u8`, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await context.route(`**/media/${ids[2]}/sub/index.m3u8`, () => {
    // Never answered: the player's own timeout has to end it.
  });
  for (let i = 0; i < 4; i++) await dragUntil(wall.results().nth(10 + i), wall.tile(i), ids[i]!);

  await expect(wall.tile(3)).toHaveAttribute('data-state', 'live', { timeout: PLAY_TIMEOUT });
  await expect(wall.tile(1)).toHaveAttribute('data-state', 'offline', { timeout: PLAY_TIMEOUT });
  await expect(wall.reason(wall.tile(1))).toContainText('HTTP 404');
  // Undecodable data never shows a picture: the tile says since when it has none, or why.
  await expect(wall.tile(0)).toHaveAttribute('data-state', /error|stale/, { timeout: PLAY_TIMEOUT });
  await expect(wall.status(wall.tile(0))).toContainText(/since \d\d:\d\d:\d\d/);
  await expect(wall.tile(2)).toHaveAttribute('data-state', 'offline', { timeout: 60_000 });
  await expect(wall.reason(wall.tile(2))).toContainText('No answer from the server in time');
  // None of it reaches the good tile, which keeps showing new frames.
  const before = (await wall.frames())[3]!;
  await expect.poll(async () => (await wall.frames())[3]!, { timeout: PLAY_TIMEOUT, message: 'the good tile still plays' }).toBeGreaterThan(before + 5);
  await expect(wall.tile(3)).toHaveAttribute('data-state', 'live');
  await context.close();
  expect(errors(), 'unexpected console errors').toEqual([]);
});

test("a guard's camera tree and search hold only the guard's own school", async ({ openConsole }) => {
  const wall = await openWall(openConsole, 'guard');
  await expect(wall.treeDistricts()).toHaveCount(1);
  await expect(wall.page.getByTestId('tree-school')).toHaveCount(1);
  await expect(wall.page.getByTestId('tree-school')).toHaveAttribute('data-school-id', GYM1);
  // Every camera id carries its school; the whole scope is Gymnasium No. 1's 180 (plus any camera
  // the plan-editor spec placed on the shared backend), not the city's 10,000.
  await wall.search().fill('cam');
  await expect(wall.page.getByTestId('camera-results')).toContainText(/Found: \d+/);
  const found = Number(/Found: (\d+)/.exec((await wall.page.getByTestId('camera-results').textContent()) ?? '')?.[1]);
  expect(found).toBeGreaterThanOrEqual(180);
  expect(found).toBeLessThan(200);
  const ids = await wall.results().evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id') ?? ''));
  expect(ids.length).toBeGreaterThan(0);
  expect(ids.every((id) => id.startsWith(`${GYM1}-`))).toBe(true);
});
