/**
 * Device credentials: kept for the session in memory, persisted only as ciphertext from the OS
 * vault, never written or logged in plain text.
 *
 *   const vault = createCredentialVault({ cipher, records, riskAccepted: () => settings.get(...) === true });
 *   const { persisted, reason } = vault.save('school-1/nvr', { username, password });
 *   const cred = vault.load('school-1/nvr');
 *
 * Who provides what:
 * - Electron (src/main/credentials.ts): a cipher over safeStorage. On Linux without a secret
 *   service safeStorage falls back to `basic_text` (a key hard-coded in Chromium): that cipher is
 *   marked insecure and nothing is persisted unless the operator has accepted the risk.
 * - Browser mode and tests: no cipher. Credentials live in this process's memory until it stops.
 *   Reaching the OS keyring from a plain Node process would need a native module or D-Bus client
 *   the project does not carry; a headquarters screen in a browser re-enters them after a restart.
 */
import { createLogger } from '../../shared/log';

const log = createLogger('credentials');

export interface SecretCipher {
  /** safeStorage backend name, e.g. gnome_libsecret, kwallet5, basic_text, keychain, dpapi. */
  readonly backend: string;
  /** False for backends that do not protect the key (basic_text). */
  readonly secure: boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface CredentialRecord {
  credentialId: string;
  username: string;
  backend: string;
  ciphertext: Buffer;
}

/** Where ciphertexts are kept (the store's device_credentials table; a Map in tests). */
export interface CredentialRecords {
  get(id: string): CredentialRecord | null;
  put(record: CredentialRecord): void;
  delete(id: string): void;
  list(): { credentialId: string; username: string; backend: string }[];
}

export interface DeviceCredential {
  username: string;
  password: string;
}

export interface VaultStatus {
  /** Whether a save can outlive this process. */
  persistent: boolean;
  backend: string | null;
  secure: boolean;
  riskAccepted: boolean;
  /** Why nothing is persisted, in English (the UI localises by the other fields). */
  reason: string | null;
}

export interface CredentialVault {
  status(): VaultStatus;
  save(id: string, credential: DeviceCredential): { persisted: boolean; reason: string | null };
  /** Keep for this session only (a credential the device accepted but the operator did not ask to store). */
  hold(id: string, credential: DeviceCredential): void;
  load(id: string): DeviceCredential | null;
  remove(id: string): void;
  list(): { id: string; username: string; persisted: boolean }[];
}

export function memoryRecords(): CredentialRecords {
  const rows = new Map<string, CredentialRecord>();
  return {
    get: (id) => rows.get(id) ?? null,
    put: (r) => void rows.set(r.credentialId, { ...r, ciphertext: Buffer.from(r.ciphertext) }),
    delete: (id) => void rows.delete(id),
    list: () => [...rows.values()].map(({ credentialId, username, backend }) => ({ credentialId, username, backend })),
  };
}

export function createCredentialVault(deps: { cipher: SecretCipher | null; records: CredentialRecords | null; riskAccepted?: () => boolean }): CredentialVault {
  const session = new Map<string, DeviceCredential>();
  const riskAccepted = () => deps.riskAccepted?.() === true;

  const status = (): VaultStatus => {
    const { cipher, records } = deps;
    if (!cipher || !records) {
      return { persistent: false, backend: null, secure: false, riskAccepted: false, reason: 'no OS credential vault in this host: credentials are kept until the console stops' };
    }
    if (!cipher.secure && !riskAccepted()) {
      return {
        persistent: false,
        backend: cipher.backend,
        secure: false,
        riskAccepted: false,
        reason: `the OS vault backend "${cipher.backend}" does not protect stored secrets; credentials are kept until the console stops unless the operator accepts the risk`,
      };
    }
    return { persistent: true, backend: cipher.backend, secure: cipher.secure, riskAccepted: riskAccepted(), reason: null };
  };

  return {
    status,
    save(id, credential) {
      session.set(id, { ...credential });
      const s = status();
      if (!s.persistent) return { persisted: false, reason: s.reason };
      // Encrypted as one JSON document so that the user name is bound to its password.
      const ciphertext = deps.cipher!.encrypt(JSON.stringify({ u: credential.username, p: credential.password }));
      deps.records!.put({ credentialId: id, username: credential.username, backend: deps.cipher!.backend, ciphertext });
      log.info('device credential saved', { id, backend: deps.cipher!.backend });
      return { persisted: true, reason: null };
    },
    hold(id, credential) {
      session.set(id, { ...credential });
    },
    load(id) {
      const inSession = session.get(id);
      if (inSession) return { ...inSession };
      const { cipher, records } = deps;
      const row = records?.get(id);
      if (!row || !cipher) return null;
      if (row.backend !== cipher.backend) {
        log.warn('device credential sealed by another vault backend; re-enter it', { id, stored: row.backend, current: cipher.backend });
        return null;
      }
      try {
        const parsed = JSON.parse(cipher.decrypt(row.ciphertext)) as { u?: unknown; p?: unknown };
        if (typeof parsed.u !== 'string' || typeof parsed.p !== 'string') return null;
        const cred = { username: parsed.u, password: parsed.p };
        session.set(id, cred);
        return { ...cred };
      } catch {
        log.warn('device credential cannot be decrypted; re-enter it', { id });
        return null;
      }
    },
    remove(id) {
      session.delete(id);
      deps.records?.delete(id);
    },
    list() {
      const out = new Map<string, { id: string; username: string; persisted: boolean }>();
      for (const r of deps.records?.list() ?? []) out.set(r.credentialId, { id: r.credentialId, username: r.username, persisted: true });
      for (const [id, c] of session) if (!out.has(id)) out.set(id, { id, username: c.username, persisted: false });
      return [...out.values()];
    },
  };
}
