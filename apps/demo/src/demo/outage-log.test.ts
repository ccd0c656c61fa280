import { describe, expect, it } from 'vitest';
import { createOutageLog } from './outage-log.js';

describe('createOutageLog', () => {
  it('counts each outage once and adds up the time spent down', () => {
    const log = createOutageLog();
    log.observe(true, 0);
    log.observe(false, 1000);
    log.observe(false, 1500);
    log.observe(true, 4000);
    log.observe(true, 4500);
    log.observe(false, 7000);
    log.observe(true, 8000);
    expect(log.summary(9000)).toEqual({ outages: 2, offlineMs: 4000 });
  });

  it('counts an outage still under way up to now', () => {
    const log = createOutageLog();
    log.observe(false, 1000);
    expect(log.summary(1000)).toEqual({ outages: 1, offlineMs: 0 });
    expect(log.summary(2500)).toEqual({ outages: 1, offlineMs: 1500 });
  });

  it('reports nothing for a network that never went down', () => {
    expect(createOutageLog().summary(60_000)).toEqual({ outages: 0, offlineMs: 0 });
  });
});
