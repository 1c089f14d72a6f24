/**
 * τaos's RandomMaker example (taos.md §5): quotes GTT limit orders a few
 * ticks behind the touch on both sides of every book, and pulls its orders
 * when the book's maker fee rate climbs above a limit. Volume is paced
 * under the cap (engine/agent/volume_pacer.ts). A starting point for
 * a market maker, not a competitive one.
 *
 * Parameters: `volume` (base units, default 1), `maxTicks` (how far behind
 * the touch, default 3), `expirySeconds` (GTT lifetime, default 60),
 * `maxMakerRate` (default 0.005).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { VolumePacer } from "@/engine/agent/volume_pacer.ts";
import { onGrid } from "@/engine/agents/_book_math.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const NS_PER_SECOND = 1_000_000_000;

const randomMaker: AgentFactory = ({ params, seed, config }) => {
  const random = new SeededRandom(seed);
  const volume = Number(params.volume ?? 1);
  const maxTicks = Number(params.maxTicks ?? 3);
  const expiryNs = Number(params.expirySeconds ?? 60) * NS_PER_SECOND;
  const maxMakerRate = Number(params.maxMakerRate ?? 0.005);
  const tick = 10 ** -config.priceDecimals;
  const pacer = new VolumePacer();
  return {
    respond(state, orders) {
      for (const book of state.books) {
        const account = state.accounts[book.i];
        if (account && account.f.m > maxMakerRate) {
          orders.cancel(book.i, account.o);
          continue;
        }
        if (!pacer.allows(account, state.timestamp)) continue;
        const bid = book.b[0]?.p;
        const ask = book.a[0]?.p;
        if (bid === undefined || ask === undefined) continue;
        for (const [side, touch, sign] of [[0, bid, -1], [1, ask, 1]] as const) {
          const price = onGrid(
            touch + sign * random.integer(0, maxTicks + 1) * tick,
            config.priceDecimals,
          );
          orders.limit({ bookId: book.i, side, price, volume, expiryNs, postOnly: true });
        }
      }
    },
  };
};

export default randomMaker;
