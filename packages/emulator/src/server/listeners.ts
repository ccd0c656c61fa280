import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Starts `server` listening and resolves once it does (rejects on a listen error). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Switches the API listener off (the port refuses connections, open ones are destroyed) and on again on the
 * same port. Transitions run one after another.
 */
export class OnlineSwitch {
  readonly #server: Server;
  readonly #host: string;
  readonly #sockets = new Set<Socket>();
  readonly #isStopped: () => boolean;
  #port = 0;
  #online = true;
  #transition: Promise<void> = Promise.resolve();

  /**
   * A switch over `server`, online; it tracks the server's sockets from now on, so going offline can destroy them.
   *
   * @param server - the API's HTTP server, listening (or about to listen) on `host`.
   * @param host - the address to listen on again when going back online.
   * @param isStopped - whether the emulator was stopped: then a switch does nothing, so a stopped server stays closed.
   */
  constructor(server: Server, host: string, isStopped: () => boolean) {
    this.#server = server;
    this.#host = host;
    this.#isStopped = isStopped;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Whether the API accepts connections. */
  get online(): boolean {
    return this.#online;
  }

  /** The port the API listens (or listened) on. */
  set port(port: number) {
    this.#port = port;
  }

  /** Goes offline (keeping `keep`, the control request's own socket, open) or back online. */
  set(next: boolean, keep?: Socket): Promise<void> {
    this.#transition = this.#transition.then(async () => {
      if (this.#isStopped() || next === this.#online) return;
      if (next) {
        await listen(this.#server, this.#port, this.#host);
        this.#online = true;
        return;
      }
      this.#online = false;
      this.#server.close();
      for (const socket of this.#sockets) if (socket !== keep) socket.destroy();
    });
    return this.#transition;
  }

  /** Waits for the transition under way, if any. */
  settled(): Promise<void> {
    return this.#transition.catch(() => undefined);
  }
}
