import type { PageProps } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";
import type { MarketSummary } from "@/engine/market_data/book_market_data.ts";
import MarketsTable from "@/islands/MarketsTable.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";
import { FeedSocketScript } from "@/islands/_feed_socket_script.tsx";

/** The live feed's socket opens from the head, subscribed to the overview. */
export function Head() {
  return <FeedSocketScript channels={["overview"]} />;
}

export const title = "Marketforge — live markets";

export function load(c: AppContext): MarketSummary[] {
  return c.var.services.marketData.overview();
}

/** The markets overview: every live book with its price, change, range, volume and sparkline. */
export default function Home({ data }: PageProps<MarketSummary[]>) {
  return (
    <section class="viewer">
      <div class="page-head">
        <h1>Live books</h1>
        <ThemeToggle />
      </div>
      <p class="lede">
        Each book is a native C++ limit order book fed by seeded background traders, one simulated
        second per step. Open a book for its depth ladder, depth chart, trades and candles.
      </p>
      <MarketsTable initial={data} />
    </section>
  );
}
