import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { columns, rawDatabase, tables } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0006-devices', () => {
  it('adds local devices and credentials to a version-5 database and keeps its settings', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 5 });
    db.prepare('INSERT INTO settings (key, json, updated_at) VALUES (?, ?, ?)').run('wall.grid', '{"tiles":25}', NOW);

    migrate(db, { target: 6 });

    expect(schemaVersion(db)).toBe(6);
    expect(tables(db)).toEqual(expect.arrayContaining(['local_devices', 'device_credentials']));
    expect(columns(db, 'device_credentials')).toEqual(['credential_id', 'username', 'backend', 'ciphertext', 'updated_at']);
    expect(db.prepare('SELECT json FROM settings').all()).toEqual([{ json: '{"tiles":25}' }]);
    db.close();
  });

  it('cannot hold a password as text: the ciphertext column takes bytes only', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 6 });
    const insert = db.prepare('INSERT INTO device_credentials (credential_id, username, backend, ciphertext, updated_at) VALUES (?, ?, ?, ?, ?)');
    insert.run('c1', 'admin', 'gnome_libsecret', Buffer.from([1, 2, 3]), NOW);
    expect(() => insert.run('c2', 'admin', 'gnome_libsecret', 'plain-password', NOW)).toThrow();
    expect(() => insert.run('c3', 'admin', 'gnome_libsecret', Buffer.alloc(0), NOW)).toThrow(/CHECK/);
    db.close();
  });

  it('refuses a device record whose JSON is damaged', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 6 });
    const insert = db.prepare(
      'INSERT INTO local_devices (key, endpoint, address, xaddr, discovered, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('uuid:1@10.0.0.2', 'uuid:1', '10.0.0.2', 'http://10.0.0.2/onvif/device_service', '{}', NOW, NOW);
    expect(() => insert.run('uuid:2@10.0.0.3', 'uuid:2', '10.0.0.3', 'http://10.0.0.3/', '{"a":', NOW, NOW)).toThrow(/CHECK/);
    db.close();
  });
});
