import { decodeAddress } from "@polkadot/util-crypto";
import { HttpError } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";

/**
 * POST /api/metagraph/register {"hotkey": "5…"}: registers a hotkey on the
 * local network (the stand-in for burned_register until the chain client).
 */
export async function POST(c: AppContext): Promise<Response> {
  const body = await c.req.json().catch(() => null) as { hotkey?: unknown } | null;
  const hotkey = body?.hotkey;
  if (typeof hotkey !== "string" || !isAddress(hotkey)) {
    throw new HttpError(400, `Invalid hotkey ${JSON.stringify(hotkey)}: must be an ss58 address`);
  }
  try {
    return c.json({ uid: await registerHotkey(c.var.services.kv, hotkey), hotkey });
  } catch (error) {
    throw new HttpError(409, (error as Error).message);
  }
}

function isAddress(value: string): boolean {
  try {
    return decodeAddress(value).length === 32;
  } catch {
    return false;
  }
}
