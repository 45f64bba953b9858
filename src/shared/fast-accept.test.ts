// The fast acceptor's edges that the protocol's own schemas do not reach (protocol.fuzz.test.ts
// checks it against zod on every protocol schema).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastAcceptor, fastSafeParse } from './fast-accept';
import { DeviceStatusV1 } from './protocol';

describe('fastAcceptor', () => {
  it('keeps open and closed bounds apart, as zod does', () => {
    const open = z.number().gt(0).lt(5);
    const closed = z.number().min(0).max(5);
    const acceptOpen = fastAcceptor(open)!;
    const acceptClosed = fastAcceptor(closed)!;
    for (const n of [-1, 0, 0.001, 4.999, 5, 6]) {
      expect(acceptOpen(n)).toBe(open.safeParse(n).success);
      expect(acceptClosed(n)).toBe(closed.safeParse(n).success);
    }
  });

  it('leaves keys a parsed message cannot have to zod: hidden, inherited, behind a throwing getter', () => {
    const accept = fastAcceptor(DeviceStatusV1)!;
    expect(accept({ deviceId: 'CAM-1', status: 'alarm' })).toBe(true);
    expect(accept(Object.defineProperty({ status: 'alarm' }, 'deviceId', { value: 'CAM-1', enumerable: false }))).toBe(false);
    expect(accept(Object.assign(Object.create({ deviceId: 'CAM-1' }) as object, { status: 'alarm' }))).toBe(false);
    const trap = { status: 'alarm' };
    Object.defineProperty(trap, 'deviceId', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(accept(trap)).toBe(false);
  });

  it('gives no acceptor for what it cannot be sure of: refinements, transforms, formats, plain objects, unions with defaults', () => {
    expect(fastAcceptor(z.string().refine((s) => s.length > 1))).toBeNull();
    expect(fastAcceptor(z.string().trim())).toBeNull();
    expect(fastAcceptor(z.string().uuid())).toBeNull();
    expect(fastAcceptor(z.object({ a: z.string() }))).toBeNull();
    expect(fastAcceptor(z.union([z.strictObject({ a: z.string().default('x') }), z.strictObject({ b: z.string() })]))).toBeNull();
    // ...and its fallback is zod itself.
    expect(fastSafeParse(z.string().trim())('  a ')).toEqual({ success: true, data: 'a' });
  });
});
