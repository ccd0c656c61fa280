import { describe, expect, it } from 'vitest';
import { demoEnv } from './run-demo.js';

describe('demoEnv', () => {
  it('blanks every HUBSPOT_* variable, so a developer’s credentials cannot send a test to real HubSpot', () => {
    const env = demoEnv({
      PATH: '/usr/bin',
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-real',
      HUBSPOT_CLIENT_ID: 'client',
      HUBSPOT_CLIENT_SECRET: 'secret',
      HUBSPOT_REFRESH_TOKEN: 'refresh',
      HUBSPOT_EVENT_TEMPLATE_ID: '123',
      HUBSPOT_BASE_URL: 'https://api.hubapi.com',
      HUBSPOT_SOMETHING_NEW: 'x',
    });
    expect(env.PATH).toBe('/usr/bin');
    expect(env.FORCE_COLOR).toBe('0');
    const hubspot = Object.entries(env).filter(([name]) => name.startsWith('HUBSPOT_'));
    expect(hubspot).toHaveLength(7);
    for (const [name, value] of hubspot) expect(value, name).toBe('');
  });

  it('lets the test set the HubSpot variables it means to', () => {
    const env = demoEnv({ HUBSPOT_CLIENT_SECRET: 'mine' }, { HUBSPOT_CLIENT_SECRET: 'the test’s' });
    expect(env.HUBSPOT_CLIENT_SECRET).toBe('the test’s');
  });
});
