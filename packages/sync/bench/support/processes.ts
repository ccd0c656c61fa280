import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Run a TypeScript file of this folder in its own node process (workspace sources through tsx) and resolve with
 * the first line it prints, parsed as JSON, and a way to stop it.
 *
 * @param file - file name inside `bench/support`
 * @param argument - passed as one JSON argument
 */
export async function spawnJsonChild<T>(
  file: string,
  argument: unknown,
): Promise<{ value: T; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL(`./${file}`, import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=@hubline/source', '--import', 'tsx', script, JSON.stringify(argument)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const value = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(buffer.slice(0, end)) as T);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before printing a result`)));
  });
  return {
    value,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
