import { describe, expect, it } from 'vitest';
import { isLogger, silentLogger } from './logger.js';

describe('isLogger', () => {
  it('accepts console, the silent logger and any object with the four methods', () => {
    expect(isLogger(console)).toBe(true);
    expect(isLogger(silentLogger)).toBe(true);
    expect(isLogger({ debug() {}, info() {}, warn() {}, error() {} })).toBe(true);
  });

  it('refuses anything missing a method, or not an object', () => {
    expect(isLogger({ debug() {}, info() {}, warn() {} })).toBe(false);
    expect(isLogger({ debug() {}, info() {}, warn() {}, error: 'loud' })).toBe(false);
    expect(isLogger(() => {})).toBe(false);
    expect(isLogger(null)).toBe(false);
    expect(isLogger('console')).toBe(false);
  });
});

describe('silentLogger', () => {
  it('says nothing and cannot be changed', () => {
    expect(silentLogger.warn('anything', { n: 1 })).toBeUndefined();
    expect(Object.isFrozen(silentLogger)).toBe(true);
  });
});
