import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  listNeurons,
  MAX_UIDS,
  registerHotkey,
  replaceHotkey,
  uidOf,
} from "@/server/store/metagraph.ts";

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

Deno.test("a UID handed to a new hotkey drops the old one from the index", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await registerHotkey(kv, "5Alice", 1);
    await registerHotkey(kv, "5Bob", 2);
    await replaceHotkey(kv, 1, "5Dave", 3);
    equal(await uidOf(kv, "5Bob"), undefined);
    equal(await uidOf(kv, "5Dave"), 1);
    deepEqual((await listNeurons(kv))[1], { uid: 1, hotkey: "5Dave", registeredAt: 3 });
    await rejects(replaceHotkey(kv, 0, "5Dave"), /"5Dave" is registered already/);
    await rejects(replaceHotkey(kv, 7, "5Eve"), /UID 7: it is not registered/);
  } finally {
    kv.close();
  }
});
