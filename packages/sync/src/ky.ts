/**
 * @hubline/sync/ky — the fetch transport, over ky, for apps that want fetch (an instrumented or mocked `fetch`,
 * undici's dispatcher options). A subpath of its own so that the main entry never loads ky: install `ky` (an
 * optional peer dependency) only to use this.
 *
 * @example
 * ```ts
 * import { createSyncEngine } from '@hubline/sync';
 * import { createKyTransport } from '@hubline/sync/ky';
 *
 * const sync = createSyncEngine({ outbox, accessToken, transport: createKyTransport() });
 * ```
 *
 * @packageDocumentation
 */

export type { KyTransportOptions } from './transport/create-ky-transport.js';
export { createKyTransport } from './transport/create-ky-transport.js';
