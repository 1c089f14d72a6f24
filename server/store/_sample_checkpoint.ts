/** Test fixture shared by the checkpoint tests. */
import type { LoopCheckpoint } from "@/server/store/loop_checkpoint.ts";

/** A checkpoint shaped like a validator's after a few rounds with one trading miner. */
export function sampleCheckpoint(round = 40, simulationId = "sim-a"): LoopCheckpoint {
  return {
    simulationId,
    round,
    engine: Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff),
    loop: {
      round,
      funded: [[3, [{ baseLots: 10, quoteUnits: 100_000 }]]],
      hotkeys: [[3, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"]],
      openOrders: [[17, 3, 0, 5], [19, 3, 1, 2]],
      ledger: [{
        uid: 3,
        lots: [[0, [{ side: 0, price: 100.5, quantity: 2, fee: 0.01 }]]],
        history: [[5e9, [[0, 1.25]]]],
        volume: [[0, [[5e9, 2]]]],
        realizedTotal: 1.25,
        fills: 4,
        recent: [],
      }],
    },
  };
}
