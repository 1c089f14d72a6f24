import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { MinerDetail } from "@/engine/browser_miner/miner_detail.ts";
import { THEME_CHANGE_EVENT } from "@/islands/_theme_script.tsx";
import {
  count,
  Figure,
  FillsTable,
  fixed,
  ms,
  Panel,
  shortKey,
  signed,
  tone,
} from "@/islands/_miner_figures.tsx";
import type { PnlChartView } from "@/islands/_miner_pnl_chart.ts";

/** How often the page refreshes from GET /api/miners/:uid, ms. */
const REFRESH_MS = 2000;
/** Fills listed in the table. */
const LISTED_FILLS = 30;

export interface MinerActivityProps {
  initial: MinerDetail;
}

/**
 * One miner's public page body: its figures, realised-PnL curve (drawn with
 * lightweight-charts, loaded on demand) and latest fills, rendered on the
 * server and refreshed in place.
 */
export default function MinerActivity({ initial }: MinerActivityProps) {
  const detail = useSignal(initial);
  const live = useSignal<boolean | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<PnlChartView | null>(null);

  useEffect(() => {
    live.value = true;
    let removed = false;
    const repaint = () => chart.current?.applyTheme();
    import("@/islands/_miner_pnl_chart.ts").then(({ PnlChartView }) => {
      if (removed || container.current === null) return;
      chart.current = new PnlChartView(container.current);
      chart.current.setPoints(detail.value.pnlCurve);
    }).catch((error) => console.error(`Cannot draw the PnL chart: ${error}`));
    document.addEventListener(THEME_CHANGE_EVENT, repaint);
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const response = await fetch(`/api/miners/${initial.uid}`);
        if (response.ok) {
          detail.value = await response.json();
          chart.current?.setPoints(detail.value.pnlCurve);
        }
        live.value = response.ok;
      } catch {
        live.value = false;
      } finally {
        busy = false;
      }
    }, REFRESH_MS);
    return () => {
      removed = true;
      clearInterval(timer);
      document.removeEventListener(THEME_CHANGE_EVENT, repaint);
      chart.current?.remove();
      chart.current = null;
    };
  }, []);

  const miner = detail.value;
  const fills = miner.recentFills.slice(0, LISTED_FILLS);
  return (
    <div>
      <p class="feed-status" role="status">
        <span class={`dot${live.value ? " live" : ""}`} aria-hidden="true" />
        {live.value === null
          ? "Snapshot: reload the page for new figures"
          : live.value
          ? `Live, every ${REFRESH_MS / 1000} s`
          : "Not updating: the validator did not answer"}
      </p>
      <div class="stat-grid">
        <Panel title="Trading">
          <Figure id="fills" label="Fills" value={count(miner.fills)} />
          <Figure
            id="pnl"
            label="Realised PnL"
            value={signed(miner.realizedPnl, 4)}
            class={tone(miner.realizedPnl)}
          />
          <Figure id="volume" label="24h volume" value={fixed(miner.volume, 2)} />
          {miner.volumeByBook.length > 1 &&
            miner.volumeByBook.map((volume, bookId) => (
              <Figure
                key={bookId}
                id={`volume-${bookId}`}
                label={`Book ${bookId} volume`}
                value={fixed(volume, 2)}
              />
            ))}
        </Panel>
        <Panel title="Standing">
          <Figure
            id="connected"
            label="Connected"
            value={miner.connected ? "Yes" : "No"}
          />
          <Figure
            id="hotkey"
            label="Hotkey"
            value={shortKey(miner.hotkey)}
            title={miner.hotkey ?? ""}
          />
          <Figure id="response" label="Last response" value={ms(miner.lastResponseMs)} />
          <Figure id="score" label="Trading score" value={fixed(miner.score, 4)} />
          <Figure id="weight" label="Weight" value={fixed(miner.weight, 4)} />
        </Panel>
      </div>
      <section class="panel">
        <h2>Realised PnL</h2>
        <div class="pnl-chart" ref={container} role="img" aria-label="Realised PnL curve">
          {miner.pnlCurve.length === 0 && (
            <p class="muted empty">No PnL yet: the curve starts with the miner's first round.</p>
          )}
        </div>
      </section>
      <h2 class="section-title">Latest fills</h2>
      <FillsTable fills={fills} label="Fills" />
    </div>
  );
}
