// The schema's history, in order. Migrations are frozen once released: fix forward with a new file.
import type { Migration } from '../migrate';
import { m0001Journal } from './0001-journal';
import { m0002Actions } from './0002-actions';
import { m0003Settings } from './0003-settings';
import { m0004Wall } from './0004-wall';
import { m0005Outbox } from './0005-outbox';
import { m0006Devices } from './0006-devices';
import { m0007Plans } from './0007-plans';
import { m0008AlertIndexes } from './0008-alert-indexes';
import { m0009DeviceStatusIndex } from './0009-device-status-index';

export const MIGRATIONS: readonly Migration[] = [m0001Journal, m0002Actions, m0003Settings, m0004Wall, m0005Outbox, m0006Devices, m0007Plans, m0008AlertIndexes, m0009DeviceStatusIndex];
