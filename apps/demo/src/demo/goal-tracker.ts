import type { SyncOutcome } from '@hubline/sync';

/** What became of this run's events, as the engine reported them. */
export interface RunFates {
  /** This run's events delivered (already-existing ones included). */
  readonly delivered: number;
  /** This run's events dead-lettered. */
  readonly dead: number;
  /** Delivered events HubSpot said it already had (a lost answer, confirmed). */
  readonly alreadyExisted: number;
}

/** Progress toward `--events`: this run's ids and their fates. */
export interface GoalTracker {
  /** `--events`, when given. */
  readonly goal: number | undefined;
  /** This run's ids (empty without a goal, so the set stays bounded by the goal). */
  readonly ids: ReadonlySet<string>;
  /** Resolves once every goal event is recorded and each is delivered or dead-lettered; never without a goal. */
  readonly reached: Promise<void>;
  /** Note an id this run recorded. */
  recorded(id: string): void;
  /** Note what the engine reported; outcomes of other runs' events are ignored. */
  settled(outcome: SyncOutcome): void;
  /** Resolve {@link GoalTracker.reached} if the goal is met already (a goal of 0 is met at once). */
  check(): void;
  /** The fates of this run's events, or `null` without a goal. */
  fates(): RunFates | null;
  /** Whether fewer than the goal's events are settled (always true without a goal). */
  interrupted(): boolean;
}

/**
 * Track the demo's goal: a pure tally of the fates the engine reports. A dead letter that is requeued (from the
 * dashboard) and then delivered counts as delivered.
 *
 * @param goal - `--events`, or `undefined` for a run without one
 * @example
 * ```ts
 * const tracker = createGoalTracker(2);
 * engine.outcomes$.subscribe((outcome) => tracker.settled(outcome));
 * await tracker.reached;
 * ```
 */
export function createGoalTracker(goal: number | undefined): GoalTracker {
  const ids = new Set<string>();
  const delivered = new Set<string>();
  const dead = new Set<string>();
  let alreadyExisted = 0;
  let reach: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });

  const check = (): void => {
    if (goal !== undefined && ids.size >= goal && delivered.size + dead.size >= ids.size) reach();
  };

  return {
    goal,
    ids,
    reached,
    recorded(id) {
      if (goal === undefined) return;
      ids.add(id);
      check();
    },
    settled(outcome) {
      if (!ids.has(outcome.id)) return;
      if (outcome.type === 'delivered') {
        dead.delete(outcome.id);
        if (!delivered.has(outcome.id) && outcome.alreadyExisted) alreadyExisted += 1;
        delivered.add(outcome.id);
      } else if (outcome.type === 'dead') {
        dead.add(outcome.id);
      }
      check();
    },
    check,
    fates() {
      return goal === undefined ? null : { delivered: delivered.size, dead: dead.size, alreadyExisted };
    },
    interrupted() {
      return goal === undefined || delivered.size + dead.size < goal;
    },
  };
}
