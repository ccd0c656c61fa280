import { describe, expect, it } from 'vitest';
import { formatIssuePath } from './validation-issues.js';

describe('formatIssuePath', () => {
  it.each([
    [[], ''],
    [['tokens', 'page'], 'tokens.page'],
    [['timelineIFrame', 'url'], 'timelineIFrame.url'],
    [['extraData', 'a', 'b', 2], 'extraData.a.b[2]'],
    [['extraData', 0, 1], 'extraData[0][1]'],
    [['tokens', 'page views'], 'tokens["page views"]'],
    [['tokens', ''], 'tokens[""]'],
  ] as [PropertyKey[], string][])('writes %j as %j', (path, expected) => {
    expect(formatIssuePath(path)).toBe(expected);
  });
});
