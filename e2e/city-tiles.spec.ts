// The city map's optional internal tile server, in browser mode: with none configured the map is
// drawn from the backend's outlines and no request goes anywhere but the console and the backend;
// with a (loopback) tile server configured, tiles come from it, the CSP allows exactly its origin,
// and a bad template is refused with its reason.
import { createServer, type Server } from 'node:http';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { ConsolePage, LoginPage } from './pages';

// A 1x1 PNG: what the tile server answers for every tile.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function startTileServer(): Promise<{ origin: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(PNG);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, hits, server };
}

/** Every origin the page asks for anything. */
function watchOrigins(page: Page): Set<string> {
  const origins = new Set<string>();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') origins.add(`${u.protocol}//${u.host}`);
  });
  return origins;
}

async function openCityMap(page: Page): Promise<void> {
  const login = new LoginPage(page);
  // A loaded document is not yet a rendered one: wait until it shows the login form or the console
  // (asking at once raced the first render and sometimes skipped the login, then waited for "live").
  await page.locator('html[data-kuzet-ready="login"], html[data-kuzet-ready="live"]').waitFor({ state: 'attached' });
  if (await page.locator('html[data-kuzet-ready="login"]').count()) await login.loginAs('dispatcher');
  await new ConsolePage(page).live();
  await page.getByTestId('plan-view-map').click();
  await expect(page.getByTestId('city-map')).toBeVisible();
  await expect(page.locator('.district')).toHaveCount(5);
}

test('without a tile server the map draws from outlines and no request leaves for anywhere else', async ({ openConsole, consoleProcess }) => {
  const page = await openConsole();
  const origins = watchOrigins(page);
  await page.reload();
  await openCityMap(page);
  await expect(page.locator('.city-map svg')).toHaveAttribute('data-tiles', 'off');
  await expect(page.getByTestId('city-tile')).toHaveCount(0);
  await expect(page.getByTestId('city-tiles-state')).toHaveText(/No tile server/);
  const allowed = new Set([new URL(consoleProcess.url).origin, new URL(consoleProcess.backendUrl).origin].flatMap((o) => [o, o.replace(/^http/, 'ws')]));
  expect([...origins].filter((o) => !allowed.has(o))).toEqual([]);
});

test('with a tile server configured, tiles load from it, the CSP allows exactly its origin, a bad template is refused', async ({ openConsole, consoleProcess }) => {
  const tiles = await startTileServer();
  const page = await openConsole();
  try {
    await openCityMap(page);
    await page.getByTestId('city-tiles').locator('summary').click();
    const input = page.getByTestId('city-tiles-template');

    // Refused, with the reason, and nothing stored.
    await input.fill('ftp://127.0.0.1/{z}/{x}/{y}.png');
    await page.getByTestId('city-tiles-save').click();
    await expect(page.getByTestId('city-tiles-error')).toContainText('http or https');
    await expect(page.getByTestId('city-tiles-pending')).toHaveCount(0);

    await input.fill(`${tiles.origin}/{z}/{x}/{y}.png`);
    await page.getByTestId('city-tiles-save').click();
    await expect(page.getByTestId('city-tiles-error')).toHaveCount(0);
    // This document's CSP does not allow it yet: nothing is requested until the window reloads.
    await expect(page.getByTestId('city-tiles-pending')).toBeVisible();
    expect(tiles.hits).toEqual([]);

    const origins = watchOrigins(page);
    const documentCsp = page.waitForResponse((r) => r.request().resourceType() === 'document').then((r) => r.headers()['content-security-policy'] ?? '');
    await page.getByTestId('city-tiles-reload').click();
    const csp = await documentCsp;
    expect(csp.split('; ').find((d) => d.startsWith('img-src'))).toContain(tiles.origin);
    expect(csp.split('; ').filter((d) => d.includes(tiles.origin))).toHaveLength(1);
    await openCityMap(page);

    await expect(page.locator('.city-map svg')).toHaveAttribute('data-tiles', 'on');
    await expect(page.getByTestId('city-tile').first()).toBeAttached();
    await expect.poll(() => tiles.hits.filter((h) => /^\/\d+\/\d+\/\d+\.png$/.test(h)).length).toBeGreaterThan(0);
    // Every tile the map asked for was served (none hidden as missing), and nothing went elsewhere.
    await expect.poll(() => page.locator('[data-testid="city-tile"]:not(.is-missing)').count()).toBe(await page.getByTestId('city-tile').count());
    const allowed = new Set([new URL(consoleProcess.url).origin, new URL(consoleProcess.backendUrl).origin, tiles.origin].flatMap((o) => [o, o.replace(/^http/, 'ws')]));
    expect([...origins].filter((o) => !allowed.has(o))).toEqual([]);
    await page.screenshot({ path: 'test-results/city-tiles.png' });
  } finally {
    // The console process (and its settings) is shared with the other spec files.
    await page.getByTestId('city-tiles').locator('summary').click();
    await page.getByTestId('city-tiles-clear').click();
    await expect(page.getByTestId('city-tiles-pending')).toBeVisible();
    tiles.server.close();
  }
});
