// The console's link-history request: a valid reply is returned as is; a reply that does not
// validate, or a refusal, becomes a BackendError the Network tab shows in words (it never reaches
// the chart). The renderer may not open sockets itself, so fetch answers here (as in
// backend-client.test.ts); the request against the real simulator is in e2e/board.spec.ts.
import { describe, expect, it } from 'vitest';
import { BackendError, fetchLinkHistory } from './backend-http';

const GOOD = { schoolId: 'S1', bucketMs: 60_000, from: 0, to: 120_000, budget: { alarm: 20, video: 30, education: 100 }, points: [{ at: 0, samples: 60, minMbps: 19, meanMbps: 20, maxMbps: 21, alarm: 3, video: 10, education: 7 }] };
let answer: { status: number; body: string } = { status: 200, body: '' };
let asked = '';
const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
  asked = `${String(input)} ${new Headers(init?.headers).get('authorization')}`;
  return new Response(answer.body, { status: answer.status, headers: { 'content-type': 'application/json' } });
}) as typeof fetch;
const url = 'http://backend.test';

async function failure(body: unknown, status = 200): Promise<BackendError> {
  answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
  const e = await fetchLinkHistory(url, 'tok', 'S1', { from: 0, to: 120_000 }, { fetch: fetchImpl }).then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof BackendError)) throw new Error(`expected a BackendError, got ${String(e)}`);
  return e;
}

describe('fetchLinkHistory', () => {
  it('asks for the window with the token and returns a valid reply', async () => {
    answer = { status: 200, body: JSON.stringify(GOOD) };
    await expect(fetchLinkHistory(url, 'tok', 'S 1', { from: 1.7, to: 120_000 }, { fetch: fetchImpl })).resolves.toEqual(GOOD);
    expect(asked).toBe('http://backend.test/api/schools/S%201/link-history?from=1&to=120000 Bearer tok');
  });

  it('turns a malformed reply or a refusal into a readable BackendError', async () => {
    const bad = await failure({ ...GOOD, points: [{ ...GOOD.points[0], minMbps: 50 }] });
    expect(bad.code).toBe('bad_response');
    expect(bad.message).toMatch(/link history: .*min <= mean <= max/);
    expect((await failure('not json')).code).toBe('bad_response');
    expect((await failure({ ...GOOD, points: 'x' })).code).toBe('bad_response');
    const refused = await failure({ error: { code: 'forbidden', message: 'this account sees its own school only' } }, 403);
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toContain('its own school only');
  });
});
