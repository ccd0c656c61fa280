/**
 * The IPC handler behind `record`, registered on a stand-in for Electron's `ipcMain` (Electron cannot run here)
 * and recording into a real outbox file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '@hubline/core';
import { type Outbox, openOutbox } from '@hubline/outbox';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRecordHandler,
  RECORD_CHANNEL,
  type RecordReply,
  registerRecordHandler,
} from '../src/record-handler.js';

/** `ipcMain` as far as the handler uses it: what was registered, and a way to invoke it as a renderer would. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMain = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  /** What `ipcRenderer.invoke(channel, input)` from a frame at `url` resolves to: the reply, structured-cloned. */
  const invoke = async (channel: string, url: string | null, input: unknown): Promise<RecordReply> => {
    const handler = handlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    const event: IpcMainInvokeEvent = { senderFrame: url === null ? null : { url } };
    return structuredClone(await handler(event, structuredClone(input))) as RecordReply;
  };
  return { ipcMain, handlers, invoke };
}

const APP_PAGE = 'file:///Applications/Field%20Notes.app/Contents/Resources/app/index.html';
const isTrustedSender = (url: string) => url.startsWith('file://');
const visit = {
  eventTemplateId: '1001234',
  email: 'ana@example.com',
  tokens: { page: '/pricing', seconds: 42 },
};

let dir: string;
let outbox: Outbox;
let logged: { level: string; message: string; fields?: Record<string, unknown> }[];
let logger: Logger;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hubline-electron-'));
  outbox = openOutbox({ path: path.join(dir, 'hubline-outbox.db') });
  logged = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void logged.push({ level, message, ...(fields === undefined ? {} : { fields }) });
  logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
});

afterEach(() => {
  outbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the record handler', () => {
  it("records the renderer's event and replies with its id", async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerRecordHandler(ipcMain, outbox, { isTrustedSender, logger });

    const reply = await invoke(RECORD_CHANNEL, APP_PAGE, { ...visit, id: 'note-1' });
    expect(reply).toEqual({ ok: true, id: 'note-1' });
    expect(outbox.get('note-1')).toMatchObject({ status: 'pending', event: { email: 'ana@example.com' } });
    const generated = await invoke(RECORD_CHANNEL, APP_PAGE, visit);
    expect(generated).toEqual({ ok: true, id: expect.any(String) });
  });

  it('turns a validation error into a reply naming each field, and records nothing', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerRecordHandler(ipcMain, outbox, { isTrustedSender, logger });

    // The handler is a plain function too.
    const handler = createRecordHandler(outbox, { isTrustedSender, logger });
    const reply = handler({ senderFrame: { url: APP_PAGE } }, { ...visit, email: 'ana', token: {} });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [
          { path: 'email', message: 'must be a valid email address' },
          { path: 'token', message: 'is not a known field (did you mean "tokens"?)' },
        ],
      },
    });
    expect(await invoke(RECORD_CHANNEL, APP_PAGE, 'not an event')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(outbox.stats().pending).toBe(0);
  });

  it('refuses a frame that is not the app, or is gone, and records nothing', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerRecordHandler(ipcMain, outbox, { isTrustedSender, logger });

    for (const url of ['https://ads.example.net/frame.html', null]) {
      expect(await invoke(RECORD_CHANNEL, url, visit)).toEqual({
        ok: false,
        error: { code: 'UNTRUSTED_SENDER', message: 'this window may not record events' },
      });
    }
    expect(outbox.stats().pending).toBe(0);
    expect(logged.filter((line) => line.level === 'warn')).toHaveLength(2);
  });

  it('replies ID_CONFLICT for an id recorded with other content', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerRecordHandler(ipcMain, outbox, { isTrustedSender, logger });

    await invoke(RECORD_CHANNEL, APP_PAGE, { ...visit, id: 'note-2' });
    expect(await invoke(RECORD_CHANNEL, APP_PAGE, { ...visit, id: 'note-2' })).toEqual({
      ok: true,
      id: 'note-2',
    });
    const changed = await invoke(RECORD_CHANNEL, APP_PAGE, {
      ...visit,
      id: 'note-2',
      tokens: { page: '/other' },
    });
    expect(changed).toMatchObject({ ok: false, error: { code: 'ID_CONFLICT' } });
  });

  it("tells the renderer nothing of a storage failure's details, and logs them in the main process", async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerRecordHandler(ipcMain, outbox, { isTrustedSender, logger });
    outbox.close();

    const reply = await invoke(RECORD_CHANNEL, APP_PAGE, visit);
    expect(reply).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'the event could not be recorded' },
    });
    expect(logged).toEqual([
      {
        level: 'error',
        message: 'record failed',
        fields: { error: expect.objectContaining({ code: 'OUTBOX_CLOSED' }) },
      },
    ]);
  });

  it('stops answering once unregistered, as the app quits', async () => {
    const { ipcMain, handlers, invoke } = fakeIpcMain();
    const unregister = registerRecordHandler(ipcMain, outbox, { isTrustedSender, logger });
    expect([...handlers.keys()]).toEqual([RECORD_CHANNEL]);

    unregister();
    await expect(invoke(RECORD_CHANNEL, APP_PAGE, visit)).rejects.toThrow(/No handler registered/);
  });
});
