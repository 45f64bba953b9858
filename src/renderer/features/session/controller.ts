// Start-up, sign-in, sign-out and the operator's commands: the glue between the console API, the
// city backend and the stores. Views call these functions; they never talk to transports directly.
import { createLogger } from '../../../shared/log';
import { BackendError, BackendLink, fetchSchoolPlan, loadCatalog, login } from '../../lib/backend-client';
import type { ConsoleClient } from '../../lib/console-api';
import { errorRef, type ErrorRef } from '../../lib/errors';
import { applyLanguage, currentLanguage, isLanguage, LOCALE_SETTING, type Language } from '../../lib/i18n';
import { restoreLocalAlertState, useLocalAlertState } from '../alerts/local-actions';
import { useAlertsStore } from '../alerts/store';
import { TIME_LIMITS_SETTING, useTimeLimits } from '../alerts/time-limits';
import { useCatalogStore } from '../catalog/store';
import { useCommandsStore, type CommandInput, type CommandOutcome } from '../commands/store';
import { resetCoverage } from '../compliance/store';
import { useLinkStore } from '../link/store';
import { useCameraHealthStore } from '../wall/camera-health';
import { useWallStore } from '../wall/store';
import { isWallView } from '../wall/WallWindow';
import { wallPlan } from '../../lib/catalog-slim';
import { clearStoredSession, readStoredSession, storeSession } from './persist';
import { useSessionStore, type ActiveSession } from './store';
import { useEvacuationStore } from '../fire/evacuation-store';
import { resetFireLinkage } from '../fire/linkage';
import { useDeviceStatusStore } from '../plan/device-status-store';
import { useTelemetryStore } from '../telemetry/store';
import { followPlanUpdates } from '../plan-editor/plan-sync';
import { usePlanEditorStore } from '../plan-editor/store';

const log = createLogger('session');

let api: ConsoleClient | null = null;
let link: BackendLink | null = null;

function client(): ConsoleClient {
  if (!api) throw new Error('console not booted');
  return api;
}

/** Resets every feature store (logout, tests). */
export function resetFeatureStores(): void {
  useAlertsStore.getState().reset();
  useDeviceStatusStore.getState().reset();
  useCatalogStore.getState().reset();
  useCommandsStore.getState().reset();
  useWallStore.getState().reset();
  useCameraHealthStore.getState().reset();
  useLinkStore.getState().reset();
  useLocalAlertState.getState().reset();
  useTelemetryStore.getState().reset();
  usePlanEditorStore.getState().reset();
  useEvacuationStore.getState().reset();
  resetFireLinkage();
  resetCoverage();
}

/** Per-class time limits from the settings (alerts/time-limits.ts); defaults when unset or invalid. */
async function loadTimeLimits(): Promise<void> {
  try {
    const { value } = await client()['settings.get']({ key: TIME_LIMITS_SETTING });
    if (!useTimeLimits.getState().configure(value)) log.warn('ignoring an invalid alerts.timeLimits setting');
  } catch (e) {
    log.warn('could not read the time limits', { error: e });
  }
}

export async function boot(consoleApi: ConsoleClient): Promise<void> {
  api = consoleApi;
  const session = useSessionStore.getState();
  try {
    const info = await consoleApi['app.info']({});
    session.setInfo(info);
    await restoreLanguage();
    await loadTimeLimits();
    consoleApi.on('settings.changed', ({ key }) => {
      if (key === LOCALE_SETTING) void restoreLanguage();
      if (key === TIME_LIMITS_SETTING) void loadTimeLimits();
    });
    const stored = readStoredSession(info.backendUrl);
    if (stored) await beginSession(stored);
    else session.showLogin(null);
  } catch (e) {
    log.error('console start failed', { error: e });
    session.fatal(errorRef(e));
  }
}

async function restoreLanguage(): Promise<void> {
  try {
    const { value } = await client()['settings.get']({ key: LOCALE_SETTING });
    if (isLanguage(value)) await applyLanguage(value);
  } catch (e) {
    log.warn('could not read the language setting', { error: e });
  }
}

/** Switches the language now and keeps the choice; a failure to save is logged and rethrown. */
export async function chooseLanguage(lng: Language): Promise<void> {
  if (lng === currentLanguage()) return;
  await applyLanguage(lng);
  try {
    await client()['settings.set']({ key: LOCALE_SETTING, value: lng });
  } catch (e) {
    log.warn('could not save the language setting', { error: e });
    throw e;
  }
}

/** Throws BackendError / ConsoleApiError for the login form to show. */
export async function signIn(username: string, password: string): Promise<void> {
  const info = useSessionStore.getState().info;
  if (!info) throw new Error('console not booted');
  const response = await login(info.backendUrl, username, password);
  const session: ActiveSession = { backendUrl: info.backendUrl, login: response };
  storeSession(session);
  await beginSession(session);
}

export function signOut(): void {
  endSession(null);
}

function endSession(notice: ErrorRef | null): void {
  link?.close();
  link = null;
  clearStoredSession();
  resetFeatureStores();
  useSessionStore.getState().showLogin(notice);
}

async function beginSession(session: ActiveSession): Promise<void> {
  link?.close();
  resetFeatureStores();
  useSessionStore.getState().activate(session);
  const current = new BackendLink({
    api: client(),
    backendUrl: session.backendUrl,
    session: session.login,
    onUnauthorized: (detail) => {
      if (link !== current) return;
      log.warn('the backend refused the session token; signing out');
      endSession({ source: 'backend', code: 'unauthorized', detail });
    },
  });
  link = current;
  // A wall-only window keeps only what the wall shows of the catalog (lib/catalog-slim.ts).
  const wall = isWallView();
  followPlanUpdates((schoolId) => fetchSchoolPlan(session.backendUrl, session.login.token, schoolId).then((p) => (wall ? wallPlan(p) : p)));

  const catalog = useCatalogStore.getState();
  catalog.loading();
  void loadCatalog(session.backendUrl, session.login.token, { wall }).then(
    (c) => {
      if (link === current) useCatalogStore.getState().load(c);
    },
    (e: unknown) => {
      if (link !== current) return;
      if (e instanceof BackendError && e.code === 'unauthorized') {
        // An expired or revoked token after a reload: back to the login form, not an error.
        log.warn('the backend refused the stored session', { error: e });
        endSession(errorRef(e));
        return;
      }
      log.error('catalog failed to load', { error: e });
      useCatalogStore.getState().fail(errorRef(e));
    },
  );

  try {
    await Promise.all([current.start(), restoreLocalAlertState()]);
    if (link === current) useSessionStore.getState().setAlertsLoaded();
  } catch (e) {
    if (link !== current) return;
    log.error('session start failed', { error: e });
    endSession(errorRef(e));
  }
}

export function acknowledge(alertId: string): Promise<CommandOutcome | null> {
  return link ? link.acknowledge(alertId) : Promise.resolve(null);
}

/** Any operator command on an alert (claim, release, escalate, resolve, feedback …). */
export function sendCommand(input: CommandInput): Promise<CommandOutcome | null> {
  return link ? link.command(input) : Promise.resolve(null);
}

/** The console API of this window, for features that keep local records (audit, settings). */
export function consoleApi(): ConsoleClient | null {
  return api;
}
