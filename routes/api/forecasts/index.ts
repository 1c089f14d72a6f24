import { HttpError } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";

/** GET /api/forecasts: every forecast stream with its newest requests, and the forecast ledger. */
export async function GET(c: AppContext): Promise<Response> {
  const { forecasts, kv } = c.var.services;
  if (!forecasts) {
    throw new HttpError(404, "Cannot show forecasts: the forecast pool is not running");
  }
  return c.json(await forecasts.board(kv));
}
