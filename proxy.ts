// Next 16 "proxy" (formerly middleware): sends signed-out visitors of console
// pages to /login. Only a first filter: every page, action and route handler
// re-checks the session in the service layer (lib/auth/current.ts).
import { withAuth } from "next-auth/middleware";

export default withAuth({ pages: { signIn: "/login" } });

export const config = {
  matcher: ["/((?!api|login|_next/static|_next/image|favicon.ico|icon.svg|healthz|readyz).*)"],
};
