import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import {
  formatScore,
  formatSetAt,
  formatShare,
  formatU16,
  type Leaderboard,
  type LeaderboardRow,
} from "@/engine/leaderboard.ts";
import type { PoolName, PoolSplit } from "@/engine/scoring/pools.ts";
import { Figure } from "@/islands/_miner_figures.tsx";
import { MinerUidCell } from "@/islands/_miner_uid_cell.tsx";

/** How often the table refreshes from GET /api/leaderboard, ms. */
const REFRESH_MS = 2000;

/** The pools as the page names them, in the order they are shown. */
const POOLS: readonly { name: PoolName; label: string; title: string }[] = [
  { name: "trading", label: "Trading", title: "Kappa-3, PnL and activity (τaos)" },
  { name: "training", label: "Training", title: "GenTRX gradient quality" },
  { name: "forecast", label: "Forecast", title: "Next-100-closes forecasts (TSPS)" },
];

export interface LeaderboardTableProps {
  initial: Leaderboard;
}

/** The leaderboard: the pools' shares, then every miner, rendered on the server and refreshed in place. */
export default function LeaderboardTable({ initial }: LeaderboardTableProps) {
  const board = useSignal(initial);
  useEffect(() => {
    const timer = setInterval(async () => {
      const response = await fetch("/api/leaderboard");
      if (response.ok) board.value = await response.json();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const { rows, round, pools, chainWeights } = board.value;
  return (
    <div class="leaderboard">
      <p class="feed-status" role="status">Round {round} · {rows.length} miners</p>
      <PoolSummary pools={pools} setAt={formatSetAt(chainWeights)} />
      <div class="table-scroll">
        <table class="markets leaderboard-table" aria-label="Leaderboard">
          <thead>
            <tr>
              <th scope="col">UID</th>
              <th scope="col" class="wide-only text">Hotkey</th>
              <th scope="col" class="wide-only">Fills</th>
              <th scope="col">Realised PnL</th>
              <th scope="col" class="wide-only">Kappa</th>
              <th scope="col" class="wide-only">PnL score</th>
              <th scope="col" title="clamp(0.79 Kappa + 0.21 PnL score, 0, 1)">Trading score</th>
              {POOLS.map((pool) => (
                <th
                  key={pool.name}
                  scope="col"
                  class="wide-only pool-col"
                  title={`Share of the emission from the ${pool.label.toLowerCase()} pool`}
                >
                  {pool.label} pool
                </th>
              ))}
              <th scope="col" title="Share of the emission: the sum of the pool columns">
                Weight
              </th>
              <th scope="col" title="The u16 weight stored on chain by this validator">
                On chain
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0
              ? (
                <tr>
                  <td colSpan={12} class="empty">No miner has traded on this validator yet.</td>
                </tr>
              )
              : rows.map((row) => <MinerRow key={row.uid} row={row} />)}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function MinerRow({ row }: { row: LeaderboardRow }) {
  return (
    <tr>
      <MinerUidCell uid={row.uid} />
      <td class="wide-only text" title={row.hotkey ?? ""}>
        {row.hotkey ? `${row.hotkey.slice(0, 6)}…${row.hotkey.slice(-4)}` : "—"}
      </td>
      <td class="num wide-only">{row.fills.toLocaleString("en-US")}</td>
      <td class={`num ${row.realizedPnl > 0 ? "up" : row.realizedPnl < 0 ? "down" : ""}`}>
        {formatScore(row.realizedPnl, 2)}
      </td>
      <td class="num wide-only">{formatScore(row.kappa)}</td>
      <td class="num wide-only">{formatScore(row.pnl)}</td>
      <td class="num">{formatScore(row.trading)}</td>
      {POOLS.map((pool) => (
        <td key={pool.name} class="num wide-only pool-col">
          {formatShare(row.pools?.[pool.name] ?? null)}
        </td>
      ))}
      <td class="num strong">{formatShare(row.weight)}</td>
      <td class="num">{formatU16(row.chainWeight)}</td>
    </tr>
  );
}

/** Each pool's share of the emission this round, as figures and one stacked bar. */
function PoolSummary({ pools, setAt }: { pools: PoolSplit | null; setAt: string }) {
  const parts = [
    ...POOLS.map((pool) => ({ ...pool, share: pools?.[pool.name] ?? null })),
    ...(pools !== null && pools.burn > 0
      ? [{ name: "burn", label: "Burn", title: "Burned to UID 0", share: pools.burn }]
      : []),
  ];
  return (
    <section class="panel pool-summary" aria-label="Reward pools">
      <h2>Reward pools this round</h2>
      <dl class="figures">
        {parts.map((part) => (
          <Figure
            key={part.name}
            id={`pool-${part.name}`}
            label={part.label}
            title={part.title}
            value={formatShare(part.share)}
            class={`pool-figure pool-${part.name}`}
          />
        ))}
      </dl>
      {pools !== null && (
        <div class="pool-bar" aria-hidden="true">
          {parts.map((part) => (
            <span
              key={part.name}
              class={`pool-${part.name}`}
              style={{ width: `${(part.share ?? 0) * 100}%` }}
            />
          ))}
        </div>
      )}
      <p class="pool-note">
        A pool's share is its configured share scaled by how many miners take part; what it does not
        use returns to trading. A miner's pool columns add up to its weight. Weights last set on
        chain: {setAt}.
      </p>
    </section>
  );
}
