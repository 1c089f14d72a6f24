/**
 * The miner console's live figures (islands/BrowserMiner.tsx): the session
 * or offline run, trading results, balances, open orders, fills and the
 * agent's log, from the agent worker's latest `MinerSnapshot`.
 *
 * @module
 */
import { formatSimulatedClock } from "@/engine/market_data/time_base.ts";
import type { MinerSnapshot } from "@/workers/miner/miner_tracker.ts";
import {
  count,
  Figure,
  FillsTable,
  fixed,
  ms,
  NONE,
  Panel,
  signed,
  tone,
} from "@/islands/_miner_figures.tsx";
import { LossChart } from "@/islands/_loss_chart.tsx";

export interface MinerConsoleProps {
  mode: "offline" | "live" | null;
  uid: number | null;
  snapshot: MinerSnapshot | null;
  /** Grants the wallet signed in this page. */
  signatures: number;
  log: readonly string[];
  /** Whether the run answers the forecast pool (its figures show then). */
  forecasting: boolean;
  /** Whether the run trains in the GenTRX pool (its figures show then). */
  training: boolean;
  /** This UID's line in the validator's newest scored GenTRX round. */
  gentrxScore: GenTrxScore | null;
}

/** A miner's score in one GenTRX round (GET /gentrx/scores). */
export interface GenTrxScore {
  round: number;
  score: number;
  accepted: boolean;
  reason: string | null;
  ema: number;
}

const ROUND_STATES = {
  waiting: "Waiting for a round",
  loading: "Loading the model and pages",
  training: "Training",
  uploading: "Uploading the delta",
  uploaded: "Uploaded",
  skipped: "Skipped",
  failed: "Failed",
} as const;

