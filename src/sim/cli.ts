/**
 * Starts the simulator from a shell:
 *
 *   npm run sim -- [--port 4010] [--host 127.0.0.1] [--seed 1] [--data DIR] [--rate 6]
 *                  [--retention 100000] [--no-demo] [--public-url URL]
 *                  [--bench-floor N]   (adds a synthetic school with one N-device floor, for bench:plan)
 *
 * Prints the URL and the operator accounts on stdout; SIGINT / SIGTERM close it cleanly.
 * Without --data the log lives in a temporary directory and is gone after exit.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startSimulator } from './server';

const USAGE = 'usage: npm run sim -- [--port P] [--host H] [--seed N] [--data DIR] [--rate N] [--retention N] [--no-demo] [--public-url URL] [--bench-floor N]';

const Args = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(4010),
  host: z.string().default('127.0.0.1'),
  seed: z.coerce.number().int().default(1),
  data: z.string().optional(),
  rate: z.coerce.number().min(0).max(600).default(6),
  retention: z.coerce.number().int().min(1).optional(),
  'no-demo': z.boolean().default(false),
  'public-url': z.string().optional(),
  'bench-floor': z.coerce.number().int().min(0).max(5000).default(0),
  help: z.boolean().default(false),
});

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        rate: { type: 'string' },
        retention: { type: 'string' },
        'no-demo': { type: 'boolean' },
        'public-url': { type: 'string' },
        'bench-floor': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const args = Args.safeParse(values);
  if (!args.success) {
    console.error(`${args.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}`);
    process.exit(2);
  }
  if (args.data.help) {
    console.log(USAGE);
    return;
  }
  const a = args.data;
  const sim = await startSimulator({
    port: a.port,
    host: a.host,
    seed: a.seed,
    backgroundRate: a.rate,
    demo: !a['no-demo'],
    ...(a.data ? { dataDir: a.data } : {}),
    ...(a.retention ? { logRetention: a.retention } : {}),
    ...(a['public-url'] ? { publicUrl: a['public-url'] } : {}),
    ...(a['bench-floor'] ? { benchFloorDevices: a['bench-floor'] } : {}),
  });

  const lines = [
    `Kuzet city-backend simulator ${sim.backendId}`,
    `  URL         ${sim.url}`,
    `  data        ${sim.dataDir}${a.data ? '' : ' (temporary)'}`,
    `  city        ${sim.catalog.schools.length} schools, ${sim.catalog.devices.filter((d) => d.kind === 'camera').length} cameras, ${sim.catalog.crews.length} crews; background ${a.rate}/min`,
    '  accounts',
    ...sim.accounts.map((acc) => `    ${acc.username.padEnd(12)} ${acc.password.padEnd(18)} ${acc.user.role.padEnd(13)} ${acc.label}`),
    a['no-demo'] ? `  instructor  X-Instructor-Key: ${sim.instructorKey}` : `  instructor  ${sim.url}/api/instructor/* (loopback, no key needed in demo mode)`,
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing the simulator`);
    sim.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`simulator failed to start: ${(e as Error).message}`);
  process.exit(1);
});
