import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { MarketSummary } from "@/engine/market_data/book_market_data.ts";
import {
  formatCompact,
  formatPercentChange,
  formatTicks,
  percentDirection,
} from "@/engine/market_data/format.ts";
import { change24hTicks, spreadTicks } from "@/islands/_book_summary.ts";
import { followChannel } from "@/islands/_live_feed.ts";
import { Sparkline } from "@/islands/_sparkline.tsx";

export interface MarketsTableProps {
  /** Every book's summary, rendered on the server; the overview channel replaces it. */
  initial: MarketSummary[];
}

/**
 * The markets overview: every book with its last price, 24-hour change,
 * range and volume, spread and a one-hour sparkline, updated live from the
 * feed's `overview` channel.
 */
export default function MarketsTable({ initial }: MarketsTableProps) {
  const books = useSignal(initial);
  useEffect(
    () =>
      followChannel("overview", (message) => {
        if (message.type === "overview") books.value = message.books;
      }),
    [],
  );
  return (
    <div class="table-scroll">
      <table class="markets" aria-label="Live books">
        <thead>
          <tr>
            <th scope="col">Book</th>
            <th scope="col">Last price</th>
            <th scope="col">24h change</th>
            <th scope="col" class="wide-only">24h high</th>
            <th scope="col" class="wide-only">24h low</th>
            <th scope="col" class="wide-only">24h volume</th>
            <th scope="col" class="wide-only">Spread</th>
            <th scope="col">Last hour</th>
          </tr>
        </thead>
        <tbody>{books.value.map((book) => <MarketRow key={book.bookId} book={book} />)}</tbody>
      </table>
    </div>
  );
}

function MarketRow({ book }: { book: MarketSummary }) {
  const decimals = book.priceDecimals;
  const price = (ticks: number | null) => formatTicks(ticks, decimals);
  const change = change24hTicks(book);
  const spread = spreadTicks(book);
  return (
    <tr>
      <th scope="row">
        <a href={`/books/${book.bookId}`}>Book {book.bookId}</a>
      </th>
      <td class="num strong">{price(book.lastPriceTicks)}</td>
      <td class={`num ${percentDirection(change, book.openTicks24h)}`}>
        {formatPercentChange(change, book.openTicks24h)}
      </td>
      <td class="num wide-only">{price(book.highTicks24h)}</td>
      <td class="num wide-only">{price(book.lowTicks24h)}</td>
      <td class="num wide-only">{formatCompact(book.volumeLots24h, book.volumeDecimals)}</td>
      <td class="num wide-only">{price(spread)}</td>
      <td class="spark-cell">
        <Sparkline points={book.sparkline} label={`Book ${book.bookId}, last hour of closes`} />
      </td>
    </tr>
  );
}
