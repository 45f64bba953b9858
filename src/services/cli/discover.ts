/**
 * For installers: find the ONVIF devices of a school's network and say what each one answers.
 *
 *   npm run discover -- [--interface NAME]... [--range CIDR] [--user U --password-env VAR] [--json]
 *                       [--wait MS] [--rate N] [--deadline MS] [--no-check] [--try-all] [--listen MS]
 *
 * Multicast probes go out on every IPv4 interface (or the named ones); --range sweeps a subnet
 * with unicast probes (cameras behind a router); --listen also waits that long for Hello/Bye
 * announcements (UDP 3702) before reporting. The password is read from the environment
 * variable named by --password-env, never from the command line (shell history, `ps`).
 *
 * Credentials are tried on one device after another; after two devices refuse them the rest are
 * not tried (Hikvision locks an account after a few failed logins) unless --try-all is given.
 * Exit status: 0 when something was found, 1 when nothing was, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import type { DeviceCheck, DiscoveredDevice } from '../../shared/devices';
import { scopeValue } from '../../shared/devices';
import { checkDevice, formatSkew } from '../onvif/device-client';
import { deviceServiceUrl, expandCidr, ipv4Interfaces, startDiscovery } from '../onvif/discovery';

const MAX_REFUSALS = 2;

function usage(message?: string): never {
  if (message) console.error(`discover: ${message}`);
  console.error('usage: npm run discover -- [--interface NAME]... [--range CIDR] [--user U --password-env VAR] [--json] [--wait MS] [--rate N] [--deadline MS] [--no-check] [--try-all] [--listen MS]');
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      interface: { type: 'string', multiple: true },
      range: { type: 'string' },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      json: { type: 'boolean', default: false },
      wait: { type: 'string' },
      rate: { type: 'string' },
      deadline: { type: 'string' },
      'no-check': { type: 'boolean', default: false },
      'try-all': { type: 'boolean', default: false },
      listen: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
if (args.help) usage();

const intArg = (name: string, v: string | undefined, min: number, max: number): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) usage(`--${name} must be an integer from ${min} to ${max}`);
  return n;
};
const waitMs = intArg('wait', args.wait, 100, 60_000);
const rate = intArg('rate', args.rate, 1, 1000);
const deadlineMs = intArg('deadline', args.deadline, 200, 60_000) ?? 5_000;
const listenMs = intArg('listen', args.listen, 100, 3_600_000);

if (args.range) {
  try {
    expandCidr(args.range);
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
}
let password: string | undefined;
if (args['password-env']) {
  password = process.env[args['password-env']];
  if (password === undefined) usage(`environment variable ${args['password-env']} is not set`);
}
if (password !== undefined && !args.user) usage('--password-env needs --user');
if (args.interface && ipv4Interfaces(args.interface).length === 0) {
  usage(`no IPv4 address on ${args.interface.join(', ')} (interfaces: ${ipv4Interfaces().map((i) => i.name).join(', ') || 'none'})`);
}

const json = args.json;
const progressLine = (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(70)}`);
};

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
if (listenMs !== undefined) setTimeout(() => controller.abort(), listenMs).unref();

const run = startDiscovery({
  interfaces: args.interface,
  range: args.range,
  waitMs,
  ratePerSecond: rate,
  listen: listenMs !== undefined,
  signal: controller.signal,
  onProgress: (p) =>
    progressLine(`${p.phase}: ${p.probesSent} probes, ${p.sweepTotal ? `${p.swept}/${p.sweepTotal} swept, ` : ''}${p.found} found, ${p.rejected} rejected`),
});
const { devices, rejected, errors } = await run.done;
if (process.stderr.isTTY) process.stderr.write('\n');

interface Row {
  device: DiscoveredDevice;
  serviceUrl: string;
  guessedUrl: boolean;
  check: DeviceCheck | null;
  note: string | null;
}

const rows: Row[] = [];
let refusals = 0;
for (const device of [...devices].sort((a, b) => compareIp(a.address, b.address))) {
  const { url, guessed } = deviceServiceUrl(device);
  const row: Row = { device, serviceUrl: url, guessedUrl: guessed, check: null, note: device.gone ? 'said Bye (left the network)' : null };
  rows.push(row);
  if (args['no-check'] || device.gone) continue;
  if (refusals >= MAX_REFUSALS && password !== undefined && !args['try-all']) {
    row.note = `not tried: ${refusals} devices refused these credentials (use --try-all to try every device)`;
    continue;
  }
  row.check = await checkDevice({ xaddr: url, username: args.user, password, deadlineMs });
  if (row.check.state === 'unauthorized' && password !== undefined) refusals++;
}

if (json) {
  console.log(JSON.stringify({ devices: rows, rejected, errors }, null, 2));
} else {
  if (rows.length === 0) console.log('No ONVIF devices answered.');
  for (const { device: d, serviceUrl, guessedUrl, check, note } of rows) {
    const name = scopeValue(d.scopes, 'name') ?? scopeValue(d.scopes, 'hardware') ?? '';
    console.log(`${d.address.padEnd(15)}  ${d.id}  ${name}  (${d.via})`);
    console.log(`    service: ${serviceUrl}${guessedUrl ? ' (not as advertised)' : ''}`);
    for (const w of d.warnings) console.log(`    warning: ${w}`);
    if (note) console.log(`    ${note}`);
    if (!check) continue;
    if (check.state !== 'ok') {
      console.log(`    ${check.state.toUpperCase()}: ${check.detail ?? ''}`);
      if (check.clockSkewMs !== null && Math.abs(check.clockSkewMs) >= 5_000) console.log(`    clock: ${formatSkew(check.clockSkewMs)}`);
      continue;
    }
    console.log(`    ${check.manufacturer ?? '?'} ${check.model ?? '?'}, firmware ${check.firmware ?? '?'}, serial ${check.serial ?? '?'}; auth ${check.authUsed}; PTZ ${check.ptz ? 'yes' : 'no'}; clock ${check.clockSkewMs === null ? 'unknown' : formatSkew(check.clockSkewMs)}`);
    for (const p of check.profiles) {
      const size = p.width && p.height ? ` ${p.width}x${p.height}` : '';
      console.log(`    profile ${p.token} "${p.name}" ${p.encoding ?? ''}${size}: ${p.streamUri ?? '-'}${p.problem ? ` (${p.problem})` : ''}`);
    }
  }
  for (const r of rejected.slice(0, 20)) console.log(`rejected reply from ${r.from}: ${r.reason}`);
  for (const e of errors) console.log(`error: ${e}`);
}
process.exit(rows.length ? 0 : 1);

function compareIp(a: string, b: string): number {
  const n = (s: string) => s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return n(a) - n(b);
}
