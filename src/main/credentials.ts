/**
 * The OS credential vault for device passwords: Electron safeStorage as a SecretCipher for the
 * services' credential vault (src/services/onvif/credentials.ts). Call after `app` is ready
 * (safeStorage picks its Linux backend then).
 *
 *   const cipher = safeStorageCipher(safeStorage, process.platform);
 *   createCredentialVault({ cipher, records, riskAccepted });
 *
 * Kept thin on purpose (no Electron binary on the build machine): the decision logic is in
 * `describeBackend`, tested without Electron.
 */
import type { SecretCipher } from '../services/onvif/credentials';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Backend name and whether it protects the key. Linux `basic_text` uses a key built into Chromium. */
export function describeBackend(storage: SafeStorageLike, platform: NodeJS.Platform): { backend: string; secure: boolean } {
  if (!storage.isEncryptionAvailable()) return { backend: 'unavailable', secure: false };
  if (platform === 'linux') {
    const backend = storage.getSelectedStorageBackend?.() ?? 'unknown';
    return { backend, secure: backend !== 'basic_text' && backend !== 'unknown' };
  }
  return { backend: platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : platform, secure: true };
}

/** null when safeStorage cannot encrypt at all: the vault then keeps credentials for the session only. */
export function safeStorageCipher(storage: SafeStorageLike, platform: NodeJS.Platform): SecretCipher | null {
  const { backend, secure } = describeBackend(storage, platform);
  if (backend === 'unavailable') return null;
  return {
    backend,
    secure,
    encrypt: (plain) => storage.encryptString(plain),
    decrypt: (cipher) => storage.decryptString(cipher),
  };
}
