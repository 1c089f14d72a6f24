/**
 * A seeded synthetic order flow for demonstrating and testing training
 * where no recorded τaos data is at hand (the training page, the worker
 * tests): limit orders a few ticks from a mid that moves when executions
 * hit the touch, cancels near the touch, log-normal sizes and exponential
 * gaps, over a ten-level book. Its statistics are simple on purpose — a
 * tiny model learns them within a few dozen steps — and they are not meant
 * to match a real market.
 *
 * @module
 */
import type { Depth } from "@/engine/book_records.ts";
import { type OrderFlowRow, OrderType } from "@/engine/gentrx/order_flow.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

/** Chance of each order type, in `OrderType` order: bid, ask, cancel, exec-buy, exec-sell. */
const TYPE_WEIGHTS = [0.34, 0.34, 0.2, 0.06, 0.06];
/** Mean distance of a new limit order from the touch, in ticks (geometric). */
const MEAN_DEPTH_TICKS = 2;
/** Median order size: 1.5 volume units of 10⁴ lots (τaos volumeDecimals 4). */
const MEDIAN_SIZE_LOTS = 15_000;
/** Spread of log sizes. */
const SIZE_LOG_SIGMA = 0.6;
/** Mean gap between events: 2 ms, inside the tokenizer's 50 ms interval range. */
const MEAN_INTERVAL_NS = 2_000_000;
/** Book levels per side, as many as the tokenizer's conditioning reads (τaos lobLevels 10). */
const BOOK_LEVELS = 10;
/** Resting size of the touch level; deeper levels hold more. */
const TOUCH_LEVEL_LOTS = 40_000;
const DEPTH_GROWTH_PER_LEVEL = 0.25;
/** Noon, so the time-of-day conditioning is away from its wrap-around. */
const START_TIMESTAMP_NS = 12 * 3600 * 1e9;

export interface SyntheticOrderFlow {
  initialBook: Depth;
  rows: OrderFlowRow[];
}

/** A book of {@link BOOK_LEVELS} levels a side around `midTicks`, one tick of half-spread. */
function bookAround(midTicks: number, random: SeededRandom): Depth {
  const level = (index: number, priceTicks: number) => ({
    priceTicks,
    quantityLots: Math.round(
      TOUCH_LEVEL_LOTS * (1 + DEPTH_GROWTH_PER_LEVEL * index) * (0.5 + random.uniform()),
    ),
  });
  return {
    bids: Array.from({ length: BOOK_LEVELS }, (_, i) => level(i, midTicks - 1 - i)),
    asks: Array.from({ length: BOOK_LEVELS }, (_, i) => level(i, midTicks + 1 + i)),
  };
}

function drawType(random: SeededRandom): OrderType {
  let threshold = random.uniform();
  for (let type = 0; type < TYPE_WEIGHTS.length - 1; type++) {
    threshold -= TYPE_WEIGHTS[type];
    if (threshold < 0) return type as OrderType;
  }
  return OrderType.ExecSell;
}

/** `events` seeded events starting from a book around `startMidTicks`. */
export function syntheticOrderFlow(
  events: number,
  seed: number,
  startMidTicks: number,
): SyntheticOrderFlow {
  const random = new SeededRandom(seed);
  let mid = startMidTicks;
  const initialBook = bookAround(mid, random);
  let timestampNs = START_TIMESTAMP_NS;
  const rows: OrderFlowRow[] = [];
  for (let i = 0; i < events; i++) {
    const type = drawType(random);
    const depth = Math.floor(-Math.log(1 - random.uniform()) * MEAN_DEPTH_TICKS);
    const side = type === OrderType.Bid || type === OrderType.ExecSell ||
        (type === OrderType.Cancel && random.uniform() < 0.5)
      ? -1
      : 1;
    const priceTicks = type === OrderType.ExecBuy || type === OrderType.ExecSell
      ? mid + side
      : mid + side * (1 + depth);
    const quantityLots = Math.max(
      1,
      Math.round(MEDIAN_SIZE_LOTS * Math.exp(SIZE_LOG_SIGMA * random.normal())),
    );
    timestampNs += Math.round(-Math.log(1 - random.uniform()) * MEAN_INTERVAL_NS);
    // An execution takes out the touch on its side, so the mid moves one tick its way.
    if (type === OrderType.ExecBuy) mid += 1;
    if (type === OrderType.ExecSell) mid -= 1;
    rows.push({ type, timestampNs, priceTicks, quantityLots, bookAfter: bookAround(mid, random) });
  }
  return { initialBook, rows };
}
