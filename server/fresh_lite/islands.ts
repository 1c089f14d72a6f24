/**
 * Islands on the server: components from islands/ render to HTML like any
 * other, wrapped in a `<marketforge-island>` marker that names the island
 * and carries its props as JSON, so the browser can hydrate just those parts.
 *
 * The wrapping happens in Preact's `options.vnode` hook, the same trick
 * Fresh uses; it works because renderToString is synchronous, so "which
 * islands did this page use" can be collected in a module variable.
 *
 * @module
 */
import { type ComponentType, h, options, type VNode } from "preact";

/** The custom element that marks an island in server-rendered HTML. */
export const ISLAND_TAG = "marketforge-island";

// deno-lint-ignore no-explicit-any -- islands take any JSON-serialisable props
type AnyComponent = ComponentType<any>;

const islandNames = new Map<AnyComponent, string>();
let usedIslands: Set<string> | null = null;
let creatingIslandBody = false;

/** Registers `component` (the default export of islands/<name>.tsx). */
export function registerIsland(name: string, component: AnyComponent): void {
  islandNames.set(component, name);
}

interface IslandMarkerProps {
  name: string;
  component: AnyComponent;
  props: Record<string, unknown>;
}

function IslandMarker({ name, component, props }: IslandMarkerProps): VNode {
  creatingIslandBody = true;
  const body = h(component, props);
  creatingIslandBody = false;
  const attributes = { "data-island": name, "data-props": JSON.stringify(props) };
  return h(ISLAND_TAG, attributes, body) as VNode;
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode) => {
  const type = vnode.type;
  const name = typeof type === "function" ? islandNames.get(type) : undefined;
  if (name !== undefined && usedIslands !== null && !creatingIslandBody) {
    usedIslands.add(name);
    const { children: _children, ...props } = vnode.props as Record<string, unknown>;
    const marker: IslandMarkerProps = { name, component: type as AnyComponent, props };
    (vnode as { props: unknown }).props = marker;
    vnode.type = IslandMarker as typeof vnode.type;
  }
  previousVnodeHook?.(vnode);
};

/** Runs `render` and reports which islands the rendered tree used. */
export function collectIslands<T>(render: () => T): { result: T; islands: string[] } {
  usedIslands = new Set();
  try {
    const result = render();
    return { result, islands: [...usedIslands].sort() };
  } finally {
    usedIslands = null;
  }
}
