/**
 * The browser half of the islands layer (server/fresh_lite/islands.ts):
 * hydrates every `<marketforge-island>` the server rendered with the
 * component and JSON props it names.
 *
 * @module
 */
import { type ComponentType, h, hydrate } from "preact";

// deno-lint-ignore no-explicit-any -- islands take any JSON-serialisable props
export function revive(islands: Record<string, ComponentType<any>>): void {
  for (const marker of document.querySelectorAll<HTMLElement>("marketforge-island")) {
    const component = islands[marker.dataset.island ?? ""];
    if (component === undefined) continue;
    hydrate(h(component, JSON.parse(marker.dataset.props ?? "{}")), marker);
  }
}
