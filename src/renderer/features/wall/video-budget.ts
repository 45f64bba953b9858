// The wall's pull on each school's link (issue 8): the streams the tiles of a layout would play,
// summed per school, against the room the school's video channel has; where a layout would exceed
// it, tiles switch to sub streams (planVideo, src/shared/school-health.ts) before their players
// start, and the operator is told which school and why.
//
// The room is the school's video budget (30 Mbps) while its link is within budget. While the link
// is below budget (the console's LinkMonitor, with its hysteresis) the alarm channel keeps its
// whole budget first (alarms must get through; that is what the split is for) and video gets what
// is left of the worst capacity of the period, at most its budget: a link at 20 Mbps leaves none,
// so every tile of that school plays its sub stream. The period's worst value rather than the
// latest sample, so tiles do not flip between streams with the link's noise every second.
import { DEFAULT_BUDGET, planVideo, type Budget, type LinkState, type TileDemand } from '../../../shared/school-health';
import type { Variant } from './stream-choice';

export interface WallTileDemand {
  index: number;
  schoolId: string | null;
  variant: Variant;
  /** A tile not shown (another is maximized) plays nothing. */
  hidden: boolean;
}

export interface SchoolVideo {
  schoolId: string;
  /** What the tiles asked for, and what they pull after the switch, Mbps. */
  askedMbps: number;
  plannedMbps: number;
  /** The video the school's link has room for now, Mbps. */
  roomMbps: number;
  /** Why the room is what it is: the budget, or a link below budget (capacity given). */
  limit: { kind: 'budget' } | { kind: 'link'; linkMbps: number };
  /** Tiles switched to sub streams for this school. */
  switched: number[];
  /** Still over with every tile on a sub stream. */
  overEvenOnSub: boolean;
}

export interface WallVideoPlan {
  /** The stream each tile plays, in tile order. */
  variants: Variant[];
  /** Tile index -> the school whose budget switched it to its sub stream. */
  switchedFor: Map<number, string>;
  /** Schools whose tiles would exceed their room (only these). */
  over: SchoolVideo[];
}

/** The video a school's link has room for: its video budget, less when the link is below budget. */
export function videoRoom(link: Pick<LinkState, 'state' | 'worstMbps'> | undefined, budget: Budget = DEFAULT_BUDGET): SchoolVideo['limit'] & { roomMbps: number } {
  if (link?.state !== 'below_budget' || link.worstMbps === undefined) return { kind: 'budget', roomMbps: budget.video };
  const beforeVideo = budget.alarm;
  return { kind: 'link', linkMbps: link.worstMbps, roomMbps: Math.max(0, Math.min(budget.video, link.worstMbps - beforeVideo)) };
}

export function planWallVideo(tiles: readonly WallTileDemand[], linkOf: (schoolId: string) => Pick<LinkState, 'state' | 'worstMbps'> | undefined, budget: Budget = DEFAULT_BUDGET): WallVideoPlan {
  const variants = tiles.map((t) => t.variant);
  const switchedFor = new Map<number, string>();
  const over: SchoolVideo[] = [];
  const bySchool = new Map<string, TileDemand[]>();
  for (const t of tiles) {
    if (t.hidden || t.schoolId === null) continue;
    let list = bySchool.get(t.schoolId);
    if (!list) bySchool.set(t.schoolId, (list = []));
    list.push({ tileIndex: t.index, schoolId: t.schoolId, stream: t.variant });
  }
  for (const [schoolId, demand] of bySchool) {
    const { roomMbps, ...limit } = videoRoom(linkOf(schoolId), budget);
    const plan = planVideo(demand, roomMbps);
    const asked = plan.asked.get(schoolId) ?? 0;
    if (asked <= roomMbps) continue;
    for (const i of plan.toSub) {
      variants[tiles.findIndex((t) => t.index === i)] = 'sub';
      switchedFor.set(i, schoolId);
    }
    over.push({ schoolId, askedMbps: asked, plannedMbps: plan.planned.get(schoolId) ?? asked, roomMbps, limit, switched: plan.toSub, overEvenOnSub: plan.overEvenOnSub.length > 0 });
  }
  return { variants, switchedFor, over };
}

/**
 * What the plan needs of the live link state, as a string (schools below budget with the period's
 * worst capacity), so the wall subscribes to it and re-plans only when it changes, not every second.
 */
export function linkKey(schoolIds: Iterable<string>, linkOf: (schoolId: string) => Pick<LinkState, 'state' | 'worstMbps'> | undefined): string {
  const parts: string[] = [];
  for (const id of new Set(schoolIds)) {
    const l = linkOf(id);
    if (l?.state === 'below_budget' && l.worstMbps !== undefined) parts.push(`${id}=${Math.floor(l.worstMbps)}`);
  }
  return parts.sort().join('|');
}

/** The link states a key stands for (linkKey's inverse). */
export function linksOfKey(key: string): Map<string, Pick<LinkState, 'state' | 'worstMbps'>> {
  const links = new Map<string, Pick<LinkState, 'state' | 'worstMbps'>>();
  for (const part of key ? key.split('|') : []) {
    const at = part.lastIndexOf('=');
    links.set(part.slice(0, at), { state: 'below_budget', worstMbps: Number(part.slice(at + 1)) });
  }
  return links;
}
