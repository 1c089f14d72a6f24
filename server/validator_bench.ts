/**
 * Benchmarks of the validator loop (issue 5):
 * - `validator.step_ms_256`: the validator's own time per round with 256
 *   miners over loopback — step, encode, send, collect, validate, submit —
 *   with miners that answer at once (τaos needs 3.4–4 s for ~256 miners);
 * - `validator.bytes_per_miner`: one miner's state update per round;
 * - `validator.max_miners`: the most miners whose median round still fits
 *   the 1 s publish interval on this machine (tried 256, 512, 1024).
 *
 * The validator (native market, 4 books, gateway, loop) runs in this process
 * on a loopback port; the miners run in a child process (_bench_miners.ts).
 * The round time includes the miners' process answering over loopback, so
 * it is an upper bound on the validator's own share. Both processes share
 * the machine's cores, so the bench also reports `validator.own_ms_256`:
 * the CPU time this (validator) process spent per round — all its threads,
 * the socket writes included — and prints the miner process's CPU time per
 * round (from /proc) beside it, to show whose work the round waits for.
 *
 * `--miners 256,512` runs only those counts (e.g. under `--cpu-prof`).
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { median, report } from "@/engine/bench_report.ts";
import { benchKeyUri } from "@/server/_bench_miners.ts";
import { LocalChain } from "@/server/chain/local_chain.ts";
import { MinerGateway } from "@/server/gateway/gateway.ts";
import { SessionRegistry } from "@/server/gateway/session_registry.ts";
import { Market } from "@/server/market.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";
import { repoPath } from "@/server/paths.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";
import { type RoundReport, ValidatorLoop } from "@/server/validator_loop.ts";

const BOOKS = 4;
const ROUNDS = 15;
const WARMUP_ROUNDS = 3;
const PUBLISH_INTERVAL_MS = 1000;
const MINER_COUNTS = [256, 512, 1024];

/** One round's report with the CPU time each process spent in it. */
interface Measured extends RoundReport {
  /** CPU ms of this process (the validator) during the round. */
  ownCpuMs: number;
  /** CPU ms of the miners' process during the round (NaN without /proc). */
  minerCpuMs: number;
}

/** CPU ms (user + system) `pid` has used, from /proc; NaN where it cannot be read. */
function processCpuMs(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the ")" closing the command name: utime, stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks * 10; // USER_HZ is 100 on Linux.
  } catch {
    return NaN;
  }
}

function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
/** No rate limits: one process opens every connection from one address. */
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };

async function measure(minerCount: number): Promise<Measured[]> {
  await cryptoWaitReady();
  const kv = await Deno.openKv(":memory:");
  const background = await openBackgroundMarket({ books: BOOKS, seed: 1 });
  const market = new Market(background.engine, background.configs);
  market.step();
  const keyring = new Keyring({ type: "sr25519" });
  const validatorHotkey = keyring.addFromUri("//Alice").address;
  await registerHotkey(kv, validatorHotkey, Date.now(), minerCount + 1);
  for (let i = 0; i < minerCount; i++) {
    await registerHotkey(
      kv,
      keyring.addFromUri(benchKeyUri(i)).address,
      Date.now(),
      minerCount + 1,
    );
  }
  const chain = new LocalChain(kv);
  const gateway = new MinerGateway({
    registry: new SessionRegistry({ validatorHotkey, uidOf: (key) => chain.uidOf(key) }),
    limits: { connectionsPerAddress: UNLIMITED, framesPerHotkey: UNLIMITED },
  });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request, info) => gateway.upgrade(request, info.remoteAddr.hostname),
  );
  const miners = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      repoPath("server/_bench_miners.ts"),
      "--url",
      `ws://127.0.0.1:${server.addr.port}`,
      "--count",
      String(minerCount),
    ],
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1", DENO_NO_PACKAGE_JSON: "1" },
  }).spawn();
  const reader = miners.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let output = "";
    while (!output.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`Bench miners exited early: ${output}`);
      output += value;
    }
    const loop = new ValidatorLoop({
      market,
      gateway,
      chain,
      validatorHotkey,
      seed: 1,
      stepMs: 0,
      responseTimeoutMs: 3000,
      scoreEveryRounds: Number.MAX_SAFE_INTEGER,
    });
    const reports: Measured[] = [];
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const own = ownCpuMs();
      const child = processCpuMs(miners.pid);
      const result = await loop.round();
      const ownCpu = ownCpuMs() - own;
      const minerCpu = processCpuMs(miners.pid) - child;
      if (round >= WARMUP_ROUNDS) {
        reports.push({ ...result, ownCpuMs: ownCpu, minerCpuMs: minerCpu });
      }
    }
    return reports;
  } finally {
    miners.kill("SIGTERM");
    await miners.status;
    await reader.cancel();
    gateway.close();
    await server.shutdown();
    background.engine.close();
    kv.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { miners: { type: "string" } } });
  const counts = values.miners === undefined ? MINER_COUNTS : values.miners.split(",").map(Number);
  await ensureNativeBuild((line) => console.error(line));
  let maxMiners = 0;
  for (const count of counts) {
    const reports = await measure(count);
    const roundMs = median(reports.map((r) => r.totalMs));
    const answered = median(reports.map((r) => r.responses));
    const ownMs = median(reports.map((r) => r.ownCpuMs));
    const part = (key: "publishMs" | "collectMs" | "minerCpuMs") =>
      median(reports.map((r) => r[key])).toFixed(1);
    console.error(
      `${count} miners: median round ${roundMs.toFixed(1)} ms (publish ${part("publishMs")}, ` +
        `collect ${part("collectMs")}), ${answered} answers; CPU per round: validator ` +
        `${ownMs.toFixed(1)} ms, miners' process ${part("minerCpuMs")} ms`,
    );
    if (count === 256) {
      report({ bench: "validator.step_ms_256", value: Number(roundMs.toFixed(2)), unit: "ms" });
      report({ bench: "validator.own_ms_256", value: Number(ownMs.toFixed(2)), unit: "ms" });
      report({
        bench: "validator.bytes_per_miner",
        value: Math.round(median(reports.map((r) => r.bytesPerMiner))),
        unit: "bytes",
      });
    }
    if (roundMs <= PUBLISH_INTERVAL_MS && answered === count) maxMiners = count;
    else break;
  }
  report({ bench: "validator.max_miners", value: maxMiners, unit: "miners" });
}
