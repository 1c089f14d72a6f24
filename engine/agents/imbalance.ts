/**
 * An order-book imbalance trader (τaos's Imbalance example, taos.md §5):
 * when resting volume near the touch leans strongly to one side, it takes
 * liquidity in that direction, expecting the price to follow the pressure.
 * Volume is paced under the cap (engine/agent/volume_pacer.ts).
 *
 * Parameters: `levels` (depth measured, default 5), `threshold` (imbalance
 * needed, default 0.4), `volume` (base units, default 1), `maxSlippage`
 * (default 0.005).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { VolumePacer } from "@/engine/agent/volume_pacer.ts";
import { imbalance } from "@/engine/agents/_book_math.ts";

const imbalanceTrader: AgentFactory = ({ params }) => {
  const levels = Number(params.levels ?? 5);
  const threshold = Number(params.threshold ?? 0.4);
  const volume = Number(params.volume ?? 1);
  const maxSlippage = Number(params.maxSlippage ?? 0.005);
  const pacer = new VolumePacer();
  return {
    respond(state, orders) {
      for (const book of state.books) {
        const lean = imbalance(book, levels);
        if (Math.abs(lean) < threshold) continue;
        if (!pacer.allows(state.accounts[book.i], state.timestamp)) continue;
        orders.market({ bookId: book.i, side: lean > 0 ? 0 : 1, volume, maxSlippage });
      }
    },
  };
};

export default imbalanceTrader;
