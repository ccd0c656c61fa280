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

/** One part of the report: its lines, none when it has nothing to say. */
type ReportSection = (result: DemoResult) => string[];

/** How long, against what, with which seed; and how many events this run recorded. */
const runLines: ReportSection = (result) => {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const where = result.target === 'emulator' ? `the HubSpot emulator (faults: ${result.faults})` : 'HubSpot';
  const goal = result.goal === null ? '' : ` of ${formatCount(result.goal)}`;
  return [
    `ran ${seconds} s against ${where}, seed ${result.seed}`,
    `recorded this run   ${formatCount(result.recorded)}${goal}`,
  ];
};

/** What became of this run's events (with `--events` only). */
const thisRunLines: ReportSection = ({ thisRun }) => {
  if (thisRun === null) return [];
  const confirmed =
    thisRun.alreadyExisted > 0
      ? `  (${formatCount(thisRun.alreadyExisted)} confirmed by "already exists" after a lost answer)`
      : '';
  return [
    `delivered this run  ${formatCount(thisRun.delivered)}${confirmed}`,
    `dead-lettered       ${formatCount(thisRun.dead)}`,
  ];
};

/** How often and how long the simulated network was down, when it was. */
const networkLines: ReportSection = ({ network }) => {
  if (network.outages === 0) return [];
  const plural = network.outages === 1 ? '' : 's';
  return [
    `network             down ${formatCount(network.outages)} time${plural}, ` +
      `${(network.offlineMs / 1000).toFixed(1)} s offline in total`,
  ];
};

/** The outbox file's counts, and what the next start will send. */
const outboxLines: ReportSection = ({ outbox, db }) => {
  const waiting = outbox.pending + outbox.inFlight;
  const counts =
    `outbox              ${formatCount(outbox.delivered)} delivered, ${formatCount(outbox.dead)} dead, ` +
    `${formatCount(waiting)} waiting  (${db})`;
  if (waiting === 0) return [counts];
  return [
    counts,
    `                    the ${formatCount(waiting)} waiting are sent on the next start with this --db`,
  ];
};

/** What the engine did, and whether it finished draining. */
const engineLines: ReportSection = ({ engine, drained }) => [
  `engine              ${formatCount(engine.requests)} requests, ${formatCount(engine.rateLimited)} answered 429, ` +
    `${formatCount(engine.retries)} retries` +
    (drained ? '' : ', stopped before the drain finished'),
];

/** What the emulator stored and injected, and the exactly-once check (emulator target only). */
const emulatorLines: ReportSection = (result) => {
  const emulator = result.emulator;
  if (emulator === null) return [];
  const lines = [
    `emulator            stored ${formatCount(emulator.eventsStored)} events, ` +
      `${formatCount(emulator.duplicateIdsSeen)} re-sent ids recognised, ${formatCount(emulator.faultsInjected)} faults injected ` +
      `(${formatCount(emulator.serverErrors)} × 5xx, ${formatCount(emulator.resets)} resets), ${formatCount(emulator.rateLimited)} × 429`,
  ];
  if (emulator.idsStoredMoreThanOnce === undefined) return lines;
  const once =
    result.goal === null
      ? ''
      : `; this run: ${formatCount(emulator.runIdsStoredExactlyOnce ?? 0)} of ${formatCount(result.recorded)} stored exactly once, ${formatCount(emulator.runIdsMissing ?? 0)} missing`;
  return [
    ...lines,
    `exactly once        ${formatCount(emulator.idsStoredMoreThanOnce)} ids stored twice${once}`,
  ];
};

/** The report's sections, in the order they are printed. */
const SECTIONS: readonly ReportSection[] = [
  runLines,
  thisRunLines,
  networkLines,
  outboxLines,
  engineLines,
  emulatorLines,
];

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
  const lines = [
    '',
    '── Hubline demo: final report ──────────────────────────────',
    ...SECTIONS.flatMap((section) => section(result)),
  ];
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
