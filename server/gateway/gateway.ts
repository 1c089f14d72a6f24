/**
 * The miner gateway: miners dial out to the validator over WebSocket
 * (ARCHITECTURE.md decision 2), authenticate with a session grant, then send
 * signed response frames and receive state frames (engine/gateway/frames.ts).
 *
 * Each connection is a small state machine processed strictly in order.
 * Malformed or oversized frames get an error frame and a closed connection;
 * refused responses (replays, bad signatures, rate limits) get a non-fatal
 * error frame, and too many of them close the connection. Nothing a client
 * sends can throw out of here.
 *
 * @module
 */
import {
  decodeMinerFrame,
  encodeFrame,
  FieldError,
  PROTOCOL_VERSION,
  type ServerFrame,
} from "@/engine/gateway/frames.ts";
import { RateLimiter } from "@/server/gateway/rate_limiter.ts";
import {
  AuthError,
  type Session,
  type SessionRegistry,
} from "@/server/gateway/session_registry.ts";

export interface GatewayLimits {
  /** New connections per remote address. Default 2/s, burst 10. */
  connectionsPerAddress: { perSecond: number; burst: number };
  /** Response frames per hotkey. Default 20/s, burst 40; see {@link framesPerHotkeyAt}. */
  framesPerHotkey: { perSecond: number; burst: number };
  /** Refused frames before a connection is closed. Default 20. */
  maxRefusedFrames: number;
}

export interface GatewayOptions {
  registry: SessionRegistry;
  /** Called with each authenticated response body, in sequence order. */
  onResponse?: (session: Session, body: Uint8Array) => void;
  log?: (line: string) => void;
  limits?: Partial<GatewayLimits>;
  now?: () => number;
}

/** One authenticated miner as the public and the dashboard see it. */
export interface ConnectedMiner {
  uid: number;
  hotkey: string;
  remoteAddress: string;
  acceptedFrames: number;
  refusedFrames: number;
}

interface Connection {
  socket: WebSocket;
  remoteAddress: string;
  session: Session | null;
  acceptedFrames: number;
  refusedFrames: number;
  /** Frames are handled one after another, even though verifying is async. */
  queue: Promise<void>;
}

const defaultLimits: GatewayLimits = {
  connectionsPerAddress: { perSecond: 2, burst: 10 },
  framesPerHotkey: { perSecond: 20, burst: 40 },
  maxRefusedFrames: 20,
};

/**
 * The response-frame budget per hotkey for a validator whose rounds are at
 * least `stepMs` wall ms apart: a miner answers every state, and forecast
 * replies ride along, so a fixed 20/s would throttle honest miners of a fast
 * sandbox (--step-ms 1 runs hundreds of rounds a second) and stall each round
 * until its response timeout. Four frames a round, never below the default.
 */
export function framesPerHotkeyAt(stepMs: number): GatewayLimits["framesPerHotkey"] {
  const perSecond = Math.max(defaultLimits.framesPerHotkey.perSecond, (4 * 1000) / stepMs);
  return { perSecond, burst: 2 * perSecond };
}

