/**
 * The systemd unit and the env file template agree with the service: systemd waits out the drain, restarts the
 * service, keeps the outbox in the state directory, and the env file names every variable the service needs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIOSK_DEFAULTS, readKioskConfig } from '../src/config.js';

const EXAMPLE_DIR = path.resolve(import.meta.dirname, '..');

/** Every `Key=Value` of a unit or env file, in order, comments and section headers left out. */
function settings(file: string): [string, string][] {
  return readFileSync(path.join(EXAMPLE_DIR, file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
}

const unit = settings('hubline-kiosk.service');
const unitValue = (key: string): string | undefined => unit.findLast(([name]) => name === key)?.[1];
/** The unit's `Environment=` assignments. */
const unitEnv = Object.fromEntries(
  unit.filter(([key]) => key === 'Environment').map(([, value]) => value.split(/=(.*)/s).slice(0, 2)),
) as Record<string, string>;

describe('hubline-kiosk.service', () => {
  it('stops with SIGTERM and waits longer than the drain before it kills', () => {
    expect(unitValue('KillSignal')).toBe('SIGTERM');
    const drainMs = Number(unitEnv.KIOSK_DRAIN_TIMEOUT_MS ?? KIOSK_DEFAULTS.drainTimeoutMs);
    const stopMs = Number(unitValue('TimeoutStopSec')) * 1000;
    // The stop also closes the listener and the outbox after the drain: a few seconds to spare.
    expect(stopMs).toBeGreaterThanOrEqual(drainMs + 5000);
  });

  it('restarts the service whatever ended it, except a configuration error', () => {
    expect(unitValue('Restart')).toBe('always');
    expect(unitValue('RestartPreventExitStatus')).toBe('78');
  });

  it('keeps the outbox in its state directory, private to the service', () => {
    const stateDirectory = unitValue('StateDirectory');
    expect(stateDirectory).toBe('hubline-kiosk');
    expect(unitValue('StateDirectoryMode')).toBe('0700');
    expect(unitEnv.HUBLINE_OUTBOX_PATH).toBe(`%S/${stateDirectory}/outbox.db`);
  });

  it('reads the credentials from an env file, never from the unit', () => {
    expect(unitValue('EnvironmentFile')).toBe('/etc/hubline-kiosk/kiosk.env');
    expect(Object.keys(unitEnv).filter((name) => name.startsWith('HUBSPOT_'))).toEqual([]);
  });
});

describe('kiosk.env.example', () => {
  it('names every variable the service requires, and the unit supplies the rest', () => {
    const template = settings('kiosk.env.example');
    const filledIn = Object.fromEntries(template.map(([name]) => [name, '1001235']));
    expect(() => readKioskConfig({ ...unitEnv, ...filledIn })).not.toThrow();
    expect(() => readKioskConfig(unitEnv)).toThrow(/HUBSPOT_CLIENT_SECRET is required/);
  });

  it('leaves the drain timeout and the outbox path to the unit, which it would override', () => {
    const names = settings('kiosk.env.example').map(([name]) => name);
    expect(names).not.toContain('KIOSK_DRAIN_TIMEOUT_MS');
    expect(names).not.toContain('HUBLINE_OUTBOX_PATH');
  });
});
