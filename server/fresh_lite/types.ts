/**
 * What route modules export. A page module default-exports a component and
 * may export `load` (its data, or a Response to answer with instead, such as
 * a redirect), `title` and `Head` (elements for the page's `<head>`, e.g. a
 * script that must run before the body is parsed); an API module exports handlers
 * named after HTTP methods.
 *
 * @module
 */
import type { Context, Env } from "hono";
import type { ComponentChildren, ComponentType } from "preact";

export interface PageProps<Data = unknown> {
  /** Path parameters, e.g. `{ id: "3" }` for routes/books/[id].tsx. */
  params: Record<string, string>;
  /** What the page's `load` returned. */
  data: Data;
  url: URL;
}

export interface AppProps {
  title: string;
  /** The page's own `<head>` elements, placed before the stylesheet. */
  head?: ComponentChildren;
  children: ComponentChildren;
}

export type Handler<E extends Env = Env> = (c: Context<E>) => Response | Promise<Response>;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = typeof HTTP_METHODS[number];

export interface RouteModule<E extends Env = Env> {
  // deno-lint-ignore no-explicit-any -- each page declares its own data type
  default?: ComponentType<PageProps<any>>;
  load?: (c: Context<E>) => unknown;
  // deno-lint-ignore no-explicit-any -- as above
  title?: string | ((props: PageProps<any>) => string);
  // deno-lint-ignore no-explicit-any -- as above
  Head?: ComponentType<PageProps<any>>;
  GET?: Handler<E>;
  POST?: Handler<E>;
  PUT?: Handler<E>;
  PATCH?: Handler<E>;
  DELETE?: Handler<E>;
}
