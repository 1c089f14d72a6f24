/**
 * τaos's RandomTaker example (taos.md §5): sends market orders of a random
 * side to random books, bounded by a maximum slippage. Volume is paced
 * under the cap (engine/agent/volume_pacer.ts).
 *
 * Parameters: `volume` (base units, default 1), `probability` (chance per
 * book per step, default 0.2), `maxSlippage` (default 0.01).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { VolumePacer } from "@/engine/agent/volume_pacer.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const randomTaker: AgentFactory = ({ params, seed }) => {
  const random = new SeededRandom(seed);
  const volume = Number(params.volume ?? 1);
  const probability = Number(params.probability ?? 0.2);
  const maxSlippage = Number(params.maxSlippage ?? 0.01);
  const pacer = new VolumePacer();
  return {
    respond(state, orders) {
      for (const book of state.books) {
        if (random.uniform() >= probability) continue;
        if (!pacer.allows(state.accounts[book.i], state.timestamp)) continue;
        orders.market({ bookId: book.i, side: random.integer(0, 2) as 0 | 1, volume, maxSlippage });
      }
    },
  };
};

export default randomTaker;
