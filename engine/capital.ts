/**
 * A miner's starting capital per book, as τaos deals it (shared/reference/
 * taos.md §2.6, `<Balances type="pareto" scale=1 shape=2 wealth=50000
 * price=300>`): each book is worth `wealth` quote at the reference price,
 * split at random between base and quote with at least half in quote:
 * r = (1 − u)^(−1/shape), base = W/(1+r)/p, quote = W·r/(1+r).
 *
 * τaos draws u from `random_device`; here it comes from a seed (the
 * simulation seed, the UID and the book), so a run is reproducible.
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";

export interface CapitalRule {
  /** Quote value of one book's capital (τaos miner_wealth 50 000). */
  wealth: number;
  /** Price the base part is valued at (τaos initialPrice 300). */
  price: number;
  /** Pareto shape (τaos 2). */
  shape: number;
}

export const TAOS_CAPITAL: CapitalRule = { wealth: 50_000, price: 300, shape: 2 };

export interface Capital {
  base: number;
  quote: number;
}

/** The split for (seed, uid, book). */
export function startingCapital(
  seed: number,
  uid: number,
  bookId: number,
  rule: CapitalRule = TAOS_CAPITAL,
): Capital {
  const generator = xoroshiro128plus(
    (seed ^ Math.imul(uid + 1, 0x9e3779b1) ^ Math.imul(bookId + 1, 0x85ebca77)) | 0,
  );
  const u = uniformFloat64(generator);
  const r = (1 - u) ** (-1 / rule.shape);
  return { base: rule.wealth / (1 + r) / rule.price, quote: (rule.wealth * r) / (1 + r) };
}
