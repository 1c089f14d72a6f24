/**
 * One viewer's connection to the live feed: the channels it follows, the
 * step it last received on each, and the frame pacing.
 *
 * Pacing is a token bucket (FeedLimits.framesPerSecond, frameBurst): a
 * frame goes out as soon as a step lands if a token is free, otherwise a
 * timer sends the newest state when one is. A client whose socket does not
 * drain (bufferedAmount over slowBufferedBytes) gets nothing new until it
 * does, then only the newest state; it is dropped after maxSlowMs, or at
 * once past maxBufferedBytes. Nothing here ever waits on the socket, so a
 * slow viewer costs the others and the simulation nothing.
 *
 * @module
 */
import type { LiveChannel } from "@/server/feed/live_channel.ts";
import { CLOSE_POLICY_VIOLATION, type FeedLimits } from "@/server/feed/feed_limits.ts";

/** What the connection needs of a WebSocket (a fake in tests). */
export interface FeedSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type FeedChannel = LiveChannel<FeedConnection>;

/**
 * Frames already built in one publishing round, by their contents (which
 * channels, update or snapshot). Viewers of the same book get the same
 * frame, so it is joined once and not once per viewer.
 */
export type FrameCache = Map<string, string>;

export class FeedConnection {
  readonly #socket: FeedSocket;
  readonly #limits: FeedLimits;
  readonly #now: () => number;
  readonly #onClose: (connection: FeedConnection, reason: string | null) => void;
  /** Followed channels → the step last sent on each (undefined: nothing yet). */
  readonly subscriptions = new Map<FeedChannel, number | undefined>();
  readonly #dirty = new Set<FeedChannel>();
  #tokens: number;
  #tokensAt: number;
  #slowSince: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  /** Frames sent so far. */
  framesSent = 0;
  /** Messages of this client that were rejected. */
  rejectedMessages = 0;

  constructor(
    socket: FeedSocket,
    limits: FeedLimits,
    now: () => number,
    onClose: (connection: FeedConnection, reason: string | null) => void,
  ) {
    this.#socket = socket;
    this.#limits = limits;
    this.#now = now;
    this.#onClose = onClose;
    this.#tokens = limits.frameBurst;
    this.#tokensAt = now();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Notes that `channel` has a newer message than this client has seen. */
  markDirty(channel: FeedChannel): void {
    if (!this.#closed) this.#dirty.add(channel);
  }

  /** Forgets `channel` (after an unsubscribe). */
  forget(channel: FeedChannel): void {
    this.subscriptions.delete(channel);
    this.#dirty.delete(channel);
  }

  /**
   * Sends one frame with the newest message of every changed channel, if
   * pacing and the socket allow; otherwise arranges to try again. `urgent`
   * skips the pacing (first snapshots after a subscribe); `frames` shares
   * built frames between the connections flushed after one step.
   */
  flush(urgent = false, frames?: FrameCache): void {
    if (this.#closed || this.#dirty.size === 0) return;
    const now = this.#now();
    const buffered = this.#socket.bufferedAmount;
    if (buffered > this.#limits.maxBufferedBytes) {
      this.close(
        `Too slow: ${buffered} bytes unsent, over the limit of ${this.#limits.maxBufferedBytes}`,
      );
      return;
    }
    if (buffered > this.#limits.slowBufferedBytes) {
      this.#slowSince ??= now;
      if (now - this.#slowSince > this.#limits.maxSlowMs) {
        this.close(`Too slow: the send buffer did not drain for ${this.#limits.maxSlowMs} ms`);
      } else {
        this.#retryIn(1000 / this.#limits.framesPerSecond);
      }
      return;
    }
    this.#slowSince = null;
    this.#refill(now);
    if (this.#tokens < 1 && !urgent) {
      this.#retryIn(((1 - this.#tokens) * 1000) / this.#limits.framesPerSecond);
      return;
    }
    this.#tokens = Math.max(0, this.#tokens - 1);

    let key = "";
    for (const channel of this.#dirty) {
      key += `${channel.id}${channel.coversGap(this.subscriptions.get(channel)) ? "u" : "s"},`;
    }
    let frame = frames?.get(key);
    if (frame === undefined) {
      const parts: string[] = [];
      for (const channel of this.#dirty) {
        parts.push(channel.messageFor(this.subscriptions.get(channel)));
      }
      frame = `[${parts.join(",")}]`;
      frames?.set(key, frame);
    }
    for (const channel of this.#dirty) this.subscriptions.set(channel, channel.seq);
    this.#dirty.clear();
    this.framesSent++;
    this.#send(frame);
  }

  /** Sends a message outside the pacing (errors). */
  sendNow(message: unknown): void {
    if (!this.#closed) this.#send(JSON.stringify([message]));
  }

  /** Closes the socket; `reason` non-null means the server dropped the client. */
  close(reason: string | null, code = CLOSE_POLICY_VIOLATION): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#dirty.clear();
    try {
      this.#socket.close(code, reason?.slice(0, 120));
    } catch {
      // Already closed by the peer.
    }
    this.#onClose(this, reason);
  }

  /** Called when the peer closed the socket. */
  disconnected(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#onClose(this, null);
  }

  /** Sends, treating a socket the peer already closed as a disconnect (never throws). */
  #send(frame: string): void {
    try {
      this.#socket.send(frame);
    } catch {
      this.disconnected();
    }
  }

  #refill(now: number): void {
    const earned = ((now - this.#tokensAt) * this.#limits.framesPerSecond) / 1000;
    this.#tokens = Math.min(this.#limits.frameBurst, this.#tokens + earned);
    this.#tokensAt = now;
  }

  #retryIn(ms: number): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, Math.max(1, Math.ceil(ms)));
  }
}
