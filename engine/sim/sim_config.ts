/**
 * The background market's configuration: a JSON file of groups of settings
 * (`{"simulation": {"books": 16}, "stylized": {"count": 500}}`) resolved
 * against the simulator's own settings table (native/sim/sim_params.h,
 * published through the C ABI), so names, τaos defaults and limits live in
 * one place. Anything left out takes its default.
 *
 * Errors name the setting and the limit, std-style:
 * `Cannot use simulation config: stylized.count: 100001 is above the maximum 100000`.
 *
 * @module
 */

/** One row of the simulator's settings table. */
export interface SimParam {
  /** "group.field" */
  name: string;
  defaultValue: number;
  min: number;
  max: number;
  integer: boolean;
  doc: string;
}

/** A resolved configuration: values in table order, for the simulator. */
export interface SimConfig {
  values: Float64Array;
  /** The same values by name. */
  settings: Record<string, number>;
}

export class SimConfigError extends Error {
  constructor(message: string) {
    super(`Cannot use simulation config: ${message}`);
    this.name = "SimConfigError";
  }
}

/**
 * Resolves a parsed JSON config (groups of settings), then `overrides` by
 * "group.field" name (command-line flags win over the file).
 */
export function resolveSimConfig(
  table: readonly SimParam[],
  json: unknown = {},
  overrides: Readonly<Record<string, number>> = {},
): SimConfig {
  const index = new Map(table.map((param, i) => [param.name, i]));
  const values = Float64Array.from(table, (param) => param.defaultValue);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SimConfigError("the file must hold a JSON object of setting groups");
  }
  const groups = [...new Set(table.map((param) => param.name.split(".")[0]))];
  for (const [group, fields] of Object.entries(json)) {
    if (!groups.includes(group)) {
      throw new SimConfigError(`${group}: unknown group (known: ${groups.join(", ")})`);
    }
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
      throw new SimConfigError(`${group}: must be an object of settings`);
    }
    for (const [field, value] of Object.entries(fields)) {
      set(`${group}.${field}`, value);
    }
  }
  for (const [name, value] of Object.entries(overrides)) set(name, value);
  const settings: Record<string, number> = {};
  table.forEach((param, i) => settings[param.name] = values[i]);
  return { values, settings };

  function set(name: string, value: unknown): void {
    const i = index.get(name);
    if (i === undefined) {
      const group = name.split(".")[0];
      const known = table.filter((param) => param.name.startsWith(`${group}.`))
        .map((param) => param.name.slice(group.length + 1));
      throw new SimConfigError(`${name}: unknown setting (known: ${known.join(", ")})`);
    }
    const param = table[i];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new SimConfigError(`${name}: must be a finite number, got ${JSON.stringify(value)}`);
    }
    if (value < param.min) {
      throw new SimConfigError(`${name}: ${value} is below the minimum ${param.min}`);
    }
    if (value > param.max) {
      throw new SimConfigError(`${name}: ${value} is above the maximum ${param.max}`);
    }
    if (param.integer && !Number.isInteger(value)) {
      throw new SimConfigError(`${name}: ${value} must be a whole number`);
    }
    values[i] = value;
  }
}
