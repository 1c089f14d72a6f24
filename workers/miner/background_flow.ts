/**
 * A seeded background order flow for the offline market in the browser.
 *
 * The validator's background market (native/sim/, τaos's agent populations)
 * is native-only: its WebAssembly build holds the exchange alone
 * (native/CMakeLists.txt). So offline the tab runs the same exchange in
 * WebAssembly with this much simpler flow around it, per book: a
 * fundamental price on a log random walk; one market maker that cancels and
 * re-quotes MAKER_LEVELS levels a side around it every step; noise takers
 * sending market orders leaning toward the fundamental; and noise traders
 * resting short-lived limit orders near the touch. It gives an agent a live
 * book to quote into and trade against, not τaos's market statistics.
 *
 * @module
 */
import {
  type BookConfig,
  type Instruction,
  Side,
  TimeInForce,
  toWire,
} from "@/engine/book_records.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

/** Agent ids of the background traders (miners are 0 and up). */
export const MAKER_AGENT = -2_001;
export const NOISE_AGENT = -2_002;
/** Balances far beyond anything the flow trades (as engine/gentrx/exchange_replay.ts). */
const FUNDS_LOTS = 10 ** 12;
const FUNDS_QUOTE = 10 ** 15;

/** The maker's levels a side, their spacing and size (base units at level k: (k + 1) × this). */
const MAKER_LEVELS = 5;
const MAKER_LEVEL_GAP_TICKS = 2;
const MAKER_SIZE = 1;
/** Mean market orders and resting noise orders per book per step (Poisson). */
const TAKERS_PER_STEP = 2;
const NOISE_ORDERS_PER_STEP = 1.5;
/** Noise orders' lifetime, ns (GTT), and mean distance from the mid, ticks (geometric). */
const NOISE_LIFETIME_NS = 20e9;
const NOISE_MEAN_TICKS = 3;
/** Largest lean of the takers' side toward the fundamental, and its sensitivity. */
const MAX_LEAN = 0.3;
const LEAN_PER_RETURN = 200;

export interface BackgroundFlowOptions {
  seed: number;
  /** Price every book starts at, in quote (τaos's miner capital assumes 300). */
  startPrice?: number;
  /** Standard deviation of the fundamental's log change per step. */
  volatility?: number;
}

export class BackgroundFlow {
  readonly #configs: readonly BookConfig[];
  readonly #random: SeededRandom;
  readonly #volatility: number;
  /** Each book's fundamental price, in ticks (fractional). */
  readonly #fundamental: number[];

  constructor(configs: readonly BookConfig[], options: BackgroundFlowOptions) {
    this.#configs = configs;
    this.#random = new SeededRandom(options.seed);
    this.#volatility = options.volatility ?? 0.0005;
    const startPrice = options.startPrice ?? 300;
    this.#fundamental = configs.map((config) => startPrice * 10 ** config.priceDecimals);
  }

  /** The deposits the background traders need, per book. */
  deposits(): { agentId: number; bookId: number; baseLots: number; quoteUnits: number }[] {
    return this.#configs.flatMap((_, bookId) =>
      [MAKER_AGENT, NOISE_AGENT].map((agentId) => ({
        agentId,
        bookId,
        baseLots: FUNDS_LOTS,
        quoteUnits: FUNDS_QUOTE,
      }))
    );
  }

  /** The fundamental price of `bookId`, in ticks. */
  fundamentalTicks(bookId: number): number {
    return this.#fundamental[bookId];
  }

  /**
   * One step's instructions on `bookId`: the maker's cancels of
   * `makerOrders` (its resting orders) and fresh quotes, then the noise.
   * `midTicks` is the book's mid now, or null when a side is empty.
   */
  step(bookId: number, makerOrders: readonly number[], midTicks: number | null): Instruction[] {
    const config = this.#configs[bookId];
    const random = this.#random;
    const fundamental = this.#fundamental[bookId] *= Math.exp(this.#volatility * random.normal());
    const lots = (units: number) =>
      Math.max(config.minOrderLots, Math.round(units * 10 ** config.volumeDecimals));
    const limit = (
      agentId: number,
      side: Side,
      priceTicks: number,
      quantityLots: number,
      delayNs: number,
      expiryNs?: number,
    ): Instruction => ({
      kind: "limit",
      agentId,
      bookId,
      side,
      price: toWire(priceTicks, config.priceDecimals),
      quantity: toWire(quantityLots, config.volumeDecimals),
      delayNs,
      ...(expiryNs === undefined ? {} : { timeInForce: TimeInForce.GTT, expiryNs }),
    });
    const instructions: Instruction[] = makerOrders.map((orderId) => ({
      kind: "cancel",
      agentId: MAKER_AGENT,
      bookId,
      orderId,
      delayNs: 0,
    }));
    const center = Math.round(fundamental);
    for (let level = 0; level < MAKER_LEVELS; level++) {
      const offset = 1 + level * MAKER_LEVEL_GAP_TICKS;
      const size = lots((level + 1) * MAKER_SIZE * (0.5 + random.uniform()));
      instructions.push(limit(MAKER_AGENT, Side.Buy, center - offset, size, 1_000_000));
      instructions.push(limit(MAKER_AGENT, Side.Sell, center + offset, size, 1_000_000));
    }
    const mid = midTicks ?? fundamental;
    const lean = Math.max(
      -MAX_LEAN,
      Math.min(MAX_LEAN, (fundamental - mid) / mid * LEAN_PER_RETURN),
    );
    const withinStep = () => random.integer(2_000_000, 900_000_000);
    for (let i = poisson(random, TAKERS_PER_STEP); i > 0; i--) {
      instructions.push({
        kind: "market",
        agentId: NOISE_AGENT,
        bookId,
        side: random.uniform() < 0.5 + lean ? Side.Buy : Side.Sell,
        quantity: toWire(lots(0.25 + 1.25 * random.uniform()), config.volumeDecimals),
        delayNs: withinStep(),
      });
    }
    for (let i = poisson(random, NOISE_ORDERS_PER_STEP); i > 0; i--) {
      const side = random.uniform() < 0.5 ? Side.Buy : Side.Sell;
      const distance = 1 + Math.floor(-Math.log(1 - random.uniform()) * NOISE_MEAN_TICKS);
      const priceTicks = Math.round(mid) + (side === Side.Buy ? -distance : distance);
      const size = lots(0.25 + random.uniform());
      instructions.push(
        limit(NOISE_AGENT, side, priceTicks, size, withinStep(), NOISE_LIFETIME_NS),
      );
    }
    return instructions;
  }
}

/** A Poisson draw with mean `mean` (Knuth's method; fine for small means). */
function poisson(random: SeededRandom, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random.uniform(); product > limit; product *= random.uniform()) count++;
  return count;
}
