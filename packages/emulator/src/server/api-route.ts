import type { ApiRun } from '../timeline/api-context.js';

/**
 * What a route's answer is, for the faults that only make sense on some: `batch-v3` and `batch-2026-03` carry
 * HubSpot's batch response (its `status`, `results`), `batch-v3` may answer 207; every other route is `other`.
 */
export type RouteShape = 'batch-v3' | 'batch-2026-03' | 'other';

/** Which credential a route takes: an account's access token (allowing writes or reads), or the developer key. */
export type RouteCredential = 'write' | 'read' | 'developer';

/** One HubSpot API route the emulator serves through its request pipeline. */
export interface ApiRoute {
  /** The HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path, with Fastify's `:param` placeholders. */
  readonly path: string;
  /** The credential it needs. */
  readonly credential: RouteCredential;
  /** Its answer's shape. */
  readonly shape: RouteShape;
  /** Judges the parsed request and answers it. */
  readonly run: ApiRun;
}
