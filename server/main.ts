/**
 * `deno task start`: runs the validator until Ctrl-C.
 *
 * @module
 */
import { parseConfig } from "@/server/config.ts";
import { startValidator } from "@/server/validator.ts";
import { taskArgs } from "@/server/task_args.ts";

if (import.meta.main) {
  let config;
  try {
    config = parseConfig(taskArgs());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    Deno.exit(2);
  }
  const validator = await startValidator(config);
  const stop = async () => {
    console.log("Shutting down…");
    await validator.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
