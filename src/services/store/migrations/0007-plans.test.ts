import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { columns, rawDatabase, tables } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';
const SHA = 'a'.repeat(64);

describe('migration 0007-plans', () => {
  it('adds plan backgrounds and drafts to a version-6 database and keeps its settings', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 6 });
    db.prepare('INSERT INTO settings (key, json, updated_at) VALUES (?, ?, ?)').run('locale', '"kk"', NOW);

    migrate(db, { target: 7 });

    expect(schemaVersion(db)).toBe(7);
    expect(tables(db)).toEqual(expect.arrayContaining(['plan_backgrounds', 'plan_drafts']));
    expect(columns(db, 'plan_drafts')).toEqual(['school_id', 'floor_id', 'version', 'json', 'background_id', 'saved_at', 'sent_version']);
    expect(db.prepare('SELECT json FROM settings').all()).toEqual([{ json: '"kk"' }]);
    db.close();
  });

  it('holds backgrounds as bytes of a known kind only, and drafts as JSON pointing at a kept background', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 7 });
    const bg = db.prepare('INSERT INTO plan_backgrounds (id, media_type, width, height, data, removed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    bg.run(SHA, 'image/png', 10, 10, Buffer.from([1]), '[]', NOW);
    expect(() => bg.run('b'.repeat(64), 'text/html', 10, 10, Buffer.from([1]), '[]', NOW)).toThrow(/CHECK/);
    expect(() => bg.run('c'.repeat(64), 'image/svg+xml', 10, 10, '<svg onload=alert(1)>', '[]', NOW)).toThrow();
    const draft = db.prepare('INSERT INTO plan_drafts (school_id, floor_id, version, json, background_id, saved_at) VALUES (?, ?, ?, ?, ?, ?)');
    draft.run('GYM1', 'F1', 1, '{}', SHA, NOW);
    expect(() => draft.run('GYM1', 'F1', 2, '{"a":', null, NOW)).toThrow(/CHECK/);
    expect(() => draft.run('GYM1', 'F1', 3, '{}', 'd'.repeat(64), NOW)).toThrow(/FOREIGN KEY/);
    expect(() => draft.run('GYM1', 'F1', 1, '{}', null, NOW)).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
});
