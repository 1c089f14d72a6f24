import { HttpError } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";

/** GET /api/forecasts/:stream: one stream's recent closes and its newest requests with forecasts. */
export async function GET(c: AppContext): Promise<Response> {
  const { forecasts, kv } = c.var.services;
  const id = c.req.param("stream") ?? "";
  const view = await forecasts?.stream(kv, id);
  if (!view) {
    const known = forecasts?.pool.streams.map((stream) => stream.id).join(", ") || "none";
    throw new HttpError(404, `Unknown forecast stream "${id}": streams are ${known}`);
  }
  return c.json(view);
}
