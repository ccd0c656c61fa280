import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postBatch, visit } from './support/http.js';

const cli = path.resolve(import.meta.dirname, '../src/cli.ts');

describe('hubline-emulator CLI', () => {
  it('starts from command-line options, serves the API, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@hubline/source', '--import', 'tsx', cli, '--port', '0', '--batch-cap', '2'],
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
      expect((await postBatch(url, [visit('a'), visit('b')])).status).toBe(201);
      expect((await postBatch(url, [visit('c'), visit('d'), visit('e')])).status).toBe(400);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 30_000);
});
