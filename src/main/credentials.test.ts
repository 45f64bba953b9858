import { describe, expect, it } from 'vitest';
import { describeBackend, safeStorageCipher, type SafeStorageLike } from './credentials';

const storage = (available: boolean, backend?: string): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(s).reverse(),
  decryptString: (b) => Buffer.from(b).reverse().toString(),
  getSelectedStorageBackend: backend ? () => backend : undefined,
});

describe('safeStorage backends', () => {
  it('treats Linux basic_text (and an unknown backend) as insecure, a secret service as secure', () => {
    expect(describeBackend(storage(true, 'basic_text'), 'linux')).toEqual({ backend: 'basic_text', secure: false });
    expect(describeBackend(storage(true), 'linux')).toEqual({ backend: 'unknown', secure: false });
    expect(describeBackend(storage(true, 'gnome_libsecret'), 'linux')).toEqual({ backend: 'gnome_libsecret', secure: true });
    expect(describeBackend(storage(true), 'win32')).toEqual({ backend: 'dpapi', secure: true });
  });

  it('gives no cipher when safeStorage cannot encrypt, so nothing is ever stored', () => {
    expect(safeStorageCipher(storage(false), 'linux')).toBeNull();
    const cipher = safeStorageCipher(storage(true, 'kwallet5'), 'linux')!;
    expect(cipher.decrypt(cipher.encrypt('pw'))).toBe('pw');
  });
});
