import { deepEqual, equal, match } from "node:assert/strict";
import { FeedHub, type FeedLimits, type FeedSocket, MarketDataService } from "@/server/feed/mod.ts";
import type { ServerMessage } from "@/engine/market_data/mod.ts";
import { ScriptedMarket } from "@/tests/fixtures/scripted_market.ts";

class FakeSocket implements FeedSocket {
  bufferedAmount = 0;
  readonly frames: ServerMessage[][] = [];
  closed: { code?: number; reason?: string } | null = null;

  send(data: string): void {
    this.frames.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }

  get last(): ServerMessage[] {
    return this.frames.at(-1) ?? [];
  }
}

interface Setup {
  market: ScriptedMarket;
  hub: FeedHub;
  logged: string[];
  /** Steps the market and lets the service ingest (a microtask). */
  step(): Promise<void>;
  [Symbol.dispose](): void;
}

function setUp(limits: Partial<FeedLimits> = {}): Setup {
  const market = new ScriptedMarket({ books: 2 });
  const data = new MarketDataService(market);
  const logged: string[] = [];
  const hub = new FeedHub(data, { limits, log: (line) => logged.push(line) });
  return {
    market,
    hub,
    logged,
    async step() {
      market.step();
      await Promise.resolve();
    },
    [Symbol.dispose]() {
      hub.close();
      data.close();
    },
  };
}

const subscribe = (...channels: string[]) => JSON.stringify({ v: 1, type: "subscribe", channels });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("FeedHub answers a subscribe with one frame of snapshots", () => {
  using setup = setUp();
  const socket = new FakeSocket();
  const connection = setup.hub.connect(socket);
  setup.hub.receive(connection, subscribe("book:1:ladder", "book:1:trades", "book:1:candles:1s"));
  equal(socket.frames.length, 1);
  deepEqual(socket.last.map((message) => message.type), ["ladder", "trades", "candles"]);
  const trades = socket.last[1];
  equal(trades.type === "trades" && trades.snapshot, true);
  equal(setup.hub.channelCount, 3);
});

Deno.test("FeedHub sends each step's changes as one frame, trades and candles as updates", async () => {
  using setup = setUp();
  const socket = new FakeSocket();
  const connection = setup.hub.connect(socket);
  setup.hub.receive(
    connection,
    subscribe("book:0:ladder", "book:0:trades", "book:0:candles:1s", "overview"),
  );
  await setup.step();
  equal(socket.frames.length, 2);
  const [ladder, trades, candles, overview] = socket.last;
  equal(
    ladder.type === "ladder" && ladder.ladder.asks[0].priceTicks,
    ScriptedMarket.priceAt(0, 1) + 1,
  );
  equal(trades.type === "trades" && !trades.snapshot && trades.trades.length, 2);
  equal(candles.type === "candles" && candles.candles.at(-1)?.close, ScriptedMarket.priceAt(0, 1));
  equal(overview.type === "overview" && overview.books.length, 2);
  equal(ladder.type === "ladder" && ladder.seq, 1);
  equal(typeof (ladder as { t: number }).t, "number");
});

Deno.test("FeedHub paces a client to its frame rate and sends only the newest state", async () => {
  using setup = setUp({ framesPerSecond: 10, frameBurst: 1 });
  const socket = new FakeSocket();
  const connection = setup.hub.connect(socket);
  setup.hub.receive(connection, subscribe("book:0:ladder", "book:0:trades"));
  for (let i = 0; i < 3; i++) await setup.step();
  equal(socket.frames.length, 1, "three quick steps wait for the next token");
  await sleep(150);
  equal(socket.frames.length, 2, "then one frame carries the newest of each channel");
  const [ladder, trades] = socket.last;
  equal(ladder.type === "ladder" && ladder.seq, 3);
  equal(trades.type === "trades" && trades.snapshot, true, "a gap of 3 steps gets a snapshot");
});

