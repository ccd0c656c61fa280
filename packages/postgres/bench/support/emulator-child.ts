/**
 * The emulator in a process of its own (HubSpot is remote: its CPU must not be the client's), with the
 * `EmulatorOptions` given as one JSON argument. Prints `{"url"}` on one line; on `stop` (stdin) prints
 * `{"stored", "duplicateIdsSeen"}` and exits.
 */
import { type EmulatorOptions, startEmulator } from '@hubline/emulator';

const emulator = await startEmulator(JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions);
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (!chunk.includes('stop')) return;
  const counters = emulator.counters();
  process.stdout.write(
    `${JSON.stringify({ stored: counters.eventsStored, duplicateIdsSeen: counters.duplicateIdsSeen })}\n`,
  );
  void emulator.stop().then(() => process.exit(0));
});
