import { deepEqual, equal, match, throws } from "node:assert/strict";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";
import { sampleCheckpoint } from "@/server/store/_sample_checkpoint.ts";
import { SimulationCheckpoints } from "@/server/store/simulation_checkpoints.ts";
import type { LoopCheckpoint } from "@/server/store/loop_checkpoint.ts";

async function withCheckpoints(
  run: (
    checkpoints: SimulationCheckpoints,
    store: LocalFolderStore,
    log: string[],
  ) => Promise<void>,
): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "marketforge-checkpoints-" });
  const kv = await Deno.openKv(":memory:");
  const store = new LocalFolderStore(folder);
  const log: string[] = [];
  try {
    await run(new SimulationCheckpoints({ kv, store, log: (line) => log.push(line) }), store, log);
  } finally {
    kv.close();
    await Deno.remove(folder, { recursive: true });
  }
}

async function storedKeys(store: LocalFolderStore): Promise<string[]> {
  return (await store.list("checkpoints/")).map((object) => object.key).sort();
}

Deno.test("checkpoints keep the newest two of the simulation and delete older and other simulations' files", async () => {
  await withCheckpoints(async (checkpoints, store) => {
    await checkpoints.write(sampleCheckpoint(10, "old-sim"));
    for (const round of [10, 20, 30]) await checkpoints.write(sampleCheckpoint(round));
    deepEqual((await checkpoints.pointers("sim-a")).map((p) => p.round), [30, 20]);
    deepEqual(await storedKeys(store), [
      "checkpoints/sim-a/0000000020.ckpt",
      "checkpoints/sim-a/0000000030.ckpt",
    ]);
  });
});

Deno.test("restoreLatest hands over the newest checkpoint at or before the logged round", async () => {
  await withCheckpoints(async (checkpoints) => {
    for (const round of [10, 20]) await checkpoints.write(sampleCheckpoint(round));
    const used: LoopCheckpoint[] = [];
    const restored = await checkpoints.restoreLatest("sim-a", 25, (c) => void used.push(c));
    equal(restored?.round, 20);
    deepEqual(used, [sampleCheckpoint(20)]);
    // A checkpoint past the last logged round is never used.
    equal((await checkpoints.restoreLatest("sim-a", 15, () => {}))?.round, 10);
  });
});

Deno.test("restoreLatest falls back to the checkpoint before when the newest is damaged, missing or refused", async () => {
  await withCheckpoints(async (checkpoints, store, log) => {
    for (const round of [10, 20]) await checkpoints.write(sampleCheckpoint(round));
    const newest = "checkpoints/sim-a/0000000020.ckpt";
    const bytes = (await store.get(newest))!;
    await store.put(newest, bytes.subarray(0, bytes.length - 3));
    equal((await checkpoints.restoreLatest("sim-a", 20, () => {}))?.round, 10);
    match(log.at(-1) ?? "", new RegExp("Checkpoint at round 20"));
    match(log.at(-1) ?? "", new RegExp("checksum mismatch"));

    await store.delete(newest);
    equal((await checkpoints.restoreLatest("sim-a", 20, () => {}))?.round, 10);
    match(log.at(-1) ?? "", new RegExp("its file is missing"));

    await store.put(newest, bytes);
    const restored = await checkpoints.restoreLatest("sim-a", 20, (c) => {
      if (c.round === 20) throw new Error("engine refused it");
    });
    equal(restored?.round, 10);
    match(log.at(-1) ?? "", new RegExp("engine refused it"));
  });
});

Deno.test("restoreLatest returns null when no checkpoint can be used", async () => {
  await withCheckpoints(async (checkpoints, store, log) => {
    equal(await checkpoints.restoreLatest("sim-a", 100, () => {}), null);
    await checkpoints.write(sampleCheckpoint(10));
    await store.put("checkpoints/sim-a/0000000010.ckpt", new Uint8Array(8));
    equal(await checkpoints.restoreLatest("sim-a", 100, () => {}), null);
    equal(log.length, 1);
  });
});

Deno.test("a checkpoint store refuses a keep below one", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    throws(
      () => new SimulationCheckpoints({ kv, store: new LocalFolderStore("/tmp"), keep: 0 }),
      /Invalid checkpoint keep 0: must be a whole number ≥ 1/,
    );
  } finally {
    kv.close();
  }
});
