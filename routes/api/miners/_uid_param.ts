import { HttpError } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";

/** The UID named by the `:uid` path parameter; a 400 naming the limit if it is not one. */
export function uidParam(c: AppContext): number {
  const raw = c.req.param("uid") ?? "";
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) {
    throw new HttpError(400, `Invalid UID "${raw.slice(0, 40)}": must be an integer 0 to 65535`);
  }
  return Number(raw);
}
