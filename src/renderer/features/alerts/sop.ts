// Standard operating procedures: the checklist an operator works through for each alert type. The
// step texts are in the locales (sop.<step>); the steps done are recorded in the audit log.
import type { AlertType } from '../../../shared/domain';

export type SopStep = 'verifyVideo' | 'callPolice' | 'dispatchCrew' | 'lockdown' | 'evacuate' | 'callFire' | 'unlockTurnstiles' | 'informSchool' | 'callMedical' | 'sendTechnician' | 'record';

const LIFE: SopStep[] = ['verifyVideo', 'callPolice', 'dispatchCrew', 'lockdown', 'informSchool', 'record'];

export const SOP: Readonly<Record<AlertType | 'unrecognized', readonly SopStep[]>> = {
  weapon: LIFE,
  alarm_button: ['verifyVideo', 'informSchool', 'callPolice', 'dispatchCrew', 'record'],
  fire: ['verifyVideo', 'callFire', 'unlockTurnstiles', 'evacuate', 'informSchool', 'record'],
  evacuation_blocked: ['verifyVideo', 'unlockTurnstiles', 'evacuate', 'callFire', 'record'],
  wanted_person: ['verifyVideo', 'callPolice', 'dispatchCrew', 'informSchool', 'record'],
  intrusion: ['verifyVideo', 'informSchool', 'dispatchCrew', 'record'],
  fight: ['verifyVideo', 'informSchool', 'dispatchCrew', 'callMedical', 'record'],
  self_harm_risk: ['verifyVideo', 'informSchool', 'callMedical', 'record'],
  bullying: ['verifyVideo', 'informSchool', 'record'],
  tamper: ['verifyVideo', 'informSchool', 'sendTechnician', 'record'],
  camera_offline: ['informSchool', 'sendTechnician', 'record'],
  network_below_budget: ['informSchool', 'sendTechnician', 'record'],
  sensor_fault: ['informSchool', 'sendTechnician', 'record'],
  information: ['record'],
  unrecognized: ['verifyVideo', 'informSchool', 'record'],
};

export function sopFor(type: string, recognized: boolean): readonly SopStep[] {
  return (recognized ? SOP[type as AlertType] : undefined) ?? SOP.unrecognized;
}
