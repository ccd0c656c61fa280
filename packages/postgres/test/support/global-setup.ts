import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server every test of this project uses: `HUBLINE_PG_URL`, or a throwaway cluster's. */
    pgUrl: string;
  }
}

/**
 * Starts one throwaway cluster for the whole project, unless `HUBLINE_PG_URL` points at a server to use
 * instead; each test file then makes schemas of its own on it (`test/support/schemas.ts`).
 *
 * @param project - the vitest project
 * @returns the teardown, which stops the cluster
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.HUBLINE_PG_URL;
  let cluster: ThrowawayCluster | undefined;
  if (given === undefined || given === '') cluster = await startThrowawayCluster();
  project.provide('pgUrl', cluster?.url ?? given!);
  return async () => {
    await cluster?.stop();
  };
}
