/**
 * The slice of Electron's main-process API this example uses, declared by hand so that the example typechecks
 * in a repository that cannot install Electron (its install script downloads Electron's binary). Each shape is
 * a subset of the declaration in Electron's own `electron.d.ts` (Electron 28 and later).
 *
 * In your app, `npm install --save-dev electron` and delete this file: Electron's own types take over.
 */
declare module 'electron' {
  /** A frame of a web page, as the main process sees it. */
  interface WebFrameMain {
    /** The frame's current URL. */
    readonly url: string;
  }

  /** What `ipcMain.handle` listeners receive first. */
  interface IpcMainInvokeEvent {
    /** The frame that sent the message; `null` once it navigated away or was destroyed. */
    readonly senderFrame: WebFrameMain | null;
  }

  /** Main-process end of the renderer's `ipcRenderer.invoke`. */
  interface IpcMain {
    /** Answer `ipcRenderer.invoke(channel, ...args)` with the listener's (awaited) result. */
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
    /** Stop answering `channel`. */
    removeHandler(channel: string): void;
  }

  /** The event passed to `before-quit` listeners. */
  interface QuitEvent {
    /** Keep the app from quitting (for now). */
    preventDefault(): void;
  }

  /** The application's lifecycle. */
  interface App {
    /** Resolves once Electron has initialised. */
    whenReady(): Promise<void>;
    /** A directory Electron manages: `userData` is the app's own, per user. */
    getPath(name: 'userData' | 'temp' | 'logs'): string;
    /** Emitted before the windows close when the app starts to quit. */
    on(event: 'before-quit', listener: (event: QuitEvent) => void): this;
    /** Quit: emits `before-quit` again. */
    quit(): void;
  }

  /** Networking, main process. */
  interface Net {
    /** Whether there is currently internet connection (false means certainly offline; true is a hint). */
    isOnline(): boolean;
  }

  /** System power state changes. */
  interface PowerMonitor {
    /** `suspend`: the system is going to sleep; `resume`: it woke up. */
    on(event: 'suspend' | 'resume', listener: () => void): this;
    /** Remove a listener added with `on`. */
    off(event: 'suspend' | 'resume', listener: () => void): this;
  }

  export const app: App;
  export const ipcMain: IpcMain;
  export const net: Net;
  export const powerMonitor: PowerMonitor;
  export type { IpcMain, IpcMainInvokeEvent, Net, PowerMonitor };
}
