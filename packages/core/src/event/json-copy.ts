import { EVENT_LIMITS } from './limits.js';
import type { JsonObject, JsonValue } from './types.js';
import { unreadableMessage } from './unreadable.js';
import { hasLoneSurrogate, LONE_SURROGATE_MESSAGE } from './well-formed.js';

/** Where a problem was found inside a value: object keys and array indices from the top. */
export type JsonPath = (string | number)[];

/** Receives each problem {@link copyJsonObject} finds, with what a getter threw when that was the problem. */
export type JsonProblemReporter = (path: JsonPath, message: string, cause?: unknown) => void;

/**
 * Copies `value` into fresh plain JSON, reporting every part that would not survive `JSON.stringify` →
 * `JSON.parse` unchanged: functions, symbols, BigInt, `undefined` or empty slots inside arrays, cycles,
 * NaN and ±Infinity, strings and keys holding half a surrogate pair, and objects that are not plain (Date, Map, Set, class instances, typed arrays), plus
 * nesting deeper than {@link EVENT_LIMITS.extraDataDepth} and properties whose getter throws. The top level must be a plain object, because
 * HubSpot types `extraData` as an object.
 *
 * Object properties whose value is `undefined` are left out, as `JSON.stringify` does, so optional fields
 * can be written naturally. The copy shares nothing with the input, so later mutation by the caller cannot
 * change a recorded event.
 *
 * @param value - the candidate `extraData`.
 * @param report - called once per problem with its path relative to `value`.
 * @returns the copy, or `undefined` when any problem was reported.
 */
export function copyJsonObject(value: unknown, report: JsonProblemReporter): JsonObject | undefined {
  if (!isPlainObject(value)) {
    report([], `must be a plain JSON object, got ${describe(value)}`);
    return undefined;
  }
  const state: WalkState = { report, ancestors: new Set(), path: [], failed: false };
  const copy = copyValue(value, 1, state) as JsonObject;
  return state.failed ? undefined : copy;
}

interface WalkState {
  readonly report: JsonProblemReporter;
  /** Objects on the path from the root to the current value: meeting one again is a cycle. */
  readonly ancestors: Set<object>;
  /** The path of the current value, pushed and popped as the walk goes (copied only when reporting). */
  readonly path: JsonPath;
  failed: boolean;
}

function fail(state: WalkState, message: string, cause?: unknown): undefined {
  state.failed = true;
  state.report([...state.path], message, cause);
  return undefined;
}

/** What {@link readItem} returns for a property whose getter threw. */
const UNREADABLE: unique symbol = Symbol('unreadable');

/** `source[key]`, or {@link UNREADABLE} after reporting at that key's path what its getter threw. */
function readItem(source: object, key: string | number, state: WalkState): unknown {
  try {
    return (source as Record<string | number, unknown>)[key];
  } catch (error) {
    state.path.push(key);
    fail(state, unreadableMessage(error), error);
    state.path.pop();
    return UNREADABLE;
  }
}

function copyValue(value: unknown, depth: number, state: WalkState): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return hasLoneSurrogate(value) ? fail(state, LONE_SURROGATE_MESSAGE) : value;
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return fail(state, `must be a finite number, got ${String(value)}`);
      // JSON has no -0: store what a JSON round trip gives back.
      return value === 0 ? 0 : value;
    case 'object':
      if (value === null) return null;
      return copyContainer(value, depth, state);
    default:
      // undefined (in arrays), function, symbol, bigint
      return fail(state, `is not JSON: got ${describe(value)}`);
  }
}

function copyContainer(value: object, depth: number, state: WalkState): JsonValue | undefined {
  if (state.ancestors.has(value)) return fail(state, 'is a circular reference');
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) {
    return fail(state, `must be a plain object, array or primitive, got ${describe(value)}`);
  }
  if (depth > EVENT_LIMITS.extraDataDepth) {
    return fail(state, `nests deeper than ${EVENT_LIMITS.extraDataDepth} levels`);
  }
  state.ancestors.add(value);
  const copy = isArray ? copyArray(value, depth, state) : copyObject(value, depth, state);
  state.ancestors.delete(value);
  return copy;
}

function copyArray(value: readonly unknown[], depth: number, state: WalkState): JsonValue[] {
  const out: JsonValue[] = new Array(value.length);
  for (let index = 0; index < value.length; index++) {
    const item = readItem(value, index, state);
    if (item === UNREADABLE) continue;
    state.path.push(index);
    // An empty slot or `undefined` would silently become `null` in JSON.
    if (item === undefined) {
      fail(state, index in value ? 'is undefined, which JSON turns into null' : 'is an empty slot');
    } else {
      out[index] = copyValue(item, depth + 1, state) as JsonValue;
    }
    state.path.pop();
  }
  return out;
}

function copyObject(source: Record<string, unknown>, depth: number, state: WalkState): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(source)) {
    const item = readItem(source, key, state);
    if (item === UNREADABLE || item === undefined) continue;
    state.path.push(key);
    if (hasLoneSurrogate(key)) fail(state, `name ${LONE_SURROGATE_MESSAGE}`);
    const itemCopy = copyValue(item, depth + 1, state) as JsonValue;
    state.path.pop();
    setOwn(out, key, itemCopy);
  }
  return out;
}

/** Adds `key` to `target` as an own, enumerable property, whatever the key. */
function setOwn(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  // A plain assignment to `__proto__` would change the copy's prototype instead of adding a key.
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object': {
      const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
        ?.name;
      return typeof name === 'string' && name !== '' ? `a ${name}` : 'a non-plain object';
    }
    case 'bigint':
      return 'a BigInt';
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}
