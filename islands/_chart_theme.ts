/**
 * The page theme on a lightweight-charts chart, for the canvas views
 * (islands/_candle_view.ts, islands/_miner_pnl_chart.ts). A canvas cannot
 * use CSS, so each view reads the theme's custom properties on `<html>`
 * (static/style.css) and repaints when ThemeToggle switches; this is the one
 * place that reads them and paints the chart's background, text and grid,
 * so the charts cannot drift apart from each other or from the page.
 *
 * @module
 */
import { ColorType, type IChartApi } from "lightweight-charts";

/** Reads one theme colour by its custom property name, e.g. `colour("--up")`. */
export type ThemeColour = (name: string) => string;

/**
 * Paints `chart`'s background, text and grid in the theme now in force and
 * returns a reader of the theme's colours, for the view's own series.
 */
export function applyChartTheme(chart: IChartApi): ThemeColour {
  const style = getComputedStyle(document.documentElement);
  const colour: ThemeColour = (name) => style.getPropertyValue(name).trim();
  chart.applyOptions({
    layout: {
      background: { type: ColorType.Solid, color: colour("--panel") },
      textColor: colour("--muted"),
      fontFamily: style.fontFamily,
    },
    grid: { vertLines: { color: colour("--grid") }, horzLines: { color: colour("--grid") } },
  });
  return colour;
}
