/**
 * Shared pieces of the miner pages (islands/BrowserMiner.tsx,
 * islands/MinerActivity.tsx): labelled figures and number formats.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import type { MinerFill } from "@/engine/browser_miner/miner_detail.ts";
import { formatSimulatedClock } from "@/engine/market_data/time_base.ts";

export const NONE = "—";

export const count = (value: number) => value.toLocaleString("en-US");
export const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? NONE
    : value.toLocaleString("en-US", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
/** A signed amount: "+1.2345" or "−0.5000". */
export const signed = (value: number | null | undefined, digits: number) => {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  const magnitude = fixed(Math.abs(value), digits);
  // No sign on what rounds to zero.
  if (Number(magnitude.replace(/,/g, "")) === 0) return magnitude;
  return `${value > 0 ? "+" : "−"}${magnitude}`;
};
export const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? NONE : `${fixed(value, value < 10 ? 2 : 1)} ms`;
export const shortKey = (key: string | null) =>
  key === null ? NONE : `${key.slice(0, 6)}…${key.slice(-4)}`;
/** "up" / "down" class for a signed amount. */
export const tone = (value: number | null | undefined) =>
  value === null || value === undefined || value === 0 ? "" : value > 0 ? "up" : "down";

/** A titled panel of labelled figures. */
export function Panel({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="panel">
      <h2>{title}</h2>
      <dl class="figures">{children}</dl>
    </section>
  );
}

/** A labelled figure: the `<dd>` is named by its `<dt>`, so tests and readers find it by label. */
export function Figure(
  { id, label, value, title, class: className }: {
    id: string;
    label: string;
    value: string;
    title?: string;
    class?: string;
  },
) {
  return (
    <div>
      <dt id={`figure-${id}`}>{label}</dt>
      <dd aria-labelledby={`figure-${id}`} title={title} class={className}>{value}</dd>
    </div>
  );
}

/** A table of fills, newest first. */
export function FillsTable({ fills, label }: { fills: readonly MinerFill[]; label: string }) {
  return (
    <div class="table-scroll">
      <table class="markets fills" aria-label={label}>
        <thead>
          <tr>
            <th scope="col" class="text">Time</th>
            <th scope="col">Book</th>
            <th scope="col" class="text">Side</th>
            <th scope="col" class="text">Role</th>
            <th scope="col">Price</th>
            <th scope="col">Quantity</th>
            <th scope="col">Fee</th>
            <th scope="col">Realised</th>
          </tr>
        </thead>
        <tbody>
          {fills.length === 0
            ? (
              <tr>
                <td colSpan={8} class="empty muted">No fills yet.</td>
              </tr>
            )
            : fills.map((fill, index) => (
              <tr key={`${fill.timestampNs}-${index}`}>
                <td class="text">{formatSimulatedClock(fill.timestampNs / 1e9)}</td>
                <td class="num">{fill.bookId}</td>
                <td class={`text ${fill.side === 0 ? "up" : "down"}`}>
                  {fill.side === 0 ? "Buy" : "Sell"}
                </td>
                <td class="text">{fill.role === "maker" ? "Maker" : "Taker"}</td>
                <td class="num">{fixed(fill.price, 2)}</td>
                <td class="num">{fixed(fill.quantity, 4)}</td>
                <td class="num">{fixed(fill.fee, 4)}</td>
                <td class={`num ${tone(fill.realizedPnl)}`}>
                  {fill.realizedPnl === 0 ? NONE : signed(fill.realizedPnl, 4)}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
