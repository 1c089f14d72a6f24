/**
 * What GenTrxPool's tests share, in server/gentrx/ and through a real
 * gateway in server/miner/: the receipts a miner on subtensor gets when it
 * sends its read key over the session, so both check the one refusal that
 * gentrx_pool.ts sends.
 *
 * @module
 */
import { equal } from "node:assert/strict";
import type { GenTrxReceiptFrame } from "@/engine/gateway/frames.ts";

/**
 * `receipts` begin with a refused commit that names how to commit on chain
 * on subnet `netuid`, then a join that was taken.
 */
export function assertToldToCommitOnChain(
  receipts: readonly GenTrxReceiptFrame[],
  netuid: number,
): void {
  const [refusal, joined] = receipts;
  equal(`${refusal.kind}:${refusal.ok},${joined.kind}:${joined.ok}`, "commit:false,join:true");
  equal(
    refusal.message,
    "Cannot store a commitment on subtensor: commit it on chain with your hotkey " +
      `(Commitments.set_commitment on netuid ${netuid}): run the miner with ` +
      `--chain <a subtensor node's ws:// URL> --netuid ${netuid}`,
  );
}
