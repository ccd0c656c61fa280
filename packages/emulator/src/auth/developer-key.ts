import { errorBody } from '../bodies.js';
import type { Reply } from '../server/reply.js';
import { json } from '../server/reply.js';

/** The app's developer credentials, resolved. */
export interface ResolvedDeveloper {
  /** The app id of the template routes. */
  readonly appId: number;
  /** The developer API key (`?hapikey=`). */
  readonly apiKey: string;
}

/** The developer credentials when none are given. */
export const defaultDeveloper: ResolvedDeveloper = Object.freeze({
  appId: 1160452,
  apiKey: 'hubline-emulator-developer-key',
});

/**
 * Judges the developer API key (`?hapikey=`) of an event-template route and the app id of its path: undefined
 * when both are the app's, else HubSpot's 401 (no key, or not this key) or 404 (another app).
 */
export function checkDeveloperKey(
  developer: ResolvedDeveloper,
  hapikey: string | undefined,
  appId: string | undefined,
): Reply | undefined {
  if (hapikey === undefined || hapikey === '') {
    return json(
      401,
      errorBody(
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. The event template routes take the developer API key as ?hapikey=.',
      ),
    );
  }
  if (hapikey !== developer.apiKey) {
    return json(
      401,
      errorBody(
        'INVALID_AUTHENTICATION',
        'The API key provided is invalid. View or manage your API key here: https://app.hubspot.com/l/api-key/',
      ),
    );
  }
  if (appId !== String(developer.appId)) {
    return json(
      404,
      errorBody('OBJECT_NOT_FOUND', `App ${appId} was not found for this developer API key.`, {
        context: { appId: [appId ?? ''] },
      }),
    );
  }
  return undefined;
}
