/** The environment variable that names another Chrome or Chromium executable. */
export declare const CHROMIUM_ENV: 'HUBLINE_CHROMIUM';

/** A Chromium executable the browser test can use. */
export interface FoundChromium {
  /** Its path. */
  readonly path: string;
  /** Whether `HUBLINE_CHROMIUM` named it. */
  readonly fromEnv: boolean;
  /** Whether the path is an executable file (false only for a `HUBLINE_CHROMIUM` that names nothing usable). */
  readonly executable: boolean;
}

/** The Chromium the browser test uses: `HUBLINE_CHROMIUM`, else the first usual location that has one. */
export declare function findChromium(
  env?: NodeJS.ProcessEnv,
  platform?: NodeJS.Platform,
): FoundChromium | undefined;

/** The one command that installs Chromium on this platform, for messages. */
export declare function chromiumInstallHint(platform?: NodeJS.Platform): string;
