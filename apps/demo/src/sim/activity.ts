import type { RandomSource, TimelineEventInput } from '@hubline/core';
import { integerBetween, pick } from './random.js';

/** The kinds of activity a kiosk records, each tied to one event template. */
export type ActivityKind = 'visit' | 'check-in' | 'call' | 'scan';

/**
 * Event template ids per activity kind. A kind without a template is never recorded, which is how the demo
 * records only visits against a single real HubSpot template.
 */
export type ActivityTemplates = Readonly<Partial<Record<ActivityKind, string>>>;

/**
 * The emulator's default templates (`packages/emulator/src/templates/default-templates.ts`): visit `1001234`
 * (contacts: page, seconds), check-in `1001235` (companies: location, method, guests), call `1001236`
 * (contacts: durationSeconds, outcome), scan `1001237` (contacts: code, scannedAt).
 */
export const EMULATOR_TEMPLATES: ActivityTemplates = Object.freeze({
  visit: '1001234',
  'check-in': '1001235',
  call: '1001236',
  scan: '1001237',
});

/** One simulated edge device. */
export interface Device {
  /** e.g. `kiosk-2` */
  readonly name: string;
  /** Where it stands, e.g. `Lisbon office lobby`. */
  readonly site: string;
}

const SITES = [
  'Berlin HQ lobby',
  'Lisbon office',
  'Austin showroom',
  'Osaka trade-fair booth',
  'Toronto service desk',
  'Nairobi branch',
  'Melbourne pop-up store',
  'São Paulo warehouse gate',
] as const;

const FIRST_NAMES = [
  'ana',
  'bruno',
  'chen',
  'dara',
  'emeka',
  'fatima',
  'gus',
  'hana',
  'ivan',
  'jules',
  'kofi',
  'lena',
];
const LAST_NAMES = [
  'silva',
  'meyer',
  'tanaka',
  'okafor',
  'novak',
  'garcia',
  'kim',
  'haddad',
  'larsen',
  'rossi',
];
const PAGES = [
  '/pricing',
  '/welcome',
  '/showroom/tour',
  '/products/edge-kit',
  '/support/desk',
  '/events/spring-launch',
];
const VISIT_WEIGHT = 0.4;
const CHECK_IN_WEIGHT = 0.25;
const SCAN_WEIGHT = 0.25;

/**
 * Name the devices of a fleet.
 *
 * @param count - how many kiosks
 */
export function createDevices(count: number): Device[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `kiosk-${index + 1}`,
    site: SITES[index % SITES.length] ?? 'lobby',
  }));
}

/** A plausible contact email out of a fixed pool of 120 people, so the same people come back. */
function contactEmail(random: RandomSource): string {
  return `${pick(random, FIRST_NAMES)}.${pick(random, LAST_NAMES)}@example.com`;
}

/** A company record id out of a pool of 40 companies. */
function companyId(random: RandomSource): string {
  return String(9_100_001 + integerBetween(random, 0, 39));
}

function chooseKind(random: RandomSource, templates: ActivityTemplates): ActivityKind | undefined {
  const roll = random();
  const wanted: ActivityKind =
    roll < VISIT_WEIGHT
      ? 'visit'
      : roll < VISIT_WEIGHT + CHECK_IN_WEIGHT
        ? 'check-in'
        : roll < VISIT_WEIGHT + CHECK_IN_WEIGHT + SCAN_WEIGHT
          ? 'scan'
          : 'call';
  if (templates[wanted] !== undefined) return wanted;
  return (Object.keys(templates) as ActivityKind[]).find((kind) => templates[kind] !== undefined);
}

/**
 * One realistic piece of kiosk activity as a timeline event: a visit, a check-in, a call or a badge scan, for a
 * contact (by email) or a company (by object id), with tokens that match the template of its kind.
 *
 * @param random - seeded randomness
 * @param device - the kiosk recording it
 * @param templates - which template each kind uses; kinds without one are not produced
 * @param now - when it happens (epoch ms)
 */
export function createActivity(
  random: RandomSource,
  device: Device,
  templates: ActivityTemplates,
  now: number,
): TimelineEventInput {
  const kind = chooseKind(random, templates);
  if (kind === undefined) throw new RangeError('createActivity: no event template configured');
  const eventTemplateId = templates[kind]!;
  const extraData = { device: device.name, site: device.site, kind };
  switch (kind) {
    case 'visit':
      return {
        eventTemplateId,
        email: contactEmail(random),
        tokens: { page: pick(random, PAGES), seconds: integerBetween(random, 5, 900) },
        timestamp: now,
        extraData,
      };
    case 'check-in':
      return {
        eventTemplateId,
        objectId: companyId(random),
        tokens: {
          location: device.site,
          method: pick(random, ['kiosk', 'kiosk', 'mobile', 'staff']),
          guests: integerBetween(random, 0, 4),
        },
        timestamp: now,
        extraData,
      };
    case 'call':
      return {
        eventTemplateId,
        email: contactEmail(random),
        tokens: {
          durationSeconds: integerBetween(random, 0, 1200),
          outcome: pick(random, ['connected', 'connected', 'voicemail', 'no-answer']),
        },
        timestamp: now,
        extraData,
      };
    case 'scan':
      return {
        eventTemplateId,
        email: contactEmail(random),
        tokens: {
          code: `BADGE-${integerBetween(random, 1000, 9999)}`,
          scannedAt: new Date(now - integerBetween(random, 0, 5000)).toISOString(),
        },
        timestamp: now,
        extraData,
      };
  }
}

/**
 * An event HubSpot will refuse on its own merits (a number token that is not a number), so the dashboard can
 * show a dead letter with HubSpot's reason. Core cannot catch it: only the template knows the token's type.
 *
 * @param device - the kiosk recording it
 * @param templates - the visit template is used
 * @param now - when it happens (epoch ms)
 */
export function createInvalidActivity(
  device: Device,
  templates: ActivityTemplates,
  now: number,
): TimelineEventInput {
  const eventTemplateId = templates.visit ?? Object.values(templates)[0];
  if (eventTemplateId === undefined)
    throw new RangeError('createInvalidActivity: no event template configured');
  return {
    eventTemplateId,
    email: 'broken.kiosk@example.com',
    tokens: { page: '/oops', seconds: 'about a minute' },
    timestamp: now,
    extraData: { device: device.name, site: device.site, kind: 'invalid' },
  };
}
