/**
 * kill -9 of the validator mid-run, then a restart on the same data folder:
 * it resumes the same simulation at or after the round it had reached, and
 * no miner's admitted instructions or fills are lost.
 */
import { equal, match } from "node:assert/strict";
import { startServerProcess } from "@/tests/browser.ts";

interface Status {
  simulation: { id: string };
  round: number;
  miners: { uid: number; fills: number; realizedPnl: number }[];
}

const OPERATOR_KEY = "crash-resume-operator-key";

async function status(url: string): Promise<Status> {
  const headers = { authorization: `Bearer ${OPERATOR_KEY}` };
  return await (await fetch(`${url}/api/validator`, { headers })).json();
}

/** Runs to round 30 with fills, kills it, restarts it; returns the restart's startup log. */
async function crashAndResume(extraArgs: string[]): Promise<string> {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-crash-" });
  const args = [
    "--books",
    "2",
    "--demo-miners",
    "2",
    "--step-ms",
    "20",
    "--seed",
    "5",
    "--operator-key",
    OPERATOR_KEY,
    ...extraArgs,
  ];
  try {
    const first = await startServerProcess(args, dataDir);
    let before: Status;
    const deadline = Date.now() + 30_000;
    for (;;) {
      before = await status(first.url);
      const fills = before.miners.reduce((sum, miner) => sum + miner.fills, 0);
      if (before.round >= 30 && fills >= 10) break;
      if (Date.now() > deadline) {
        throw new Error(`No miner fills after 30 s: ${JSON.stringify(before)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await first.crash();

    const second = await startServerProcess(args, dataDir);
    try {
      const after = await status(second.url);
      equal(after.simulation.id, before.simulation.id);
      equal(after.round >= before.round, true, `round ${after.round} < ${before.round}`);
      for (const miner of before.miners) {
        const resumed = after.miners.find((m) => m.uid === miner.uid);
        equal(
          resumed !== undefined && resumed.fills >= miner.fills,
          true,
          `uid ${miner.uid} lost fills`,
        );
      }
      return second.startupLog;
    } finally {
      await second.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

Deno.test("a validator killed with SIGKILL resumes its simulation without losing fills", async () => {
  // No checkpoint yet at round 30 (the default is every 300): every logged round is replayed.
  match(await crashAndResume([]), /at round \d+ from its start/);
});

Deno.test("a validator killed with SIGKILL resumes from its last checkpoint without losing fills", async () => {
  match(
    await crashAndResume(["--checkpoint-rounds", "10"]),
    /at round (\d+) from the checkpoint at round [1-9]\d*0 \(\d+ rounds replayed/,
  );
});
