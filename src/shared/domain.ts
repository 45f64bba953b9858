// Domain vocabulary shared by the console and the city backend. No platform imports.
import { z } from 'zod';

export const ROLES = ['dispatcher', 'duty_officer', 'guard'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Scope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('city') }),
  z.strictObject({ kind: z.literal('school'), schoolId: z.string().min(1).max(64) }),
]);
export type Scope = z.infer<typeof Scope>;

export const DISTRICTS = ['Abay', 'Al-Farabi', 'Enbekshi', 'Karatau', 'Turan'] as const;

/**
 * Alert types and their priority class (1 = highest). The order of the classes follows the
 * control room's rule: life first, then people at risk, then security, then health of the system.
 */
export const ALERT_TYPES = {
  weapon: 1,
  fire: 1,
  alarm_button: 1,
  evacuation_blocked: 1,
  wanted_person: 2,
  intrusion: 2,
  fight: 2,
  self_harm_risk: 2,
  bullying: 3,
  tamper: 3,
  camera_offline: 4,
  network_below_budget: 4,
  sensor_fault: 4,
  information: 5,
} as const satisfies Record<string, 1 | 2 | 3 | 4 | 5>;

export type AlertType = keyof typeof ALERT_TYPES;
/** A school's link below its budget (issue: the network monitor). */
export const NETWORK_ALERT_TYPE = 'network_below_budget' satisfies AlertType;
export const ALERT_TYPE_NAMES = Object.keys(ALERT_TYPES) as AlertType[];
export const AlertTypeSchema = z.enum(ALERT_TYPE_NAMES as [AlertType, ...AlertType[]]);

/** Priority 0 is reserved for alerts the console could not recognize: they sort with the highest. */
export type Priority = 0 | 1 | 2 | 3 | 4 | 5;

export function priorityOf(type: string): Priority {
  return (ALERT_TYPES as Record<string, Priority>)[type] ?? 0;
}

export const ALERT_STATUSES = ['new', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const Id = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'only letters, digits and _ . : -');
