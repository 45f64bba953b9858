/**
 * Playwright fixtures: a real browser-mode console process (with its embedded simulator) per test
 * file, pages that fail the test on any unexpected console error, and the instructor API.
 */
import { test as base, expect, type Page, type BrowserContext } from '@playwright/test';
import { consoleCall, startConsoleProcess, type ConsoleProcess } from './console-process';

export interface Instructor {
  scenario(name: string, schoolId?: string): Promise<{ alertIds: string[] }>;
  inject(event: unknown, raw?: boolean): Promise<unknown>;
  /** `count` alert.raised events at once (load and chaos tests). */
  flood(count: number, opts?: { alertType?: string; schoolId?: string }): Promise<{ alertIds: string[] }>;
  /** Any other instructor route (crews, links, drills …). */
  post(path: string, body: unknown): Promise<unknown>;
}

function instructorFor(backendUrl: string): Instructor {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${backendUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`instructor ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    scenario: async (name, schoolId) => {
      const answer = (await post('/api/instructor/scenario', { name, ...(schoolId ? { schoolId } : {}) })) as { alertIds: string[] };
      return { alertIds: answer.alertIds };
    },
    inject: (event, raw = false) => post('/api/instructor/inject', { event, raw }),
    flood: async (count, opts = {}) => {
      const answer = (await post('/api/instructor/flood', { count, ...opts })) as { alertIds: string[] };
      return { alertIds: answer.alertIds };
    },
    post,
  };
}

/** Errors a test expects (e.g. a refused command) are registered here; any other fails the test. */
export function watchConsoleErrors(page: Page, allowed: RegExp[] = []): () => string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed.some((re) => re.test(msg.text()))) errors.push(msg.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return () => errors;
}

/**
 * Empties the live wall layout of the shared console (its kind and tour stay): a test starts with no
 * tile playing an earlier test's cameras. Each playing tile decodes video on the test machine's two
 * cores, and every page of every later test showed them; a test that wants video puts it there.
 */
export async function emptyWall(consoleUrl: string): Promise<void> {
  const { value } = (await consoleCall(consoleUrl, 'settings.get', { key: 'wall.current' })) as { value: { cells?: Array<string | null> } | null };
  if (!value?.cells?.some((c) => c !== null)) return;
  await consoleCall(consoleUrl, 'settings.set', { key: 'wall.current', value: { ...value, cells: value.cells.map(() => null) } });
}

type Fixtures = {
  instructor: Instructor;
  openConsole: (context?: BrowserContext) => Promise<Page>;
};
type WorkerFixtures = { consoleProcess: ConsoleProcess };

export const test = base.extend<Fixtures, WorkerFixtures>({
  consoleProcess: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const c = await startConsoleProcess();
      await use(c);
      await c.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  instructor: async ({ consoleProcess }, use) => {
    await use(instructorFor(consoleProcess.backendUrl));
  },
  openConsole: async ({ browser, consoleProcess }, use) => {
    const pages: Array<{ page: Page; errors: () => string[] }> = [];
    const contexts = new Set<BrowserContext>();
    let first = true;
    await use(async (context) => {
      // The first page of a test finds the wall empty; the test's later pages share its wall.
      if (first) await emptyWall(consoleProcess.url);
      first = false;
      const ctx = context ?? (await browser.newContext());
      contexts.add(ctx);
      const page = await ctx.newPage();
      pages.push({ page, errors: watchConsoleErrors(page) });
      await page.goto(consoleProcess.url);
      return page;
    });
    for (const ctx of contexts) await ctx.close();
    for (const p of pages) expect(p.errors(), 'unexpected console errors').toEqual([]);
  },
});

export { expect, instructorFor };
