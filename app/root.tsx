import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { ErrorPage } from "~/components/error-page";
import { DEFAULT_LANG, getLangFromCookieHeader, makeT, type Lang } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";
import stylesheet from "~/styles/app.css";
import { getParticipant, getStaff } from "~/utils/auth.server";
import { useNonce } from "~/utils/nonce";

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = getLangFromCookieHeader(request.headers.get("Cookie"));
  const staff = await getStaff(request);
  if (staff) {
    return {
      lang,
      user: { kind: "staff" as const, name: staff.staff.displayName, role: staff.staff.role },
    };
  }
  const participant = await getParticipant(request);
  if (participant) {
    return {
      lang,
      user: {
        kind: "participant" as const,
        name: participant.participant.penName,
        groupId: participant.groupId,
      },
    };
  }
  return { lang, user: null };
}

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: makeT(data?.lang ?? DEFAULT_LANG)("app.name") },
];

type RootData = Awaited<ReturnType<typeof loader>>;

function Header({ data }: { data: RootData }) {
  const t = useT();
  const location = useLocation();
  const user = data.user;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <div className="site-header__bar">
        <a className="brand" href="/">
          {t("app.name")}
        </a>
        {user ? <span className="site-header__user">{user.name}</span> : null}
        <Form method="post" action="/language" className="lang-switch" reloadDocument>
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <label>
            <span className="visually-hidden">{t("lang.label")}</span>
            <select name="lang" defaultValue={data.lang} aria-label={t("lang.label")}>
              <option value="ja">{t("lang.ja")}</option>
              <option value="en">{t("lang.en")}</option>
            </select>
          </label>
          <button type="submit" className="button button--small">
            {t("lang.switch")}
          </button>
        </Form>
        {user ? (
          <Form method="post" action="/logout">
            <button type="submit" className="button button--small button--quiet">
              {t("nav.logout")}
            </button>
          </Form>
        ) : null}
      </div>
      {user?.kind === "staff" ? (
        <nav aria-label={t("nav.main")} className="site-nav">
          <ul>
            <li>
              <NavLink to="/" end>
                {t("nav.dashboard")}
              </NavLink>
            </li>
            <li>
              <NavLink to="/scan">{t("nav.scan")}</NavLink>
            </li>
            <li>
              <NavLink to="/review">{t("nav.review")}</NavLink>
            </li>
            <li>
              <NavLink to="/seeds">{t("nav.seeds")}</NavLink>
            </li>
            <li>
              <NavLink to="/resources">{t("nav.resources")}</NavLink>
            </li>
            <li>
              <NavLink to="/walks">{t("nav.walks")}</NavLink>
            </li>
            <li>
              <NavLink to="/participants">{t("nav.participants")}</NavLink>
            </li>
            <li>
              <NavLink to="/groups">{t("nav.groups")}</NavLink>
            </li>
            <li>
              <NavLink to="/cohorts">{t("nav.cohorts")}</NavLink>
            </li>
            {user.role === "admin" ? (
              <>
                <li>
                  <NavLink to="/admin/health-rooms">{t("nav.healthRooms")}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/staff">{t("nav.staff")}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/concern-phrases">{t("nav.concernPhrases")}</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/audit">{t("nav.audit")}</NavLink>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const lang: Lang = data?.lang ?? "ja";
  // A route whose page is plain HTML (`handle.hydrate === false`, e.g. the public resource list)
  // is sent without the app's scripts: residents on slow phones load no JavaScript at all.
  const plain = useMatches().some(
    (m) => (m.handle as { hydrate?: boolean } | undefined)?.hydrate === false,
  );
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {data ? <Header data={data} /> : null}
        <main id="main" className="site-main" tabIndex={-1}>
          {children}
        </main>
        {plain ? null : (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  // A client-side move to another address starts the page afresh, as a full load would: no
  // form state, unsaved text or pending upload of one record is carried onto another (routes
  // that reuse a module for several records, like the review editor, also key by their record).
  return <Outlet key={pathname} />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
