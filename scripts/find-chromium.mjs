// Where the dashboard's browser test finds Chromium: one list, read by `scripts/preflight.mjs` (before the suite
// runs) and by `apps/demo/test/launch-chromium.ts` (when the test starts the browser).
import { accessSync, constants } from 'node:fs';

/** The environment variable that names another Chrome or Chromium executable. */
export const CHROMIUM_ENV = 'HUBLINE_CHROMIUM';

/** Usual install locations, per platform, tried in order. */
const CANDIDATES = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium the browser test uses: `HUBLINE_CHROMIUM` when set (even when it names nothing, so a typo is
 * reported rather than silently replaced), else the first usual location that holds an executable.
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 * @returns {{ path: string; fromEnv: boolean; executable: boolean } | undefined}
 */
export function findChromium(env = process.env, platform = process.platform) {
  const named = env[CHROMIUM_ENV];
  if (named !== undefined && named !== '')
    return { path: named, fromEnv: true, executable: isExecutable(named) };
  const found = (CANDIDATES[platform] ?? []).find(isExecutable);
  return found === undefined ? undefined : { path: found, fromEnv: false, executable: true };
}

/**
 * The one command that installs Chromium on this platform, for messages.
 *
 * @param {NodeJS.Platform} [platform]
 * @returns {string}
 */
export function chromiumInstallHint(platform = process.platform) {
  if (platform === 'darwin') return 'brew install --cask chromium';
  if (platform === 'linux') return 'sudo apt-get install -y chromium';
  return `install Chrome or Chromium and set ${CHROMIUM_ENV} to its executable`;
}
