// Local ONVIF devices (what discovery found and what each answered) and device credentials as
// ciphertext. Rows are re-validated when read: a damaged row is skipped and logged.
import type Database from 'better-sqlite3';
import { DeviceCheck, DiscoveredDevice } from '../../shared/devices';
import { createLogger } from '../../shared/log';
import type { CredentialRecord, CredentialRecords } from '../onvif/credentials';

const log = createLogger('devices-store');

export interface LocalDevice {
  key: string;
  endpoint: string;
  address: string;
  xaddr: string;
  discovered: DiscoveredDevice;
  lastCheck: DeviceCheck | null;
  schoolId: string | null;
  cameraId: string | null;
  firstSeen: string;
  lastSeen: string;
}

export interface DevicesStore {
  list(): LocalDevice[];
  /** Insert or refresh from discovery; keeps the placement and the last check. */
  upsertDiscovered(d: DiscoveredDevice, xaddr: string): void;
  saveCheck(key: string, check: DeviceCheck): boolean;
  place(key: string, schoolId: string | null, cameraId: string | null): boolean;
  credentials: CredentialRecords;
}

interface Row {
  key: string;
  endpoint: string;
  address: string;
  xaddr: string;
  discovered: string;
  last_check: string | null;
  school_id: string | null;
  camera_id: string | null;
  first_seen: string;
  last_seen: string;
}

export function deviceKey(d: Pick<DiscoveredDevice, 'id' | 'address'>): string {
  return `${d.id}@${d.address}`;
}

export function createDevicesStore(db: Database.Database, now: () => string): DevicesStore {
  const all = db.prepare<[], Row>('SELECT * FROM local_devices ORDER BY address, key');
  const upsert = db.prepare(
    `INSERT INTO local_devices (key, endpoint, address, xaddr, discovered, first_seen, last_seen) VALUES (@key, @endpoint, @address, @xaddr, @discovered, @at, @at)
     ON CONFLICT (key) DO UPDATE SET xaddr = excluded.xaddr, discovered = excluded.discovered, last_seen = excluded.last_seen`,
  );
  const check = db.prepare<[string, string]>('UPDATE local_devices SET last_check = ? WHERE key = ?');
  const place = db.prepare<[string | null, string | null, string]>('UPDATE local_devices SET school_id = ?, camera_id = ? WHERE key = ?');
  const getCred = db.prepare<[string], { credential_id: string; username: string; backend: string; ciphertext: Buffer }>(
    'SELECT credential_id, username, backend, ciphertext FROM device_credentials WHERE credential_id = ?',
  );
  const putCred = db.prepare(
    `INSERT INTO device_credentials (credential_id, username, backend, ciphertext, updated_at) VALUES (@credentialId, @username, @backend, @ciphertext, @at)
     ON CONFLICT (credential_id) DO UPDATE SET username = excluded.username, backend = excluded.backend, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
  );
  const delCred = db.prepare<[string]>('DELETE FROM device_credentials WHERE credential_id = ?');
  const listCred = db.prepare<[], { credential_id: string; username: string; backend: string }>(
    'SELECT credential_id, username, backend FROM device_credentials ORDER BY credential_id',
  );

  return {
    list() {
      const out: LocalDevice[] = [];
      for (const r of all.all()) {
        const discovered = DiscoveredDevice.safeParse(JSON.parse(r.discovered));
        const lastCheck = r.last_check ? DeviceCheck.safeParse(JSON.parse(r.last_check)) : null;
        if (!discovered.success || (lastCheck && !lastCheck.success)) {
          log.warn('skipping a local device row that no longer fits the schema', { key: r.key });
          continue;
        }
        out.push({
          key: r.key,
          endpoint: r.endpoint,
          address: r.address,
          xaddr: r.xaddr,
          discovered: discovered.data,
          lastCheck: lastCheck?.data ?? null,
          schoolId: r.school_id,
          cameraId: r.camera_id,
          firstSeen: r.first_seen,
          lastSeen: r.last_seen,
        });
      }
      return out;
    },
    upsertDiscovered(d, xaddr) {
      upsert.run({ key: deviceKey(d), endpoint: d.id, address: d.address, xaddr, discovered: JSON.stringify(d), at: now() });
    },
    saveCheck: (key, c) => check.run(JSON.stringify(c), key).changes > 0,
    place: (key, schoolId, cameraId) => place.run(schoolId, cameraId, key).changes > 0,
    credentials: {
      get(id) {
        const r = getCred.get(id);
        return r ? ({ credentialId: r.credential_id, username: r.username, backend: r.backend, ciphertext: Buffer.from(r.ciphertext) } satisfies CredentialRecord) : null;
      },
      put: (r) => void putCred.run({ ...r, at: now() }),
      delete: (id) => void delCred.run(id),
      list: () => listCred.all().map((r) => ({ credentialId: r.credential_id, username: r.username, backend: r.backend })),
    },
  };
}
