import { equal, rejects } from "node:assert/strict";
import {
  CONFORMANCE_MAX_OBJECT_BYTES,
  runObjectStoreConformance,
} from "@/engine/gentrx/store/object_store_conformance.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";

Deno.test("LocalFolderStore passes the object store conformance suite", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "mf_objects_" });
  let n = 0;
  try {
    await runObjectStoreConformance(
      t,
      () => Promise.resolve(new LocalFolderStore(`${root}/${n++}`, CONFORMANCE_MAX_OBJECT_BYTES)),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LocalFolderStore refuses to read an object over its cap written by a larger store", async () => {
  const root = await Deno.makeTempDir({ prefix: "mf_objects_" });
  try {
    await new LocalFolderStore(root, 1000).put("big", new Uint8Array(600));
    const small = new LocalFolderStore(root, 500);
    await rejects(() => small.get("big"), /Object "big" is 600 bytes: the limit is 500 bytes/);
    equal((await small.list("")).length, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
