/**
 * Spreads an agent's trading over the day. τaos's validator accepts only
 * cancels on a book once a miner's quote volume there over the last 24 h of
 * simulated time reaches the cap (taos.md §4.6); an agent trading flat out
 * reaches it within hours and then sits idle, which also starves its score
 * of observations. A pacer lets volume grow pro rata: by simulated time t
 * into the day the rolling volume may reach `share` of the cap × t / 24 h.
 *
 * @module
 */
import { VOLUME_CAP } from "@/engine/protocol/agent_response.ts";
import type { Account } from "@/engine/protocol/state_update.ts";

const DAY_NS = 86_400e9;

export class VolumePacer {
  #startNs: number | null = null;

  /** `share` of the cap in (0, 1]: headroom kept for the round-trip back. */
  constructor(readonly share = 0.9) {
    if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
  }

  /**
   * Whether the agent may add volume on `account`'s book at simulated time
   * `nowNs`. The day starts at the first call; a clock running backwards (a
   * new simulation) starts it again.
   */
  allows(account: Pick<Account, "v"> | undefined, nowNs: number): boolean {
    if (this.#startNs === null || nowNs < this.#startNs) this.#startNs = nowNs;
    const elapsed = Math.min(1, (nowNs - this.#startNs) / DAY_NS);
    // A small allowance from the first second, so an agent trades from the start.
    const budget = this.share * VOLUME_CAP * Math.max(elapsed, 1 / 96);
    return (account?.v ?? 0) < budget;
  }
}
