import { describe, expect, it } from 'vitest';
import { captureLogs } from '../testing';
import { createCredentialVault, memoryRecords, type SecretCipher } from './credentials';

/** A stand-in for safeStorage: XOR is not encryption, it only proves nothing is stored as given. */
function fakeCipher(backend: string, secure: boolean): SecretCipher {
  const key = 0x5a;
  return {
    backend,
    secure,
    encrypt: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ key)),
    decrypt: (b) => Buffer.from(b.map((x) => x ^ key)).toString('utf8'),
  };
}

const CRED = { username: 'onvif-admin', password: 'S3cret!pw' };

describe('credential vault', () => {
  it('persists only ciphertext with a secure backend, and reads it back in a new session', () => {
    const records = memoryRecords();
    const vault = createCredentialVault({ cipher: fakeCipher('gnome_libsecret', true), records });
    expect(vault.save('school-1/nvr', CRED)).toEqual({ persisted: true, reason: null });
    const row = records.get('school-1/nvr')!;
    expect(row.ciphertext.toString('utf8')).not.toContain(CRED.password);
    const later = createCredentialVault({ cipher: fakeCipher('gnome_libsecret', true), records });
    expect(later.load('school-1/nvr')).toEqual(CRED);
  });

  it('refuses to persist on basic_text unless the operator accepted the risk', () => {
    const records = memoryRecords();
    let accepted = false;
    const vault = createCredentialVault({ cipher: fakeCipher('basic_text', false), records, riskAccepted: () => accepted });
    const first = vault.save('cam', CRED);
    expect(first.persisted).toBe(false);
    expect(first.reason).toMatch(/basic_text/);
    expect(records.list()).toEqual([]);
    // Still usable for this session.
    expect(vault.load('cam')).toEqual(CRED);
    accepted = true;
    expect(vault.status()).toMatchObject({ persistent: true, secure: false, riskAccepted: true });
    expect(vault.save('cam', CRED).persisted).toBe(true);
  });

  it('keeps credentials for the session only where there is no OS vault (browser mode, tests)', () => {
    const vault = createCredentialVault({ cipher: null, records: null });
    expect(vault.status()).toMatchObject({ persistent: false, backend: null });
    expect(vault.save('cam', CRED).persisted).toBe(false);
    expect(vault.load('cam')).toEqual(CRED);
    expect(vault.list()).toEqual([{ id: 'cam', username: CRED.username, persisted: false }]);
    vault.remove('cam');
    expect(vault.load('cam')).toBeNull();
  });

  it('does not hand back a secret sealed by another backend or one that fails to decrypt', () => {
    const records = memoryRecords();
    createCredentialVault({ cipher: fakeCipher('kwallet5', true), records }).save('cam', CRED);
    expect(createCredentialVault({ cipher: fakeCipher('gnome_libsecret', true), records }).load('cam')).toBeNull();
    const broken: SecretCipher = { ...fakeCipher('kwallet5', true), decrypt: () => { throw new Error('bad key'); } };
    expect(createCredentialVault({ cipher: broken, records }).load('cam')).toBeNull();
  });

  it('never logs a password', () => {
    const logs = captureLogs();
    const vault = createCredentialVault({ cipher: fakeCipher('gnome_libsecret', true), records: memoryRecords() });
    vault.save('cam', CRED);
    vault.load('cam');
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(CRED.password);
  });
});
