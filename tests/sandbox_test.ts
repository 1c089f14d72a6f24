/** `deno task sandbox` runs an agent against the local market and reports its outcome. */
import { equal, match } from "node:assert/strict";
import { repoPath } from "@/server/paths.ts";

Deno.test("the sandbox command trades an example agent and prints its PnL and fills", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      repoPath("server/sandbox.ts"),
      "--agent",
      "engine/agents/random_taker.ts",
      "--param",
      "volume=0.5",
      "--param",
      "probability=1",
      "--steps",
      "60",
      "--books",
      "1",
      "--demo-miners",
      "1",
    ],
    cwd: repoPath(),
    env: { NO_COLOR: "1", DENO_NO_PACKAGE_JSON: "1" },
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  equal(output.code, 0, new TextDecoder().decode(output.stderr));
  match(text, /Agent uid \d+ after 60 simulated seconds:/);
  const fills = Number(text.match(/fills (\d+), realised PnL/)?.[1]);
  equal(fills > 10, true, text);
  match(text, /book 0: base \d+\.\d{4} → \d+\.\d{4}, quote \d+\.\d{2} → \d+\.\d{2}/);
});
