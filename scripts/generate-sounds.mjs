// Generates the alert sounds in resources/sounds: one short tone pattern per priority class, as
// 16-bit mono PCM WAV. Deterministic; run `node scripts/generate-sounds.mjs` after changing it and
// commit the files. The renderer imports them as assets, so every build ships them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RATE = 16000;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'sounds');

// [frequency Hz, duration s] beeps separated by short silences; higher priority = faster, higher.
const PATTERNS = {
  p1: [[1320, 0.12], [0, 0.05], [1320, 0.12], [0, 0.05], [1320, 0.12], [0, 0.3]],
  p2: [[990, 0.18], [0, 0.08], [990, 0.18], [0, 0.5]],
  p3: [[740, 0.25], [0, 0.6]],
  p4: [[520, 0.2], [0, 1.0]],
};

function wav(pattern) {
  const samples = [];
  for (const [freq, secs] of pattern) {
    const n = Math.round(secs * RATE);
    for (let i = 0; i < n; i++) {
      // 5 ms fade in and out: no clicks.
      const env = Math.min(1, i / (0.005 * RATE), (n - i) / (0.005 * RATE));
      samples.push(freq === 0 ? 0 : Math.round(Math.sin((2 * Math.PI * freq * i) / RATE) * env * 0.5 * 32767));
    }
  }
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

mkdirSync(out, { recursive: true });
for (const [name, pattern] of Object.entries(PATTERNS)) {
  const file = join(out, `${name}.wav`);
  writeFileSync(file, wav(pattern));
  process.stdout.write(`${file}\n`);
}
