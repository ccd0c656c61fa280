import { describeStoreContract } from '@hubline/outbox/contract';
import { afterAll } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const schemas = new TestSchemas('contract');
afterAll(() => schemas.dropAll());

describeStoreContract(
  'the PostgreSQL outbox (a fresh schema per store on a real server)',
  ({ clock, ...capacity }) =>
    openPostgresOutbox({
      connectionString: pgUrl(),
      schema: schemas.fresh(),
      poolSize: 3,
      clock,
      ...capacity,
    }),
  {
    // A second store on the same schema, as another process or machine would open it.
    connect: (store, { clock, ...capacity }) =>
      openPostgresOutbox({
        connectionString: pgUrl(),
        schema: (store as PostgresOutbox).schema,
        poolSize: 3,
        clock,
        ...capacity,
      }),
  },
);
