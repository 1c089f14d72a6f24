import { HttpError } from "@/server/fresh_lite/mod.ts";
import { repoPath } from "@/server/paths.ts";
import type { AppContext } from "@/server/web_context.ts";

/**
 * The onnxruntime-web files a page loads to run GenTRX (shared/reference/ml.md
 * §3: import `ort.wasm.min.mjs`, set `ort.env.wasm.wasmPaths` to this
 * prefix, and it fetches the wasm build and its loader from here). Only these
 * are served, from the pinned npm package Deno installs under node_modules/.
 */
const ORT_FILES: Record<string, string> = {
  "ort.wasm.min.mjs": "text/javascript; charset=utf-8",
  "ort-wasm-simd-threaded.mjs": "text/javascript; charset=utf-8",
  "ort-wasm-simd-threaded.wasm": "application/wasm",
};
const ORT_DIST = "node_modules/onnxruntime-web/dist";

/** GET /ort/:file: one of {@link ORT_FILES}, or a 404 naming the ones there are. */
export async function GET(c: AppContext): Promise<Response> {
  const file = c.req.param("file") ?? "";
  const contentType = ORT_FILES[file];
  if (contentType === undefined) {
    throw new HttpError(
      404,
      `Unknown onnxruntime-web file "${file}": served are ${Object.keys(ORT_FILES).join(", ")}`,
    );
  }
  const bytes = await Deno.readFile(repoPath(`${ORT_DIST}/${file}`));
  return c.body(bytes, 200, { "content-type": contentType });
}
