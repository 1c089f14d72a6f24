/**
 * Shared pieces of the miner pages (islands/BrowserMiner.tsx,
 * islands/MinerActivity.tsx): labelled figures and number formats.
 *
 * @module
 */
import type { ComponentChildren } from "preact";

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
export const signed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? NONE
    : `${value > 0 ? "+" : value < 0 ? "−" : ""}${fixed(Math.abs(value), digits)}`;
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
