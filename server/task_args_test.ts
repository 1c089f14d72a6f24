import { deepEqual } from "node:assert/strict";
import { taskArgs } from "@/server/task_args.ts";

Deno.test("taskArgs drops the separator `deno task NAME --` passes on", () => {
  deepEqual(taskArgs(["--", "--books", "16"]), ["--books", "16"]);
});

Deno.test("taskArgs keeps arguments given without a separator", () => {
  deepEqual(taskArgs(["--books", "16"]), ["--books", "16"]);
  deepEqual(taskArgs([]), []);
});

Deno.test("taskArgs keeps a later `--` (it ends the options as usual)", () => {
  deepEqual(taskArgs(["--seed", "7", "--", "x"]), ["--seed", "7", "--", "x"]);
});
