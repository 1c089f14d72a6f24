/**
 * The candle chart's drawing, on TradingView's lightweight-charts: a
 * candlestick series over a volume histogram, in simulated time, coloured
 * from the page's theme. Loaded by islands/CandleChart.tsx with a dynamic
 * import, so the library is its own chunk and only book pages fetch it,
 * after the page is already interactive.
 *
 * @module
 */
import {
  CandlestickSeries,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import type { Candle } from "@/engine/market_data/candle_series.ts";
import { formatSimulatedClock } from "@/engine/market_data/time_base.ts";
import { applyChartTheme } from "@/islands/_chart_theme.ts";

export interface CandleViewOptions {
  priceDecimals: number;
  volumeDecimals: number;
  /** Called with the open time of the candle under the pointer, null when it leaves. */
  onHover(time: number | null): void;
}

/** Share of the chart's height the volume bars may use, from the bottom. */
const VOLUME_SHARE = 0.2;
/** Width per candle, wider than the library's 6 px so a young series still reads. */
const BAR_SPACING_PX = 9;
/** Empty candles' width kept right of the newest, where the next one will open. */
const RIGHT_OFFSET_BARS = 3;

export class CandleView {
  readonly #chart: IChartApi;
  readonly #candles: ISeriesApi<"Candlestick">;
  readonly #volume: ISeriesApi<"Histogram">;
  readonly #priceScale: number;
  readonly #volumeScale: number;
  readonly #hover: (param: MouseEventParams) => void;
  /** Volume bar colours, from the theme. */
  #upVolume = "";
  #downVolume = "";

  constructor(container: HTMLElement, options: CandleViewOptions) {
    this.#priceScale = 10 ** options.priceDecimals;
    this.#volumeScale = 10 ** options.volumeDecimals;
    const clock = (time: Time) => formatSimulatedClock(time as number);
    this.#chart = createChart(container, {
      autoSize: true,
      localization: { timeFormatter: clock },
      timeScale: {
        timeVisible: true,
        secondsVisible: true,
        tickMarkFormatter: clock,
        barSpacing: BAR_SPACING_PX,
        rightOffset: RIGHT_OFFSET_BARS,
      },
      rightPriceScale: { borderVisible: false },
      crosshair: { mode: 0 },
    });
    this.#candles = this.#chart.addSeries(CandlestickSeries, {
      borderVisible: false,
      priceFormat: {
        type: "price",
        precision: options.priceDecimals,
        minMove: 1 / this.#priceScale,
      },
    });
    this.#candles.priceScale().applyOptions({
      scaleMargins: { top: 0.08, bottom: VOLUME_SHARE + 0.04 },
    });
    this.#volume = this.#chart.addSeries(HistogramSeries, {
      priceFormat: { type: "volume" },
      priceScaleId: "",
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.#volume.priceScale().applyOptions({ scaleMargins: { top: 1 - VOLUME_SHARE, bottom: 0 } });
    this.#hover = (param) =>
      options.onHover(param.time === undefined ? null : param.time as number);
    this.#chart.subscribeCrosshairMove(this.#hover);
    this.applyTheme();
  }

  /** Replaces every candle. */
  setCandles(candles: readonly Candle[]): void {
    this.#candles.setData(candles.map((candle) => this.#bar(candle)));
    this.#volume.setData(candles.map((candle) => this.#volumeBar(candle)));
  }

  /** Updates the newest candles (same time: replaced; newer: appended). */
  updateCandles(candles: readonly Candle[]): void {
    for (const candle of candles) {
      this.#candles.update(this.#bar(candle));
      this.#volume.update(this.#volumeBar(candle));
    }
  }

  /** Re-reads the theme's colours (CSS custom properties on `<html>`). */
  applyTheme(): void {
    const colour = applyChartTheme(this.#chart);
    const up = colour("--up");
    const down = colour("--down");
    this.#candles.applyOptions({
      upColor: up,
      downColor: down,
      wickUpColor: up,
      wickDownColor: down,
    });
    this.#upVolume = colour("--up-soft");
    this.#downVolume = colour("--down-soft");
  }

  remove(): void {
    this.#chart.unsubscribeCrosshairMove(this.#hover);
    this.#chart.remove();
  }

  #bar(candle: Candle) {
    return {
      time: candle.time as UTCTimestamp,
      open: candle.open / this.#priceScale,
      high: candle.high / this.#priceScale,
      low: candle.low / this.#priceScale,
      close: candle.close / this.#priceScale,
    };
  }

  #volumeBar(candle: Candle) {
    return {
      time: candle.time as UTCTimestamp,
      value: candle.volume / this.#volumeScale,
      color: candle.close >= candle.open ? this.#upVolume : this.#downVolume,
    };
  }
}
