import type { ApiRoute } from '../server/api-route.js';
import { createBatch202603 } from './create-batch-2026-03.js';
import { createBatchV3 } from './create-batch-v3.js';
import { createOneV3 } from './create-one-v3.js';
import { readOneV3 } from './read-one-v3.js';

/** The prefixes of the v3 event routes: today's, and the old one HubSpot's SDK used before 2024. */
const v3Prefixes = ['/integrators/timeline/v3/events', '/crm/v3/timeline/events'] as const;

/** The timeline event routes: v3 batch create, single create and read-back, and the `2026-03` batch. */
export const timelineRoutes: readonly ApiRoute[] = Object.freeze([
  ...v3Prefixes.flatMap((prefix): ApiRoute[] => [
    {
      method: 'POST',
      path: `${prefix}/batch/create`,
      credential: 'write',
      shape: 'batch-v3',
      run: createBatchV3,
    },
    { method: 'POST', path: prefix, credential: 'write', shape: 'other', run: createOneV3 },
    {
      method: 'GET',
      path: `${prefix}/:eventTemplateId/:eventId`,
      credential: 'read',
      shape: 'other',
      run: (_body, ctx, params) => readOneV3(params.eventTemplateId ?? '', params.eventId ?? '', ctx),
    },
  ]),
  {
    method: 'POST',
    path: '/integrators/timeline/2026-03/events/batch',
    credential: 'write',
    shape: 'batch-2026-03',
    run: createBatch202603,
  },
]);