export class MinerGateway {
  readonly #options: GatewayOptions;
  readonly #limits: GatewayLimits;
  readonly #connectionLimiter: RateLimiter;
  readonly #frameLimiter: RateLimiter;
  readonly #connections = new Set<Connection>();
  readonly #responseListeners = new Set<(session: Session, body: Uint8Array) => void>();

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#limits = { ...defaultLimits, ...options.limits };
    const now = options.now ?? (() => Date.now());
    this.#connectionLimiter = new RateLimiter(this.#limits.connectionsPerAddress, now);
    this.#frameLimiter = new RateLimiter(this.#limits.framesPerHotkey, now);
    if (options.onResponse) this.#responseListeners.add(options.onResponse);
  }

  /** Calls `listener` with each authenticated response; returns the unsubscribe. */
  onResponse(listener: (session: Session, body: Uint8Array) => void): () => void {
    this.#responseListeners.add(listener);
    return () => this.#responseListeners.delete(listener);
  }

  /** Sessions of the open, authenticated connections. */
  get sessions(): Session[] {
    return [...this.#connections].flatMap((connection) =>
      connection.session !== null && connection.socket.readyState === WebSocket.OPEN
        ? [connection.session]
        : []
    );
  }

  /** Miners with an open, authenticated connection. */
  get miners(): ConnectedMiner[] {
    return [...this.#connections].flatMap((connection) =>
      connection.session === null ? [] : [{
        uid: connection.session.uid,
        hotkey: connection.session.hotkey,
        remoteAddress: connection.remoteAddress,
        acceptedFrames: connection.acceptedFrames,
        refusedFrames: connection.refusedFrames,
      }]
    );
  }

  /** Upgrades an HTTP request to a miner connection and returns the 101 response. */
  upgrade(request: Request, remoteAddress: string): Response {
    const { socket, response } = Deno.upgradeWebSocket(request, { idleTimeout: 60 });
    this.accept(socket, remoteAddress);
    return response;
  }

  /** Takes over a just-upgraded WebSocket from `remoteAddress`. */
  accept(socket: WebSocket, remoteAddress: string): void {
    socket.binaryType = "arraybuffer";
    const connection: Connection = {
      socket,
      remoteAddress,
      session: null,
      acceptedFrames: 0,
      refusedFrames: 0,
      queue: Promise.resolve(),
    };
    socket.onopen = () => this.#greet(connection);
    socket.onmessage = (event) => {
      connection.queue = connection.queue.then(() => this.#receive(connection, event.data));
    };
    socket.onclose = () => this.#connections.delete(connection);
    socket.onerror = () => this.#connections.delete(connection);
  }

  /** Sends `frameFor(session)` to every authenticated miner; skips closed sockets. */
  publish(frameFor: (session: Session) => ServerFrame | null): void {
    for (const connection of this.#connections) {
      if (connection.session === null || connection.socket.readyState !== WebSocket.OPEN) continue;
      const frame = frameFor(connection.session);
      if (frame !== null) connection.socket.send(encodeFrame(frame));
    }
  }

  /**
   * Sends `bytesFor(session)`, an already encoded frame (e.g. frames.ts
   * `encodeStateFrame`), to every authenticated miner; skips closed sockets.
   * Each frame is sent (copied by the socket) before the next is asked for,
   * so `bytesFor` may reuse one buffer.
   */
  publishEncoded(bytesFor: (session: Session) => Uint8Array<ArrayBuffer> | null): void {
    for (const connection of this.#connections) {
      if (connection.session === null || connection.socket.readyState !== WebSocket.OPEN) continue;
      const bytes = bytesFor(connection.session);
      if (bytes !== null) connection.socket.send(bytes);
    }
  }

  /**
   * Closes the authenticated connections whose session `matches` (e.g. a
   * deregistered hotkey's) with a fatal error frame; returns how many.
   */
  disconnect(matches: (session: Session) => boolean, code: string, message: string): number {
    let closed = 0;
    for (const connection of [...this.#connections]) {
      if (connection.session === null || !matches(connection.session)) continue;
      this.#refuse(connection, code, message, true);
      closed++;
    }
    return closed;
  }

  /** Closes every connection. */
  close(): void {
    for (const connection of this.#connections) connection.socket.close(1001, "validator stopping");
    this.#connections.clear();
  }

  #greet(connection: Connection): void {
    if (!this.#connectionLimiter.take(connection.remoteAddress)) {
      this.#refuse(connection, "rate_limited", "Too many connections from this address", true);
      return;
    }
    try {
      const { challenge, validator, expiresAt } = this.#options.registry.issueChallenge();
      this.#connections.add(connection);
      this.#send(connection, {
        t: "challenge",
        v: PROTOCOL_VERSION,
        validator,
        challenge,
        expiresAt,
      });
    } catch (error) {
      const code = error instanceof AuthError ? error.reason : "internal";
      this.#refuse(connection, code, (error as Error).message, true);
    }
  }

  async #receive(connection: Connection, data: unknown): Promise<void> {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    if (!(data instanceof ArrayBuffer)) {
      this.#refuse(connection, "frame", "Invalid frame: must be a binary message", true);
      return;
    }
    let sequence: number | undefined;
    try {
      const frame = decodeMinerFrame(new Uint8Array(data));
      if (connection.session === null) {
        if (frame.t !== "grant") {
          throw new FieldError("t", `expected "grant" first, got "${frame.t}"`);
        }
        connection.session = await this.#options.registry.open(frame.grant, frame.signature);
        const { uid, hotkey, expiresAt } = connection.session;
        this.#options.log?.(
          `Miner uid ${uid} (${hotkey}) connected from ${connection.remoteAddress}`,
        );
        this.#send(connection, { t: "session", v: PROTOCOL_VERSION, uid, hotkey, expiresAt });
        return;
      }
      if (frame.t !== "response") {
        throw new FieldError("t", `expected "response", got "${frame.t}"`);
      }
      const session = connection.session;
      if (!this.#frameLimiter.take(session.hotkey)) {
        this.#refuseFrame(
          connection,
          frame.seq,
          "rate_limited",
          `Frame ${frame.seq} dropped: over the rate limit`,
        );
        return;
      }
      sequence = frame.seq;
      this.#options.registry.accept(session, frame.seq, frame.body, frame.signature);
      connection.acceptedFrames++;
      this.#send(connection, { t: "ack", v: PROTOCOL_VERSION, seq: frame.seq });
      for (const listener of this.#responseListeners) listener(session, frame.body);
    } catch (error) {
      if (error instanceof FieldError) {
        this.#refuse(connection, "frame", error.message, true);
      } else if (error instanceof AuthError) {
        if (connection.session === null) {
          this.#refuse(connection, error.reason, error.message, true);
        } else this.#refuseFrame(connection, sequence, error.reason, error.message);
      } else {
        this.#options.log?.(`Gateway error from ${connection.remoteAddress}: ${error}`);
        this.#refuse(connection, "internal", "Internal error", true);
      }
    }
  }

  #refuseFrame(
    connection: Connection,
    seq: number | undefined,
    code: string,
    message: string,
  ): void {
    connection.refusedFrames++;
    const fatal = connection.refusedFrames >= this.#limits.maxRefusedFrames;
    this.#refuse(connection, code, message, fatal, seq);
  }

  #refuse(
    connection: Connection,
    code: string,
    message: string,
    fatal: boolean,
    seq?: number,
  ): void {
    const who = connection.session?.hotkey ?? "unauthenticated";
    this.#options.log?.(`Refused ${who} from ${connection.remoteAddress}: ${code}: ${message}`);
    const frame: ServerFrame = { t: "error", v: PROTOCOL_VERSION, code, message, fatal };
    this.#send(connection, seq === undefined ? frame : { ...frame, seq });
    if (fatal) {
      this.#connections.delete(connection);
      connection.socket.close(1008, code);
    }
  }

  #send(connection: Connection, frame: ServerFrame): void {
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(encodeFrame(frame));
  }
}
