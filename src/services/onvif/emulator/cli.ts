/**
 * Runs one emulated ONVIF device until killed, for tests that put devices in network namespaces and
 * for cross-checks with other clients:
 *
 *   tsx src/services/onvif/emulator/cli.ts '{"host":"10.1.0.2","port":80,"discovery":{"interfaceAddress":"10.1.0.2"}}'
 *
 * Prints one line `READY <json>` with the device's url, port and uuid once it listens.
 */
import { startEmulator, type EmulatorOptions } from './emulator';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = await startEmulator(options);
process.stdout.write(`READY ${JSON.stringify({ url: emulator.url, port: emulator.port, uuid: emulator.uuid })}\n`);
const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
