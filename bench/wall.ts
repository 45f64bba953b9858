/// <reference lib="dom" />
/**
 * npm run bench:wall — the video wall against a bare hls.js page, in headless Chromium, against the
 * simulator's live HLS (360p15 sub streams, 1-second segments).
 *
 *   npm run bench:wall                      N = 1 4 9 16 25 36, 12 s measured per run
 *   npm run bench:wall -- --tiles 4,16 --seconds 20
 *
 * Per N and page it reports: time to first frame (median, max), frames shown per second per tile
 * (mean, min), dropped frames %, CPU % of all the browser's processes (100 = one core), their PSS
 * memory, hls.js latency behind live and capture-to-display (wall clock minus the playing frame's
 * program date-time), then the wall/bare ratios of CPU and memory. Each page runs in its own
 * browser, one after the other, so the processes measured are that page's alone.
 *
 * The wall runs as a second display (/?view=wall): the layout is set through the console API
 * ('settings.set' wall.current over the web host's WebSocket), as the operator's window would.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { consoleCall, startConsoleProcess, type ConsoleProcess } from '../e2e/console-process';
import { LIVE_CONFIG, paceBlockingReloads, reloadDelayMs } from '../src/renderer/lib/hls-config';
import { browserPids, cpuTicks, HZ, pssKb } from './procs';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const TILES = opt('tiles', '1,4,9,16,25,36').split(',').map(Number);
const SECONDS = Number(opt('seconds', '12'));
const WARMUP_TIMEOUT_MS = 60_000;
const VIEWPORT = { width: 1600, height: 900 };

interface Row {
  page: 'wall' | 'bare';
  n: number;
  ttffMedian: number | null;
  ttffMax: number | null;
  fpsMean: number;
  fpsMin: number;
  droppedPct: number;
  cpuPct: number;
  pssMb: number;
  latency: number | null;
  delay: number | null;
  playing: number;
}

// ---- pages ---------------------------------------------------------------------------------

async function demoToken(backendUrl: string): Promise<string> {
  const accounts = (await (await fetch(`${backendUrl}/api/demo-accounts`)).json()) as { accounts: Array<{ username: string; password: string; role: string }> };
  const d = accounts.accounts.find((a) => a.role === 'dispatcher')!;
  const res = await fetch(`${backendUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: d.username, password: d.password }) });
  return ((await res.json()) as { token: string }).token;
}

async function cameras(backendUrl: string, n: number): Promise<Array<{ id: string; sub: string }>> {
  const token = await demoToken(backendUrl);
  const catalog = (await (await fetch(`${backendUrl}/api/catalog`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    devices: Array<{ id: string; kind: string; schoolId: string; streams?: { sub: string } }>;
  };
  return catalog.devices
    .filter((d) => d.kind === 'camera' && d.schoolId === 'GYM1' && d.streams)
    .slice(0, n)
    .map((d) => ({ id: d.id, sub: d.streams!.sub }));
}

/** settings.set over the web host's WebSocket: what another console window would send. */
async function setWallLayout(consoleUrl: string, layout: unknown): Promise<void> {
  await consoleCall(consoleUrl, 'settings.set', { key: 'wall.current', value: layout });
}

