/**
 * Runs the emulator in its own process (HubSpot is remote: its CPU must not be the client's) with the
 * `EmulatorOptions` given as one JSON argument. Prints `{"url","controlUrl"}` on one line; stops on SIGTERM.
 */
import { type EmulatorOptions, startEmulator } from '@hubline/emulator';

const emulator = await startEmulator(JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions);
process.stdout.write(`${JSON.stringify({ url: emulator.url, controlUrl: emulator.controlUrl })}\n`);
process.once('SIGTERM', () => {
  void emulator.stop().then(() => process.exit(0));
});
