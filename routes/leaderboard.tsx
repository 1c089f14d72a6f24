import type { PageProps } from "@/server/fresh_lite/mod.ts";
import type { Leaderboard } from "@/engine/leaderboard.ts";
import { leaderboard } from "@/server/leaderboard.ts";
import type { AppContext } from "@/server/web_context.ts";
import LeaderboardTable from "@/islands/LeaderboardTable.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";

export const title = "Leaderboard — Marketforge";

export function load(c: AppContext): Promise<Leaderboard> {
  const { loop, chain } = c.var.services;
  return leaderboard(loop, chain);
}

/**
 * Miners ranked by weight: fills, realised PnL, Kappa, PnL and trading
 * scores, what each reward pool gave them and their u16 weight on chain,
 * under a summary of the pools' shares.
 */
export default function LeaderboardPage({ data }: PageProps<Leaderboard>) {
  return (
    <section>
      <div class="page-head">
        <h1>Leaderboard</h1>
        <ThemeToggle />
      </div>
      <p>
        Every miner trading on this validator, ranked by the weight it would get on chain. Kappa-3
        needs 1.5 simulated hours of history before it scores; until then the trading score is the
        PnL part alone. The emission is split between the trading, training (GenTRX) and forecast
        pools; each miner's weight is what it earns from each.
      </p>
      <LeaderboardTable initial={data} />
    </section>
  );
}
