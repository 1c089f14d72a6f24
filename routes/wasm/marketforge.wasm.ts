import { HttpError } from "@/server/fresh_lite/mod.ts";
import { ensureWasmBuild } from "@/server/native_library.ts";
import type { AppContext } from "@/server/web_context.ts";

/**
 * GET /wasm/marketforge.wasm: the exchange core built for WebAssembly
 * (engine/simulator_wasm.ts loads it in the browser), or a 404 saying why
 * when this machine cannot build it.
 */
export async function GET(c: AppContext): Promise<Response> {
  const path = await ensureWasmBuild(() => {});
  if (path === undefined) {
    throw new HttpError(
      404,
      "Cannot serve marketforge.wasm: the WebAssembly build needs emscripten (Debian package emscripten)",
    );
  }
  return c.body(await Deno.readFile(path), 200, { "content-type": "application/wasm" });
}
