/**
 * A sparkline: a small SVG line of recent closes, green when the line ends
 * above where it started and red when below. Plain SVG so the server
 * renders it and pages show it without JavaScript.
 *
 * @module
 */
import { direction } from "@/engine/market_data/format.ts";

export interface SparklineProps {
  /** Oldest first. */
  points: readonly number[];
  /** What the line shows, for screen readers. */
  label: string;
  width?: number;
  height?: number;
}

/** Inset so the stroke is not clipped at the extremes, in SVG units. */
const PADDING = 2;

export function Sparkline({ points, label, width = 120, height = 32 }: SparklineProps) {
  const trend = points.length > 1 ? direction(points[points.length - 1] - points[0]) : "flat";
  const low = Math.min(...points);
  const range = Math.max(...points) - low || 1;
  const step = points.length > 1 ? (width - 2 * PADDING) / (points.length - 1) : 0;
  const coordinates = points.map((point, index) =>
    `${(PADDING + index * step).toFixed(1)},${
      (height - PADDING - ((point - low) / range) * (height - 2 * PADDING)).toFixed(1)
    }`
  );
  return (
    <svg
      class={`sparkline ${trend}`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
    >
      {points.length > 1 && <polyline points={coordinates.join(" ")} />}
    </svg>
  );
}
