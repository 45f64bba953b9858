/**
 * The socket.io side of the protocol (see src/shared/protocol.ts).
 *
 *   client: io(url, { auth: { token, since } })
 *   server: 'hello' -> replay of everything after `since` as 'events' batches (<= REPLAY_BATCH)
 *           -> live 'events'; or 'hello' -> 'resync' when `since` is outside the log.
 *           'command' (with ack) -> CommandResult.
 *
 * Pending live events are flushed, then the replay is read and the live room joined, in one
 * synchronous turn, so no event can fall between replay and live or arrive twice. Live events go
 * to a socket.io room per stream: each batch is encoded once however many consoles listen.
 */
import type { Server, Socket } from 'socket.io';
import { HandshakeAuth, type CommandResult, type Hello, type Resync, type User } from '../shared/protocol';
import { createLogger } from '../shared/log';
import type { TelemetryBatch } from '../shared/protocol-dispatch';
import { describeIssues } from '../shared/result';
import type { Auth } from './auth';
import type { CommandService } from './commands';
import type { EventLog } from './event-log';
import { streamForScope } from './streams';

const log = createLogger('sim.hub');
export const REPLAY_BATCH = 500;

export interface ServerToClient {
  hello: (hello: Hello) => void;
  events: (events: unknown) => void;
  resync: (resync: Resync) => void;
  /** Crews' positions and links' throughput once a second (protocol-dispatch.ts); not journaled. */
  telemetry: (batch: TelemetryBatch) => void;
}
export interface ClientToServer {
  command: (command: unknown, ack?: (result: CommandResult) => void) => void;
}
export interface SocketData {
  user: User;
  stream: string;
  since: number;
}
export type SimIo = Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
type SimSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

export interface HubDeps {
  backendId: string;
  auth: Auth;
  log: EventLog;
  commands: CommandService;
  /** Delivers pending live events (see Publisher.flush). */
  flush: () => void;
  now: () => number;
}

export function attachHub(io: SimIo, deps: HubDeps): void {
  io.use((socket, next) => {
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(new Error(`invalid handshake auth: ${describeIssues(parsed.error.issues)}`));
    const user = deps.auth.verify(parsed.data.token);
    if (!user.ok) return next(new Error(user.error.message));
    socket.data = { user: user.value, stream: streamForScope(deps.backendId, user.value.scope), since: parsed.data.since };
    next();
  });

  io.on('connection', (socket: SimSocket) => {
    const { stream, since, user } = socket.data;
    // Everything appended so far goes to the current subscribers first; this socket gets it from
    // the log below and joins the room after, all in this one synchronous turn.
    deps.flush();
    const read = deps.log.read(stream, since);
    socket.emit('hello', {
      stream,
      backendId: deps.backendId,
      latestSeq: deps.log.latestSeq(stream),
      serverTime: new Date(deps.now()).toISOString(),
    });
    if (read.kind === 'events') {
      for (let i = 0; i < read.events.length; i += REPLAY_BATCH) socket.emit('events', read.events.slice(i, i + REPLAY_BATCH));
      void socket.join(stream);
    } else {
      // 'ahead' means the client saw events this log no longer has (e.g. lost with an OS crash
      // before fsync): only a fresh snapshot can reconcile that, exactly as for a too-old offset.
      // The socket stays connected but unsubscribed until the client reconnects from the snapshot.
      if (read.kind === 'ahead') log.warn('client offset is ahead of the log', { stream, since, latestSeq: read.latestSeq });
      socket.emit('resync', { reason: 'too_old', oldestSeq: read.oldestSeq, latestSeq: read.latestSeq });
    }
    log.debug('console connected', { user: user.id, stream, since, replayed: read.kind === 'events' ? read.events.length : read.kind });

    socket.on('command', (raw: unknown, ack?: unknown) => {
      let result: CommandResult;
      try {
        result = deps.commands.handle(raw, { user, stream });
      } catch (e) {
        log.error('command failed', { error: e as Error });
        result = { status: 'rejected', code: 'internal', reason: 'the backend failed to process the command' };
      }
      if (typeof ack === 'function') (ack as (r: CommandResult) => void)(result);
    });
  });
}

/** Sends to the live subscribers of one or more streams (a socket is in exactly one). */
export function deliver(io: SimIo, streams: string | string[], events: unknown): void {
  io.to(streams).emit('events', events);
}
