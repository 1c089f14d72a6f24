/**
 * The miner console's agent parameters: one `key=value` per line, as
 * `deno task miner -- --param key=value` takes them (server/miner/main.ts).
 *
 * @module
 */

/** Most parameters an agent may be given, and the longest key and value. */
export const MAX_PARAMS = 64;
export const MAX_PARAM_LENGTH = 256;

/**
 * Parses `key=value` lines (blank lines and `#` comments skipped); throws a
 * RangeError naming the line and what is wrong.
 *
 * @example
 * ```ts
 * parseParamLines("volume=0.5\n# quote size\nexpirySeconds = 10"); // { volume: "0.5", expirySeconds: "10" }
 * ```
 */
export function parseParamLines(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const at = line.indexOf("=");
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (at <= 0 || !/^[A-Za-z_][\w.-]*$/.test(key)) {
      throw new RangeError(
        `Invalid parameter on line ${index + 1} "${line.slice(0, 40)}": must be key=value`,
      );
    }
    if (key.length > MAX_PARAM_LENGTH || value.length > MAX_PARAM_LENGTH) {
      throw new RangeError(
        `Invalid parameter "${key.slice(0, 40)}" on line ${
          index + 1
        }: longer than ${MAX_PARAM_LENGTH} characters`,
      );
    }
    params[key] = value;
  });
  if (Object.keys(params).length > MAX_PARAMS) {
    throw new RangeError(
      `Invalid parameters: ${Object.keys(params).length} given, the limit is ${MAX_PARAMS}`,
    );
  }
  return params;
}
