import type { DepthLevel } from "@/engine/book_records.ts";
import type { LadderData } from "@/engine/market_data/book_market_data.ts";
import { formatTicks } from "@/engine/market_data/format.ts";
import { useLiveLadder } from "@/islands/_live_ladder.ts";

export interface DepthChartProps {
  /** The ladder rendered on the server; the feed's ladder channel replaces it. */
  initial: LadderData;
}

/** Drawing size in SVG units; the SVG scales to its box. */
const WIDTH = 480;
const HEIGHT = 200;
/** Room under the plot for the price labels. */
const AXIS = 18;

/**
 * The depth chart: cumulative bid size stepping down to the left of the
 * spread and cumulative ask size to the right, as SVG so the server
 * renders it and it shows without JavaScript.
 */
export default function DepthChart({ initial }: DepthChartProps) {
  const ladder = useLiveLadder(initial);
  const { bids, asks, priceDecimals, volumeDecimals } = ladder.value;
  if (bids.length === 0 || asks.length === 0) {
    return <p class="muted empty">No depth on one side of the book yet.</p>;
  }
  const low = bids[bids.length - 1].priceTicks;
  const high = asks[asks.length - 1].priceTicks;
  const deepest = Math.max(sum(bids), sum(asks), 1);
  const x = (priceTicks: number) => ((priceTicks - low) / Math.max(high - low, 1)) * WIDTH;
  const y = (quantity: number) => (HEIGHT - AXIS) * (1 - quantity / deepest);
  const price = (ticks: number) => formatTicks(ticks, priceDecimals);
  const mid = Math.round((bids[0].priceTicks + asks[0].priceTicks) / 2);
  const summary = `Depth: ${formatTicks(sum(bids), volumeDecimals)} bid from ${price(low)} to ${
    price(bids[0].priceTicks)
  }, ${formatTicks(sum(asks), volumeDecimals)} ask from ${price(asks[0].priceTicks)} to ${
    price(high)
  }`;
  return (
    <svg class="depth" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
      <path class="bid-area" d={areaPath(bids, x, y)} />
      <path class="ask-area" d={areaPath(asks, x, y)} />
      <text class="axis" x={0} y={HEIGHT - 4}>{price(low)}</text>
      <text class="axis" x={x(mid)} y={HEIGHT - 4} text-anchor="middle">{price(mid)}</text>
      <text class="axis" x={WIDTH} y={HEIGHT - 4} text-anchor="end">{price(high)}</text>
    </svg>
  );
}

function sum(levels: readonly DepthLevel[]): number {
  return levels.reduce((total, level) => total + level.quantityLots, 0);
}

/**
 * A closed step path from the touch outwards: each level raises the
 * cumulative size at its price, the way a book's depth builds up.
 */
function areaPath(
  levels: readonly DepthLevel[],
  x: (priceTicks: number) => number,
  y: (quantity: number) => number,
): string {
  const base = y(0).toFixed(1);
  let total = 0;
  let path = `M${x(levels[0].priceTicks).toFixed(1)},${base}`;
  for (const level of levels) {
    const px = x(level.priceTicks).toFixed(1);
    path += `L${px},${y(total).toFixed(1)}`;
    total += level.quantityLots;
    path += `L${px},${y(total).toFixed(1)}`;
  }
  return `${path}L${x(levels[levels.length - 1].priceTicks).toFixed(1)},${base}Z`;
}
