import { deepEqual, equal, throws } from "node:assert/strict";
import type { Depth } from "@/engine/book_records.ts";
import { assertAllClose } from "@/engine/gentrx/ops/_gradient_check.ts";
import { midPriceTicks, type OrderFlowRow, OrderType } from "@/engine/gentrx/order_flow.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { conditionSize, TAOS_TOKENIZER_CONFIG, Tokenizer } from "@/engine/gentrx/tokenizer.ts";

const tokenizer = new Tokenizer();
const UNIT = 10_000; // lots per volume unit at volumeDecimals 4

function book(bidTicks: number, askTicks: number, lots = UNIT): Depth {
  return {
    bids: [{ priceTicks: bidTicks, quantityLots: lots }],
    asks: [{ priceTicks: askTicks, quantityLots: lots }],
  };
}

/** A seeded stream of events around a drifting mid, with intervals up to 60 ms. */
function randomRows(seed: number, count: number): { initialBook: Depth; rows: OrderFlowRow[] } {
  const random = new SeededRandom(seed);
  let bid = 30_000;
  let timestampNs = 3_600e9;
  const rows: OrderFlowRow[] = [];
  for (let i = 0; i < count; i++) {
    bid += random.integer(-3, 4);
    timestampNs += random.integer(0, 60_000_000);
    const mid = bid + 0.5;
    rows.push({
      type: random.integer(0, 5) as OrderType,
      timestampNs,
      priceTicks: Math.round(mid + random.integer(-550, 551)),
      quantityLots: random.integer(1, 120 * UNIT),
      bookAfter: book(bid, bid + random.integer(1, 3)),
    });
  }
  return { initialBook: book(30_000, 30_001), rows };
}

Deno.test("a known event gives τaos's tokens", () => {
  const [row] = tokenizer.encode(book(29_999, 30_001), [{
    type: OrderType.Bid,
    timestampNs: 6 * 3600e9,
    priceTicks: 29_999,
    quantityLots: 2.5 * UNIT,
    bookAfter: {
      bids: [{ priceTicks: 29_999, quantityLots: 3.5 * UNIT }],
      asks: book(0, 30_004).asks,
    },
  }]);
  // Offset −1 → centre bin 50; 2 whole units → bin 2; fraction 0.5 → bin 4 of 8; first interval 0.
  deepEqual(row.tokens, { type: 0, price: 50, volumeInt: 2, volumeDec: 4, interval: 0 });
  // Mid 30 000 → 30 001.5 moves by trunc(1.5) = 1 tick.
  equal(row.midDeltaId, TAOS_TOKENIZER_CONFIG.midDeltaRangeTicks + 1);
  equal(row.condition.length, conditionSize(TAOS_TOKENIZER_CONFIG));
  const scale = Math.log1p(TAOS_TOKENIZER_CONFIG.volumeIntMax);
  assertAllClose(
    [row.condition[0], row.condition[1], row.condition[10], row.condition[20], row.condition[21]],
    [Math.log1p(1) / scale, 0, Math.log1p(3.5) / scale, 1, 0],
    { atol: 1e-6, rtol: 0 },
    "condition (6 h is a quarter of the day)",
  );
});

Deno.test("decoding the tokens and encoding again gives the same tokens", () => {
  const { initialBook, rows } = randomRows(1, 400);
  const encoded = tokenizer.encode(initialBook, rows);
  const random = new SeededRandom(2);
  let before = initialBook;
  let previousTimestampNs = rows[0].timestampNs;
  rows.forEach((row, i) => {
    const order = tokenizer.decode(
      encoded[i].tokens,
      { book: before, previousTimestampNs },
      random,
    );
    const again = tokenizer.tokensOf(
      order,
      midPriceTicks(before)!,
      order.timestampNs - previousTimestampNs,
    );
    deepEqual(again, encoded[i].tokens, `event ${i}`);
    before = row.bookAfter;
    previousTimestampNs = row.timestampNs;
  });
});

Deno.test("decoding is deterministic for a seed", () => {
  const tokens = { type: 1, price: 70, volumeInt: 40, volumeDec: 3, interval: 50 };
  const context = { book: book(100, 101), previousTimestampNs: 0 };
  deepEqual(
    tokenizer.decode(tokens, context, new SeededRandom(4)),
    tokenizer.decode(tokens, context, new SeededRandom(4)),
  );
});

Deno.test("bad input is a clear error", () => {
  const empty = { bids: [], asks: [] };
  throws(() => tokenizer.encode(empty, []), /Cannot tokenize: the initial book is empty/);
  const { initialBook, rows } = randomRows(3, 2);
  rows[1].timestampNs = rows[0].timestampNs - 1;
  throws(() => tokenizer.encode(initialBook, rows), /Cannot tokenize event 1: timestamp/);
  rows[1].timestampNs = rows[0].timestampNs;
  rows[1].quantityLots = 0;
  throws(() => tokenizer.encode(initialBook, rows), /Cannot tokenize quantity 0/);
  rows[1].quantityLots = 1;
  rows[1].type = 5 as OrderType;
  throws(() => tokenizer.encode(initialBook, rows), /Cannot tokenize order type 5: types are 0..4/);
  const tokens = { type: 5, price: 0, volumeInt: 0, volumeDec: 0, interval: 0 };
  const context = { book: book(100, 101), previousTimestampNs: 0 };
  throws(
    () => tokenizer.decode(tokens, context, new SeededRandom(1)),
    /Cannot decode type token 5: tokens are 0..4/,
  );
  throws(
    () =>
      tokenizer.decode({ ...tokens, type: 0 }, { ...context, book: empty }, new SeededRandom(1)),
    /Cannot decode an order: the book is empty/,
  );
  throws(
    () => tokenizer.decode({ ...tokens, type: 0, interval: 64 }, context, new SeededRandom(1)),
    /Cannot decode interval token 64: tokens are 0..63/,
  );
});
