import { describe, expect, it } from 'vitest';
import { parseJsonSafely, readHubSpotErrorBody, textExcerpt } from './hubspot-error-body.js';

describe('readHubSpotErrorBody', () => {
  it("reads HubSpot's error fields", () => {
    const body = JSON.stringify({
      status: 'error',
      category: 'VALIDATION_ERROR',
      subCategory: 'x.y',
      message: 'Invalid input',
      correlationId: 'c',
    });
    expect(readHubSpotErrorBody(body)).toEqual({
      isJson: true,
      category: 'VALIDATION_ERROR',
      subCategory: 'x.y',
      message: 'Invalid input',
    });
  });

  it('reads the 429 fields', () => {
    const body = JSON.stringify({ message: 'm', errorType: 'RATE_LIMIT', policyName: 'DAILY' });
    expect(readHubSpotErrorBody(body)).toEqual({
      isJson: true,
      message: 'm',
      errorType: 'RATE_LIMIT',
      policyName: 'DAILY',
    });
  });

  it('ignores fields of the wrong type', () => {
    expect(readHubSpotErrorBody('{"category":7,"message":["x"],"subCategory":{}}')).toEqual({ isJson: true });
  });

  it.each([
    ['empty', '', { isJson: false }],
    ['whitespace', '  \n', { isJson: false }],
    [
      'HTML',
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      { isJson: false, message: '502 Bad Gateway' },
    ],
    ['truncated JSON', '{"message":"Inva', { isJson: false, message: '{"message":"Inva' }],
    ['a JSON array', '[1,2]', { isJson: true }],
    ['a JSON string', '"oops"', { isJson: true }],
  ])('copes with a body that is %s', (_name, body, expected) => {
    expect(readHubSpotErrorBody(body)).toEqual(expected);
  });

  it('keeps a long page to a short excerpt', () => {
    expect(textExcerpt(`<p>${'x'.repeat(1000)}</p>`)).toHaveLength(201);
  });
});

describe('parseJsonSafely', () => {
  it('parses JSON and gives undefined for anything else', () => {
    expect(parseJsonSafely('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonSafely('null')).toBeNull();
    expect(parseJsonSafely('<html>')).toBeUndefined();
    expect(parseJsonSafely('')).toBeUndefined();
  });
});
