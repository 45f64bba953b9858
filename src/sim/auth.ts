// Accounts and bearer tokens. A token is `v1.<payload>.<signature>`: base64url JSON claims signed
// with HMAC-SHA256 under the instance secret (see identity.ts). It carries the user's id and the
// backend it belongs to; role and scope always come from the account table, so they cannot be
// forged and a token from another simulator is refused.
import { createHmac, scryptSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Role, Scope } from '../shared/domain';
import type { User } from '../shared/protocol';
import { err, ok, type Result } from '../shared/result';
import { GYM1_ID } from './catalog';

export interface Account {
  username: string;
  password: string;
  role: Role;
  label: string;
  user: User;
}

export const DEFAULT_TOKEN_TTL_MS = 12 * 3600_000;

const DEMO: ReadonlyArray<{ username: string; password: string; label: string; id: string; name: string; role: Role; scope: Scope }> = [
  {
    username: 'dispatcher',
    password: 'kuzet-dispatcher',
    label: 'Police dispatcher, Emergency Management Center (whole city)',
    id: 'u-dispatcher',
    name: 'Aidos Nurlanov',
    role: 'dispatcher',
    scope: { kind: 'city' },
  },
  {
    username: 'duty',
    password: 'kuzet-duty',
    label: 'Education department duty officer (whole city)',
    id: 'u-duty',
    name: 'Gulnara Sadykova',
    role: 'duty_officer',
    scope: { kind: 'city' },
  },
  {
    username: 'guard.gym1',
    password: 'kuzet-guard',
    label: 'Security guard, Gymnasium No. 1 named after A. S. Pushkin',
    id: 'u-guard-gym1',
    name: 'Bolat Tokhtarov',
    role: 'guard',
    scope: { kind: 'school', schoolId: GYM1_ID },
  },
];

/**
 * The three operator accounts. In demo mode the passwords are the well-known ones above (and
 * published by GET /api/demo-accounts); otherwise each is derived from the instance secret, so it
 * is stable across restarts of one data directory and unguessable from outside.
 */
export function createAccounts(demo: boolean, secret: string): Account[] {
  return DEMO.map((a) => ({
    username: a.username,
    password: demo ? a.password : createHmac('sha256', secret).update(`password:${a.username}`).digest('base64url').slice(0, 16),
    role: a.role,
    label: a.label,
    user: { id: a.id, name: a.name, role: a.role, scope: a.scope },
  }));
}

const Claims = z.strictObject({
  sub: z.string().max(128),
  bid: z.string().max(100),
  iat: z.number().int(),
  exp: z.number().int(),
});

export class Auth {
  private readonly byUsername = new Map<string, { account: Account; salt: Buffer; hash: Buffer }>();
  private readonly byUserId = new Map<string, Account>();
  private readonly key: Buffer;

  constructor(
    accounts: Account[],
    secret: string,
    private readonly backendId: string,
    private readonly now: () => number,
    private readonly ttlMs = DEFAULT_TOKEN_TTL_MS,
  ) {
    this.key = Buffer.from(secret, 'hex');
    for (const account of accounts) {
      // Hashed even though the simulator knows the password: login then costs the same for a known
      // and an unknown user, so response timing does not reveal which usernames exist.
      const salt = randomBytes(16);
      this.byUsername.set(account.username, { account, salt, hash: hashPassword(account.password, salt) });
      this.byUserId.set(account.user.id, account);
    }
  }

  login(username: string, password: string): Result<{ token: string; user: User }> {
    const entry = this.byUsername.get(username);
    const candidate = hashPassword(password, entry?.salt ?? DUMMY_SALT);
    if (!entry || !timingSafeEqual(candidate, entry.hash)) return err('unauthorized', 'wrong username or password');
    return ok({ token: this.issue(entry.account.user.id), user: entry.account.user });
  }

  issue(userId: string): string {
    const iat = this.now();
    const claims: z.infer<typeof Claims> = { sub: userId, bid: this.backendId, iat, exp: iat + this.ttlMs };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `v1.${payload}.${this.sign(payload)}`;
  }

  verify(token: string): Result<User> {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1') return err('unauthorized', 'malformed token');
    const [, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return err('unauthorized', 'invalid token signature');
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return err('unauthorized', 'malformed token');
    }
    const claims = Claims.safeParse(raw);
    if (!claims.success) return err('unauthorized', 'malformed token');
    if (claims.data.bid !== this.backendId) return err('unauthorized', 'token was issued by another backend');
    if (claims.data.exp <= this.now()) return err('unauthorized', 'token expired; log in again');
    const account = this.byUserId.get(claims.data.sub);
    if (!account) return err('unauthorized', 'unknown user');
    return ok(account.user);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(`v1.${payload}`).digest('base64url');
  }
}

const DUMMY_SALT = randomBytes(16);

function hashPassword(password: string, salt: Buffer): Buffer {
  // Low cost on purpose: demo credentials on a simulator; tests start many instances.
  return scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
}

/** Extracts the token from an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,4096})\s*$/.exec(header);
  return m ? m[1]! : null;
}
