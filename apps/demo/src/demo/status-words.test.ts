import { describe, expect, it } from 'vitest';
import { describeStatus } from './status-words.js';

describe('describeStatus', () => {
  it('says the network is down in plain words when the demo cut it', () => {
    const view = describeStatus({ state: 'offline', reason: 'online$ says the network is down' }, false);
    expect(view).toEqual({
      state: 'offline',
      reason: 'the network is down; new events wait in the outbox on disk',
    });
    expect(view.reason).not.toMatch(/\$/);
  });

  it('keeps the engine’s own reason when it found the network down by itself', () => {
    expect(describeStatus({ state: 'offline', reason: 'connection refused', until: 5 }, true)).toEqual({
      state: 'offline',
      reason: 'connection refused',
      until: 5,
    });
  });

  it('explains a 429 pause by its policy', () => {
    expect(
      describeStatus(
        { state: 'rate-limited', reason: 'HubSpot said 429 (TEN_SECONDLY_ROLLING)', until: 9 },
        true,
      ),
    ).toEqual({
      state: 'rate-limited',
      reason: 'HubSpot answered 429 (more than its 10-second budget); every request waits for the window',
      until: 9,
    });
  });

  it('passes other states through', () => {
    expect(describeStatus({ state: 'sending' }, true)).toEqual({ state: 'sending' });
  });
});
