import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Leaderboard } from "@/engine/leaderboard.ts";

/** How often the table refreshes from GET /api/leaderboard, ms. */
const REFRESH_MS = 2000;

export interface LeaderboardTableProps {
  initial: Leaderboard;
}

const score = (value: number | null, digits = 3) =>
  value === null ? "—" : (Number(value.toFixed(digits)) || 0).toFixed(digits);

/** The leaderboard, rendered on the server and refreshed in place. */
export default function LeaderboardTable({ initial }: LeaderboardTableProps) {
  const board = useSignal(initial);
  useEffect(() => {
    const timer = setInterval(async () => {
      const response = await fetch("/api/leaderboard");
      if (response.ok) board.value = await response.json();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const { rows, round } = board.value;
  return (
    <div>
      <p class="feed-status" role="status">Round {round} · {rows.length} miners</p>
      <table class="books" aria-label="Leaderboard">
        <thead>
          <tr>
            <th scope="col">UID</th>
            <th scope="col">Hotkey</th>
            <th scope="col">Fills</th>
            <th scope="col">Realised PnL</th>
            <th scope="col">Kappa</th>
            <th scope="col">PnL score</th>
            <th scope="col">Trading</th>
            <th scope="col">Weight</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.uid}>
              <td>
                <a href={`/miners/${row.uid}`} title={`Miner ${row.uid}`}>{row.uid}</a>
              </td>
              <td title={row.hotkey ?? ""}>
                {row.hotkey ? `${row.hotkey.slice(0, 6)}…${row.hotkey.slice(-4)}` : "—"}
              </td>
              <td>{row.fills.toLocaleString("en-US")}</td>
              <td class={row.realizedPnl >= 0 ? "up" : "down"}>{row.realizedPnl.toFixed(2)}</td>
              <td>{score(row.kappa)}</td>
              <td>{score(row.pnl)}</td>
              <td>{score(row.trading)}</td>
              <td>{score(row.weight, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