Deno.test("FeedHub holds frames for a client that does not drain, then drops it", async () => {
  using setup = setUp({ slowBufferedBytes: 1000, maxSlowMs: 30 });
  const slow = new FakeSocket();
  const fast = new FakeSocket();
  for (const socket of [slow, fast]) {
    setup.hub.receive(setup.hub.connect(socket), subscribe("book:0:ladder"));
  }
  slow.bufferedAmount = 5000;
  await setup.step();
  equal(slow.frames.length, 1, "nothing new while the buffer is full");
  equal(fast.frames.length, 2, "the other client is not held back");
  await sleep(60);
  await setup.step();
  equal(slow.closed?.code, 1008);
  match(slow.closed?.reason ?? "", /Too slow: the send buffer did not drain for 30 ms/);
  equal(setup.hub.connectionCount, 1);
  equal(setup.hub.droppedClients, 1);
  match(setup.logged[0], /Feed client dropped: Too slow/);
});

Deno.test("FeedHub resumes a slow client with the newest state once it drains", async () => {
  using setup = setUp({ slowBufferedBytes: 1000 });
  const socket = new FakeSocket();
  setup.hub.receive(setup.hub.connect(socket), subscribe("book:0:ladder"));
  socket.bufferedAmount = 5000;
  await setup.step();
  await setup.step();
  socket.bufferedAmount = 0;
  await sleep(150);
  equal(socket.frames.length, 2);
  equal(socket.last[0].type === "ladder" && socket.last[0].seq, 2);
});

Deno.test("FeedHub drops a client at once past the hard buffer limit", async () => {
  using setup = setUp({ maxBufferedBytes: 10_000 });
  const socket = new FakeSocket();
  setup.hub.receive(setup.hub.connect(socket), subscribe("overview"));
  socket.bufferedAmount = 20_000;
  await setup.step();
  match(socket.closed?.reason ?? "", /Too slow: 20000 bytes unsent, over the limit of 10000/);
  equal(setup.hub.channelCount, 0, "its channels are released");
});

Deno.test("FeedHub answers bad messages with an error naming the field", () => {
  using setup = setUp({ maxRejectedMessages: 3 });
  const socket = new FakeSocket();
  const connection = setup.hub.connect(socket);
  setup.hub.receive(connection, subscribe("book:0:ladder", "book:9:trades"));
  deepEqual(socket.last, [{
    v: 1,
    type: "error",
    field: "channels[1]",
    message: "Unknown book 9 in channels[1]: books are 0 to 1",
  }]);
  equal(setup.hub.channelCount, 0, "a rejected message subscribes nothing");
  setup.hub.receive(connection, new Uint8Array([1, 2]));
  equal(socket.last[0].type === "error" && socket.last[0].field, "message");
  setup.hub.receive(connection, '{"v":1,"type":"subscribe","channels":"overview"}');
  equal(socket.last[0].type === "error" && socket.last[0].field, "channels");
  equal(socket.closed?.code, 1008, "the third rejected message closes the connection");
});

Deno.test("FeedHub limits channels per client and releases them on unsubscribe", () => {
  using setup = setUp({ maxChannelsPerClient: 2 });
  const socket = new FakeSocket();
  const connection = setup.hub.connect(socket);
  setup.hub.receive(connection, subscribe("book:0:ladder", "book:1:ladder"));
  setup.hub.receive(connection, subscribe("book:0:ticker"));
  const error = socket.last[0];
  equal(
    error.type === "error" && error.message,
    "Invalid channels: 3 channels is over the limit of 2 per client",
  );
  setup.hub.receive(
    connection,
    JSON.stringify({ v: 1, type: "unsubscribe", channels: ["book:0:ladder", "book:1:ladder"] }),
  );
  equal(setup.hub.channelCount, 0);
});

Deno.test("FeedHub treats a socket that fails to send as disconnected", async () => {
  using setup = setUp();
  const broken = new FakeSocket();
  const healthy = new FakeSocket();
  setup.hub.receive(setup.hub.connect(broken), subscribe("book:0:ladder"));
  setup.hub.receive(setup.hub.connect(healthy), subscribe("book:0:ladder"));
  broken.send = () => {
    throw new DOMException("readyState not OPEN", "InvalidStateError");
  };
  await setup.step();
  equal(setup.hub.connectionCount, 1);
  equal(healthy.frames.length, 2, "the other viewer still gets the step");
});
