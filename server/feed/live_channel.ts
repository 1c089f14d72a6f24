/**
 * One channel of the live feed with its subscribers and its newest
 * message, encoded once per step and shared by every subscriber (the
 * per-message cost, not the per-byte one, bounds fan-out:
 * shared/reference/perf.md §5).
 *
 * Trades and candles channels have two encodings: an update that only
 * carries what changed in the last UPDATE_COVERS_STEPS steps, and a
 * snapshot for new subscribers and for clients that fell behind.
 *
 * @module
 */
import {
  type Channel,
  channelName,
  FEED_PROTOCOL_VERSION,
  type ServerMessage,
  stepStartSeconds,
} from "@/engine/market_data/mod.ts";
import type { MarketDataService } from "@/server/feed/market_data_service.ts";

/**
 * Steps a trades or candles update covers: one, the step just published.
 * A client that missed a step (a slow one) gets a snapshot instead.
 */
export const UPDATE_COVERS_STEPS = 1;

/** Builds a channel's messages from the market data as it is now. */
interface ChannelSource {
  /** How many steps an update covers; Infinity when every message is a full state. */
  covers: number;
  snapshot(seq: number, t: number): ServerMessage;
  update(seq: number, t: number): ServerMessage;
}

/** Numbers channels so a frame's contents can be named cheaply (FrameCache keys). */
let nextChannelId = 1;

export class LiveChannel<Subscriber = unknown> {
  readonly id = nextChannelId++;
  readonly name: string;
  /** The book the channel follows; null for the overview. */
  readonly bookId: number | null;
  readonly subscribers = new Set<Subscriber>();
  readonly #source: ChannelSource;
  #seq: number;
  #publishedAt: number;
  #snapshot: string | null = null;
  #update: string | null = null;

  constructor(channel: Channel, data: MarketDataService) {
    this.name = channelName(channel);
    this.bookId = channel.kind === "overview" ? null : channel.bookId;
    this.#source = sourceOf(channel, data);
    this.#seq = this.bookId === null
      ? Math.max(0, ...data.overview().map((summary) => summary.step))
      : data.book(this.bookId).step;
    this.#publishedAt = performance.timeOrigin + performance.now();
  }

  /** The market step of the newest message. */
  get seq(): number {
    return this.#seq;
  }

  /** Marks a new step; messages are encoded when first asked for. */
  publish(seq: number, publishedAt: number): void {
    this.#seq = seq;
    this.#publishedAt = publishedAt;
    this.#snapshot = null;
    this.#update = null;
  }

  /**
   * The encoded message for a subscriber that last got step `sentSeq`
   * (undefined: nothing yet): the update if it covers the gap, else the
   * snapshot.
   */
  messageFor(sentSeq: number | undefined): string {
    if (this.coversGap(sentSeq)) {
      return this.#update ??= JSON.stringify(this.#source.update(this.#seq, this.#publishedAt));
    }
    return this.#snapshot ??= JSON.stringify(this.#source.snapshot(this.#seq, this.#publishedAt));
  }

  /** Whether the update (not the snapshot) brings a subscriber at step `sentSeq` up to date. */
  coversGap(sentSeq: number | undefined): boolean {
    return sentSeq !== undefined && this.#seq - sentSeq <= this.#source.covers;
  }
}

function sourceOf(channel: Channel, data: MarketDataService): ChannelSource {
  const v = FEED_PROTOCOL_VERSION;
  const name = channelName(channel);
  const fullState = (build: (seq: number, t: number) => ServerMessage): ChannelSource => ({
    covers: Infinity,
    snapshot: build,
    update: build,
  });
  switch (channel.kind) {
    case "overview":
      return fullState((seq, t) => ({
        v,
        type: "overview",
        channel: name,
        seq,
        t,
        books: data.overview(),
      }));
    case "ticker": {
      const book = data.book(channel.bookId);
      return fullState((seq, t) => {
        const { sparkline: _sparkline, ...summary } = book.summary();
        return { v, type: "ticker", channel: name, seq, t, summary };
      });
    }
    case "ladder": {
      const book = data.book(channel.bookId);
      return fullState((seq, t) => ({
        v,
        type: "ladder",
        channel: name,
        seq,
        t,
        ladder: book.ladder(),
      }));
    }
    case "trades": {
      const book = data.book(channel.bookId);
      const message = (seq: number, t: number, snapshot: boolean): ServerMessage => ({
        v,
        type: "trades",
        channel: name,
        seq,
        t,
        bookId: channel.bookId,
        snapshot,
        trades: snapshot
          ? book.tape.newestSince()
          : book.tape.newestSince().filter((trade) => trade.step > seq - UPDATE_COVERS_STEPS),
      });
      return {
        covers: UPDATE_COVERS_STEPS,
        snapshot: (seq, t) => message(seq, t, true),
        update: (seq, t) => message(seq, t, false),
      };
    }
    case "candles": {
      const series = data.book(channel.bookId).candles(channel.interval);
      const message = (seq: number, t: number, snapshot: boolean): ServerMessage => ({
        v,
        type: "candles",
        channel: name,
        seq,
        t,
        bookId: channel.bookId,
        interval: channel.interval,
        snapshot,
        candles: snapshot
          ? series.since()
          : series.since(series.bucketOf(stepStartSeconds(seq - UPDATE_COVERS_STEPS + 1))),
      });
      return {
        covers: UPDATE_COVERS_STEPS,
        snapshot: (seq, t) => message(seq, t, true),
        update: (seq, t) => message(seq, t, false),
      };
    }
  }
}
