// Local ONVIF devices and their credentials. Credentials are stored only as ciphertext produced by
// the OS vault (Electron safeStorage); the column cannot hold text, and the backend that encrypted
// a row is kept so a row sealed by an insecure backend can be found and refused later. Frozen:
// plain SQL.
import type { Migration } from '../migrate';

export const m0006Devices: Migration = {
  version: 6,
  name: '0006-devices',
  up(db) {
    db.exec(`
      CREATE TABLE local_devices (
        -- Endpoint UUID and address as discovery reported them: 'urn:uuid:...@10.1.0.2'.
        key TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        address TEXT NOT NULL,
        xaddr TEXT NOT NULL,
        -- Last DiscoveredDevice and DeviceCheck as JSON (validated by the services on the way out).
        discovered TEXT NOT NULL CHECK (json_valid(discovered)),
        last_check TEXT CHECK (last_check IS NULL OR json_valid(last_check)),
        -- Catalog placement, when an operator registered the device.
        school_id TEXT,
        camera_id TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
      ) STRICT;
      CREATE INDEX local_devices_by_address ON local_devices (address);
      CREATE INDEX local_devices_by_endpoint ON local_devices (endpoint);

      CREATE TABLE device_credentials (
        credential_id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        backend TEXT NOT NULL,
        ciphertext BLOB NOT NULL CHECK (typeof(ciphertext) = 'blob' AND length(ciphertext) > 0),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
