// Camera health (issue 8) folds each camera's device.status history over a period from the journal:
// an index on the device id inside the event, only over device.status rows, so a school's history
// is read without scanning every event the console has journaled. Frozen: plain SQL.
import type { Migration } from '../migrate';

export const m0009DeviceStatusIndex: Migration = {
  version: 9,
  name: '0009-device-status-index',
  up(db) {
    db.exec(`
      CREATE INDEX events_device_status ON events (stream, json_extract(json, '$.payload.deviceId'), received_at)
        WHERE type = 'device.status';
    `);
  },
};
