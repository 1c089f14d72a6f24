import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import {
  CANDLE_INTERVAL_NAMES,
  type CandleInterval,
  DEFAULT_CANDLE_INTERVAL,
} from "@/engine/market_data/candle_interval.ts";
import { type Candle, mergeCandles } from "@/engine/market_data/candle_series.ts";
import { formatCompact, formatTicks } from "@/engine/market_data/format.ts";
import { formatSimulatedClock } from "@/engine/market_data/time_base.ts";
import { afterFirstUpdate, followChannel } from "@/islands/_live_feed.ts";
import { THEME_CHANGE_EVENT } from "@/islands/_theme_script.tsx";
import type { CandleView } from "@/islands/_candle_view.ts";

export interface CandleChartProps {
  bookId: number;
  priceDecimals: number;
  volumeDecimals: number;
}

/** Candles kept in the browser per interval (the server's CANDLE_CAPACITY). */
const KEPT_CANDLES = 300;

/**
 * Candles of one book at a selectable interval, drawn with lightweight-charts
 * (loaded on demand) and fed live by the book's candles channel. A legend
 * names the candle under the pointer (or the newest) in figures, so the
 * values are readable without the canvas.
 */
export default function CandleChart({ bookId, priceDecimals, volumeDecimals }: CandleChartProps) {
  const interval = useSignal<CandleInterval>(DEFAULT_CANDLE_INTERVAL);
  const candles = useSignal<Candle[]>([]);
  const hoveredTime = useSignal<number | null>(null);
  const chartFailed = useSignal(false);
  /** False in the server's HTML, so pages without JavaScript say why there is no chart. */
  const hydrated = useSignal(false);
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<CandleView | null>(null);

  useEffect(() => {
    hydrated.value = true;
    let removed = false;
    const repaint = () => view.current?.applyTheme();
    const scheme = matchMedia("(prefers-color-scheme: light)");
    // The chart library is most of the page's JavaScript: it loads once the
    // live figures are on screen rather than competing with them.
    afterFirstUpdate.then(() => import("@/islands/_candle_view.ts")).then(({ CandleView }) => {
      if (removed || container.current === null) return;
      view.current = new CandleView(container.current, {
        priceDecimals,
        volumeDecimals,
        onHover: (time) => hoveredTime.value = time,
      });
      view.current.setCandles(candles.value);
    }).catch((error) => {
      chartFailed.value = true;
      console.error(`Cannot draw the candle chart: ${error}`);
    });
    document.addEventListener(THEME_CHANGE_EVENT, repaint);
    scheme.addEventListener("change", repaint);
    return () => {
      removed = true;
      document.removeEventListener(THEME_CHANGE_EVENT, repaint);
      scheme.removeEventListener("change", repaint);
      view.current?.remove();
      view.current = null;
    };
  }, [bookId]);

  useEffect(() => {
    candles.value = [];
    view.current?.setCandles([]);
    return followChannel(`book:${bookId}:candles:${interval.value}`, (message) => {
      if (message.type !== "candles" || message.interval !== interval.value) return;
      if (message.snapshot) {
        candles.value = message.candles.slice(-KEPT_CANDLES);
        view.current?.setCandles(candles.value);
      } else {
        const newest = candles.value.at(-1)?.time ?? -Infinity;
        const fresh = message.candles.filter((candle) => candle.time >= newest);
        candles.value = mergeCandles(candles.value, fresh, KEPT_CANDLES);
        view.current?.updateCandles(fresh);
      }
    });
  }, [bookId, interval.value]);

  const shown = (hoveredTime.value !== null &&
    candles.value.find((candle) => candle.time === hoveredTime.value)) ||
    candles.value.at(-1);
  const price = (ticks: number) => formatTicks(ticks, priceDecimals);
  const description =
    `${interval.value} candles of book ${bookId}: ${candles.value.length} candles` +
    (shown ? `, last close ${price(candles.value.at(-1)!.close)}` : "");

  return (
    <div class="candles">
      <div class="candles-bar">
        <fieldset class="segmented">
          <legend class="sr-only">Candle interval</legend>
          {CANDLE_INTERVAL_NAMES.map((name) => (
            <label key={name}>
              <input
                type="radio"
                name={`candle-interval-${bookId}`}
                value={name}
                checked={interval.value === name}
                onChange={() => interval.value = name}
              />
              <span>{name}</span>
            </label>
          ))}
        </fieldset>
        <p class="candle-legend num" aria-hidden="true">
          {shown
            ? (
              <>
                <span class="muted">{formatSimulatedClock(shown.time)}</span>
                {" O "}
                {price(shown.open)}
                {" H "}
                {price(shown.high)}
                {" L "}
                {price(shown.low)}
                {" C "}
                <span class={shown.close >= shown.open ? "up" : "down"}>{price(shown.close)}</span>
                {" V "}
                {formatCompact(shown.volume, volumeDecimals)}
              </>
            )
            : <span class="muted">Waiting for the first trade…</span>}
        </p>
      </div>
      {!hydrated.value && (
        <p class="muted empty">
          The candle chart needs JavaScript; the ladder, depth and trades show without it.
        </p>
      )}
      {chartFailed.value && <p class="muted empty">The chart could not be drawn.</p>}
      <div class="candle-canvas" ref={container} role="img" aria-label={description} />
    </div>
  );
}
