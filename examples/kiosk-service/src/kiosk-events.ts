import type { TimelineEventInput, ValidationIssue } from '@hubline/core';

/** What the kiosk records, and the event template each kind goes to. */
export type KioskEventKind = 'check-in' | 'scan';

/** A kiosk request turned into a timeline event, or the fields that stop it. */
export type KioskEventResult =
  | {
      readonly ok: true;
      /** The event to record. */
      readonly input: TimelineEventInput;
    }
  | {
      readonly ok: false;
      /** Each field at fault. */
      readonly issues: readonly ValidationIssue[];
    };

/**
 * The kiosk's own request fields, and the event field each becomes: an error the outbox raises about the event
 * is reported under the name the kiosk's screen sent.
 */
const FIELD_NAMES: Readonly<Record<KioskEventKind, Readonly<Record<string, string>>>> = {
  'check-in': { id: 'id', objectId: 'companyId', 'tokens.location': 'location', 'tokens.guests': 'guests' },
  scan: { id: 'id', email: 'email', 'tokens.code': 'code' },
};

/** The fields a request must carry, by kind. */
const REQUIRED: Readonly<Record<KioskEventKind, readonly string[]>> = {
  'check-in': ['companyId', 'location'],
  scan: ['email', 'code'],
};

/**
 * Turn a request of the kiosk's screen into a timeline event: a check-in at the front desk
 * (`{ companyId, location, guests? }`, on the visiting company) or a ticket or badge scan (`{ email, code }`, on
 * the contact). Either may carry the screen's own `id`, so a request it repeats after a lost answer is recorded
 * once. The outbox checks the rest when it records.
 *
 * @param kind - which request it is
 * @param body - the parsed JSON body
 * @param templateId - the event template of that kind
 * @param now - the time of the scan
 */
export function kioskEvent(
  kind: KioskEventKind,
  body: unknown,
  templateId: string,
  now: Date,
): KioskEventResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  }
  const fields = body as Record<string, unknown>;
  const known = [...REQUIRED[kind], ...Object.values(FIELD_NAMES[kind])];
  const issues: ValidationIssue[] = [
    ...REQUIRED[kind]
      .filter((name) => fields[name] === undefined)
      .map((name) => ({ path: name, message: 'is required' })),
    ...Object.keys(fields)
      .filter((name) => !known.includes(name))
      .map((name) => ({ path: name, message: 'is not a field of this request' })),
  ];
  if (issues.length > 0) return { ok: false, issues };
  // The casts only name the fields: `record` checks every type and value, and `requestIssue` names its findings.
  const id = fields.id === undefined ? {} : { id: fields.id as string };
  const input: TimelineEventInput =
    kind === 'check-in'
      ? {
          ...id,
          eventTemplateId: templateId,
          objectId: fields.companyId as string,
          tokens: {
            location: fields.location as string,
            method: 'kiosk',
            ...(fields.guests === undefined ? {} : { guests: fields.guests as number }),
          },
        }
      : {
          ...id,
          eventTemplateId: templateId,
          email: fields.email as string,
          tokens: { code: fields.code as string, scannedAt: now },
        };
  return { ok: true, input };
}

/**
 * Name an issue the outbox found in the event by the request field it came from.
 *
 * @param kind - which request it was
 * @param issue - as the outbox's `ValidationError` lists it
 */
export function requestIssue(kind: KioskEventKind, issue: ValidationIssue): ValidationIssue {
  return { path: FIELD_NAMES[kind][issue.path] ?? issue.path, message: issue.message };
}
