import type { AppContext } from "@/server/web_context.ts";

/**
 * GET /api/validator: the simulation, the last round's figures, the
 * connected miners, and every funded miner's fills and realised PnL.
 */
export function GET(c: AppContext): Response {
  const { loop, gateway } = c.var.services;
  return c.json({
    simulation: loop.simulation,
    round: loop.roundNumber,
    lastRound: loop.lastRound,
    connected: gateway.miners,
    miners: loop.fundedUids.map((uid) => ({ uid, ...loop.ledger.totals(uid) })),
  });
}
