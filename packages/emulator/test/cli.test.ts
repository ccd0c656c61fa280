import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postBatch, visit } from './support/http.js';

const cli = path.resolve(import.meta.dirname, '../src/cli.ts');

describe('hubline-emulator CLI', () => {
  it('starts from command-line options and --templates/--faults files, serves the API, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hubline-emulator-cli-'));
    const templates = path.join(dir, 'templates.json');
    const faults = path.join(dir, 'faults.json');
    writeFileSync(
      templates,
      JSON.stringify({
        templates: [{ id: '777', objectType: 'contacts', tokens: [{ name: 'n', type: 'number' }] }],
      }),
    );
    writeFileSync(faults, JSON.stringify({ sequence: ['error-503'], htmlBodyRate: 0 }));
    const child = spawn(
      process.execPath,
      [
        '--conditions=@hubline/source',
        '--import',
        'tsx',
        cli,
        '--port',
        '0',
        '--batch-cap',
        '2',
        '--templates',
        templates,
        '--faults',
        faults,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match?.[1] !== undefined) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const mine = (id: string) => ({ eventTemplateId: '777', id, email: 'a@b.co', tokens: { n: '1' } });
      // The faults file queued one 503; the templates file replaced the default templates.
      expect((await postBatch(url, [mine('a')])).status).toBe(503);
      expect((await postBatch(url, [mine('a'), mine('b')])).status).toBe(201);
      const unknown = await postBatch(url, [visit('v')]);
      expect(unknown.status).toBe(207);
      expect(unknown.json?.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND' })]);
      expect((await postBatch(url, [mine('c'), mine('d'), mine('e')])).status).toBe(400);
    } finally {
      // A child that already exited (a bad option, a crash) will not emit 'exit' again.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
