import type { DemoResult } from '../demo/demo-result.js';
import { formatCount } from '../view/format-numbers.js';

/** Prefix of the machine-readable result line. */
const RESULT_LINE_PREFIX = 'HUBLINE_DEMO_RESULT ';

/** Options of {@link formatFinalReport}. */
export interface FinalReportOptions {
  /**
   * End with the `HUBLINE_DEMO_RESULT {json}` line. It is for scripts and tests, so the CLI prints it only when
   * its output is not a terminal. @default true
   */
  readonly resultLine?: boolean;
}

/**
 * The report printed when the demo ends: what was recorded and delivered, what the engine did, and — against the
 * emulator — what HubSpot's side stored, ending (unless told otherwise) with one `HUBLINE_DEMO_RESULT {json}`
 * line for scripts.
 *
 * @param result - the demo's numbers
 * @param options - see {@link FinalReportOptions}
 * @example
 * ```ts
 * process.stdout.write(formatFinalReport(await demo.shutdown()));
 * ```
 */
export function formatFinalReport(result: DemoResult, options: FinalReportOptions = {}): string {
  const lines: string[] = [];
  const seconds = (result.durationMs / 1000).toFixed(1);
  const where = result.target === 'emulator' ? `the HubSpot emulator (faults: ${result.faults})` : 'HubSpot';
  lines.push('', '── Hubline demo: final report ──────────────────────────────');
  lines.push(`ran ${seconds} s against ${where}, seed ${result.seed}`);
  lines.push(
    `recorded this run   ${formatCount(result.recorded)}${result.goal === null ? '' : ` of ${formatCount(result.goal)}`}`,
  );
  if (result.thisRun !== null) {
    lines.push(
      `delivered this run  ${formatCount(result.thisRun.delivered)}` +
        (result.thisRun.alreadyExisted > 0
          ? `  (${formatCount(result.thisRun.alreadyExisted)} confirmed by "already exists" after a lost answer)`
          : ''),
    );
    lines.push(`dead-lettered       ${formatCount(result.thisRun.dead)}`);
  }
  if (result.network.outages > 0) {
    lines.push(
      `network             down ${formatCount(result.network.outages)} time${result.network.outages === 1 ? '' : 's'}, ` +
        `${(result.network.offlineMs / 1000).toFixed(1)} s offline in total`,
    );
  }
  const waiting = result.outbox.pending + result.outbox.inFlight;
  lines.push(
    `outbox              ${formatCount(result.outbox.delivered)} delivered, ${formatCount(result.outbox.dead)} dead, ` +
      `${formatCount(waiting)} waiting  (${result.db})`,
  );
  if (waiting > 0)
    lines.push(
      `                    the ${formatCount(waiting)} waiting are sent on the next start with this --db`,
    );
  lines.push(
    `engine              ${formatCount(result.engine.requests)} requests, ${formatCount(result.engine.rateLimited)} answered 429, ` +
      `${formatCount(result.engine.retries)} retries` +
      (result.drained ? '' : ', stopped before the drain finished'),
  );
  const emulator = result.emulator;
  if (emulator !== null) {
    lines.push(
      `emulator            stored ${formatCount(emulator.eventsStored)} events, ` +
        `${formatCount(emulator.duplicateIdsSeen)} re-sent ids recognised, ${formatCount(emulator.faultsInjected)} faults injected ` +
        `(${formatCount(emulator.serverErrors)} × 5xx, ${formatCount(emulator.resets)} resets), ${formatCount(emulator.rateLimited)} × 429`,
    );
    if (emulator.idsStoredMoreThanOnce !== undefined) {
      const once =
        result.goal === null
          ? ''
          : `; this run: ${formatCount(emulator.runIdsStoredExactlyOnce ?? 0)} of ${formatCount(result.recorded)} stored exactly once, ${formatCount(emulator.runIdsMissing ?? 0)} missing`;
      lines.push(
        `exactly once        ${formatCount(emulator.idsStoredMoreThanOnce)} ids stored twice${once}`,
      );
    }
  }
  if (options.resultLine ?? true) lines.push(`${RESULT_LINE_PREFIX}${JSON.stringify(result)}`);
  lines.push('');
  return lines.join('\n');
}

/**
 * Find and parse the `HUBLINE_DEMO_RESULT` line in a demo's output.
 *
 * @param output - everything the demo printed
 * @returns the result, or `undefined` when no such line exists
 */
export function parseResultLine(output: string): DemoResult | undefined {
  const line = output.split('\n').find((candidate) => candidate.startsWith(RESULT_LINE_PREFIX));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_LINE_PREFIX.length)) as DemoResult);
}
