import { describe, expect, it } from 'vitest';
import { tempFolder } from '../testing';
import { LATEST_VERSION, migrate, schemaVersion, type Migration } from './migrate';
import { MIGRATIONS } from './migrations';
import { rawDatabase, tables } from './migrations/schema-helpers';

describe('migrate', () => {
  it('brings a new database to the latest version, and a second run changes nothing', () => {
    const db = rawDatabase(tempFolder().file);
    expect(migrate(db)).toEqual({ from: 0, to: LATEST_VERSION });
    expect(migrate(db)).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('rolls a failing migration back completely and keeps the previous version', () => {
    const db = rawDatabase(tempFolder().file);
    const broken: Migration[] = [
      { version: 1, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') },
      {
        version: 2,
        name: 'fails half-way',
        up: (d) => {
          d.exec('CREATE TABLE b (x INTEGER) STRICT');
          throw new Error('disk full');
        },
      },
    ];
    expect(() => migrate(db, { migrations: broken })).toThrow('disk full');
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['a']);
    db.close();
  });

  it('refuses a migration list with a hole in its numbering', () => {
    const db = rawDatabase(tempFolder().file);
    const holed: Migration[] = [{ version: 2, name: 'two', up: () => undefined }];
    expect(() => migrate(db, { migrations: holed })).toThrow(/numbered 2, expected 1/);
    db.close();
  });
});
