import { describe, expect, it } from 'vitest';
import { resolveTarget, TargetConfigError } from './resolve-target.js';

describe('resolveTarget', () => {
  it('uses the emulator when no HubSpot variable is set', () => {
    expect(resolveTarget({ PATH: '/bin' })).toEqual({ kind: 'emulator' });
  });

  it('uses real HubSpot with an access token and a template id', () => {
    const target = resolveTarget({ HUBSPOT_ACCESS_TOKEN: 'pat-xyz', HUBSPOT_EVENT_TEMPLATE_ID: '1234' });
    expect(target).toEqual({
      kind: 'hubspot',
      baseUrl: 'https://api.hubapi.com',
      eventTemplateId: '1234',
      credentials: { type: 'access-token', accessToken: 'pat-xyz' },
    });
  });

  it('uses real HubSpot with refresh-token credentials', () => {
    const target = resolveTarget({
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
      HUBSPOT_REFRESH_TOKEN: 'refresh',
      HUBSPOT_EVENT_TEMPLATE_ID: '77',
    });
    expect(target.kind === 'hubspot' && target.credentials.type).toBe('refresh-token');
  });

  it('names what is missing, without echoing any secret', () => {
    const attempt = () => resolveTarget({ HUBSPOT_ACCESS_TOKEN: 'pat-secret-value' });
    expect(attempt).toThrow(TargetConfigError);
    expect(attempt).toThrow(/HUBSPOT_EVENT_TEMPLATE_ID is required/);
    expect(attempt).not.toThrow(/pat-secret-value/);
    expect(() =>
      resolveTarget({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_REFRESH_TOKEN: 'r', HUBSPOT_EVENT_TEMPLATE_ID: '1' }),
    ).toThrow(/HUBSPOT_CLIENT_SECRET missing/);
    expect(() => resolveTarget({ HUBSPOT_EVENT_TEMPLATE_ID: '1' })).toThrow(/no credentials/);
  });

  it('treats blank variables as unset', () => {
    expect(resolveTarget({ HUBSPOT_ACCESS_TOKEN: '  ', HUBSPOT_EVENT_TEMPLATE_ID: '' })).toEqual({
      kind: 'emulator',
    });
  });
});
