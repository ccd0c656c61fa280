import { isHublineError, type Logger, type TimelineEventInput, type ValidationIssue } from '@hubline/core';
import type { Outbox } from '@hubline/outbox';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';

/** The IPC channel the renderer invokes: `ipcRenderer.invoke('hubline:record', event)`. */
export const RECORD_CHANNEL = 'hubline:record';

/**
 * What the renderer gets back: plain data, which crosses IPC's structured clone unchanged (an `Error` would
 * lose its code and issues on the way), and nothing of the main process's internals (paths, stacks).
 */
export type RecordReply =
  | {
      readonly ok: true;
      /** The recorded event's id. */
      readonly id: string;
    }
  | {
      readonly ok: false;
      /** Why the event was not recorded. */
      readonly error:
        | {
            readonly code: 'VALIDATION_FAILED';
            /** Each field at fault, with what is wrong with it. */
            readonly issues: readonly ValidationIssue[];
          }
        | {
            /** The error's stable code. */
            readonly code: 'ID_CONFLICT' | 'CAPACITY_EXCEEDED' | 'UNTRUSTED_SENDER' | 'UNAVAILABLE';
            /** What went wrong, fit to show. */
            readonly message: string;
          };
    };

/** Options of {@link createRecordHandler}. */
export interface RecordHandlerOptions {
  /** Whether a frame at this URL is the app's own UI (Electron's security checklist: validate every IPC sender). */
  isTrustedSender(url: string): boolean;
  /** Where failures the renderer is not told about are reported. */
  logger: Logger;
}

/**
 * The `ipcMain.handle` listener behind `record`: checks the sender, records the renderer's event in the outbox,
 * and turns every refusal into a {@link RecordReply} the renderer can show — the fields at fault for a
 * validation error — without ever throwing (a thrown error would reach the renderer as a bare message, with the
 * main process's words in it).
 *
 * @param outbox - where events are recorded
 * @param options - who may record, and where failures are logged
 * @example
 * ```ts
 * ipcMain.handle(RECORD_CHANNEL, createRecordHandler(outbox, { isTrustedSender, logger }));
 * ```
 */
export function createRecordHandler(
  outbox: Outbox,
  options: RecordHandlerOptions,
): (event: IpcMainInvokeEvent, input: unknown) => RecordReply {
  return (event, input) => {
    const url = event.senderFrame?.url;
    if (url === undefined || !options.isTrustedSender(url)) {
      options.logger.warn('record refused: untrusted sender', { url: url ?? null });
      return refused('UNTRUSTED_SENDER', 'this window may not record events');
    }
    try {
      // The outbox validates every field of whatever the renderer sent, whatever its type.
      return { ok: true, id: outbox.record(input as TimelineEventInput) };
    } catch (error) {
      return refusalOf(error, options.logger);
    }
  };
}

/**
 * Answer `record` invocations on {@link RECORD_CHANNEL}.
 *
 * @param ipcMain - Electron's `ipcMain`
 * @param outbox - where events are recorded
 * @param options - who may record, and where failures are logged
 * @returns a function that stops answering (before the outbox is closed)
 */
export function registerRecordHandler(
  ipcMain: IpcMain,
  outbox: Outbox,
  options: RecordHandlerOptions,
): () => void {
  ipcMain.handle(RECORD_CHANNEL, createRecordHandler(outbox, options));
  return () => ipcMain.removeHandler(RECORD_CHANNEL);
}

/** The reply for what `record` threw: the renderer learns the fields at fault, or a plain refusal. */
function refusalOf(error: unknown, logger: Logger): RecordReply {
  if (isHublineError(error, 'VALIDATION_FAILED')) {
    const issues = (error as { issues?: readonly ValidationIssue[] }).issues ?? [];
    // Rebuilt from path and message only: the renderer gets no more than it needs.
    return {
      ok: false,
      error: { code: 'VALIDATION_FAILED', issues: issues.map(({ path, message }) => ({ path, message })) },
    };
  }
  if (isHublineError(error, 'ID_CONFLICT')) return refused('ID_CONFLICT', error.message);
  if (isHublineError(error, 'CAPACITY_EXCEEDED'))
    return refused('CAPACITY_EXCEEDED', 'too many events wait to be sent');
  logger.error('record failed', { error });
  return refused('UNAVAILABLE', 'the event could not be recorded');
}

function refused(
  code: 'ID_CONFLICT' | 'CAPACITY_EXCEEDED' | 'UNTRUSTED_SENDER' | 'UNAVAILABLE',
  message: string,
): RecordReply {
  return { ok: false, error: { code, message } };
}
