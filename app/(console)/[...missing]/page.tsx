import { notFound } from "next/navigation";

/** Any console path that matches no page: the console's own 404, inside the shell (after sign-in). */
export default function MissingPage() {
  notFound();
}