export function MinerConsole(
  { mode, uid, snapshot, signatures, log, forecasting, training, gentrxScore }: MinerConsoleProps,
) {
  const forecasts = snapshot?.forecasts;
  const gentrx = snapshot?.gentrx;
  return (
    <>
      <div class="stat-grid">
        <Panel title={mode === "offline" ? "Offline run" : "Session"}>
          <Figure
            id="mode"
            label="Mode"
            value={mode === null ? NONE : mode === "live" ? "Live" : "Offline"}
          />
          <Figure id="uid" label="UID" value={uid === null ? NONE : String(uid)} />
          <Figure
            id="clock"
            label="Simulated time"
            value={snapshot ? formatSimulatedClock(snapshot.simulatedSeconds) : NONE}
          />
          <Figure
            id="steps"
            label="States answered"
            value={snapshot ? count(snapshot.answers) : NONE}
          />
          <Figure id="signatures" label="Wallet signatures" value={count(signatures)} />
          <Figure id="agent-ms" label="Agent time" value={ms(snapshot?.agentMs)} />
          <Figure id="answer-ms" label="Answer latency" value={ms(snapshot?.answerMs)} />
        </Panel>
        <Panel title="Trading">
          <Figure id="fills" label="Fills" value={snapshot ? count(snapshot.fillCount) : NONE} />
          <Figure
            id="pnl"
            label="Realised PnL"
            value={signed(snapshot?.realizedPnl, 4)}
            class={tone(snapshot?.realizedPnl)}
          />
          <Figure
            id="equity"
            label="Equity change at mid"
            value={signed(snapshot?.equityChange, 2)}
            class={tone(snapshot?.equityChange)}
          />
          <Figure
            id="open"
            label="Open orders"
            value={snapshot ? count(snapshot.openOrderCount) : NONE}
          />
          <Figure
            id="refusals"
            label="Refusals"
            value={snapshot ? count(snapshot.refusals) : NONE}
            title={snapshot?.lastRefusal ?? ""}
          />
        </Panel>
        {forecasting && (
          <Panel title="Forecast pool">
            <Figure
              id="forecast-requests"
              label="Forecast requests"
              value={forecasts ? count(forecasts.requests) : NONE}
            />
            <Figure
              id="forecast-committed"
              label="Forecasts committed"
              value={forecasts ? count(forecasts.committed) : NONE}
            />
            <Figure
              id="forecast-scored"
              label="Forecasts scored"
              value={forecasts ? count(forecasts.scored) : NONE}
            />
            <Figure
              id="forecast-skill"
              label="Mean skill vs naive"
              value={fixed(forecasts?.meanSkill, 3)}
              title={`Last: ${
                fixed(forecasts?.lastSkill, 3)
              } (0 = no better than naive, 1 = exact)`}
            />
          </Panel>
        )}
      </div>

      {training && (
        <section class="panel" aria-labelledby="gentrx-panel">
          <h2 id="gentrx-panel">Training pool (GenTRX)</h2>
          <dl class="figures">
            <Figure
              id="gentrx-backend"
              label="Training backend"
              value={gentrx?.backend ? (gentrx.backend === "webgpu" ? "WebGPU" : "CPU") : NONE}
            />
            <Figure
              id="gentrx-joined"
              label="Joined"
              value={gentrx?.joined ? "Yes" : "Not yet"}
            />
            <Figure
              id="gentrx-round"
              label="Training round"
              value={gentrx?.round === null || gentrx === undefined ? NONE : String(gentrx.round)}
            />
            <Figure
              id="gentrx-state"
              label="Round state"
              value={gentrx ? ROUND_STATES[gentrx.state] : NONE}
              title={gentrx?.detail}
            />
            <Figure
              id="gentrx-uploads"
              label="Deltas uploaded"
              value={gentrx ? count(gentrx.uploads) : NONE}
            />
            <Figure
              id="gentrx-score"
              label="Training score"
              value={gentrxScore ? fixed(gentrxScore.score, 4) : NONE}
              title={gentrxScore
                ? `Round ${gentrxScore.round}: ${
                  gentrxScore.accepted ? "accepted" : `rejected (${gentrxScore.reason})`
                }`
                : ""}
            />
            <Figure
              id="gentrx-scored-round"
              label="Scored round"
              value={gentrxScore ? String(gentrxScore.round) : NONE}
            />
            <Figure
              id="gentrx-ema"
              label="Training EMA"
              value={gentrxScore ? fixed(gentrxScore.ema, 4) : NONE}
            />
          </dl>
          {gentrx?.detail && <p class="muted" aria-label="Round detail">{gentrx.detail}</p>}
          <LossChart losses={gentrx?.losses ?? []} label="GenTRX loss per step" />
          <ul class="gentrx-receipts" aria-label="GenTRX receipts">
            {(gentrx?.receipts ?? []).map((receipt, index) => (
              <li key={index} class={receipt.ok ? "" : "down"}>
                {receipt.kind}
                {receipt.round === null ? "" : ` round ${receipt.round}`}:{" "}
                {receipt.ok ? "recorded" : "refused"} — {receipt.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      {snapshot?.lastRefusal && (
        <p class="muted" aria-label="Last refusal">Last refusal: {snapshot.lastRefusal}</p>
      )}

      {snapshot && snapshot.books.length > 0 && (
        <div class="table-scroll">
          <table class="markets" aria-label="Balances">
            <thead>
              <tr>
                <th scope="col">Book</th>
                <th scope="col">Bid</th>
                <th scope="col">Ask</th>
                <th scope="col">Base</th>
                <th scope="col">Quote</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.books.map((book) => (
                <tr key={book.bookId}>
                  <th scope="row">{book.bookId}</th>
                  <td class="num">{fixed(book.bestBid, 2)}</td>
                  <td class="num">{fixed(book.bestAsk, 2)}</td>
                  <td class={`num ${tone(book.base - book.startBase)}`}>{fixed(book.base, 4)}</td>
                  <td class={`num ${tone(book.quote - book.startQuote)}`}>
                    {fixed(book.quote, 2)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 class="section-title">Open orders</h2>
      <div class="table-scroll">
        <table class="markets" aria-label="Open orders">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Book</th>
              <th scope="col" class="text">Side</th>
              <th scope="col">Price</th>
              <th scope="col">Left</th>
            </tr>
          </thead>
          <tbody>
            {!snapshot || snapshot.openOrders.length === 0
              ? (
                <tr>
                  <td colSpan={5} class="empty muted">No open orders.</td>
                </tr>
              )
              : snapshot.openOrders.map((order) => (
                <tr key={order.orderId}>
                  <th scope="row">{order.orderId}</th>
                  <td class="num">{order.bookId}</td>
                  <td class={`text ${order.side === 0 ? "up" : "down"}`}>
                    {order.side === 0 ? "Buy" : "Sell"}
                  </td>
                  <td class="num">{fixed(order.price, 2)}</td>
                  <td class="num">{fixed(order.quantity, 4)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>

      <h2 class="section-title">Fills</h2>
      <FillsTable fills={snapshot?.fills ?? []} label="Agent fills" />

      <h2 class="section-title">Agent log</h2>
      {/* Focusable to scroll from the keyboard; a region, since a bare <pre> cannot carry a name. */}
      <pre class="agent-log" role="region" aria-label="Agent log" tabIndex={0}>
        {log.length === 0 ? "Nothing logged yet." : log.join("\n")}
      </pre>
    </>
  );
}
