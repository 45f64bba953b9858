// Method and push-event names of the console API without its schemas, so the preload script can
// build window.kuzet from the contract's keys without bundling the validators.
export const METHOD_NAMES = [
  'app.info',
  'journal.append',
  'journal.cursor',
  'journal.reset',
  'journal.recordMalformed',
  'journal.deviceStates',
  'journal.evacuation',
  'alerts.list',
  'actions.record',
  'alerts.localState',
  'settings.get',
  'settings.set',
  'wall.layouts.list',
  'wall.layouts.save',
  'wall.layouts.delete',
  'wall.openWindow',
  'evidence.snapshot',
  'evidence.list',
  'evidence.open',
  'outbox.add',
  'outbox.list',
  'outbox.remove',
  'outbox.attempted',
  'devices.discover',
  'devices.cancelDiscovery',
  'devices.list',
  'devices.check',
  'devices.vaultStatus',
  'devices.place',
  'devices.localCameras',
  'devices.snapshot',
  'ptz.move',
  'ptz.stop',
  'ptz.presets',
  'ptz.gotoPreset',
  'media.watch',
  'media.watchCamera',
  'media.renew',
  'media.release',
  'media.list',
  'plans.importBackground',
  'plans.saveDraft',
  'plans.getDraft',
  'plans.markSent',
] as const;

export const PUSH_EVENT_NAMES = ['settings.changed', 'wall.layouts.changed', 'devices.progress', 'devices.changed'] as const;

/** The one IPC channel per direction. */
export const IPC_CALL_CHANNEL = 'kuzet:call';
export const IPC_PUSH_CHANNEL = 'kuzet:push';
