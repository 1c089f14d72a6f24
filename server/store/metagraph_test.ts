import { deepEqual, equal, rejects } from "node:assert/strict";
import { listNeurons, MAX_UIDS, registerHotkey, uidOf } from "@/server/store/metagraph.ts";

Deno.test("hotkeys get consecutive UIDs once, with their index", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    equal(await registerHotkey(kv, "5Alice", 1), 0);
    equal(await registerHotkey(kv, "5Bob", 2), 1);
    equal(await registerHotkey(kv, "5Alice", 3), 0);
    equal(await uidOf(kv, "5Bob"), 1);
    equal(await uidOf(kv, "5Nobody"), undefined);
    deepEqual(await listNeurons(kv), [
      { uid: 0, hotkey: "5Alice", registeredAt: 1 },
      { uid: 1, hotkey: "5Bob", registeredAt: 2 },
    ]);
  } finally {
    kv.close();
  }
});

Deno.test("concurrent registrations never share a UID", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const hotkeys = Array.from({ length: 20 }, (_, i) => `5Key${i}`);
    const uids = await Promise.all(hotkeys.map((hotkey) => registerHotkey(kv, hotkey)));
    equal(new Set(uids).size, hotkeys.length);
  } finally {
    kv.close();
  }
});

Deno.test("registration stops at the UID cap with a clear error", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(["metagraph", "size"], MAX_UIDS);
    await rejects(registerHotkey(kv, "5Late"), {
      message: 'Cannot register hotkey "5Late": all 256 UIDs are taken',
    });
  } finally {
    kv.close();
  }
});
