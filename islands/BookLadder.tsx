import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { type BookView, formatUnits } from "@/engine/book_view.ts";
import { Side } from "@/engine/book_records.ts";
import {
  BOOK_FEED_WORKER_URL,
  type FeedStatus,
  type FromBookFeed,
  PROTOCOL_VERSION,
  type ToBookFeed,
} from "@/workers/protocol.ts";

export interface BookLadderProps {
  /** The view rendered on the server; the live feed replaces it. */
  initial: BookView;
}

/**
 * The live ladder of one book — asks above, bids below, best prices meeting
 * at the spread — and its latest trades, updated live. The feed itself runs
 * in a web worker (workers/book_feed.ts) that posts parsed views.
 */
export default function BookLadder({ initial }: BookLadderProps) {
  const view = useSignal(initial);
  const status = useSignal<FeedStatus>("connecting");

  useEffect(() => {
    const worker = new Worker(BOOK_FEED_WORKER_URL, { type: "module" });
    const send = (message: ToBookFeed) => worker.postMessage(message);
    worker.onmessage = ({ data }: MessageEvent<FromBookFeed>) => {
      if (data.type === "book") view.value = data.view;
      else if (data.type === "status") status.value = data.status;
      else console.error(data.message);
    };
    send({ v: PROTOCOL_VERSION, type: "subscribe", bookId: initial.bookId });
    return () => send({ v: PROTOCOL_VERSION, type: "close" });
  }, [initial.bookId]);

  const { bids, asks, trades, priceDecimals, volumeDecimals } = view.value;
  const price = (ticks: number) => formatUnits(ticks, priceDecimals);
  const size = (lots: number) => formatUnits(lots, volumeDecimals);
  const spread = bids[0] && asks[0] ? price(asks[0].priceTicks - bids[0].priceTicks) : "—";

  return (
    <div class="book">
      <p class="feed-status" role="status">
        {status.value === "live"
          ? "Live"
          : status.value === "connecting"
          ? "Connecting…"
          : "Reconnecting…"}
        {" · step "}
        <span data-testid="step">{view.value.step}</span>
      </p>
      <div class="book-panels">
        <table class="ladder" aria-label="Order book">
          <thead>
            <tr>
              <th scope="col">Bid size</th>
              <th scope="col">Price</th>
              <th scope="col">Ask size</th>
            </tr>
          </thead>
          <tbody>
            {[...asks].reverse().map((level) => (
              <tr class="ask" key={`a${level.priceTicks}`}>
                <td></td>
                <td class="price">{price(level.priceTicks)}</td>
                <td>{size(level.quantityLots)}</td>
              </tr>
            ))}
            <tr class="spread">
              <td colSpan={3}>spread {spread}</td>
            </tr>
            {bids.map((level) => (
              <tr class="bid" key={`b${level.priceTicks}`}>
                <td>{size(level.quantityLots)}</td>
                <td class="price">{price(level.priceTicks)}</td>
                <td></td>
              </tr>
            ))}
          </tbody>
        </table>
        <table class="trades" aria-label="Last trades">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Side</th>
              <th scope="col">Price</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {trades.map((trade, index) => (
              <tr class={trade.side === Side.Buy ? "buy" : "sell"} key={index}>
                <td>{trade.step}</td>
                <td>{trade.side === Side.Buy ? "buy" : "sell"}</td>
                <td class="price">{price(trade.priceTicks)}</td>
                <td>{size(trade.quantityLots)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
