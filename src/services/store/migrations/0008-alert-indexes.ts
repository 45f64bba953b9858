// Indexes for the two ways the console reads stored alerts besides by id: the active queue at start
// (status) and a report's period (time). Without them both scan every alert the console has ever
// journaled. Frozen: plain SQL.
import type { Migration } from '../migrate';

export const m0008AlertIndexes: Migration = {
  version: 8,
  name: '0008-alert-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX alerts_by_time ON alerts (stream, at);
      CREATE INDEX alerts_by_status ON alerts (stream, status);
    `);
  },
};