function barePage(urls: string[]): string {
  const cols = Math.ceil(Math.sqrt(Math.max(4, urls.length)));
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#000;height:100vh;display:grid;gap:4px;grid-template-columns:repeat(${cols},minmax(0,1fr));grid-auto-rows:minmax(0,${100 / cols}vh)}
video{width:100%;height:100%;object-fit:contain;background:#05080b}</style></head><body>
<script src="/hls.js"></script><script>
window.players = [];
// The wall's player configuration: LIVE_CONFIG and its paced blocking playlist reloads (hls-config.ts).
const pace = ${paceBlockingReloads.toString()};
const delay = ${reloadDelayMs.toString()};
for (const u of ${JSON.stringify(urls)}) {
  const v = document.createElement('video'); v.muted = true; v.playsInline = true; document.body.appendChild(v);
  let h = null;
  h = new Hls(Object.assign(${JSON.stringify(LIVE_CONFIG)}, { xhrSetup: pace(() => h, delay) })); h.loadSource(u); h.attachMedia(v); v.play().catch(() => {});
  window.players.push(h);
}
</script></body></html>`;
}

async function serveBare(html: string): Promise<{ server: Server; url: string }> {
  const hlsJs = readFileSync(new URL('../node_modules/hls.js/dist/hls.min.js', import.meta.url));
  const server = createServer((req, res) => {
    if (req.url === '/hls.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(hlsJs);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

/** In the page: per video, frames / dropped so far, and when its first frame was shown. */
async function installProbe(page: Page, t0: number): Promise<void> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__t0 = ${t0};
    window.__first = new Map();
    function tick() {
      for (const v of Array.from(document.querySelectorAll('video'))) {
        if (!window.__first.has(v) && v.getVideoPlaybackQuality().totalVideoFrames > 0) window.__first.set(v, Date.now() - window.__t0);
      }
      requestAnimationFrame(tick);
    }
    tick();
  })()`);
}

interface Sample {
  frames: number[];
  dropped: number[];
  first: (number | null)[];
  latency: (number | null)[];
  delay: (number | null)[];
}

async function sample(page: Page, kind: 'wall' | 'bare'): Promise<Sample> {
  return page.evaluate((k) => {
    const w = window as unknown as { __first: Map<HTMLVideoElement, number>; players?: Array<{ latency: number; playingDate: Date | null }> };
    const videos = Array.from(document.querySelectorAll('video')).filter((v) => (k === 'wall' ? v.closest('[data-camera-id]')?.getAttribute('data-camera-id') : true));
    return {
      frames: videos.map((v) => v.getVideoPlaybackQuality().totalVideoFrames),
      dropped: videos.map((v) => v.getVideoPlaybackQuality().droppedVideoFrames),
      first: videos.map((v) => w.__first.get(v) ?? null),
      latency: videos.map((v, i) => {
        if (k === 'wall') {
          const a = v.closest('[data-testid="wall-tile"]')?.getAttribute('data-latency');
          return a ? Number(a) : null;
        }
        const p = w.players?.[i];
        return p && Number.isFinite(p.latency) ? p.latency : null;
      }),
      delay: videos.map((v, i) => {
        if (k === 'wall') {
          const a = v.closest('[data-testid="wall-tile"]')?.getAttribute('data-delay');
          return a ? Number(a) : null;
        }
        const d = w.players?.[i]?.playingDate;
        return d ? (Date.now() - d.getTime()) / 1000 : null;
      }),
    };
  }, kind);
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

async function measure(kind: 'wall' | 'bare', n: number, c: ConsoleProcess, cams: Array<{ id: string; sub: string }>): Promise<Row> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  let bare: { server: Server; url: string } | null = null;
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const chosen = cams.slice(0, n);
    // Time to first frame counts from the moment the page could start its players: the bare page's
    // navigation, the wall's readiness (signed in, catalog loaded).
    let opened = Date.now();
    if (kind === 'wall') {
      // One tile in a 4-grid, so that N = 1 plays the sub stream too (a single-tile layout uses main).
      const layoutKind = n === 1 ? '4' : String(n);
      const size = n === 1 ? 4 : n;
      await setWallLayout(c.url, { kind: layoutKind, cells: Array.from({ length: size }, (_, i) => chosen[i]?.id ?? null), tour: null });
      await page.goto(new URL('/?view=wall', c.url).href);
      await page.locator('html[data-kuzet-ready="login"]').waitFor({ state: 'attached' });
      await page.getByTestId('demo-account-dispatcher').click();
      await page.getByTestId('login-submit').click();
      await page.locator('html[data-kuzet-ready="live"]').waitFor({ state: 'attached' });
      opened = Date.now();
      await page.locator(`[data-testid="wall-tile"][data-camera-id="${chosen[n - 1]!.id}"]`).waitFor();
    } else {
      bare = await serveBare(barePage(chosen.map((x) => x.sub)));
      opened = Date.now();
      await page.goto(bare.url);
    }
    await installProbe(page, opened);
    // Warm-up: until every tile has shown a frame (or the timeout), then a few seconds to settle.
    const started = Date.now();
    for (;;) {
      const s = await sample(page, kind);
      if (s.first.length >= n && s.first.every((f) => f !== null)) break;
      if (Date.now() - started > WARMUP_TIMEOUT_MS) break;
      await page.waitForTimeout(250);
    }
    await page.waitForTimeout(3000);
    const pids = browserPids();
    const a = await sample(page, kind);
    const t0 = cpuTicks(pids);
    const w0 = Date.now();
    await page.waitForTimeout(SECONDS * 1000);
    const b = await sample(page, kind);
    const t1 = cpuTicks(pids);
    const secs = (Date.now() - w0) / 1000;
    const pss = pssKb(browserPids());
    const fps = b.frames.map((f, i) => (f - (a.frames[i] ?? 0)) / secs);
    const shown = b.frames.reduce((x, f, i) => x + f - (a.frames[i] ?? 0), 0);
    const dropped = b.dropped.reduce((x, d, i) => x + d - (a.dropped[i] ?? 0), 0);
    const ttff = b.first.filter((f): f is number => f !== null);
    return {
      page: kind,
      n,
      ttffMedian: median(ttff),
      ttffMax: ttff.length ? Math.max(...ttff) : null,
      fpsMean: mean(fps) ?? 0,
      fpsMin: fps.length ? Math.min(...fps) : 0,
      droppedPct: shown + dropped > 0 ? (100 * dropped) / (shown + dropped) : 0,
      cpuPct: (100 * (t1 - t0)) / HZ / secs,
      pssMb: pss / 1024,
      latency: mean(b.latency.filter((x): x is number => x !== null)),
      delay: mean(b.delay.filter((x): x is number => x !== null)),
      playing: fps.filter((f) => f > 1).length,
    };
  } finally {
    await browser.close();
    bare?.server.close();
  }
}

