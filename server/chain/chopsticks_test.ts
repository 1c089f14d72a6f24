import { equal, rejects } from "node:assert/strict";
import { freeLoopbackPort, readChainSpec } from "@/server/chain/chopsticks.ts";

Deno.test("chain specs: unreadable, non-JSON and runtime-less files are named and refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rejects(
      readChainSpec(`${dir}/missing.json`),
      /^Error: Cannot read chain spec ".*missing\.json": /,
    );
    await Deno.writeTextFile(`${dir}/text.json`, "not json");
    await rejects(readChainSpec(`${dir}/text.json`), /text\.json": not JSON/);
    await Deno.writeTextFile(`${dir}/plain.json`, JSON.stringify({ genesis: { runtime: {} } }));
    await rejects(readChainSpec(`${dir}/plain.json`), /it has no runtime .*build-spec --raw/);
    const raw = { name: "dev", genesis: { raw: { top: { "0x3a636f6465": "0x0061736d" } } } };
    await Deno.writeTextFile(`${dir}/raw.json`, JSON.stringify(raw));
    equal((await readChainSpec(`${dir}/raw.json`)).name, "dev");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("free ports are on loopback and usable", () => {
  const port = freeLoopbackPort();
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  listener.close();
  equal(port > 0, true);
});
