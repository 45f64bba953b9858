// The console's strings, one file per feature with its three languages side by side, so that work
// on one feature touches one file. A new feature adds its file here; locales.test.ts checks that
// every language has exactly the keys English has.
import alerts from './alerts.json';
import board from './board.json';
import cameraHealth from './camera-health.json';
import boardReport from './board-report.json';
import city from './city.json';
import cityCluster from './city-cluster.json';
import core from './core.json';
import coverage from './coverage.json';
import devices from './devices.json';
import dispatch from './dispatch.json';
import editor from './editor.json';
import localVideo from './local-video.json';
import net from './net.json';
import wallBudget from './wall-budget.json';
import fire from './fire.json';
import plan from './plan.json';
import schoolDetail from './school-detail.json';
import planLive from './plan-live.json';
import planBackground from './plan-background.json';
import wall from './wall.json';

/** Every feature's strings; each entry is { en, ru, kk }. */
// One entry per line: features are added by different people at the same time.
export const LOCALE_PARTS = {
  core,
  alerts,
  wall,
  plan,
  planLive,
  city,
  devices,
  dispatch,
  board,
  cameraHealth,
  coverage,
  boardReport,
  schoolDetail,
  localVideo,
  editor,
  fire,
  planBackground,
  cityCluster,
  net,
  wallBudget,
} as const;

type Parts = typeof LOCALE_PARTS;
type Merge<L extends 'en' | 'ru' | 'kk'> = { [P in keyof Parts]: Parts[P][L] }[keyof Parts];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export type Translation = UnionToIntersection<Merge<'en'>>;

function merged(lang: 'en' | 'ru' | 'kk'): Record<string, unknown> {
  return Object.assign({}, ...Object.values(LOCALE_PARTS).map((part) => part[lang])) as Record<string, unknown>;
}

export const en = merged('en') as Translation;
export const ru = merged('ru');
export const kk = merged('kk');
