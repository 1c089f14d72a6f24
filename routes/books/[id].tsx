import type { PageProps } from "@/server/fresh_lite/mod.ts";
import { type AppContext, bookIdParam } from "@/server/web_context.ts";
import type { BookView } from "@/engine/book_view.ts";
import BookLadder from "@/islands/BookLadder.tsx";

export function load(c: AppContext): BookView {
  return c.var.services.market.view(bookIdParam(c));
}

export function title({ data }: PageProps<BookView>): string {
  return `Book ${data.bookId} — Marketforge`;
}

/** One book's live ladder and trades. */
export default function BookPage({ data }: PageProps<BookView>) {
  return (
    <section>
      <p class="crumbs">
        <a href="/">All books</a>
      </p>
      <h1>Book {data.bookId}</h1>
      <BookLadder initial={data} />
    </section>
  );
}
