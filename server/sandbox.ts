/**
 * `deno task sandbox -- --agent FILE`: τaos's offline proxy in one command.
 * Runs the background market locally (no chain, throwaway state) with the
 * agent mining in the loop through the real gateway, for a number of
 * simulated seconds, then prints its PnL and fills.
 *
 * ```sh
 * deno task sandbox -- --agent engine/agents/random_maker.ts --param volume=0.5 --steps 600
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { parseConfig } from "@/server/config.ts";
import { startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { loadAgent, parseParams } from "@/server/miner/main.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";
import { startValidator } from "@/server/validator.ts";
import { taskArgs } from "@/server/task_args.ts";

export interface SandboxOptions {
  agent: string;
  params: Record<string, string>;
  /** Simulated seconds (rounds) to run. */
  steps: number;
  books: number;
  seed: number;
  /** Other example miners trading alongside. */
  demoMiners: number;
  print: (line: string) => void;
}

export interface SandboxResult {
  uid: number;
  rounds: number;
  fills: number;
  realizedPnl: number;
  /** Per book: base and quote now, and at the start. */
  books: { bookId: number; base: number; quote: number; startBase: number; startQuote: number }[];
}

/** Runs the sandbox and returns the agent's outcome. */
export async function runSandbox(options: SandboxOptions): Promise<SandboxResult> {
  await cryptoWaitReady();
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-sandbox-" });
  const validator = await startValidator(
    parseConfig([
      "--port",
      "0",
      "--data",
      dataDir,
      "--books",
      String(options.books),
      "--seed",
      String(options.seed),
      "--step-ms",
      "1",
      "--demo-miners",
      String(options.demoMiners),
    ], () => undefined),
    () => {},
  );
  const hotkey = new Keyring({ type: "sr25519" }).addFromUri("//Sandbox");
  const uid = await registerHotkey(validator.kv, hotkey.address);
  const miner = startHeadlessMiner({
    url: validator.url.replace("http", "ws") + "/api/miner/ws",
    hotkey,
    agent: await loadAgent(options.agent),
    params: options.params,
    seed: options.seed,
    log: () => {},
  });
  try {
    await miner.ready;
    const first = validator.loop.lastRound?.round ?? 0;
    let reported = first;
    while ((validator.loop.lastRound?.round ?? 0) - first < options.steps) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const round = validator.loop.lastRound?.round ?? 0;
      if (round - reported >= 100) {
        reported = round;
        const { fills, realizedPnl } = validator.loop.ledger.totals(uid);
        options.print(
          `t=${round - first}s  fills ${fills}  realised PnL ${realizedPnl.toFixed(4)}`,
        );
      }
    }
    const { fills, realizedPnl } = validator.loop.ledger.totals(uid);
    const config = validator.market.bookConfigs;
    const books = config.map((book, bookId) => {
      const account = validator.market.engine.account(uid, bookId);
      const base = (account?.baseTotal ?? 0) / 10 ** book.volumeDecimals;
      const quote = (account?.quoteTotal ?? 0) / 10 ** (book.priceDecimals + book.volumeDecimals);
      const start = validator.loop.startingBalances(uid)[bookId];
      return {
        bookId,
        base,
        quote,
        startBase: (start?.baseLots ?? 0) / 10 ** book.volumeDecimals,
        startQuote: (start?.quoteUnits ?? 0) / 10 ** (book.priceDecimals + book.volumeDecimals),
      };
    });
    return { uid, rounds: options.steps, fills, realizedPnl, books };
  } finally {
    miner.stop();
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: taskArgs(),
    options: {
      agent: { type: "string" },
      param: { type: "string", multiple: true, default: [] },
      steps: { type: "string", default: "600" },
      books: { type: "string", default: "2" },
      seed: { type: "string", default: "1" },
      "demo-miners": { type: "string", default: "2" },
    },
  });
  if (!values.agent) {
    console.error(
      "Usage: deno task sandbox -- --agent FILE [--param k=v …] [--steps N] [--books N] [--seed N]",
    );
    Deno.exit(2);
  }
  const result = await runSandbox({
    agent: values.agent,
    params: parseParams(values.param),
    steps: Number(values.steps),
    books: Number(values.books),
    seed: Number(values.seed),
    demoMiners: Number(values["demo-miners"]),
    print: console.log,
  });
  console.log(`\nAgent uid ${result.uid} after ${result.rounds} simulated seconds:`);
  console.log(`  fills ${result.fills}, realised PnL ${result.realizedPnl.toFixed(4)} quote`);
  for (const book of result.books) {
    console.log(
      `  book ${book.bookId}: base ${book.startBase.toFixed(4)} → ${book.base.toFixed(4)}, ` +
        `quote ${book.startQuote.toFixed(2)} → ${book.quote.toFixed(2)}`,
    );
  }
  Deno.exit(0);
}
