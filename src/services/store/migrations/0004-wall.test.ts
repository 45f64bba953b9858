import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { columns, rawDatabase, tables } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0004-wall', () => {
  it('adds wall layouts and evidence to a version-3 database and keeps its settings', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 3 });
    db.prepare('INSERT INTO settings (key, json, updated_at) VALUES (?, ?, ?)').run('ui.locale', '"ru"', NOW);

    migrate(db, { target: 4 });

    expect(schemaVersion(db)).toBe(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['wall_layouts', 'evidence']));
    expect(columns(db, 'wall_layouts')).toEqual(['name', 'json', 'updated_at']);
    expect(columns(db, 'evidence')).toEqual(['id', 'camera_id', 'captured_at', 'operator', 'file', 'sha256', 'bytes', 'created_at']);
    expect(db.prepare('SELECT json FROM settings').all()).toEqual([{ json: '"ru"' }]);
    db.close();
  });

  it('refuses a layout that is not JSON and an evidence row without a full hash', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 4 });
    const layout = db.prepare('INSERT INTO wall_layouts (name, json, updated_at) VALUES (?, ?, ?)');
    layout.run('Entrances', '{"kind":"4"}', NOW);
    expect(() => layout.run('Broken', '{"kind":', NOW)).toThrow(/CHECK/);
    const evidence = db.prepare(
      'INSERT INTO evidence (id, camera_id, captured_at, operator, file, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    evidence.run('e1', 'cam-1', NOW, 'Dispatcher', 'a.png', 'a'.repeat(64), 10, NOW);
    expect(() => evidence.run('e2', 'cam-1', NOW, 'Dispatcher', 'b.png', 'abc', 10, NOW)).toThrow(/CHECK/);
    db.close();
  });
});
