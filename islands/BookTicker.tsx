import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { TickerSummary } from "@/engine/market_data/book_market_data.ts";
import {
  direction,
  formatCompact,
  formatPercentChange,
  formatSignedTicks,
  formatTicks,
} from "@/engine/market_data/format.ts";
import { change24hTicks, spreadTicks } from "@/islands/_book_summary.ts";
import { feedStatus, followChannel } from "@/islands/_live_feed.ts";

export interface BookTickerProps {
  /** The book's summary rendered on the server; its ticker channel replaces it. */
  initial: TickerSummary;
}

const STATUS_TEXT = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };

/**
 * A book's header figures — last price, 24-hour change, range and volume,
 * spread — and the feed's state, updated live.
 */
export default function BookTicker({ initial }: BookTickerProps) {
  const summary = useSignal(initial);
  const tick = useSignal<"up" | "down" | "flat">("flat");
  useEffect(
    () =>
      followChannel(`book:${initial.bookId}:ticker`, (message) => {
        if (message.type !== "ticker") return;
        const previous = summary.value.lastPriceTicks;
        const next = message.summary.lastPriceTicks;
        if (previous !== null && next !== null && next !== previous) {
          tick.value = direction(next - previous);
        }
        summary.value = message.summary;
      }),
    [initial.bookId],
  );
  const book = summary.value;
  const price = (ticks: number | null) => formatTicks(ticks, book.priceDecimals);
  const change = change24hTicks(book);
  const spread = spreadTicks(book);
  return (
    <div class="ticker">
      <p class={`last-price ${tick.value}`}>
        <span class="sr-only">Last price:</span> {price(book.lastPriceTicks)}
      </p>
      <dl class="ticker-figures">
        <div>
          <dt>24h change</dt>
          <dd class={direction(change)}>
            {formatSignedTicks(change, book.priceDecimals)}{" "}
            <span class="muted">{formatPercentChange(change, book.openTicks24h)}</span>
          </dd>
        </div>
        <div>
          <dt>24h high</dt>
          <dd>{price(book.highTicks24h)}</dd>
        </div>
        <div>
          <dt>24h low</dt>
          <dd>{price(book.lowTicks24h)}</dd>
        </div>
        <div>
          <dt>24h volume</dt>
          <dd>{formatCompact(book.volumeLots24h, book.volumeDecimals)}</dd>
        </div>
        <div>
          <dt>Spread</dt>
          <dd>{price(spread)}</dd>
        </div>
      </dl>
      <p class="feed-status" role="status">
        <span class={`dot ${feedStatus.value}`} aria-hidden="true" />
        {STATUS_TEXT[feedStatus.value]}
        {" · step "}
        <span data-testid="step">{book.step}</span>
      </p>
    </div>
  );
}
