/**
 * The Node-side services of one console process, initialised once per data folder.
 *
 *   const services = createServices({ dataDir, host: 'web', backendUrl, embedded: true, version });
 *   await services.router.call('alerts.list', { stream }, { transport: 'ws', peer });
 *   services.close();
 *
 * Throws StoreOpenError (naming the file, leaving it untouched) when the store cannot be opened.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACCEPT_INSECURE_VAULT_SETTING } from '../shared/devices';
import { createLogger } from '../shared/log';
import { TILE_SERVER_SETTING, tileServerOf } from '../shared/tile-server';
import { createEvidence } from './evidence';
import { createMediaGateway, type MediaGateway } from './media-gateway/gateway';
import { createCredentialVault, type SecretCipher } from './onvif/credentials';
import { createRouter, type AppInfo, type Router, type WallWindowHost } from './router';
import { openStore, type Store } from './store';

const log = createLogger('services');

export const DB_FILE_NAME = 'kuzet.db';
/** Snapshot PNGs, beside the store that registers them. */
export const EVIDENCE_DIR_NAME = 'evidence';
/** HLS of watched local streams (removed when nobody watches). */
export const LOCAL_MEDIA_DIR_NAME = 'local-media';

export interface ServicesOptions extends AppInfo {
  dataDir: string;
  /** Check answers against the contract; default: on unless NODE_ENV is 'production'. Electron: pass !app.isPackaged. */
  validateOutputs?: boolean;
  /** The OS vault for device credentials (Electron safeStorage); without one they last the session. */
  cipher?: SecretCipher | null;
  /** Electron: opens the wall in its own window ('wall.openWindow'). */
  wallWindow?: WallWindowHost;
}

export { ACCEPT_INSECURE_VAULT_SETTING };

export interface Services {
  router: Router;
  store: Store;
  /** Local video: hosts serve MEDIA_PATH_PREFIX paths from media.resolveFile. */
  media: MediaGateway;
  /** The configured map tile server's origin (setting 'map.tileServer'), or null: for the hosts' CSP. */
  tileOrigin(): string | null;
  /** Idempotent. */
  close(): void;
}

/** Database files with live services in this process: a second opener would race the first. */
const openFiles = new Set<string>();

export function createServices({ dataDir, validateOutputs, cipher = null, wallWindow, ...app }: ServicesOptions): Services {
  const file = resolve(join(dataDir, DB_FILE_NAME));
  if (openFiles.has(file)) throw new Error(`Services for ${file} are already running in this process; close them first.`);
  mkdirSync(dataDir, { recursive: true });
  const store = openStore(file);
  openFiles.add(file);
  log.info('store open', { file, schema: store.schemaVersion });
  let closed = false;
  const media = createMediaGateway({ rootDir: join(dataDir, LOCAL_MEDIA_DIR_NAME) });
  const router = createRouter({
    store,
    app,
    validateOutputs,
    evidence: createEvidence(join(dataDir, EVIDENCE_DIR_NAME), store.wall),
    vault: createCredentialVault({
      cipher,
      records: cipher ? store.devices.credentials : null,
      riskAccepted: () => store.settings.get(ACCEPT_INSECURE_VAULT_SETTING) === true,
    }),
    media,
    wallWindow,
  });
  return {
    media,
    router,
    store,
    tileOrigin: () => {
      if (closed) return null;
      try {
        return tileServerOf(store.settings.get(TILE_SERVER_SETTING))?.origin ?? null;
      } catch (e) {
        log.warn('tile server setting unreadable; no tile origin allowed', { error: e });
        return null;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      router.close();
      void media.close();
      store.close();
      openFiles.delete(file);
      log.info('store closed', { file });
    },
  };
}
