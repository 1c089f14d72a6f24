import type { DepthLevel } from "@/engine/book_records.ts";
import type { LadderData } from "@/engine/market_data/book_market_data.ts";
import { formatTicks } from "@/engine/market_data/format.ts";
import { useLiveLadder } from "@/islands/_live_ladder.ts";

export interface BookLadderProps {
  /** The ladder rendered on the server; the feed's ladder channel replaces it. */
  initial: LadderData;
}

/** Levels per side shown: τaos's 21-level book view (shared/reference/taos.md §3.3). */
const LADDER_LEVELS = 21;

/**
 * The live depth ladder of one book: asks above, bids below, best prices
 * meeting at the spread; each row shows the level's size, the running
 * total from the touch, and a bar of that total. Shows as many levels as
 * the market's view carries, up to 21 a side.
 */
export default function BookLadder({ initial }: BookLadderProps) {
  const ladder = useLiveLadder(initial);
  const { priceDecimals, volumeDecimals } = ladder.value;
  const bids = withTotals(ladder.value.bids.slice(0, LADDER_LEVELS));
  const asks = withTotals(ladder.value.asks.slice(0, LADDER_LEVELS));
  const deepest = Math.max(bids.at(-1)?.total ?? 0, asks.at(-1)?.total ?? 0, 1);
  const bestBid = bids[0]?.priceTicks;
  const bestAsk = asks[0]?.priceTicks;
  const spread = bestBid !== undefined && bestAsk !== undefined ? bestAsk - bestBid : null;
  const row = (side: "bid" | "ask", level: LevelWithTotal) => (
    <tr
      class={side}
      key={`${side}${level.priceTicks}`}
      style={`--depth:${((level.total / deepest) * 100).toFixed(1)}%`}
    >
      <td class="num price">{formatTicks(level.priceTicks, priceDecimals)}</td>
      <td class="num">{formatTicks(level.quantityLots, volumeDecimals)}</td>
      <td class="num muted">{formatTicks(level.total, volumeDecimals)}</td>
    </tr>
  );
  return (
    <table class="ladder" aria-label="Order book">
      <thead>
        <tr>
          <th scope="col">Price</th>
          <th scope="col">Size</th>
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {[...asks].reverse().map((level) => row("ask", level))}
        <tr class="spread">
          <td colSpan={3}>
            Spread {formatTicks(spread, priceDecimals)}
            <span class="muted">{` · ${asks.length}×${bids.length} levels`}</span>
          </td>
        </tr>
        {bids.map((level) => row("bid", level))}
      </tbody>
    </table>
  );
}

interface LevelWithTotal extends DepthLevel {
  /** Quantity from the touch to this level, inclusive. */
  total: number;
}

function withTotals(levels: readonly DepthLevel[]): LevelWithTotal[] {
  let total = 0;
  return levels.map((level) => ({ ...level, total: total += level.quantityLots }));
}
