// The foundation slice end to end in browser mode, against the embedded simulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsoleProcess } from './console-process';
import { test, expect, instructorFor } from './fixtures';
import { ConsolePage, LoginPage } from './pages';

const GYM1 = 'GYM1';

async function otherSchool(backendUrl: string): Promise<string> {
  const accounts = (await (await fetch(`${backendUrl}/api/demo-accounts`)).json()) as { accounts: Array<{ username: string; password: string; role: string }> };
  const dispatcher = accounts.accounts.find((a) => a.role === 'dispatcher')!;
  const login = (await (
    await fetch(`${backendUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: dispatcher.username, password: dispatcher.password }) })
  ).json()) as { token: string };
  const catalog = (await (await fetch(`${backendUrl}/api/catalog`, { headers: { authorization: `Bearer ${login.token}` } })).json()) as { schools: Array<{ id: string }> };
  return catalog.schools.find((s) => s.id !== GYM1)!.id;
}

test('each role logs in and sees its scope; a guard never sees another school', async ({ openConsole, instructor, consoleProcess }) => {
  const dispatcher = await openConsole();
  await new LoginPage(dispatcher).loginAs('dispatcher');
  const d = new ConsolePage(dispatcher);
  await d.live();
  await expect(d.scopeLabel()).toContainText('268');

  const guardPage = await openConsole();
  await new LoginPage(guardPage).loginAs('guard');
  const g = new ConsolePage(guardPage);
  await g.live();
  await expect(g.scopeLabel()).toContainText('Gymnasium No. 1');

  const dutyPage = await openConsole();
  await new LoginPage(dutyPage).loginAs('duty_officer');
  const o = new ConsolePage(dutyPage);
  await o.live();
  await expect(o.scopeLabel()).toContainText('268');

  const elsewhere = await instructor.scenario('intruder', await otherSchool(consoleProcess.backendUrl));
  const atGym = await instructor.scenario('intruder', GYM1);
  const [away] = elsewhere.alertIds;
  const [home] = atGym.alertIds;
  await expect(d.alert(away!)).toBeVisible();
  await expect(d.alert(home!)).toBeVisible();
  await expect(o.alert(away!)).toBeVisible();
  await expect(g.alert(home!)).toBeVisible();
  // The guard's stream never carried the other school's alert.
  await expect(g.alert(away!)).toHaveCount(0);
});

test('an alert acknowledged in one console changes in another within a second, and survives a reload', async ({ browser, openConsole, instructor }) => {
  const a = await openConsole(await browser.newContext());
  const b = await openConsole(await browser.newContext());
  await new LoginPage(a).loginAs('dispatcher');
  await new LoginPage(b).loginAs('duty_officer');
  const ca = new ConsolePage(a);
  const cb = new ConsolePage(b);
  await ca.live();
  await cb.live();

  const { alertIds } = await instructor.scenario('weapon', GYM1);
  const id = alertIds[0]!;
  await expect(ca.alert(id)).toHaveAttribute('data-status', 'new');
  await expect(cb.alert(id)).toHaveAttribute('data-status', 'new');
  await expect(ca.alert(id)).toHaveAttribute('data-priority', '1');

  await ca.ackButton(id).click();
  await expect(ca.commandResult()).toHaveAttribute('data-status', 'accepted');
  await expect(cb.alert(id)).toHaveAttribute('data-status', 'acknowledged', { timeout: 1_000 });
  await expect(ca.alert(id)).toHaveAttribute('data-status', 'acknowledged');

  await b.reload();
  await cb.live();
  await expect(cb.alert(id)).toHaveAttribute('data-status', 'acknowledged');
});

test('an injected malformed event is rejected visibly while good ones keep flowing', async ({ openConsole, instructor }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('dispatcher');
  const c = new ConsolePage(page);
  await c.live();
  const before = Number(await c.rejectedCount().getAttribute('data-count'));

  // Envelope-level garbage, delivered as-is outside the log.
  await instructor.inject({ nonsense: true, seq: 'x' }, true);
  // A known type whose payload is broken, with a valid envelope: journaled and shown as rejected.
  await instructor.inject({ type: 'alert.raised', v: 1, schoolId: GYM1, payload: { alertId: 'broken-1', alertType: 'fight' } });
  // An unknown type: shown as unrecognized, never dropped.
  await instructor.inject({ type: 'drone.sighted', v: 3, schoolId: GYM1, payload: { altitude: 40 } });
  const good = await instructor.scenario('fight', GYM1);

  await expect(c.rejectedCount()).toHaveAttribute('data-count', String(before + 1));
  await expect(c.alert(good.alertIds[0]!)).toBeVisible();
  await expect(page.locator('[data-testid="alert-row"][data-unreadable="unrecognized"]').filter({ hasText: 'drone.sighted' })).toBeVisible();
  await expect(page.locator('[data-testid="alert-row"][data-unreadable="rejected"]').filter({ hasText: 'Rejected: alert.raised' })).toBeVisible();
});

test('the operator switches language at runtime, and the choice is kept', async ({ openConsole }) => {
  const page = await openConsole();
  await new LoginPage(page).loginAs('guard');
  const c = new ConsolePage(page);
  await c.live();
  await expect(c.logout()).toHaveText('Log out');
  await c.languageSelect().selectOption('ru');
  await expect(c.logout()).toHaveText('Выйти');
  await c.languageSelect().selectOption('kk');
  await expect(c.logout()).toHaveText('Шығу');
  await page.reload();
  await c.live();
  await expect(c.logout()).toHaveText('Шығу');
  await c.languageSelect().selectOption('en');
  await expect(c.logout()).toHaveText('Log out');
});

test('a restarted console shows the same state', async ({ browser }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-restart-'));
  try {
    let proc = await startConsoleProcess({ dataDir });
    let ctx = await browser.newContext();
    let page = await ctx.newPage();
    await page.goto(proc.url);
    await new LoginPage(page).loginAs('dispatcher');
    let c = new ConsolePage(page);
    await c.live();
    const { alertIds } = await instructorFor(proc.backendUrl).scenario('fire', GYM1);
    const [acked, open] = [alertIds[0]!, (await instructorFor(proc.backendUrl).scenario('intruder', GYM1)).alertIds[0]!];
    await c.ackButton(acked).click();
    await expect(c.alert(acked)).toHaveAttribute('data-status', 'acknowledged');
    await expect(c.alert(open)).toHaveAttribute('data-status', 'new');
    await ctx.close();
    await proc.stop({ keepData: true });

    proc = await startConsoleProcess({ dataDir });
    ctx = await browser.newContext();
    page = await ctx.newPage();
    await page.goto(proc.url);
    await new LoginPage(page).loginAs('dispatcher');
    c = new ConsolePage(page);
    await c.live();
    await expect(c.alert(acked)).toHaveAttribute('data-status', 'acknowledged');
    await expect(c.alert(open)).toHaveAttribute('data-status', 'new');
    await ctx.close();
    await proc.stop({ keepData: true });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
