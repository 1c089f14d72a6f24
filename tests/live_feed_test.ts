/**
 * Integration: the live feed (server/feed/) on a real loopback WebSocket
 * server, fed by a scripted market, spoken to by real WebSocket clients —
 * and by a raw TCP client that completes the handshake and then never
 * reads, the slowest viewer there is.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { FeedHub, type FeedLimits, MarketDataService } from "@/server/feed/mod.ts";
import type { ServerMessage } from "@/engine/market_data/mod.ts";
import { ScriptedMarket } from "@/tests/fixtures/scripted_market.ts";

interface FeedServer {
  url: string;
  port: number;
  market: ScriptedMarket;
  hub: FeedHub;
  /** Steps the market every `ms` until the returned function is called. */
  stepEvery(ms: number): () => void;
  [Symbol.asyncDispose](): Promise<void>;
}

function startFeedServer(levels = 10, limits: Partial<FeedLimits> = {}): FeedServer {
  const market = new ScriptedMarket({ books: 2, levels });
  const data = new MarketDataService(market);
  const hub = new FeedHub(data, { limits, log: () => {} });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (request) => hub.upgrade(request),
  );
  const timers = new Set<ReturnType<typeof setInterval>>();
  return {
    url: `ws://127.0.0.1:${server.addr.port}/api/feed`,
    port: server.addr.port,
    market,
    hub,
    stepEvery(ms) {
      const timer = setInterval(() => market.step(), ms);
      timers.add(timer);
      return () => {
        clearInterval(timer);
        timers.delete(timer);
      };
    },
    async [Symbol.asyncDispose]() {
      for (const timer of timers) clearInterval(timer);
      hub.close();
      data.close();
      await server.shutdown();
    },
  };
}

/** A WebSocket client that collects every frame it receives. */
class Viewer {
  readonly socket: WebSocket;
  readonly frames: ServerMessage[][] = [];
  readonly #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.onmessage = ({ data }) => {
      this.frames.push(JSON.parse(data));
      for (const wake of this.#waiters.splice(0)) wake();
    };
  }

  async open(): Promise<this> {
    if (this.socket.readyState !== WebSocket.OPEN) {
      await new Promise((resolve) => this.socket.addEventListener("open", resolve, { once: true }));
    }
    return this;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Waits until `count` frames have arrived in total. */
  async frame(count = this.frames.length + 1): Promise<ServerMessage[]> {
    while (this.frames.length < count) await new Promise<void>((wake) => this.#waiters.push(wake));
    return this.frames[count - 1];
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.socket.addEventListener("close", resolve));
    this.socket.close();
    await closed;
  }
}

const subscribe = (...channels: string[]) => ({ v: 1, type: "subscribe", channels });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("a viewer subscribes, gets snapshots, then one frame of updates per step", async () => {
  await using server = startFeedServer();
  const viewer = await new Viewer(server.url).open();
  viewer.send(subscribe("book:1:ladder", "book:1:trades", "book:1:candles:1s", "book:1:ticker"));
  const snapshots = await viewer.frame(1);
  deepEqual(snapshots.map((message) => message.type), ["ladder", "trades", "candles", "ticker"]);

  server.market.step();
  const [ladder, trades, candles, ticker] = await viewer.frame(2);
  equal(
    ladder.type === "ladder" && ladder.ladder.bids[0].priceTicks,
    ScriptedMarket.priceAt(1, 1) - 1,
  );
  ok(trades.type === "trades" && !trades.snapshot && trades.trades.length === 2);
  ok(candles.type === "candles" && candles.candles.at(-1)?.close === ScriptedMarket.priceAt(1, 1));
  ok(ticker.type === "ticker" && ticker.summary.lastPriceTicks === ScriptedMarket.priceAt(1, 1));
  ok(ladder.type === "ladder" && Date.now() - ladder.t < 5_000, "t is the publish time, Unix ms");
  await viewer.close();
});

Deno.test("bad messages get an error naming the field, and the connection stays usable", async () => {
  await using server = startFeedServer();
  const viewer = await new Viewer(server.url).open();
  const cases: [unknown, string, RegExp][] = [
    ["not json", "message", /not JSON/],
    [{ v: 9, type: "subscribe", channels: ["overview"] }, "v", /Invalid v 9/],
    [{ v: 1, type: "watch", channels: ["overview"] }, "type", /Invalid type "watch"/],
    [subscribe("overview", "book:1:candles:3m"), "channels[1]", /interval must be one of/],
    [
      subscribe("book:2:ladder"),
      "channels[0]",
      /Unknown book 2 in channels\[0\]: books are 0 to 1/,
    ],
  ];
  for (const [index, [message, field, text]] of cases.entries()) {
    viewer.send(message);
    const [reply] = await viewer.frame(index + 1);
    ok(reply.type === "error", JSON.stringify(reply));
    equal(reply.field, field);
    match(reply.message, text);
  }
  viewer.send(subscribe("overview"));
  const [overview] = await viewer.frame(cases.length + 1);
  equal(overview.type === "overview" && overview.books.length, 2);
  await viewer.close();
});

Deno.test("a market stepping at 200 Hz reaches a viewer at 10 Hz with the newest state", async () => {
  await using server = startFeedServer();
  const viewer = await new Viewer(server.url).open();
  viewer.send(subscribe("book:0:ladder", "book:0:trades"));
  await viewer.frame(1);
  const stop = server.stepEvery(5);
  await sleep(1_000);
  stop();
  await sleep(150);
  const frames = viewer.frames.slice(1);
  // 10 frames a second plus the burst of 2; timers on a busy machine only make it fewer.
  ok(frames.length >= 4 && frames.length <= 13, `${frames.length} frames in one second`);
  const seqs = frames.map((frame) => frame[0].type === "ladder" ? frame[0].seq : -1);
  ok(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]), `steps only go forward: ${seqs}`);
  ok(seqs.at(-1)! - seqs[0] > frames.length, `older steps are skipped, not queued: ${seqs}`);
  equal(
    seqs.at(-1),
    server.market.view(0).step,
    "the last frame carries the newest step",
  );
  await viewer.close();
});

Deno.test("a viewer that stops reading is dropped without holding back the others", async () => {
  // Deep ladders make each frame ~0.5 MB, so the socket backs up within a second.
  await using server = startFeedServer(6_000, { slowBufferedBytes: 1 << 20, maxSlowMs: 500 });
  const stalled = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await stalled.write(new TextEncoder().encode(
    "GET /api/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  ));
  await stalled.read(new Uint8Array(1024));
  const frame = JSON.stringify(subscribe("book:0:ladder"));
  // A masked client text frame (RFC 6455 §5.2) with a zero mask, so the payload is as written.
  const header = new Uint8Array([
    0x81,
    0x80 | 126,
    frame.length >> 8,
    frame.length & 255,
    0,
    0,
    0,
    0,
  ]);
  await stalled.write(new Uint8Array([...header, ...new TextEncoder().encode(frame)]));

  const viewer = await new Viewer(server.url).open();
  viewer.send(subscribe("book:0:ladder"));
  await viewer.frame(1);
  const stop = server.stepEvery(100);
  const deadline = Date.now() + 15_000;
  while (server.hub.droppedClients === 0 && Date.now() < deadline) await sleep(100);
  stop();
  equal(server.hub.droppedClients, 1, "the stalled viewer was dropped");
  equal(server.hub.connectionCount, 1, "the reading viewer is still connected");
  ok(
    viewer.frames.length >= 5,
    `the reading viewer kept receiving (${viewer.frames.length} frames)`,
  );
  stalled.close();
  await viewer.close();
});
