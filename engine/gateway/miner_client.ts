/**
 * The miner side of the gateway, for a browser tab or a headless miner:
 * connect out, answer the challenge with a hotkey-signed grant for a fresh
 * session key, then send signed, sequenced response frames.
 *
 * The hotkey signature comes from a callback, so the same client works with
 * a browser wallet (`signRaw`) and with a keypair loaded from a wallet folder.
 *
 * @module
 */
import { grantMessage, type SessionGrant } from "@/engine/auth/session_grant.ts";
import { createSessionKey, type SessionKey, signFrame } from "@/engine/auth/session_key.ts";
import {
  decodeServerFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  type ServerFrame,
} from "@/engine/gateway/frames.ts";

export interface MinerClientOptions {
  /** e.g. ws://127.0.0.1:8000/api/miner/ws */
  url: string;
  /** The miner's hotkey (ss58). */
  hotkey: string;
  /** Signs the grant text with the hotkey (sr25519; wallet-wrapped is fine). */
  signGrant: (message: string) => Promise<Uint8Array>;
  /** How long the session may last; default one hour. */
  sessionMs?: number;
  /** State pushed by the validator. */
  onState?: (step: number, body: Uint8Array) => void;
  /** The connection closed after the session opened. */
  onClose?: (code: number, reason: string) => void;
}

/** A refused handshake or frame, with the validator's code. */
export class GatewayError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "GatewayError";
    this.code = code;
  }
}

export class MinerClient {
  readonly uid: number;
  readonly hotkey: string;
  readonly #socket: WebSocket;
  readonly #key: SessionKey;
  #sequence = 0;
  /** The last frame handed to the socket, or failed to sign. */
  #outbox: Promise<void> = Promise.resolve();
  readonly #frameListeners = new Set<(frame: ServerFrame) => void>();
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  private constructor(socket: WebSocket, key: SessionKey, uid: number, hotkey: string) {
    this.#socket = socket;
    this.#key = key;
    this.uid = uid;
    this.hotkey = hotkey;
  }

  /** Connects and authenticates; rejects with GatewayError if refused. */
  static async connect(options: MinerClientOptions): Promise<MinerClient> {
    const socket = new WebSocket(options.url);
    socket.binaryType = "arraybuffer";
    const frames = frameReader(socket);
    const challenge = await frames.next("challenge");
    const key = await createSessionKey();
    const grant: SessionGrant = {
      validator: challenge.validator,
      hotkey: options.hotkey,
      sessionKey: key.publicKey,
      challenge: challenge.challenge,
      expiresAt: Date.now() + (options.sessionMs ?? 3_600_000),
    };
    const signature = await options.signGrant(grantMessage(grant));
    socket.send(encodeFrame({ t: "grant", v: PROTOCOL_VERSION, grant, signature }));
    const session = await frames.next("session");
    const client = new MinerClient(socket, key, session.uid, session.hotkey);
    frames.handOver((frame) => client.#dispatch(frame, options));
    socket.addEventListener("close", (event) => {
      client.#failPending(
        new GatewayError("closed", `Connection closed: ${event.code} ${event.reason}`),
      );
      options.onClose?.(event.code, event.reason);
    });
    return client;
  }

  /**
   * Signs and sends a response body; resolves when the validator
   * acknowledges it. Concurrent sends are signed at once but leave in
   * sequence order: signatures can finish out of order, and the gateway
   * refuses a sequence at or below one it has already seen.
   */
  async send(body: Uint8Array): Promise<number> {
    const seq = ++this.#sequence;
    const signature = signFrame(this.#key, seq, body);
    // Wrapped so the outbox waits for the frame to go out, not for its acknowledgement.
    const sent = this.#outbox.then(async () => ({
      acknowledged: this.sendRaw(seq, body, await signature),
    }));
    this.#outbox = sent.then(() => {}, () => {});
    await (await sent).acknowledged;
    return seq;
  }

  /** Sends a frame as given (tests use it to replay or forge frames). */
  sendRaw(seq: number, body: Uint8Array, signature: Uint8Array): Promise<void> {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#pending.set(seq, { resolve, reject });
    this.#socket.send(encodeFrame({ t: "response", v: PROTOCOL_VERSION, seq, body, signature }));
    return promise;
  }

  close(): void {
    this.#socket.close(1000, "miner leaving");
  }

  /**
   * Calls `listener` with every frame after the handshake (forecast
   * requests among them, engine/forecast/forecast_responder.ts); returns
   * the unsubscribe.
   */
  onFrame(listener: (frame: ServerFrame) => void): () => void {
    this.#frameListeners.add(listener);
    return () => this.#frameListeners.delete(listener);
  }

  #dispatch(frame: ServerFrame, options: MinerClientOptions): void {
    for (const listener of this.#frameListeners) listener(frame);
    if (frame.t === "ack") {
      this.#pending.get(frame.seq)?.resolve();
      this.#pending.delete(frame.seq);
    } else if (frame.t === "state") {
      options.onState?.(frame.step, frame.body);
    } else if (frame.t === "error") {
      const error = new GatewayError(frame.code, frame.message);
      if (frame.seq === undefined || frame.fatal) {
        this.#failPending(error);
      } else {
        this.#pending.get(frame.seq)?.reject(error);
        this.#pending.delete(frame.seq);
      }
    }
  }

  #failPending(error: GatewayError): void {
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}

/** Reads handshake frames in order, then hands the socket to a dispatcher. */
function frameReader(socket: WebSocket) {
  const queued: ServerFrame[] = [];
  let waiter: (() => void) | null = null;
  let closed: GatewayError | null = null;
  let dispatch: ((frame: ServerFrame) => void) | null = null;
  socket.onmessage = (event) => {
    const frame = decodeServerFrame(new Uint8Array(event.data as ArrayBuffer));
    if (dispatch) dispatch(frame);
    else queued.push(frame);
    waiter?.();
  };
  socket.onclose = (event) => {
    closed = new GatewayError("closed", `Connection closed: ${event.code} ${event.reason}`);
    waiter?.();
  };
  return {
    async next<T extends ServerFrame["t"]>(type: T): Promise<Extract<ServerFrame, { t: T }>> {
      for (;;) {
        const frame = queued.shift();
        if (frame?.t === "error") throw new GatewayError(frame.code, frame.message);
        if (frame?.t === type) return frame as Extract<ServerFrame, { t: T }>;
        if (frame !== undefined) continue;
        if (closed) throw closed;
        await new Promise<void>((resolve) => waiter = resolve);
        waiter = null;
      }
    },
    /**
     * Routes every later frame to `handler`. Frames that came in during the
     * handshake are replayed on the next task, after `connect` has returned,
     * so the caller holds the client before its first state arrives.
     */
    handOver(handler: (frame: ServerFrame) => void): void {
      const backlog = queued.splice(0);
      setTimeout(() => {
        for (const frame of backlog) handler(frame);
        dispatch = handler;
        for (const frame of queued.splice(0)) handler(frame);
      }, 0);
    },
  };
}
