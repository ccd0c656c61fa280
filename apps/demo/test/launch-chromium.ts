import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ENV, chromiumInstallHint, findChromium } from '../../../scripts/find-chromium.mjs';

/** Headless, and nothing that reaches for the network or updates itself: this machine only reaches loopback. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Starts the system's Chromium through playwright-core (`npx playwright install` cannot download browsers here):
 * the one `HUBLINE_CHROMIUM` names, else Debian's `/usr/bin/chromium` or another usual location
 * (`scripts/find-chromium.mjs`, which `pnpm test`'s preflight also reads).
 *
 * @returns The browser; the caller closes it.
 * @throws When no Chromium is found, saying how to install one or point at one.
 */
export async function launchChromium(): Promise<Browser> {
  const found = findChromium();
  if (found === undefined)
    throw new Error(`Chromium is missing: ${chromiumInstallHint()}, or set ${CHROMIUM_ENV}=/path/to/chrome`);
  if (!found.executable) throw new Error(`${CHROMIUM_ENV}=${found.path} is not an executable file`);
  return chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS });
}
