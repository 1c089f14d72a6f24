/**
 * The validator process: native simulator, background market, Deno KV
 * state, miner gateway and validator loop, local chain, demo miners, and the
 * web app with its live feed, started together.
 *
 * @module
 */
import { resumeSimulation, writeCheckpoint } from "@/server/resume.ts";
import { NativeSimulation } from "@/server/sim/native_simulation.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";
import { SimulationCheckpoints } from "@/server/store/simulation_checkpoints.ts";
import type { Config } from "@/server/config.ts";
import { createWebApp } from "@/server/fresh_lite/mod.ts";
import { FeedHub, MarketDataService } from "@/server/feed/mod.ts";
import { Market } from "@/server/market.ts";
import { openBackgroundMarket, readSimConfigFile } from "@/server/sim/background_market.ts";
import { startDemoMiners } from "@/server/demo_miners.ts";
import { ValidatorLoop } from "@/server/validator_loop.ts";
import { ensureNativeBuild, ensureWasmBuild } from "@/server/native_library.ts";
import { repoPath } from "@/server/paths.ts";
import { saveBookStats } from "@/server/store/book_stats.ts";
import { SimulationLog } from "@/server/store/simulation_log.ts";
import { openStore } from "@/server/store/kv.ts";
import type { AppEnv } from "@/server/web_context.ts";
import { framesPerHotkeyAt, MinerGateway } from "@/server/gateway/gateway.ts";
import { SessionRegistry } from "@/server/gateway/session_registry.ts";
import { openChain } from "@/server/chain/open_chain.ts";
import type { ChainClient } from "@/server/chain/chain_client.ts";
import { createScoringModule } from "@/server/scoring/scoring_modules.ts";
import { ForecastService } from "@/server/forecast/forecast_service.ts";
import { startDemoForecasters } from "@/server/forecast/demo_forecasters.ts";
import { GenTrxPool } from "@/server/gentrx/gentrx_pool.ts";
import { OperatorKey } from "@/server/operator_key.ts";
import { isLoopbackHost } from "@/server/internal_host.ts";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";

/** Rounds between scorings (one round is one simulated second). */
export const SCORE_EVERY_ROUNDS = 10;
/** Book statistics are saved at most this often, wall ms. */
const STATS_SAVE_MS = 1000;
/** A checkpoint of many books' markets can pass the object store's default cap. */
const CHECKPOINT_MAX_BYTES = 1024 * 1024 * 1024;

export interface Validator {
  /** Where the web app listens, e.g. http://127.0.0.1:8000. */
  url: string;
  /** This validator's hotkey (ss58). */
  hotkey: string;
  market: Market;
  gateway: MinerGateway;
  chain: ChainClient;
  loop: ValidatorLoop;
  kv: Deno.Kv;
  /** The GenTRX training pool, with --gentrx. */
  gentrx: GenTrxPool | undefined;
  /** Stops serving and stepping, saves state, closes KV and the native library. */
  shutdown(): Promise<void>;
}

