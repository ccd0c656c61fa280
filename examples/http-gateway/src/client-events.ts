import type { TimelineEventInput, ValidationIssue } from '@hubline/core';

/** What a client sent, checked against the gateway's own rules; the outbox checks the events themselves. */
export type ClientEvents =
  | {
      readonly ok: true;
      /** The events, as the outbox will check them. */
      readonly events: readonly TimelineEventInput[];
      /** Whether the client sent a list (answered with a list) rather than one event. */
      readonly batch: boolean;
    }
  | {
      readonly ok: false;
      /** Each field at fault. */
      readonly issues: readonly ValidationIssue[];
    };

/** The most events one request may carry: HubSpot's own batch cap. */
const MAX_EVENTS_PER_REQUEST = 100;

/** Fields a client may never set, with the reason it is told. */
const GATEWAY_FIELDS: Readonly<Record<string, string>> = {
  // Accounts (which HubSpot portal an event goes to) are the gateway's to decide, from the client's key.
  account: 'is set by the gateway, not by clients',
};

/**
 * Check a request body against what clients may do: one event object or an array of 1 to
 * {@link MAX_EVENTS_PER_REQUEST}, each in one of `templateIds`, none setting a field the gateway owns. Issues are
 * named as the outbox names them: `eventTemplateId` for a lone event, `[2].eventTemplateId` in an array.
 *
 * @param body - the parsed JSON body
 * @param templateIds - the event templates clients may record into
 */
export function clientEvents(body: unknown, templateIds: readonly string[]): ClientEvents {
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? body : [body];
  if (items.length === 0 || items.length > MAX_EVENTS_PER_REQUEST) {
    const message = `must hold 1 to ${MAX_EVENTS_PER_REQUEST} events`;
    return { ok: false, issues: [{ path: '', message }] };
  }
  const issues = items.flatMap((item, index) =>
    itemIssues(item, templateIds).map((issue) => ({
      path: batch ? `[${index}]${issue.path === '' ? '' : `.${issue.path}`}` : issue.path,
      message: issue.message,
    })),
  );
  if (issues.length > 0) return { ok: false, issues };
  // The outbox validates every field (and refuses unknown ones) when it records.
  return { ok: true, events: items as TimelineEventInput[], batch };
}

function itemIssues(item: unknown, templateIds: readonly string[]): ValidationIssue[] {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return [{ path: '', message: 'must be an event object' }];
  }
  const event = item as Record<string, unknown>;
  const issues: ValidationIssue[] = Object.keys(event).flatMap((field) => {
    const reason = Object.hasOwn(GATEWAY_FIELDS, field) ? GATEWAY_FIELDS[field] : undefined;
    return reason === undefined ? [] : [{ path: field, message: reason }];
  });
  const template = event.eventTemplateId;
  if (
    (typeof template === 'string' || typeof template === 'number') &&
    !templateIds.includes(String(template))
  ) {
    issues.push({ path: 'eventTemplateId', message: 'is not a template this gateway records' });
  }
  return issues;
}
