import { describe, expect, it } from 'vitest';
import { createKeyCheck } from '../src/client-keys.js';
import { GATEWAY_DEFAULTS, readGatewayConfig } from '../src/config.js';

const WEB_KEY = 'w'.repeat(32);
const IOS_KEY = 'i'.repeat(40);

const ENV = {
  HUBLINE_OUTBOX_PATH: '/var/lib/hubline-gateway/outbox.db',
  HUBSPOT_CLIENT_ID: 'client-id',
  HUBSPOT_CLIENT_SECRET: 'client-secret-value',
  HUBSPOT_REFRESH_TOKEN: 'refresh-token-value',
  GATEWAY_CLIENT_KEYS: JSON.stringify({ 'web-shop': WEB_KEY, 'ios-app': IOS_KEY }),
  GATEWAY_TEMPLATE_IDS: '1001234, 1001237',
};

describe('readGatewayConfig', () => {
  it('reads the credentials, the client keys and the templates, with defaults for the rest', () => {
    expect(readGatewayConfig(ENV)).toEqual({
      outboxPath: ENV.HUBLINE_OUTBOX_PATH,
      baseUrl: GATEWAY_DEFAULTS.baseUrl,
      hubspot: {
        type: 'refresh-token',
        clientId: 'client-id',
        clientSecret: 'client-secret-value',
        refreshToken: 'refresh-token-value',
      },
      clientKeys: { 'web-shop': WEB_KEY, 'ios-app': IOS_KEY },
      templateIds: ['1001234', '1001237'],
      allowedOrigins: [],
      listen: { host: '127.0.0.1', port: 8080 },
      maxBodyBytes: GATEWAY_DEFAULTS.maxBodyBytes,
      drainTimeoutMs: GATEWAY_DEFAULTS.drainTimeoutMs,
    });
    expect(readGatewayConfig({ ...ENV, HUBSPOT_ACCESS_TOKEN: 'pat-value' }).hubspot).toEqual({
      type: 'access-token',
      accessToken: 'pat-value',
    });
  });

  it('names every variable at fault and quotes no value', () => {
    const env = {
      ...ENV,
      HUBLINE_OUTBOX_PATH: '',
      HUBSPOT_REFRESH_TOKEN: undefined,
      GATEWAY_CLIENT_KEYS: JSON.stringify({ 'web-shop': 'short-key', 'ios-app': IOS_KEY }),
      GATEWAY_PORT: 'eighty',
    };
    const error = (() => {
      try {
        readGatewayConfig(env);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.name).toBe('GatewayConfigError');
    for (const fault of [
      'HUBLINE_OUTBOX_PATH is required',
      'HUBSPOT_REFRESH_TOKEN is required',
      'GATEWAY_CLIENT_KEYS.web-shop must be a string of at least 32 characters',
      'GATEWAY_PORT must be a whole number',
    ])
      expect(error.message).toContain(fault);
    for (const secret of ['short-key', IOS_KEY, 'client-secret-value'])
      expect(error.message).not.toContain(secret);
  });

  it('refuses client keys that are not a JSON object, or that two clients share, without quoting them', () => {
    const notJson = () => readGatewayConfig({ ...ENV, GATEWAY_CLIENT_KEYS: `{"web": "${WEB_KEY}"` });
    expect(notJson).toThrow(/GATEWAY_CLIENT_KEYS must be a JSON object/);
    expect(notJson).not.toThrow(WEB_KEY);
    const shared = JSON.stringify({ web: WEB_KEY, ios: WEB_KEY });
    expect(() => readGatewayConfig({ ...ENV, GATEWAY_CLIENT_KEYS: shared })).toThrow(
      /two clients the same key/,
    );
  });
});

describe('createKeyCheck', () => {
  const clientOf = createKeyCheck({ 'web-shop': WEB_KEY, 'ios-app': IOS_KEY });

  it("finds the client a key belongs to, and no client for anything else, a key's prefix included", () => {
    expect(clientOf(WEB_KEY)).toBe('web-shop');
    expect(clientOf(IOS_KEY)).toBe('ios-app');
    for (const other of [undefined, '', WEB_KEY.slice(0, -1), `${WEB_KEY}w`, IOS_KEY.toUpperCase()])
      expect(clientOf(other)).toBeUndefined();
  });
});
