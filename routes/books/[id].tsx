import type { PageProps } from "@/server/fresh_lite/mod.ts";
import { type AppContext, bookIdParam } from "@/server/web_context.ts";
import type { LadderData, TickerSummary } from "@/engine/market_data/book_market_data.ts";
import type { TapeTrade } from "@/engine/market_data/trade_tape.ts";
import BookLadder from "@/islands/BookLadder.tsx";
import BookTicker from "@/islands/BookTicker.tsx";
import CandleChart from "@/islands/CandleChart.tsx";
import DepthChart from "@/islands/DepthChart.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";
import TradesTape from "@/islands/TradesTape.tsx";
import { FeedSocketScript } from "@/islands/_feed_socket_script.tsx";
import { DEFAULT_CANDLE_INTERVAL } from "@/engine/market_data/candle_interval.ts";

/** The live feed's socket opens from the head, subscribed to what the islands follow first. */
export function Head({ data }: PageProps<BookPageData>) {
  const book = `book:${data.summary.bookId}`;
  const channels = ["ticker", "ladder", "trades", `candles:${DEFAULT_CANDLE_INTERVAL}`];
  return <FeedSocketScript channels={channels.map((channel) => `${book}:${channel}`)} />;
}

interface BookPageData {
  summary: TickerSummary;
  ladder: LadderData;
  trades: TapeTrade[];
}

export function load(c: AppContext): BookPageData {
  const book = c.var.services.marketData.book(bookIdParam(c));
  const { sparkline: _sparkline, ...summary } = book.summary();
  return { summary, ladder: book.ladder(), trades: book.tape.newestSince() };
}

export function title({ data }: PageProps<BookPageData>): string {
  return `Book ${data.summary.bookId} — Marketforge`;
}

/** One book: live figures, candles, depth ladder, depth chart and trades tape. */
export default function BookPage({ data }: PageProps<BookPageData>) {
  const { summary, ladder, trades } = data;
  return (
    <section class="viewer book-page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/">All books</a> <span aria-hidden="true">/</span> Book {summary.bookId}
      </nav>
      <div class="page-head">
        <h1>Book {summary.bookId}</h1>
        <ThemeToggle />
      </div>
      <BookTicker initial={summary} />
      <div class="book-grid">
        <section class="panel chart-panel" aria-labelledby="candles-heading">
          <h2 id="candles-heading">Candles</h2>
          <CandleChart
            bookId={summary.bookId}
            priceDecimals={summary.priceDecimals}
            volumeDecimals={summary.volumeDecimals}
          />
        </section>
        <section class="panel ladder-panel" aria-labelledby="ladder-heading">
          <h2 id="ladder-heading">Order book</h2>
          <BookLadder initial={ladder} />
        </section>
        <section class="panel depth-panel" aria-labelledby="depth-heading">
          <h2 id="depth-heading">Depth</h2>
          <DepthChart initial={ladder} />
        </section>
        {/* The tape scrolls, so it takes focus for keyboard scrolling. */}
        <section class="panel tape-panel" aria-labelledby="tape-heading" tabIndex={0}>
          <h2 id="tape-heading">Trades</h2>
          <TradesTape
            bookId={summary.bookId}
            priceDecimals={summary.priceDecimals}
            volumeDecimals={summary.volumeDecimals}
            initial={trades}
          />
        </section>
      </div>
    </section>
  );
}
