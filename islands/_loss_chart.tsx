/**
 * A training run's loss per step as an SVG line, scaled to its range: the
 * /train page's curve (islands/TrainingPanel.tsx) and the miner console's
 * GenTRX round (islands/_miner_console.tsx).
 *
 * @module
 */

/** Width and height of the chart's viewBox. */
const CHART_WIDTH = 300;
const CHART_HEIGHT = 80;

/** The loss history as an SVG polyline, scaled to the chart. */
function lossPoints(losses: readonly number[]): string {
  if (losses.length < 2) return "";
  const max = Math.max(...losses);
  const min = Math.min(...losses);
  const span = max - min || 1;
  return losses.map((loss, i) =>
    `${(i / (losses.length - 1)) * CHART_WIDTH},${((max - loss) / span) * CHART_HEIGHT}`
  ).join(" ");
}

export function LossChart({ losses, label }: { losses: readonly number[]; label: string }) {
  return (
    <svg
      class="loss-chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
      preserveAspectRatio="none"
    >
      <polyline points={lossPoints(losses)} />
    </svg>
  );
}