export async function startValidator(
  config: Config,
  log: (line: string) => void = console.log,
): Promise<Validator> {
  const started = performance.now();
  // First, so a validator off loopback without a key stops before it does anything.
  const operator = OperatorKey.resolve(config.operatorKey, config.hostname, config.publicMetrics);
  await ensureNativeBuild(log);
  // The browser's WebAssembly exchange (GET /wasm/marketforge.wasm) builds in
  // the background when emscripten is installed; requests wait for it.
  ensureWasmBuild(log).catch((error) => log(`WebAssembly build failed: ${error.message}`));
  const kv = await openStore(config.dataDir);
  // The current simulation (a restart resumes it) names the market's seed:
  // the base seed for the first, a derived one for each after it.
  const { log: journal, resumed } = await SimulationLog.open(kv, config.seed, config.books);
  const simConfig = config.simConfigPath
    ? await readSimConfigFile(config.simConfigPath)
    : undefined;
  // A market belongs to one simulation: it opens and takes one step the
  // same way at startup and at each new simulation, so a replay matches.
  const openMarket = async (seed: number) =>
    await openBackgroundMarket({ books: config.books, seed, config: simConfig });
  const background = await openMarket(journal.meta.seed);
  const market = new Market(background.engine, background.configs);
  market.step();
  const marketData = new MarketDataService(market);
  const feed = new FeedHub(marketData, { log });

  await cryptoWaitReady();
  const validatorPair = new Keyring({ type: "sr25519" }).addFromUri(config.validatorKey);
  const hotkey = validatorPair.address;
  const chain = await openChain(config.chain, { kv, validator: validatorPair, log });
  const gateway = new MinerGateway({
    registry: new SessionRegistry({ validatorHotkey: hotkey, uidOf: (key) => chain.uidOf(key) }),
    log,
    limits: { framesPerHotkey: framesPerHotkeyAt(config.stepMs) },
  });

  // Book streams listen from here on, so a resumed simulation's replay rebuilds their candles.
  const forecasts = await ForecastService.open({
    settings: config.forecast,
    market,
    gateway,
    kv,
    validatorHotkey: hotkey,
    seed: config.seed,
    log,
  });

  // The GenTRX training pool (--gentrx): every step's books feed its data
  // pipeline; a round opens every --gentrx-round-blocks chain blocks on
  // subtensor (25, as τaos) and every --gentrx-round-steps steps on the local
  // network, which has no blocks (config.gentrx carries both); the
  // validator aggregates under its own UID (on the local network its first).
  let simulationId = `simulation-${journal.meta.index}`;
  const gentrx = config.gentrx
    ? await GenTrxPool.open({
      settings: config.gentrx,
      kv,
      validatorHotkey: hotkey,
      stepMs: config.stepMs,
      gateway,
      chain,
      log,
      bucketPolicy: { localOnly: isLoopbackHost(config.hostname) },
    })
    : undefined;
  if (gentrx) market.onStep((output, engine) => gentrx.onStep(output, engine, simulationId));

  let lastSave = performance.now();
  const checkpoints = new SimulationCheckpoints({
    kv,
    store: new LocalFolderStore(`${config.dataDir}/objects`, CHECKPOINT_MAX_BYTES),
    log,
  });
  const loop = new ValidatorLoop({
    market,
    gateway,
    chain,
    validatorHotkey: hotkey,
    seed: config.seed,
    stepMs: config.stepMs,
    responseTimeoutMs: config.responseTimeoutMs,
    graceRounds: config.graceSeconds,
    simulationRounds: config.simDurationSeconds,
    startMarket: async (seed) => {
      market.replaceEngine((await openMarket(seed)).engine);
      market.step();
    },
    scoreEveryRounds: SCORE_EVERY_ROUNDS,
    scoring: createScoringModule(config.scoring, {
      forecast: (uidCount) => forecasts.pool.poolInput(uidCount),
      training: gentrx && ((uidCount) => gentrx.poolInput(uidCount)),
    }),
    onSimulationStart: ({ index }) => {
      simulationId = `simulation-${index}`;
    },
    journal,
    log,
    afterRound: async (report) => {
      if (config.checkpointRounds > 0 && report.round % config.checkpointRounds === 0) {
        await writeCheckpoint(checkpoints, market, loop).catch((error) =>
          log(`Checkpoint at round ${report.round} failed: ${error.message}`)
        );
      }
      if (performance.now() - lastSave < STATS_SAVE_MS) return;
      lastSave = performance.now();
      await saveBookStats(kv, market.stats());
    },
  });

  const web = await createWebApp<AppEnv>({
    routesDir: repoPath("routes"),
    islandsDir: repoPath("islands"),
    workersDir: repoPath("workers"),
    staticDir: repoPath("static"),
    tsconfigPath: repoPath("tsconfig.json"),
    defaultTitle: "Marketforge",
    middleware: [async (c, next) => {
      c.set("services", {
        market,
        kv,
        gateway,
        chain,
        loop,
        marketData,
        feed,
        forecasts,
        simConfig,
        operator,
        simDurationSeconds: config.simDurationSeconds,
        gentrxBucket: config.gentrx?.store.kind,
      });
      await next();
    }],
  });

  if (gentrx) {
    // POST /gentrx/state and /round change state: off loopback only with GENTRX_API_KEY.
    if (isLoopbackHost(config.hostname) || config.gentrx?.apiKey) {
      web.app.route("/gentrx", gentrx.app());
    } else log("GenTRX: /gentrx is not served off loopback without GENTRX_API_KEY");
  }

  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve(
    { port: config.port, hostname: config.hostname, onListen: resolve },
    web.app.fetch,
  );
  const address = await listening;
  const url = `http://${address.hostname}:${address.port}`;
  const gatewayUrl = `ws://${address.hostname}:${address.port}/api/miner/ws`;
  try {
    await chain.serveEndpoint(hotkey, gatewayUrl);
  } catch (error) {
    // On subtensor a loopback or unregistered validator still validates; it is just not listed.
    if (chain.kind === "local") throw error;
    log(`Gateway endpoint not served on chain: ${(error as Error).message}`);
  }

  if (resumed) {
    const replayStarted = performance.now();
    const { lastRound, checkpointRound, replayedRounds } = await resumeSimulation({
      journal,
      checkpoints,
      market,
      loop,
      restoreEngine: async (bytes) => (await NativeSimulation.restore(bytes)).asEngine(),
    });
    log(
      `Resumed simulation ${journal.meta.id} at round ${lastRound} from ${
        checkpointRound === null ? "its start" : `the checkpoint at round ${checkpointRound}`
      } (${replayedRounds} rounds replayed in ${Math.round(performance.now() - replayStarted)} ms)`,
    );
  }
  loop.start();
  const demo = await startDemoMiners({
    count: config.demoMiners,
    url: gatewayUrl,
    kv,
    seed: config.seed,
    log,
    // The first --gentrx-demo-trainers of them opt in to training, each with its own bucket folder.
    gentrx: config.gentrx && {
      trainers: config.gentrx.demoTrainers,
      bucketRoot: `${config.dataDir}/miner_buckets`,
    },
  });
  forecasts.start();
  const demoForecasters = await startDemoForecasters({
    count: config.forecast.demoForecasters,
    url: gatewayUrl,
    kv,
    seed: config.seed,
    log,
  });
  // The generated key is printed here once, in the dashboard's sign-in URL, and nowhere else.
  log(
    operator.generated
      ? `Validator dashboard (operator key generated for this run): ${operator.signInUrl(url)}`
      : `Validator dashboard: ${url}/validator (operator key from --operator-key or MARKETFORGE_OPERATOR_KEY)`,
  );
  log(
    operator.publicMetrics
      ? `Prometheus metrics: ${url}/metrics (public: --public-metrics)`
      : `Prometheus metrics: ${url}/metrics (Authorization: Bearer <operator key>)`,
  );
  log(
    `Marketforge validator ready at ${url} in ${Math.round(performance.now() - started)} ms ` +
      `(${config.books} books, seed ${config.seed}, islands bundled in ${
        Math.round(web.bundleMs)
      } ms, data in ${config.dataDir})`,
  );

  return {
    url,
    hotkey,
    market,
    gateway,
    chain,
    loop,
    kv,
    gentrx,
    async shutdown() {
      demo.stop();
      demoForecasters.stop();
      await forecasts.stop();
      await loop.stop();
      await gentrx?.stop();
      gateway.close();
      feed.close();
      await server.shutdown();
      await saveBookStats(kv, market.stats());
      marketData.close();
      await chain.close?.();
      kv.close();
      market.engine.close();
    },
  };
}
