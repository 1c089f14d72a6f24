/**
 * An online regression trader (after τaos's SimpleRegressorAgent, taos.md
 * §5, with the model written in TypeScript): per book, ridge-regularised SGD
 * learns the next mid-price return from the last return, the order-book
 * imbalance and the relative spread; when the predicted move exceeds a
 * threshold it joins the touch in that direction with a GTT order, pacing
 * its volume under the cap (engine/agent/volume_pacer.ts).
 *
 * The threshold is in units of the book's own volatility (an EWMA of squared
 * one-round returns) rather than τaos's fixed 0.0025: a one-second return
 * here has a standard deviation near 0.00014, so 0.0025 is about 17σ and the
 * agent never traded.
 *
 * Parameters: `sigmas` (predicted return to act on, in standard deviations
 * of a round's return, default 0.5), `volume` (default 1), `expirySeconds`
 * (default 120, as τaos), `learningRate` (default 0.05), `ridge` (L2
 * penalty, default 0.001).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { VolumePacer } from "@/engine/agent/volume_pacer.ts";
import { imbalance, midPrice } from "@/engine/agents/_book_math.ts";
import type { Book } from "@/engine/protocol/state_update.ts";

const NS_PER_SECOND = 1_000_000_000;
/** Returns are tiny; features are scaled so SGD steps are well conditioned. */
const RETURN_SCALE = 100;
/** Weight of the newest squared return in the volatility estimate (~10 min memory). */
const VARIANCE_DECAY = 1 / 600;

/** Ridge SGD on a few features for one book. */
export class OnlineRidge {
  readonly weights: number[];
  #bias = 0;

  constructor(features: number, readonly learningRate: number, readonly ridge: number) {
    this.weights = new Array(features).fill(0);
  }

  predict(x: readonly number[]): number {
    return x.reduce((sum, value, index) => sum + value * this.weights[index], this.#bias);
  }

  /** One SGD step on squared error plus ridge · |w|². */
  learn(x: readonly number[], target: number): void {
    const error = this.predict(x) - target;
    for (let i = 0; i < x.length; i++) {
      this.weights[i] -= this.learningRate * (error * x[i] + this.ridge * this.weights[i]);
    }
    this.#bias -= this.learningRate * error;
  }
}

interface BookMemory {
  model: OnlineRidge;
  lastMid: number;
  lastFeatures: number[] | null;
  /** EWMA of squared one-round returns. */
  variance: number;
  /** Rounds seen; no orders before the volatility estimate settles. */
  rounds: number;
}

function features(book: Book, mid: number, lastReturn: number): number[] {
  const spread = (book.a[0].p - book.b[0].p) / mid;
  return [lastReturn * RETURN_SCALE, imbalance(book, 5), spread * RETURN_SCALE];
}

const onlineRegression: AgentFactory = ({ params }) => {
  const sigmas = Number(params.sigmas ?? 0.5);
  const volume = Number(params.volume ?? 1);
  const expiryNs = Number(params.expirySeconds ?? 120) * NS_PER_SECOND;
  const learningRate = Number(params.learningRate ?? 0.05);
  const ridge = Number(params.ridge ?? 0.001);
  const memory = new Map<number, BookMemory>();
  const pacer = new VolumePacer();
  return {
    respond(state, orders) {
      for (const book of state.books) {
        const mid = midPrice(book);
        if (mid === null) continue;
        const known = memory.get(book.i);
        if (known === undefined) {
          memory.set(book.i, {
            model: new OnlineRidge(3, learningRate, ridge),
            lastMid: mid,
            lastFeatures: null,
            variance: 0,
            rounds: 0,
          });
          continue;
        }
        const realised = mid / known.lastMid - 1;
        if (known.lastFeatures) known.model.learn(known.lastFeatures, realised * RETURN_SCALE);
        const x = features(book, mid, realised);
        known.lastMid = mid;
        known.lastFeatures = x;
        known.variance += VARIANCE_DECAY * (realised * realised - known.variance);
        known.rounds++;
        const predicted = known.model.predict(x) / RETURN_SCALE;
        // Bias-corrected, as the estimate starts from zero.
        const sigma = Math.sqrt(known.variance / (1 - (1 - VARIANCE_DECAY) ** known.rounds));
        if (known.rounds < 60 || Math.abs(predicted) < sigmas * sigma) continue;
        if (!pacer.allows(state.accounts[book.i], state.timestamp)) continue;
        const side = predicted > 0 ? 0 : 1;
        const price = side === 0 ? book.b[0].p : book.a[0].p;
        orders.limit({ bookId: book.i, side, price, volume, expiryNs });
      }
    },
  };
};

export default onlineRegression;
