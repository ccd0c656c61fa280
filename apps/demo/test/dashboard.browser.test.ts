import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResultLine } from '../src/report/final-report.js';
import { type DemoProcess, REPO_ROOT, runDemo } from './run-demo.js';

/** Debian's Chromium (`apt-get install -y chromium`); CI installs the same package. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = resolve(import.meta.dirname, '../test-results/dashboard.png');
/** Set `UPDATE_DASHBOARD_SCREENSHOT=1` to refresh the README's copy. */
const README_SCREENSHOT = join(REPO_ROOT, 'docs/dashboard.png');

const count = async (page: Page, testId: string): Promise<number> =>
  Number((await page.getByTestId(testId).textContent())?.replaceAll(',', '') ?? Number.NaN);

describe('the web dashboard', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let folder: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    folder = mkdtempSync(join(tmpdir(), 'hubline-dashboard-'));
    demo = runDemo(
      [
        '--port',
        '0',
        '--faults',
        'calm',
        '--no-drops',
        '--rate',
        '8',
        '--seed',
        '5',
        '--db',
        join(folder, 'd.db'),
      ],
      'node',
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    demo?.kill('SIGKILL');
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('shows live counters, and the backlog grows offline and drains to zero online', async () => {
    const [, url] = await demo.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/, 60_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(url!);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toBe('live');
    await expect.poll(() => page.getByTestId('target').textContent()).toBe('HubSpot emulator');

    // Counters move on their own: the kiosks record and the engine delivers.
    const deliveredAtStart = await count(page, 'count-delivered');
    await expect
      .poll(() => count(page, 'count-delivered'), { timeout: 15_000 })
      .toBeGreaterThan(deliveredAtStart + 20);
    await page.waitForTimeout(2000); // a little history on the chart before the outage

    // Cut the network: the engine says offline and the backlog piles up (kiosks plus a burst).
    await page.getByTestId('go-offline').click();
    await expect
      .poll(() => page.getByTestId('network-state').textContent(), { timeout: 10_000 })
      .toBe('offline');
    await expect
      .poll(() => page.getByTestId('engine-status').textContent(), { timeout: 10_000 })
      .toBe('offline');
    const backlogOffline = await count(page, 'count-backlog');
    await page.getByTestId('burst-size').fill('300');
    await page.getByTestId('record-burst').click();
    await expect
      .poll(() => count(page, 'count-backlog'), { timeout: 15_000 })
      .toBeGreaterThan(backlogOffline + 300);
    const deliveredOffline = await count(page, 'count-delivered');
    await page.waitForTimeout(2500);
    expect(await count(page, 'count-delivered')).toBe(deliveredOffline);

    // An event HubSpot refuses shows up as a dead letter with HubSpot's reason and its whole history.
    await page.getByTestId('record-invalid').click();

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

    const deadRow = page.getByTestId('dead-letter').first();
    await expect.poll(() => deadRow.textContent(), { timeout: 15_000 }).toMatch(/seconds/);
    await deadRow.locator('a').click();
    await expect
      .poll(() => page.getByTestId('lookup-history').textContent(), { timeout: 10_000 })
      .toMatch(/Recorded[\s\S]*Claimed[\s\S]*DeadLettered/);

    await page.waitForTimeout(1500); // let the chart show the drained backlog
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env.UPDATE_DASHBOARD_SCREENSHOT === '1') {
      mkdirSync(resolve(README_SCREENSHOT, '..'), { recursive: true });
      copyFileSync(SCREENSHOT, README_SCREENSHOT);
    }

    demo.signal('SIGTERM');
    expect(await demo.exitWithin(30_000)).toBe(0);
    expect(parseResultLine(demo.output())?.emulator?.idsStoredMoreThanOnce).toBe(0);
  }, 120_000);
});
