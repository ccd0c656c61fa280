import type { Runtime } from '../server/runtime.js';
import type { AccountSummary } from './account-types.js';

/** What the emulator shows of one known account, or undefined for an unknown one. */
export function accountSummary(rt: Runtime, id: string): AccountSummary | undefined {
  const entry = rt.accounts.get(id);
  if (entry === undefined) return undefined;
  const s = entry.settings;
  return {
    id,
    limits: {
      rateLimit: s.rateLimit,
      rateWindowMs: s.rateWindowMs,
      ...(s.dailyLimit === undefined ? {} : { dailyLimit: s.dailyLimit }),
    },
    budget: rt.limiter.peek(entry.rateKey, rt.clock(), s),
    installs: rt.tokens.installs.counts(id),
    counters: rt.log.counters(id),
  };
}