const f1 = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));

async function main(): Promise<void> {
  const c = await startConsoleProcess();
  const rows: Row[] = [];
  try {
    const cams = await cameras(c.backendUrl, Math.max(...TILES));
    process.stdout.write(`bench:wall  ${new Date().toISOString()}  measured ${SECONDS} s per run; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
    for (const n of TILES) {
      for (const kind of ['bare', 'wall'] as const) {
        const row = await measure(kind, n, c, cams);
        rows.push(row);
        process.stdout.write(`  ${kind.padEnd(4)} N=${String(n).padStart(2)}  ${row.playing}/${n} playing, ${f1(row.fpsMean)} fps, CPU ${f1(row.cpuPct, 0)}%\n`);
      }
    }
  } finally {
    await c.stop();
  }
  const head = ['N', 'page', 'ttff med s', 'ttff max s', 'fps mean', 'fps min', 'dropped %', 'CPU %', 'PSS MB', 'latency s', 'capture->display s', 'playing'];
  const lines = rows.map((r) => [
    String(r.n),
    r.page,
    f1(r.ttffMedian === null ? null : r.ttffMedian / 1000, 2),
    f1(r.ttffMax === null ? null : r.ttffMax / 1000, 2),
    f1(r.fpsMean),
    f1(r.fpsMin),
    f1(r.droppedPct, 2),
    f1(r.cpuPct, 0),
    f1(r.pssMb, 0),
    f1(r.latency, 2),
    f1(r.delay, 2),
    `${r.playing}/${r.n}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((x, i) => x.padStart(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${fmt(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${lines.map(fmt).join('\n')}\n\nwall / bare\n`);
  for (const n of TILES) {
    const w = rows.find((r) => r.n === n && r.page === 'wall');
    const b = rows.find((r) => r.n === n && r.page === 'bare');
    if (w && b) process.stdout.write(`  N=${String(n).padStart(2)}  CPU ${(w.cpuPct / b.cpuPct).toFixed(2)}x   memory ${(w.pssMb / b.pssMb).toFixed(2)}x\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:wall failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
