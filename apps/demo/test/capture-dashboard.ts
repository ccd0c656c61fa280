/**
 * Refreshes the README's picture of the dashboard, `docs/dashboard.png`, from a real run: the demo at its default
 * rate under `flaky` with the default outage schedule, half a minute or more of history on the chart ending on a
 * drained backlog, and one event HubSpot refuses, shown as a dead letter with its story. The browser test's own screenshot (test-results/) shows the end
 * of a ten-second test and is not meant for the README.
 *
 * ```sh
 * node --conditions=@hubline/source --import tsx apps/demo/test/capture-dashboard.ts [output.png]
 * ```
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from './launch-chromium.js';
import { REPO_ROOT, runDemo } from './run-demo.js';

/** Keep the README light. */
const MAX_BYTES = 300 * 1024;

/** Resolves once `check` returns true; rejects after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

async function capture(output: string): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'hubline-capture-'));
  const demo = runDemo(
    ['--port', '0', '--faults', 'flaky', '--seed', '21', '--db', join(folder, 'd.db')],
    'node',
  );
  const browser = await launchChromium();
  try {
    const [, url] = await demo.waitFor(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/, 60_000);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(url!);
    const points = async (): Promise<number> =>
      Number(await page.getByTestId('chart').getAttribute('data-points'));
    // Half a minute: three scheduled outages, each a backlog that builds and drains.
    await until('25 s of chart', async () => (await points()) >= 50, 60_000);
    await page.getByTestId('record-invalid').click();
    const deadRow = page.getByTestId('dead-letter').first();
    await until('a dead letter', async () => /seconds/.test((await deadRow.textContent()) ?? ''), 30_000);
    await deadRow.locator('a').click();
    await until('its story', async () => (await page.getByTestId('lookup-history').count()) > 0, 10_000);
    await until('5 s more of chart', async () => (await points()) >= 60, 30_000);
    // End on a drained backlog: the picture should show the recovery, not the middle of it.
    await until(
      'the backlog to drain',
      async () => Number(await page.getByTestId('chart').getAttribute('data-last-backlog')) < 100,
      40_000,
    );
    await page.screenshot({ path: output, fullPage: true });
    const bytes = statSync(output).size;
    console.log(`${output}: ${Math.round(bytes / 1024)} KB`);
    if (bytes > MAX_BYTES) throw new Error(`${output} is larger than ${MAX_BYTES / 1024} KB`);
  } finally {
    await browser.close();
    demo.signal('SIGTERM');
    await demo.exitWithin(30_000).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  }
}

await capture(resolve(process.argv[2] ?? join(REPO_ROOT, 'docs/dashboard.png')));
