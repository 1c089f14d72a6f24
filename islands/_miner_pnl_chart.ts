/**
 * A realised-PnL curve on lightweight-charts: a baseline series at zero,
 * green above and red below, in simulated time, coloured from the page's
 * theme. Loaded with a dynamic import by the miner pages, so the library is
 * its own chunk fetched after the page is interactive.
 *
 * @module
 */
import {
  BaselineSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import type { PnlPoint } from "@/engine/browser_miner/miner_detail.ts";
import { formatSimulatedClock } from "@/engine/market_data/time_base.ts";
import { applyChartTheme } from "@/islands/_chart_theme.ts";

export class PnlChartView {
  readonly #chart: IChartApi;
  readonly #series: ISeriesApi<"Baseline">;

  constructor(container: HTMLElement) {
    const clock = (time: Time) => formatSimulatedClock(time as number);
    this.#chart = createChart(container, {
      autoSize: true,
      localization: { timeFormatter: clock },
      timeScale: { timeVisible: true, secondsVisible: true, tickMarkFormatter: clock },
      rightPriceScale: { borderVisible: false },
    });
    this.#series = this.#chart.addSeries(BaselineSeries, {
      baseValue: { type: "price", price: 0 },
      priceFormat: { type: "price", precision: 4, minMove: 0.0001 },
      lineWidth: 2,
    });
    this.applyTheme();
  }

  /** Replaces the curve; points must be oldest first (equal times keep the last). */
  setPoints(points: readonly PnlPoint[]): void {
    const data: { time: UTCTimestamp; value: number }[] = [];
    for (const point of points) {
      const time = Math.floor(point.time) as UTCTimestamp;
      if (data.length > 0 && data[data.length - 1].time >= time) data.pop();
      data.push({ time, value: point.pnl });
    }
    this.#series.setData(data);
    this.#chart.timeScale().fitContent();
  }

  /** Re-reads the theme's colours (CSS custom properties on `<html>`). */
  applyTheme(): void {
    const colour = applyChartTheme(this.#chart);
    this.#series.applyOptions({
      topLineColor: colour("--up"),
      topFillColor1: colour("--up-soft"),
      topFillColor2: "transparent",
      bottomLineColor: colour("--down"),
      bottomFillColor1: "transparent",
      bottomFillColor2: colour("--down-soft"),
    });
  }

  remove(): void {
    this.#chart.remove();
  }
}
