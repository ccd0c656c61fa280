import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResultLine } from '../src/report/final-report.js';
import { launchChromium } from './launch-chromium.js';
import { type DemoProcess, runDemo } from './run-demo.js';

/** A test artifact (gitignored); the README's picture comes from test/capture-dashboard.ts instead. */
const SCREENSHOT = resolve(import.meta.dirname, '../test-results/dashboard.png');

const count = async (page: Page, testId: string): Promise<number> =>
  Number((await page.getByTestId(testId).textContent())?.replaceAll(',', '') ?? Number.NaN);

const chartPoints = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('chart').getAttribute('data-points'));

describe('the web dashboard', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hubline-dashboard-'));
    // The default outage schedule is on (so "Back to the schedule" has one to go back to); going offline by hand
    // takes the network off it, so the rest of the story does not race the schedule.
    demo = runDemo(
      ['--port', '0', '--faults', 'calm', '--rate', '8', '--seed', '5', '--db', join(folder, 'd.db')],
      'node',
    );
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    demo?.kill('SIGKILL');
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('shows live counters, and the backlog grows offline and drains to zero online', async ({ annotate }) => {
    const [, url] = await demo.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/, 60_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const failedRequests: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(url!);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toBe('live');
    await expect.poll(() => page.getByTestId('target').textContent()).toBe('HubSpot emulator');

    // Counters move on their own: the kiosks record and the engine delivers; the chart gathers some history.
    const deliveredAtStart = await count(page, 'count-delivered');
    await expect
      .poll(() => count(page, 'count-delivered'), { timeout: 15_000 })
      .toBeGreaterThan(deliveredAtStart + 20);
    await expect.poll(() => chartPoints(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(8);

    // Cut the network: the engine says offline, in words, and the backlog piles up (kiosks plus a burst).
    await page.getByTestId('go-offline').click();
    await expect
      .poll(() => page.getByTestId('network-state').textContent(), { timeout: 10_000 })
      .toBe('offline');
    await expect
      .poll(() => page.getByTestId('engine-status').textContent(), { timeout: 10_000 })
      .toBe('offline');
    await expect.poll(() => page.getByTestId('status-detail').textContent()).toMatch(/the network is down/);
    await expect.poll(() => page.getByTestId('network-mode').textContent()).toBe('(set by hand)');
    const backlogOffline = await count(page, 'count-backlog');
    await page.getByTestId('burst-size').fill('300');
    await page.getByTestId('record-burst').click();
    await expect
      .poll(() => count(page, 'count-backlog'), { timeout: 15_000 })
      .toBeGreaterThan(backlogOffline + 300);

    // Nothing is sent while offline, shown by the engine's own request counter rather than by a sleep: it stays
    // put while the kiosks record more and the stream moves on (every new event is a reason to send).
    const requestsOffline = await count(page, 'count-requests');
    const deliveredOffline = await count(page, 'count-delivered');
    const recordedOffline = await count(page, 'count-recorded');
    const pointsOffline = await chartPoints(page);
    await expect
      .poll(() => count(page, 'count-recorded'), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(recordedOffline + 8);
    await expect.poll(() => chartPoints(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(pointsOffline + 2);
    expect(await count(page, 'count-requests')).toBe(requestsOffline);
    expect(await count(page, 'count-delivered')).toBe(deliveredOffline);

    // The fault-profile switch, while nothing is sent: the badge follows it, and back to calm.
    await page.getByTestId('fault-profile').selectOption('storm');
    await expect.poll(() => page.getByTestId('fault-state').textContent()).toBe('storm');
    await expect.poll(() => page.getByTestId('control-message').textContent()).toBe('Fault profile: storm.');
    await page.getByTestId('fault-profile').selectOption('calm');
    await expect.poll(() => page.getByTestId('fault-state').textContent()).toBe('calm');

    // An event HubSpot refuses, recorded while offline: it is sent once the network is back.
    await page.getByTestId('record-invalid').click();
    await expect.poll(() => page.getByTestId('lookup-id').inputValue()).toMatch(/^[0-9A-Z]{26}$/);
    const invalidId = await page.getByTestId('lookup-id').inputValue();

    // Pause the kiosks so nothing new arrives, then restore the network: the backlog drains to zero.
    await page.getByTestId('toggle-recording').click();
    await expect
      .poll(() => page.getByTestId('recording-state').textContent(), { timeout: 10_000 })
      .toBe('paused');
    await page.getByTestId('go-online').click();
    await expect
      .poll(() => page.getByTestId('network-state').textContent(), { timeout: 10_000 })
      .toBe('online');
    await expect.poll(() => count(page, 'count-backlog'), { timeout: 30_000 }).toBe(0);
    expect(await count(page, 'count-delivered')).toBeGreaterThan(deliveredOffline + 300);

    // The refused event is a dead letter with HubSpot's reason, sent once.
    const deadRow = page.locator(`[data-testid="dead-letter"][data-id="${invalidId}"]`);
    await expect.poll(() => deadRow.textContent(), { timeout: 15_000 }).toMatch(/seconds.*1×/);

    // The search box: its whole story, in words.
    await page.getByTestId('lookup-submit').click();
    await expect
      .poll(() => page.getByTestId('lookup-status').textContent(), { timeout: 10_000 })
      .toMatch(/dead letter: sent 1×, refused by HubSpot: .*seconds/);
    await expect
      .poll(() => page.getByTestId('lookup-history').textContent())
      .toMatch(/Recorded[\s\S]*Claimed[\s\S]*DeadLettered[\s\S]*refused by HubSpot/);

    // Its row's Requeue button: it goes back in line, is sent again, and HubSpot refuses it again.
    await page.getByTestId(`requeue-${invalidId}`).click();
    await expect.poll(() => page.getByTestId('control-message').textContent()).toMatch(/^Requeued 1 event/);
    await expect
      .poll(
        async () => {
          await page.getByTestId('lookup-submit').click();
          return page.getByTestId('lookup-status').textContent();
        },
        { timeout: 15_000 },
      )
      .toMatch(/dead letter: sent 2×/);
    await expect
      .poll(() => page.getByTestId('lookup-history').textContent())
      .toMatch(/DeadLettered[\s\S]*Requeued[\s\S]*DeadLettered/);

    // A recent event (a kiosk's, not the invalid one shown already), clicked, shows its own story.
    const recent = page.getByTestId('recent-event').last().locator('a');
    const recentId = await recent.textContent();
    await recent.click();
    await expect
      .poll(() => page.getByTestId('lookup-status').textContent(), { timeout: 10_000 })
      .toContain(recentId ?? 'no recent id');

    // Back to the outage schedule.
    await page.getByTestId('network-schedule').click();
    await expect
      .poll(() => page.getByTestId('network-mode').textContent(), { timeout: 10_000 })
      .toBe('(on the outage schedule)');
    await expect.poll(() => page.getByTestId('network-schedule').isDisabled()).toBe(true);

    // The chart has caught up with the drained backlog before the picture is taken.
    await expect
      .poll(() => page.getByTestId('chart').getAttribute('data-last-backlog'), { timeout: 10_000 })
      .toBe('0');
    expect(failedRequests).toEqual([]);
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // Say where the artifact is, in the test output and as an annotation for reporters that collect them.
    console.log(`dashboard screenshot: ${SCREENSHOT}`);
    await annotate(`dashboard screenshot: ${SCREENSHOT}`, 'artifact');

    demo.signal('SIGTERM');
    expect(await demo.exitWithin(30_000)).toBe(0);
    expect(parseResultLine(demo.output())?.emulator?.idsStoredMoreThanOnce).toBe(0);
  }, 120_000);
});
