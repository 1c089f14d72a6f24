import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { Side } from "@/engine/book_records.ts";
import { formatTicks } from "@/engine/market_data/format.ts";
import { formatSimulatedClock, stepStartSeconds } from "@/engine/market_data/time_base.ts";
import { mergeTape, type TapeTrade } from "@/engine/market_data/trade_tape.ts";
import { followChannel } from "@/islands/_live_feed.ts";

export interface TradesTapeProps {
  bookId: number;
  priceDecimals: number;
  volumeDecimals: number;
  /** Newest first, rendered on the server; the feed's trades channel takes over. */
  initial: TapeTrade[];
}

/** Trades shown on the tape. */
const TAPE_ROWS = 40;

/**
 * The trades tape: the newest trades first, with their simulated time,
 * price coloured by the aggressor's side (and the side named, so colour is
 * never the only cue) and size.
 */
export default function TradesTape(props: TradesTapeProps) {
  const trades = useSignal(props.initial.slice(0, TAPE_ROWS));
  useEffect(
    () =>
      followChannel(`book:${props.bookId}:trades`, (message) => {
        if (message.type !== "trades") return;
        trades.value = message.snapshot
          ? message.trades.slice(0, TAPE_ROWS)
          : mergeTape(trades.value, message.trades, TAPE_ROWS);
      }),
    [props.bookId],
  );
  return (
    <table class="tape" aria-label="Last trades">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Price</th>
          <th scope="col">Size</th>
          <th scope="col">Side</th>
        </tr>
      </thead>
      <tbody>
        {trades.value.map((trade) => {
          const side = trade.side === Side.Buy ? "buy" : "sell";
          return (
            <tr class={side} key={trade.id}>
              <td class="num muted">{formatSimulatedClock(stepStartSeconds(trade.step))}</td>
              <td class="num price">{formatTicks(trade.priceTicks, props.priceDecimals)}</td>
              <td class="num">{formatTicks(trade.quantityLots, props.volumeDecimals)}</td>
              <td class="side">{side}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
