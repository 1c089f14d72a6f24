/**
 * A resume from a checkpoint lands on exactly the state a replay of the
 * whole write-ahead log reaches: the same market bytes and the same loop
 * state (funded miners, resting orders, the scoring ledger).
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { LocalChain } from "@/server/chain/local_chain.ts";
import { parseConfig } from "@/server/config.ts";
import { MinerGateway } from "@/server/gateway/gateway.ts";
import { SessionRegistry } from "@/server/gateway/session_registry.ts";
import { Market } from "@/server/market.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";
import { resumeSimulation } from "@/server/resume.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";
import { NativeSimulation } from "@/server/sim/native_simulation.ts";
import { openStore } from "@/server/store/kv.ts";
import { SimulationCheckpoints } from "@/server/store/simulation_checkpoints.ts";
import { SimulationLog } from "@/server/store/simulation_log.ts";
import { startValidator } from "@/server/validator.ts";
import { ValidatorLoop } from "@/server/validator_loop.ts";

const BOOKS = 2;
const SEED = 7;

/** A validator's market and loop rebuilt from `kv`'s log, as a restart does. */
async function resumed(kv: Deno.Kv, checkpoints?: SimulationCheckpoints) {
  const { log: journal, resumed } = await SimulationLog.open(kv, SEED, BOOKS);
  ok(resumed, "the simulation is still current");
  const background = await openBackgroundMarket({ books: BOOKS, seed: journal.meta.seed });
  const market = new Market(background.engine, background.configs);
  market.step();
  const chain = new LocalChain(kv);
  const validatorHotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  const loop = new ValidatorLoop({
    market,
    gateway: new MinerGateway({
      registry: new SessionRegistry({ validatorHotkey, uidOf: (key) => chain.uidOf(key) }),
    }),
    chain,
    validatorHotkey,
    seed: SEED,
    stepMs: 10,
    responseTimeoutMs: 200,
    scoreEveryRounds: 10,
    journal,
  });
  const result = await resumeSimulation({
    journal,
    checkpoints,
    market,
    loop,
    restoreEngine: async (bytes) => (await NativeSimulation.restore(bytes)).asEngine(),
  });
  return { market, loop, result };
}

Deno.test("a resume from a checkpoint reaches the same market and loop state as a full replay", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-resume-" });
  try {
    const args = [
      "--port",
      "0",
      "--data",
      dataDir,
      "--books",
      String(BOOKS),
      "--seed",
      String(SEED),
    ];
    const run = [
      "--demo-miners",
      "2",
      "--step-ms",
      "10",
      "--grace-seconds",
      "0",
      "--response-timeout-ms",
      "200",
    ];
    const validator = await startValidator(
      parseConfig([...args, ...run, "--checkpoint-rounds", "20"], () => undefined),
      () => {},
    );
    const deadline = Date.now() + 60_000;
    const fills = () => validator.loop.state().ledger.reduce((sum, miner) => sum + miner.fills, 0);
    while (validator.loop.roundNumber < 70 || fills() === 0) {
      if (Date.now() > deadline) throw new Error(`No fills by round ${validator.loop.roundNumber}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await validator.shutdown();

    const kv = await openStore(dataDir);
    const checkpoints = new SimulationCheckpoints({
      kv,
      store: new LocalFolderStore(`${dataDir}/objects`, 1024 ** 3),
    });
    const fromCheckpoint = await resumed(kv, checkpoints);
    const fromStart = await resumed(kv);
    try {
      const { result } = fromCheckpoint;
      ok(
        result.checkpointRound !== null && result.checkpointRound >= 60,
        `${result.checkpointRound}`,
      );
      equal(result.replayedRounds, result.lastRound - result.checkpointRound!);
      equal(fromStart.result.checkpointRound, null);
      equal(fromStart.result.replayedRounds, result.lastRound);
      deepEqual(fromCheckpoint.market.engine.checkpoint(), fromStart.market.engine.checkpoint());
      deepEqual(fromCheckpoint.loop.state(), fromStart.loop.state());
      ok(fromStart.loop.state().ledger.some((record) => record.fills > 0), "miners traded");
    } finally {
      fromCheckpoint.market.engine.close();
      fromStart.market.engine.close();
      kv.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
