import type { PageProps } from "@/server/fresh_lite/mod.ts";
import { bookSummaries, type BookSummary } from "@/server/book_summary.ts";
import type { AppContext } from "@/server/web_context.ts";
import { formatUnits } from "@/engine/book_view.ts";

export const title = "Marketforge — live markets";

export function load(c: AppContext): BookSummary[] {
  return bookSummaries(c.var.services.market);
}

/** Every live book with its touch, last price and lifetime activity. */
export default function Home({ data }: PageProps<BookSummary[]>) {
  return (
    <section>
      <h1>Live books</h1>
      <p>
        Each book is a native C++ limit order book fed by seeded background traders. Open one to
        watch its ladder and trades update live.
      </p>
      <table class="books" aria-label="Live books">
        <thead>
          <tr>
            <th>Book</th>
            <th>Best bid</th>
            <th>Best ask</th>
            <th>Last price</th>
            <th>Trades</th>
          </tr>
        </thead>
        <tbody>
          {data.map((book) => (
            <tr key={book.bookId}>
              <td>
                <a href={`/books/${book.bookId}`}>Book {book.bookId}</a>
              </td>
              <td>{price(book.bestBidTicks, book.priceDecimals)}</td>
              <td>{price(book.bestAskTicks, book.priceDecimals)}</td>
              <td>{price(book.lastPriceTicks, book.priceDecimals)}</td>
              <td>{book.trades.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function price(ticks: number | null, decimals: number): string {
  return ticks === null ? "—" : formatUnits(ticks, decimals);
}
